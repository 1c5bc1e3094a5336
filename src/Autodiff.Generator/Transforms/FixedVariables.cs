using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// Variables whose value cannot change once set, which the backward pass may therefore read
/// anywhere without their being saved or restored: the lengths of such arrays bound recomputed trip
/// counts (<see cref="TripCounts"/>), and such integers step others back (<c>offset += d</c>).
/// </summary>
internal static class FixedVariables
{
    /// <summary>
    /// Variables assigned at most once, outside any loop, and never passed by ref or out: each holds
    /// one value (names one array) from its declaration on, so the backward pass may read it anywhere
    /// after that without restoring it.
    /// </summary>
    public static HashSet<string> Of(Block body, IEnumerable<ParameterSpec> parameters)
    {
        var assignments = new Dictionary<string, int>();
        var unfixed = new HashSet<string>();
        Count(body, inLoop: false, assignments, unfixed);
        var result = new HashSet<string>();
        var parameterNames = new HashSet<string>();
        foreach (ParameterSpec parameter in parameters)
        {
            parameterNames.Add(parameter.Name);
            if (!assignments.ContainsKey(parameter.Name) && !unfixed.Contains(parameter.Name))
            {
                result.Add(parameter.Name);
            }
        }
        foreach (KeyValuePair<string, int> assigned in assignments)
        {
            // A parameter arrives with a value: one assignment gives it a second (found by the
            // random-program tester, seed 8134220: a0 += atan2(...) then sin(a0), whose later sine
            // served as the partner of a cosine of the first a0).
            if (assigned.Value == 1 && !unfixed.Contains(assigned.Key) && !parameterNames.Contains(assigned.Key))
            {
                result.Add(assigned.Key);
            }
        }
        return result;
    }

    private static void Count(Block block, bool inLoop, Dictionary<string, int> assignments, HashSet<string> unfixed)
    {
        foreach (Stmt statement in block.Statements)
        {
            if (Walk.AssignedVariable(statement) is { } assigned)
            {
                assignments[assigned] = assignments.TryGetValue(assigned, out int n) ? n + 1 : 1;
                if (inLoop || statement is ForEach)
                {
                    unfixed.Add(assigned);
                }
            }
            unfixed.UnionWith(Walk.PassedByReference(statement));
            foreach (Block child in Walk.Children(statement))
            {
                Count(child, inLoop || statement is Loop or ForEach, assignments, unfixed);
            }
        }
    }
}
