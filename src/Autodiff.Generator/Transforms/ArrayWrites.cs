using System.Collections.Generic;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// Which calls write into the arrays they are given: calls of <c>[Differentiable]</c> methods through
/// their generated pullbacks, for the parameters that <see cref="CallGraph.WrittenArrays"/> found
/// written. Such a call assigns the array as much as <c>v[i] = ...</c> does: activity follows it,
/// and the sweeps keep the array's contents from before the call for the pullback.
/// </summary>
internal sealed class ArrayWrites
{
    private readonly HashSet<string> _written;
    private readonly RuleSet _rules;

    public ArrayWrites(HashSet<string> written, RuleSet rules)
    {
        _written = written;
        _rules = rules;
    }

    /// <summary>The array variables the call writes into, with their argument positions.</summary>
    public IEnumerable<(int Index, Local Array)> WrittenBy(Invocation call)
    {
        if (_written.Count == 0 || !_rules.UsesGeneratedPullback(call.Callee))
        {
            yield break;
        }
        for (int i = 0; i < call.Arguments.Count; i++)
        {
            if (call.Arguments[i].Value is Local { Type.IsArray: true } array && _written.Contains(CallGraph.Written(call.Callee.RuleKey, i)))
            {
                yield return (i, array);
            }
        }
    }

    public bool WritesAny(Invocation call)
    {
        foreach ((int _, Local _) in WrittenBy(call))
        {
            return true;
        }
        return false;
    }
}
