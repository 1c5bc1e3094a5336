using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// Finds the pure arithmetic that one expression computes more than once (Rosenbrock's
/// <c>(1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)</c>), so that Flattening computes each once,
/// into a temporary, and the backward pass sums the temporary's adjoint once instead of
/// propagating each copy's separately. Only expressions without calls are shared: evaluating them
/// once instead of twice changes nothing but the time (no effects, and the same operations on the
/// same values give the same bits).
/// </summary>
internal static class SharedSubexpressions
{
    /// <summary>The sub-expressions of <paramref name="root"/> worth sharing, outermost (largest) first.</summary>
    public static List<Expr> Repeated(Expr root)
    {
        if (Walk.Expressions(root).Any(e => e is Conditional or Binary { Op: BinaryOp.And or BinaryOp.Or }))
        {
            // A part evaluated only on one side of a choice must not be computed before it:
            // b != 0 ? (a / b) * (a / b) : 0 would divide by zero, and its backward rule make NaN.
            return new List<Expr>();
        }
        var counts = new Dictionary<Expr, int>();
        foreach (Expr e in Walk.Expressions(root))
        {
            if (IsWorthSharing(e))
            {
                counts[e] = counts.TryGetValue(e, out int n) ? n + 1 : 1;
            }
        }
        return counts.Where(c => c.Value > 1).Select(c => c.Key).OrderByDescending(Size).ToList();
    }

    /// <summary>How many times <paramref name="part"/> occurs in <paramref name="root"/>.</summary>
    public static int Occurrences(Expr root, Expr part) => Walk.Expressions(root).Count(e => e.Equals(part));

    /// <summary><paramref name="root"/> with every occurrence of <paramref name="part"/> replaced by <paramref name="by"/>.</summary>
    public static Expr Replace(Expr root, Expr part, Expr by)
    {
        if (root.Equals(part))
        {
            return by;
        }
        return root switch
        {
            Element e => e with { Index = Replace(e.Index, part, by) },
            Unary e => e with { Operand = Replace(e.Operand, part, by) },
            Binary e => e with { Left = Replace(e.Left, part, by), Right = Replace(e.Right, part, by) },
            Conditional e => e with { Condition = Replace(e.Condition, part, by), WhenTrue = Replace(e.WhenTrue, part, by), WhenFalse = Replace(e.WhenFalse, part, by) },
            Cast e => e with { Operand = Replace(e.Operand, part, by) },
            StopGradient e => e with { Operand = Replace(e.Operand, part, by) },
            NewArray e => e with { Size = Replace(e.Size, part, by) },
            Invocation e => e with
            {
                Receiver = e.Receiver is null ? null : Replace(e.Receiver, part, by),
                Arguments = e.Arguments.Select(a => a with { Value = Replace(a.Value, part, by) }).ToEquatableArray(),
            },
            Opaque e => e with { Holes = e.Holes.Select(h => Replace(h, part, by)).ToEquatableArray() },
            _ => root,
        };
    }

    /// <summary>Arithmetic with at least one operator and no calls: a product, a difference, a negated sum.</summary>
    private static bool IsWorthSharing(Expr e) =>
        e is Binary { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide }
            or Unary { Op: UnaryOp.Negate, Operand: Binary }
        && e.Type.IsScalar
        && Flattening.IsPure(e);

    private static int Size(Expr e) => Walk.Expressions(e).Count();
}
