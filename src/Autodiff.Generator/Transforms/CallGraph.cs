using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// The facts that cross method boundaries, computed over all <c>[Differentiable]</c> methods of the
/// compilation at once from small per-method summaries: which array parameters a method writes
/// (its own writes and those of the methods it passes them to), and which methods end up without a
/// generated gradient because a method they call has none.
/// </summary>
internal static class CallGraph
{
    /// <summary>What a method's body shows of it to the others: the array parameters it writes elements of or hands to other differentiable methods, the static differentiable methods it calls, whether it loops.</summary>
    public static ArrayEffects EffectsOf(MethodSpec method)
    {
        var parameters = method.Parameters.Select((p, i) => (p, i)).Where(x => x.p.Type.IsArray).ToDictionary(x => x.p.Name, x => x.i);
        var writes = new SortedSet<int>();
        var handOffs = new List<ArrayHandOff>();
        var callees = new SortedSet<string>(System.StringComparer.Ordinal);
        var modelCallees = new SortedSet<string>(System.StringComparer.Ordinal);
        bool hasLoops = false;
        foreach (Stmt statement in method.Body is null ? Enumerable.Empty<Stmt>() : Walk.Statements(method.Body))
        {
            hasLoops |= statement is Loop or ForEach;
            if (statement is Assign { Target: Element target } && parameters.TryGetValue(target.Array.Name, out int written))
            {
                writes.Add(written);
            }
            foreach (Expr own in Walk.OwnExpressions(statement))
            {
                foreach (Invocation call in Walk.Expressions(own).OfType<Invocation>().Where(c => c.Callee.Pullback is not null))
                {
                    if (!call.Callee.ModelMethod && call.Receiver is null)
                    {
                        callees.Add(call.Callee.RuleKey);
                    }
                    else if (call.Callee.ModelMethod)
                    {
                        modelCallees.Add(call.Callee.RuleKey);
                    }
                    for (int i = 0; i < call.Arguments.Count; i++)
                    {
                        if (call.Arguments[i].Value is Local local && parameters.TryGetValue(local.Name, out int passed))
                        {
                            handOffs.Add(new ArrayHandOff(passed, call.Callee.RuleKey, i));
                        }
                    }
                }
            }
        }
        return new ArrayEffects(method.Key, writes.ToEquatableArray(), handOffs.ToEquatableArray(), callees.ToEquatableArray(), hasLoops, method.Checkpoint || method.LoopSnapshots is not null,
            modelCallees.ToEquatableArray(), method.ReturnType.IsTensor);
    }

    public static CrossMethodFacts FactsOf(ImmutableArray<ArrayEffects> all) => new(WrittenArrays(all), SplitCallees(all));

