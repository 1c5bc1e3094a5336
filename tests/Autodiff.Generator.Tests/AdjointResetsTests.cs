using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Emit;
using Autodiff.Generator.Tests.Harness;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// <see cref="AdjointResets"/>: a reset to zero followed by the adjoint's next contribution becomes
/// one assignment; anything between that mentions the adjoint, a contribution that reads it, or one
/// inside a nested block keeps both.
/// </summary>
public class AdjointResetsTests
{
    private static List<string> Fold(params Code[] code) => CodeLines.Of(AdjointResets.Fold(code.ToList()));

    [Fact]
    public void A_reset_and_the_next_contribution_become_one_assignment_in_every_block()
    {
        Assert.Equal(new[] { "for (i = 9; i >= 0; i--) {", "gP = dp;", "p = doubleSaves.Pop();", "dp = gP * r; // MulBackward", "dp -= gP * p; // SubBackward", "}" },
            Fold(new Nested("for (i = 9; i >= 0; i--)", new List<Code>
            {
                new Line("gP = dp;"), new Line("dp = 0.0;"), new Line("p = doubleSaves.Pop();"),
                new Line("dp += gP * r; // MulBackward"), new Line("dp -= gP * p; // SubBackward"),
            })));
        Assert.Equal(new[] { "ds = -(g * x);" }, Fold(new Line("ds = 0f;"), new Line("ds -= g * x;")));
    }

    [Fact]
    public void A_mention_between_a_contribution_that_reads_the_adjoint_or_one_in_a_nested_block_keeps_the_reset()
    {
        Assert.Equal(new[] { "ds = 0.0;", "t = ds * 2.0;", "ds += g;" }, Fold(new Line("ds = 0.0;"), new Line("t = ds * 2.0;"), new Line("ds += g;")));
        Assert.Equal(new[] { "ds = 0.0;", "ds += ds * g;" }, Fold(new Line("ds = 0.0;"), new Line("ds += ds * g;")));
        Assert.Equal(new[] { "ds = 0.0;", "if (branch) {", "ds += g;", "}" },
            Fold(new Line("ds = 0.0;"), new Nested("if (branch)", new List<Code> { new Line("ds += g;") })));
        Assert.Equal(new[] { "dsLanes = 0.0;", "dsLanesX += g;" }, Fold(new Line("dsLanes = 0.0;"), new Line("dsLanesX += g;")));
    }
}
