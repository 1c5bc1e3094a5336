using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// Loops that give every element of an array a new value: <c>for (int i = 0; i &lt; n; i++) a[i] = e;</c>
/// where <c>a</c> was allocated as <c>new double[n]</c> (or the bound is <c>a.Length</c>) and names that
/// one array for the whole method. After such a loop no element holds a value from before it, so
/// the to-be-recorded analysis knows that later writes to <c>a</c> overwrite nothing the backward
/// pass reads until <c>a</c> is read again (a scratch array refilled for every point).
/// </summary>
internal static class WholeArrayWrites
{
    /// <summary>The sizes fixed arrays were allocated with (<c>double[] a = new double[n]</c>).</summary>
    public static Dictionary<string, Expr> AllocatedSizes(Block body, ISet<string> fixedVariables)
    {
        var sizes = new Dictionary<string, Expr>();
        foreach (Stmt statement in Walk.Statements(body))
        {
            (string? name, Expr? value) = statement switch
            {
                Declare s => (s.Variable.Name, s.Initializer),
                Assign { Target: Local target, Kind: AssignKind.Set } s => (target.Name, s.Value),
                _ => (null, null),
            };
            if (name is not null && value is NewArray allocation && fixedVariables.Contains(name))
            {
                sizes[name] = allocation.Size;
            }
        }
        return sizes;
    }

    /// <summary>The array whose every element the loop assigns, or null.</summary>
    public static string? RewrittenArray(Loop loop, ISet<string> fixedVariables, IReadOnlyDictionary<string, Expr> allocatedSizes)
    {
        if (loop.Counted is not { Start: Literal { Text: "0" }, Step: 1 } counted
            || TripCounts.RecomputableBound(loop, fixedVariables) is not { } bound
            || loop.Condition is not Binary { Op: BinaryOp.Less })
        {
            return null;
        }
        var writes = loop.Body.Statements
            .OfType<Assign>()
            .Where(a => a.Kind == AssignKind.Set && a.Target is Element { Index: Local index } && index.Name == counted.Index.Name)
            .ToList();
        if (writes.Count != 1 || writes[0].Target is not Element { Array: var array })
        {
            return null;
        }
        bool coversArray = bound is ArrayLength length && length.Array.Name == array.Name
            || allocatedSizes.TryGetValue(array.Name, out Expr? size) && size.Equals(bound)
                && Walk.Expressions(bound).OfType<Local>().All(l => fixedVariables.Contains(l.Name));
        if (!coversArray || !fixedVariables.Contains(array.Name))
        {
            return null;
        }
        // The one write is the only thing in the body that touches the array, and it runs on every
        // iteration: a plain statement of the body itself, beside declarations and assignments of locals.
        foreach (Stmt statement in loop.Body.Statements)
        {
            if (ReferenceEquals(statement, writes[0]))
            {
                if (Walk.Reads(writes[0].Value, array.Name))
                {
                    return null;
                }
                continue;
            }
            if (statement is not (Declare or Assign { Target: Local }) || Walk.OwnExpressions(statement).Any(e => Walk.Reads(e, array.Name)))
            {
                return null;
            }
        }
        return array.Name;
    }
}
