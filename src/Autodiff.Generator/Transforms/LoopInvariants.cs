using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// Moves out of a loop the declarations whose value is the same in every iteration: the temporaries
/// flattening makes of <c>x[j] / (1.5 + c * c)</c> or <c>Math.Exp(c) * x[j]</c>, and locals the
/// method declares in a loop from values the loop does not change. Computed once before the loop,
/// such a value is neither computed nor saved on every iteration, its adjoint is summed over the
/// iterations and passed on once (the chain rule's sum over paths), and the loop it leaves may run in
/// lanes (see <c>Emit/VectorLoop</c>).
/// </summary>
/// <remarks>
/// Only values that cannot fail or have effects move: sums, differences and products of scalars the
/// loop does not change, and conversions. No array is read, since a loop that runs no iteration
/// must not start reading one. Divisions and <c>Math</c>/<c>MathF</c> functions move only out of a
/// loop that surely runs (a <c>do</c>, or constant bounds): out of a loop that runs no iteration,
/// their backward rule would run with a zero gradient, and zero times an infinite derivative
/// (<c>Math.Sqrt</c> at 0, a division by 0) is NaN where the method's own loop passes back nothing.
/// The declaration must be the variable's only assignment, at the top level of the loop's body, so
/// it runs in every iteration and nothing reads the variable before it.
/// </remarks>
internal static class LoopInvariants
{
    public static Block Hoist(Block body)
    {
        var assignments = new Dictionary<string, int>();
        foreach (Stmt statement in Walk.Statements(body))
        {
            if (Walk.AssignedVariable(statement) is { } assigned)
            {
                assignments[assigned] = assignments.TryGetValue(assigned, out int count) ? count + 1 : 1;
            }
            foreach (string passed in Walk.PassedByReference(statement))
            {
                assignments[passed] = 2; // a call may assign it any number of times
            }
        }
        return Rewrite(body, assignments);
    }

    private static Block Rewrite(Block block, Dictionary<string, int> assignments)
    {
        var statements = new List<Stmt>();
        foreach (Stmt statement in block.Statements)
        {
            switch (statement)
            {
                case Loop loop:
                {
                    var inner = loop with { Body = Rewrite(loop.Body, assignments) };
                    var changed = new HashSet<string>(TripCounts.ChangedIn(inner));
                    bool runs = inner.TestAfterBody || TripCounts.Constant(inner) is > 0;
                    var kept = new List<Stmt>();
                    foreach (Stmt candidate in inner.Body.Statements)
                    {
                        if (candidate is Declare { Initializer: { } value, Variable: var variable } && variable.Type.IsScalar
                            && assignments.TryGetValue(variable.Name, out int count) && count == 1 && IsInvariant(value, changed, runs))
                        {
                            statements.Add(candidate);
                            changed.Remove(variable.Name); // what follows may use it as a loop invariant too
                        }
                        else
                        {
                            kept.Add(candidate);
                        }
                    }
                    statements.Add(kept.Count == inner.Body.Statements.Count ? inner : inner with { Body = Blocks.Of(kept) });
                    break;
                }
                case If branch:
                    statements.Add(branch with { Then = Rewrite(branch.Then, assignments), Else = Rewrite(branch.Else, assignments) });
                    break;
                case ForEach each:
                    statements.Add(each with { Body = Rewrite(each.Body, assignments) });
                    break;
                default:
                    statements.Add(statement);
                    break;
            }
        }
        return Blocks.Of(statements);
    }

    /// <summary>The same value in every iteration, computed without effects and without any way to fail.</summary>
    /// <param name="runs">The loop surely runs: divisions and functions may move too.</param>
    private static bool IsInvariant(Expr expression, HashSet<string> changed, bool runs) => expression switch
    {
        Literal => true,
        Local local => !changed.Contains(local.Name) && (local.Type.IsScalar || local.Type == TypeRef.Int),
        Binary { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply } binary => IsInvariant(binary.Left, changed, runs) && IsInvariant(binary.Right, changed, runs),
        Binary { Op: BinaryOp.Divide } binary => runs && binary.Type.IsScalar && IsInvariant(binary.Left, changed, runs) && IsInvariant(binary.Right, changed, runs),
        Unary { Op: UnaryOp.Negate or UnaryOp.Plus } unary => IsInvariant(unary.Operand, changed, runs),
        Cast cast => (cast.Type.IsScalar || cast.Type == TypeRef.Int) && IsInvariant(cast.Operand, changed, runs),
        Invocation { Receiver: null } call => runs && IsTotalMathFunction(call)
            && call.Arguments.All(a => a.Kind == RefMode.Value && a.Value.Type.IsScalar && IsInvariant(a.Value, changed, runs)),
        _ => false,
    };

    // Math functions of floating-point arguments that return a value for every argument (Math.Sign
    // throws on NaN, Math.Round(x, digits) and Math.Clamp on bad arguments: they stay in the loop).
    private static readonly HashSet<string> TotalFunctions = new()
    {
        "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Tanh", "Asinh", "Acosh", "Atanh",
        "Exp", "Log", "Log10", "Log2", "Sqrt", "Cbrt", "Abs", "Floor", "Ceiling", "Truncate",
        "Max", "Min", "Pow", "Atan2", "FusedMultiplyAdd",
    };

    private static bool IsTotalMathFunction(Invocation call)
    {
        string printed = call.Callee.Printed;
        string? name = printed.StartsWith("global::System.Math.", System.StringComparison.Ordinal) ? printed.Substring("global::System.Math.".Length)
            : printed.StartsWith("global::System.MathF.", System.StringComparison.Ordinal) ? printed.Substring("global::System.MathF.".Length)
            : null;
        return call.Callee.Pullback is null && name is not null && TotalFunctions.Contains(name) && call.Type.IsScalar
            && (name != "Log" || call.Arguments.Count <= 2);
    }
}
