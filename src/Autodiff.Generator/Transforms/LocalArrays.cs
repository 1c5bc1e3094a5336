using System.Collections.Generic;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// The walk <see cref="ScratchLocals"/> and <see cref="PrivateArrays"/> share: of the local arrays a
/// method allocates at its top level, those assigned nowhere but their declaration and whose every
/// use leaves no other reference to them, as the caller's rule for a use says.
/// </summary>
internal static class LocalArrays
{
    /// <param name="isCandidate">Which top-level declarations of a new array to consider.</param>
    /// <param name="staysInside">Whether a use of the array (the local, and the expression it is an operand of) leaves no reference behind.</param>
    public static HashSet<string> ThatStayInside(Block body, System.Func<Declare, bool> isCandidate, System.Func<Local, Expr?, bool> staysInside)
    {
        var candidates = new HashSet<string>();
        foreach (Stmt statement in body.Statements)
        {
            if (statement is Declare { Variable.Type.IsArray: true, Initializer: NewArray } declare && isCandidate(declare))
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
            foreach (Expr expression in Walk.OwnExpressions(statement))
            {
                RemoveEscaping(expression, parent: null, candidates, staysInside);
            }
        }
        // Assigned anywhere but its declaration: the variable names more than one array.
        candidates.RemoveWhere(name => assignments.TryGetValue(name, out int count) && count > 1);
        return candidates;
    }

    private static void RemoveEscaping(Expr expression, Expr? parent, HashSet<string> candidates, System.Func<Local, Expr?, bool> staysInside)
    {
        if (expression is Local local)
        {
            if (candidates.Contains(local.Name) && !staysInside(local, parent))
            {
                candidates.Remove(local.Name);
            }
            return;
        }
        foreach (Expr operand in Walk.Operands(expression))
        {
            RemoveEscaping(operand, expression, candidates, staysInside);
        }
    }
}
