using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// Array elements that a loop reads at one index that does not change while it runs
/// (<c>xCentered[i]</c> in a loop over j). The backward pass adds into such an element's adjoint
/// on every iteration; kept in a local for the loop's duration instead, the additions form a chain
/// in a register rather than a load, an add and a store through memory each time (the JIT cannot
/// do this itself: it does not know that no other store in the loop reaches the same element).
/// </summary>
internal static class InvariantElements
{
    /// <summary>
    /// For each array of <paramref name="candidates"/> that the loop mentions only as <c>a[index]</c>
    /// with one index expression, that element. The index may only read integers the loop does not
    /// assign or pass by reference; the loop must not write the array's elements nor hand the array
    /// or its elements to a call (a pullback would then add into the adjoint array itself).
    /// </summary>
    public static List<Element> Of(Loop loop, IReadOnlyCollection<string> candidates)
    {
        var result = new List<Element>();
        if (candidates.Count == 0)
        {
            return result;
        }
        var statements = new List<Stmt>();
        foreach (Block part in new[] { loop.Initializer, loop.Body, loop.Step })
        {
            statements.AddRange(Walk.Statements(part));
        }
        var expressions = statements.SelectMany(Walk.OwnExpressions).ToList();
        if (loop.Condition is not null)
        {
            expressions.Add(loop.Condition);
        }
        var assigned = new HashSet<string>(statements.Select(Walk.AssignedVariable).OfType<string>());
        assigned.UnionWith(statements.SelectMany(Walk.PassedByReference));
        if (loop.Counted is { } counted)
        {
            assigned.Add(counted.Index.Name);
        }
        var writtenArrays = new HashSet<string>(statements.OfType<Assign>().Select(s => s.Target).OfType<Element>().Select(e => e.Array.Name));
        foreach (string array in candidates)
        {
            if (writtenArrays.Contains(array))
            {
                continue;
            }
            Element? only = null;
            bool invariant = true;
            int mentions = 0;
            int elements = 0;
            foreach (Expr expression in expressions)
            {
                foreach (Expr e in Walk.Expressions(expression))
                {
                    switch (e)
                    {
                        case Local local when local.Name == array:
                            mentions++;
                            break;
                        case Element element when element.Array.Name == array:
                            elements++;
                            only ??= element;
                            invariant &= element.Index == only.Index;
                            break;
                        case Invocation call when call.Arguments.Any(a => Walk.Reads(a.Value, array)):
                            invariant = false;
                            break;
                    }
                }
            }
            if (only is not null && invariant && mentions == elements && IsInvariantIndex(only.Index, assigned))
            {
                result.Add(only);
            }
        }
        return result;
    }

    private static bool IsInvariantIndex(Expr index, HashSet<string> assigned) => index switch
    {
        Literal => true,
        Local local => !assigned.Contains(local.Name),
        Binary { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply } e => IsInvariantIndex(e.Left, assigned) && IsInvariantIndex(e.Right, assigned),
        _ => false,
    };
}
