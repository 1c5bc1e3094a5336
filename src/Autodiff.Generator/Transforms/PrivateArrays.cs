using System.Collections.Generic;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// Local arrays no other variable can name: each is allocated by its declaration in the method's
/// top-level block, never assigned again, and only ever indexed or asked its length, so its
/// reference is never copied, passed or returned. Such an array is a different object from every
/// other array the method sees (parameters included), and so is the adjoint the generated code
/// allocates for it: a loop that writes one may be run several iterations at a time without asking
/// whether another array of the loop is the same one (see <c>Emit/VectorLoop</c>).
/// </summary>
internal static class PrivateArrays
{
    public static HashSet<string> Of(Block body)
    {
        var candidates = new HashSet<string>();
        foreach (Stmt statement in body.Statements)
        {
            if (statement is Declare { Variable.Type.IsArray: true, Initializer: NewArray } declare)
            {
                candidates.Add(declare.Variable.Name);
            }
        }
        if (candidates.Count == 0)
        {
            return candidates;
        }
        var assignments = new Dictionary<string, int>();
        foreach (Stmt statement in Walk.Statements(body))
        {
            if (Walk.AssignedVariable(statement) is { } assigned && candidates.Contains(assigned))
            {
                assignments[assigned] = (assignments.TryGetValue(assigned, out int count) ? count : 0) + 1;
            }
            foreach (string passed in Walk.PassedByReference(statement))
            {
                candidates.Remove(passed);
            }
            foreach (Expr expression in Walk.OwnExpressions(statement))
            {
                RemoveShared(expression, parent: null, candidates);
            }
        }
        candidates.RemoveWhere(name => assignments.TryGetValue(name, out int count) && count > 1);
        return candidates;
    }

    private static void RemoveShared(Expr expression, Expr? parent, HashSet<string> candidates)
    {
        if (expression is Local local)
        {
            bool indexedOrMeasured = parent is Element element ? ReferenceEquals(element.Array, local) : parent is ArrayLength;
            if (!indexedOrMeasured)
            {
                candidates.Remove(local.Name);
            }
            return;
        }
        foreach (Expr operand in Walk.Operands(expression))
        {
            RemoveShared(operand, expression, candidates);
        }
    }
}
