using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// The local arrays an entry point may take from a per-thread slot instead of allocating on every
/// call (see <c>ArrayBuffer</c>): each is allocated once, outside loops (<c>double[] s = new
/// double[n];</c>, unless n is a small constant), and no reference to it can outlive the call: it is only indexed, measured, or
/// passed to other [Differentiable] methods (whose generated members keep nothing). Handed to any
/// other method, stored, or aliased, it is allocated as written.
/// </summary>
internal static class PooledArrays
{
    public static HashSet<string> Of(Block body, IReadOnlyCollection<string> fixedVariables)
    {
        var candidates = new HashSet<string>(Walk.Statements(body).OfType<Declare>()
            .Where(d => d.Initializer is NewArray allocation && !IsSmallConstant(allocation.Size) && d.Variable.Type.IsArray && d.Variable.Type.Element.IsScalar && fixedVariables.Contains(d.Variable.Name))
            .Select(d => d.Variable.Name));
        if (candidates.Count == 0)
        {
            return candidates;
        }
        foreach (Stmt statement in Walk.Statements(body))
        {
            foreach (Expr expression in Walk.OwnExpressions(statement))
            {
                Escapes(expression, candidates);
            }
        }
        return candidates;
    }

    /// <summary>
    /// A constant size up to 64 elements: allocating such an array (a pointer bump) costs less than
    /// fetching a per-thread one (about 20 ns a take and give), which matters in small functions
    /// (bundle adjustment's <c>new double[3]</c>).
    /// </summary>
    private static bool IsSmallConstant(Expr size) =>
        size is Literal { Text: var text } && int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int n) && n <= 64;

    /// <summary>Removes from the candidates every array the expression lets a reference of escape.</summary>
    private static void Escapes(Expr expression, HashSet<string> candidates)
    {
        switch (expression)
        {
            case Element e:
                Escapes(e.Index, candidates);
                return;
            case ArrayLength:
                return;
            case Invocation call when call.Callee.Pullback is not null:
                // Generated members of [Differentiable] methods only read and write the elements.
                if (call.Receiver is not null)
                {
                    Escapes(call.Receiver, candidates);
                }
                foreach (Argument argument in call.Arguments)
                {
                    if (argument.Kind == RefMode.Value && argument.Value is Local)
                    {
                        continue;
                    }
                    Escapes(argument.Value, candidates);
                }
                return;
            case Local local:
                candidates.Remove(local.Name); // anywhere else: aliased, stored, or handed on
                return;
            default:
                foreach (Expr operand in Walk.Operands(expression))
                {
                    Escapes(operand, candidates);
                }
                return;
        }
    }
}