    /// <summary>
    /// The methods other methods call in split mode: those with loops or tensor results, or that call
    /// such methods, unless marked [Checkpoint].
    /// Running a straight-line scalar callee again costs about what saving its values would, so it
    /// stays in joint mode (its pullback), and its callers need no residuals; a tensor callee run
    /// again would cost a whole forward pass of a layer (and of every layer inside it, once per
    /// level of nesting), while its residuals are only references to tensors it computed anyway.
    /// </summary>
    public static EquatableArray<string> SplitCallees(ImmutableArray<ArrayEffects> all)
    {
        // A [Checkpoint] method is run again by its callers, like a straight-line one.
        var worth = new HashSet<string>(all.Where(e => (e.HasLoops || e.ReturnsTensor) && !e.Checkpoint).Select(e => e.Key));
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (ArrayEffects effects in all)
            {
                if (!effects.Checkpoint && !worth.Contains(effects.Key) && effects.Callees.Any(worth.Contains))
                {
                    changed |= worth.Add(effects.Key);
                }
            }
        }
        return all.SelectMany(e => e.Callees).Where(worth.Contains).Distinct()
            .OrderBy(k => k, System.StringComparer.Ordinal).ToEquatableArray();
    }

    /// <summary>Every (method, array parameter) that is written, directly or through a chain of calls, as "key#index".</summary>
    public static EquatableArray<string> WrittenArrays(ImmutableArray<ArrayEffects> all)
    {
        var written = new HashSet<string>(all.SelectMany(e => e.Writes.Select(i => Written(e.Key, i))));
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (ArrayEffects effects in all)
            {
                foreach (ArrayHandOff handOff in effects.HandOffs)
                {
                    if (written.Contains(Written(handOff.CalleeKey, handOff.CalleeParameter)))
                    {
                        changed |= written.Add(Written(effects.Key, handOff.Parameter));
                    }
                }
            }
        }
        return written.OrderBy(w => w, System.StringComparer.Ordinal).ToEquatableArray();
    }

    public static string Written(string key, int parameter) => key + "#" + parameter.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The methods whose tangent member is generated: those with a gradient and a tangent of their
    /// own, less (transitively) those whose tangent calls a tangent member that does not exist (a
    /// callee forward mode does not handle, or one compiled elsewhere). Forward mode is an addition:
    /// losing it reports nothing beyond the callee's own ADIFF018.
    /// </summary>
    public static HashSet<string> WithTangents(IEnumerable<MethodOutput> outputs, HashSet<string> failed) =>
        KeptWhileCalleesAre(outputs, o => o.Tangent is not null && !failed.Contains(o.Key), o => o.TangentCalls);

    /// <summary>
    /// The methods whose Hessian-vector product members are generated: those that have them and keep
    /// their tangent member (their tangent program's value, which callers' programs call, is that
    /// member's), less (transitively) those whose tangent program calls a method without its own.
    /// </summary>
    public static HashSet<string> WithHessians(IEnumerable<MethodOutput> outputs, HashSet<string> withTangent) =>
        KeptWhileCalleesAre(outputs, o => o.HessianVector is not null && withTangent.Contains(o.Key), o => o.HessianCalls);

    /// <summary>The methods <paramref name="has"/> says have a member, less (transitively) those whose member calls one of a method that does not keep it.</summary>
    private static HashSet<string> KeptWhileCalleesAre(IEnumerable<MethodOutput> outputs, Func<MethodOutput, bool> has, Func<MethodOutput, EquatableArray<PullbackCall>> calls)
    {
        List<MethodOutput> all = outputs.ToList();
        var with = new HashSet<string>(all.Where(has).Select(o => o.Key));
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (MethodOutput output in all)
            {
                if (with.Contains(output.Key) && calls(output).Any(c => !with.Contains(c.CalleeKey)))
                {
                    with.Remove(output.Key);
                    changed = true;
                }
            }
        }
        return with;
    }

    /// <summary>
    /// The methods whose gradient is generated: those without errors, less (transitively) those whose
    /// generated code would call a pullback that does not exist. Each call into a missing pullback is
    /// reported at the call (ADIFF015), so the user sees why, and no generated file refers to it.
    /// </summary>
    public static (HashSet<string> Failed, Dictionary<string, List<DiagnosticInfo>> CallErrors) PropagateFailures(IEnumerable<MethodOutput> outputs)
    {
        List<MethodOutput> all = outputs.ToList();
        var failed = new HashSet<string>(all.Where(o => o.Members is null).Select(o => o.Key));
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (MethodOutput output in all)
            {
                if (!failed.Contains(output.Key) && output.Calls.Any(c => failed.Contains(c.CalleeKey)))
                {
                    failed.Add(output.Key);
                    changed = true;
                }
            }
        }
        var errors = new Dictionary<string, List<DiagnosticInfo>>();
        foreach (MethodOutput output in all.Where(o => o.Members is not null && failed.Contains(o.Key)))
        {
            errors[output.Key] = output.Calls.Where(c => failed.Contains(c.CalleeKey))
                .GroupBy(c => c.Span).Select(g => g.First())
                .Select(c => DiagnosticInfo.Create(Diagnostics.DiagnosticDescriptors.CalleeNotGenerated.Id, c.Span, c.CalleeDisplay, output.Name))
                .ToList();
        }
        return (failed, errors);
    }
}
