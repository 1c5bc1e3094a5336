using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Emit;
using Autodiff.Generator.Tests.Harness;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// <see cref="LoopRegisters"/>: an integer an innermost loop steps is stepped in a copy that lives
/// around the loop only; comments keep the user's names, and loops it cannot see the end of (jumps,
/// a do-while footer, the integer passed by reference) stay as they are.
/// </summary>
public class LoopRegistersTests
{
    private static readonly Dictionary<string, string> Integers = new() { ["l"] = "int", ["j"] = "int", ["n"] = "long" };

    private static List<string> Promote(params Code[] code)
    {
        var taken = new HashSet<string>();
        string Claim(string name)
        {
            string claimed = name;
            for (int i = 2; !taken.Add(claimed); i++)
            {
                claimed = name + "_" + i;
            }
            return claimed;
        }
        return CodeLines.Of(LoopRegisters.Promote(code.ToList(), name => Integers.TryGetValue(name, out string? type) ? type : null, Claim));
    }

    private static Nested Loop(params string[] body) => new("for (j = 0; j < 8; j++)", body.Select(b => (Code)new Line(b)).ToList());

    [Fact]
    public void A_stepped_integer_is_copied_in_before_the_loop_and_out_after_it_and_comments_keep_its_name()
    {
        List<string> lines = Promote(new Line("l = 3;"), Loop("// line 7: l++;", "q[j] += w[l] * x; // MulBackward l", "l++;"), new Line("y = w[l];"));
        Assert.Equal(new[]
        {
            "l = 3;",
            "int lInLoop = l;",
            "for (j = 0; j < 8; j++) {",
            "// line 7: l++;",
            "q[j] += w[lInLoop] * x; // MulBackward l",
            "lInLoop++;",
            "}",
            "l = lInLoop;",
            "y = w[l];",
        }, lines);
    }

    [Fact]
    public void Only_innermost_loops_and_only_integers_declared_outside_them_are_copied()
    {
        List<string> lines = Promote(new Nested("for (i = 0; i < 4; i++)", new List<Code>
        {
            new Line("l += 2;"),
            Loop("l--;", "s += 1.5;", "int k = 0;", "k++;"),
        }));
        Assert.Contains("l += 2;", lines); // the outer loop steps the original
        Assert.Contains("int lInLoop = l;", lines);
        Assert.Contains("lInLoop--;", lines);
        Assert.Contains("s += 1.5;", lines); // not an integer
        Assert.Contains("k++;", lines); // declared inside
        Assert.Single(lines, line => line.Contains("InLoop = "));
    }

    [Theory]
    [InlineData("break;")]
    [InlineData("return x;")]
    [InlineData("Step(ref l);")]
    [InlineData("Log(\"l\");")]
    public void A_loop_the_copy_could_escape_stays_as_it_is(string line)
    {
        List<string> lines = Promote(Loop("l++;", line));
        Assert.DoesNotContain(lines, l => l.Contains("InLoop"));
    }

    [Fact]
    public void A_do_while_loop_and_a_loop_whose_header_reads_the_integer_stay_as_they_are()
    {
        Assert.DoesNotContain(Promote(new Nested("do", new List<Code> { new Line("l++;") }, Footer: "while (l < 8);")), l => l.Contains("InLoop"));
        Assert.DoesNotContain(Promote(new Nested("while (l < 8)", new List<Code> { new Line("l++;") })), l => l.Contains("InLoop"));
    }

    [Fact]
    public void A_loop_with_a_do_while_loop_inside_is_not_innermost()
    {
        // Found by the random-program tester (seed 8000362): the do-while's footer kept reading the
        // original, so the copy never ended the loop.
        List<string> lines = Promote(Loop("l++;"), new Nested("for (i = 0; i < 4; i++)", new List<Code>
        {
            new Nested("do", new List<Code> { new Line("l++;") }, Footer: "while (l < 3);"),
        }));
        Assert.Equal(new[] { "int lInLoop = l;" }, lines.Where(l => l.Contains("InLoop = ")));
        Assert.Contains("while (l < 3);", lines.Last(l => l.StartsWith("}", System.StringComparison.Ordinal) && l.Length > 1));
    }

    [Fact]
    public void Loops_side_by_side_get_copies_of_their_own()
    {
        List<string> lines = Promote(Loop("l += 4;"), Loop("l++;", "n--;"));
        Assert.Contains("int lInLoop = l;", lines);
        Assert.Contains("int lInLoop_2 = l;", lines);
        Assert.Contains("long nInLoop = n;", lines);
        Assert.Equal("n = nInLoop;", lines[^1]);
    }
}
