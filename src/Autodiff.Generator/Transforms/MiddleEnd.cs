using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// The generator's middle end, as one stage: from a parsed method to an <see cref="AnalysedMethod"/>
/// (jump lowering, the array-result checks, foreach separation, activity and its diagnostics,
/// flattening, loop invariants moved out of their loops, activity again on the flat body, forward mode's activity, and the facts of each
/// statement and loop). Every mode's emitter starts from its output and adds nothing to it.
/// </summary>
internal static class MiddleEnd
{
    /// <summary>The analysed method, or null when it has errors (reported into <paramref name="diagnostics"/>).</summary>
    /// <param name="writtenArrays">The array parameters of all differentiable methods that those methods write, as <see cref="CallGraph.Written"/> names them.</param>
    public static AnalysedMethod? Analyse(MethodSpec spec, RuleSet rules, HashSet<string> writtenArrays, NameAllocator names, List<DiagnosticInfo> diagnostics)
    {
        int before = diagnostics.Count;
        LoweredMethod lowered = JumpLowering.Lower(spec.Body!, spec.ReturnType, names, diagnostics);
        int beforeResults = diagnostics.Count;
        ArrayResults.Check(spec, spec.Body!, lowered, diagnostics);
        if (diagnostics.Count > beforeResults)
        {
            return null;
        }
        Block body = ForEachVariables.Separate(lowered.Body, names);
        var writes = new ArrayWrites(writtenArrays, rules);
        // What the caller gets back: the result, and the final contents of the arrays it passed in and the method wrote into.
        var outputs = new List<string> { lowered.Result.Name };
        var written = spec.Parameters.Where((p, i) => p.Type.IsArray && writtenArrays.Contains(CallGraph.Written(spec.Key, i))).ToList();
        outputs.AddRange(written.Where(p => p.IsDifferentiable).Select(p => p.Name));
        Activity activity = Activity.Analyze(body, spec.Inputs(), outputs, writes);
        ActivityDiagnostics.Check(body, activity, rules, diagnostics);
        GradientFlow.Check(body, spec.Inputs(), outputs, rules, diagnostics);
        if (diagnostics.Skip(before).Any(d => Diagnostics.DiagnosticDescriptors.Find(d.Id).DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error))
        {
            return null;
        }
        Block flat = LoopInvariants.Hoist(Flattening.Flatten(body, activity, names, writes));
        Activity flatActivity = Activity.Analyze(flat, spec.Inputs(), outputs, writes);
        // Forward mode's own activity: a step function's result is a constant there, so its exact zero
        // tangent is known statically and never multiplies an infinite derivative further on.
        Activity tangentActivity = Activity.Analyze(flat, spec.Inputs(), outputs, writes, call => rules.Resolve(call.Callee) is { IsZero: true });
        Dictionary<Stmt, CheckpointedLoop> checkpointed = LoopCheckpointing.Plan(spec, flat, rules, writes, diagnostics);
        return new AnalysedMethod(spec, flat, lowered.Result, flatActivity, tangentActivity, writes,
            new HashSet<string>(written.Select(p => p.Name)), checkpointed);
    }
}
