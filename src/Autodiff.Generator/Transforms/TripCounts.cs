using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// Loops whose number of iterations the backward pass can compute again instead of counting and
/// saving it: <c>for (int i = start; i &lt; end; i += c)</c> that only its condition ends (no break
/// or return lowered into it), with start and end computed from integers the loop does not change
/// (parameters, lengths of arrays the method never rebinds, enclosing indices:
/// <c>for (j = i + 1; j &lt; d; j++)</c>). Then the
/// count is <c>max(0, ceil((end - start) / c))</c>, evaluated where the backward pass reaches the
/// loop, when those integers hold their values from the loop's start again (the backward pass reads
/// them there, so the to-be-recorded analysis keeps them restored).
/// </summary>
internal static class TripCounts
{
    /// <summary>The bound the index is compared with, when the trip count can be recomputed; otherwise null.</summary>
    /// <param name="fixedArrays">Variables that hold one value for the whole method (<see cref="FixedVariables.Of"/>):
    /// their lengths are the same wherever the backward pass reads them.</param>
    public static Expr? RecomputableBound(Loop loop, ISet<string> fixedArrays)
    {
        if (loop.Counted is not { } counted || loop.TestAfterBody
            || loop.Condition is not Binary { Left: Local index } condition || index.Name != counted.Index.Name
            || loop.Step.Statements.Count != 1 || loop.Step.Statements[0] is not Assign { Target: Local stepped } || stepped.Name != index.Name)
        {
            return null; // a break or return made the condition or step more than the counted form
        }
        bool upwards = counted.Step > 0 && condition.Op is BinaryOp.Less or BinaryOp.LessOrEqual;
        bool downwards = counted.Step < 0 && condition.Op is BinaryOp.Greater or BinaryOp.GreaterOrEqual;
        if (!upwards && !downwards)
        {
            return null;
        }
        var changed = new HashSet<string>(ChangedIn(loop));
        return IsIntegerArithmetic(counted.Start, changed, fixedArrays) && IsIntegerArithmetic(condition.Right, changed, fixedArrays) ? condition.Right : null;
    }

    /// <summary>
    /// The trip count of a counted loop whose start and bound are integer literals and whose body
    /// leaves the index alone (<c>for (int i = 0; i &lt; 3; i++)</c>): known when the code is
    /// generated. Otherwise null.
    /// </summary>
    public static int? Constant(Loop loop)
    {
        if (RecomputableBound(loop, new HashSet<string>()) is not Literal bound || loop.Counted is not { Start: Literal start } counted
            || loop.Condition is not Binary condition || Walk.Assigns(loop.Body, counted.Index.Name)
            || !long.TryParse(start.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long first)
            || !long.TryParse(bound.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long last))
        {
            return null;
        }
        long trips = Between(first, last, condition.Op, counted.Step);
        return trips <= int.MaxValue ? (int)trips : null;
    }

    /// <summary>How many times <c>for (i = start; i op bound; i += step)</c> runs, from its literal start and bound.</summary>
    public static long Between(long start, long bound, BinaryOp op, int step)
    {
        long span = op switch
        {
            BinaryOp.Less => bound - start,
            BinaryOp.LessOrEqual => bound - start + 1,
            BinaryOp.Greater => start - bound,
            _ => start - bound + 1,
        };
        long stride = System.Math.Abs((long)step);
        return span <= 0 ? 0 : (span + stride - 1) / stride;
    }

    /// <summary>
    /// The integer variables a bound reads (not the arrays whose lengths it takes): the backward pass
    /// reads them where it recomputes the count, so they must hold their values from there.
    /// </summary>
    public static IEnumerable<Local> IntegersRead(Expr bound) => bound switch
    {
        Local local => new[] { local },
        Binary binary => IntegersRead(binary.Left).Concat(IntegersRead(binary.Right)),
        Unary unary => IntegersRead(unary.Operand),
        _ => Enumerable.Empty<Local>(),
    };

    /// <summary>Variables the loop may change: assigned anywhere in it, or passed by ref or out.</summary>
    public static IEnumerable<string> ChangedIn(Loop loop) => Walk.Children(loop).SelectMany(Walk.Statements).SelectMany(Walk.Changed);

    /// <summary>Integer constants, unchanged integer variables, lengths of unchanged arrays, and + - * of them.</summary>
    private static bool IsIntegerArithmetic(Expr expression, HashSet<string> changed, ISet<string> fixedArrays) => expression switch
    {
        Literal literal => literal.Type == TypeRef.Int,
        Local local => local.Type == TypeRef.Int && !changed.Contains(local.Name),
        ArrayLength length => fixedArrays.Contains(length.Array.Name),
        Binary { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply } binary =>
            binary.Type == TypeRef.Int && IsIntegerArithmetic(binary.Left, changed, fixedArrays) && IsIntegerArithmetic(binary.Right, changed, fixedArrays),
        Unary { Op: UnaryOp.Negate } unary => unary.Type == TypeRef.Int && IsIntegerArithmetic(unary.Operand, changed, fixedArrays),
        _ => false,
    };
}
