using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// A loop whose backward pass runs under binomial checkpointing (<c>[LoopCheckpoints(n)]</c>): its
/// state, the copies to keep of it, and what its iterations read.
/// </summary>
/// <param name="Snapshots">How many copies of the state to keep at most.</param>
/// <param name="Scalars">Variables declared before the loop that it assigns: copied by value.</param>
/// <param name="Arrays">Arrays declared before the loop whose elements it writes (itself or through a callee): copied element by element.</param>
/// <param name="Reads">Every variable the loop reads. Iterations run again in the backward pass, so
/// these must hold there what they held in the loop: the save plan treats them as read after it.</param>
internal sealed record CheckpointedLoop(int Snapshots, EquatableArray<Local> Scalars, EquatableArray<Local> Arrays, EquatableArray<string> Reads);

/// <summary>
/// Which of a method's top-level loops are checkpointed, and with what state; ADIFF022 names each
/// loop that cannot be and why. A loop can be when running an iteration again from a copy of its
/// state gives what the first run gave: its trip count is known when it starts, it changes nothing
/// a copy cannot hold (tensors, fields, arrays it reallocates), and it calls only what has no effect
/// beyond its result (rules and [Differentiable] methods).
/// </summary>
internal static class LoopCheckpointing
{
    public static Dictionary<Stmt, CheckpointedLoop> Plan(MethodSpec spec, Block body, RuleSet rules, ArrayWrites writes, List<DiagnosticInfo> diagnostics)
    {
        var plan = new Dictionary<Stmt, CheckpointedLoop>(SameStatement.Instance);
        if (spec.LoopSnapshots is not int snapshots)
        {
            return plan;
        }
        if (snapshots < 1)
        {
            Report(diagnostics, spec, spec.Span, "its loops", "it needs at least one copy of a loop's state (the one at its start); write [LoopCheckpoints(1)] or more");
            return plan;
        }
        List<Loop> loops = body.Statements.OfType<Loop>().ToList();
        if (loops.Count == 0)
        {
            Report(diagnostics, spec, spec.Span, "any loop", "the method has no loop at its top level (loops inside an if or another loop are not checkpointed)");
            return plan;
        }
        HashSet<string> fixedVariables = FixedVariables.Of(body, spec.Inputs());
        foreach (Loop loop in loops)
        {
            string? refusal = Refusal(loop, fixedVariables, rules);
            if (refusal is not null)
            {
                Report(diagnostics, spec, loop.Span, "the loop at line " + (loop.Span.StartLine + 1), refusal);
                continue;
            }
            CheckpointedLoop state = State(loop, snapshots, writes);
            if (WorthCopying(loop, state))
            {
                plan[loop] = state;
            }
        }
        return plan;
    }

    /// <summary>
    /// Whether copies of the state can cost less than what the iterations save. An iteration that
    /// writes array elements but runs no inner loop or [Differentiable] call saves a few values (a
    /// loop filling an array, a trajectory x[t] = f(x[t − 1])), while each copy of its state holds
    /// whole arrays: such a loop keeps every iteration, as without the attribute.
    /// </summary>
    private static bool WorthCopying(Loop loop, CheckpointedLoop state) =>
        state.Arrays.Count == 0
        || Walk.Statements(loop.Body).Any(s => s is Loop or ForEach
            || Walk.OwnExpressions(s).SelectMany(Walk.Expressions).Any(e => e is Invocation { Callee.Pullback: not null }));

    private static void Report(List<DiagnosticInfo> diagnostics, MethodSpec spec, SourceSpan span, string what, string why) =>
        diagnostics.Add(DiagnosticInfo.Create(Diagnostics.DiagnosticDescriptors.LoopNotCheckpointed.Id, span, spec.Name, what, why));

    /// <summary>Why running the loop's iterations again from a copy of its state might not repeat them exactly, or null.</summary>
    private static string? Refusal(Loop loop, HashSet<string> fixedVariables, RuleSet rules)
    {
        if (loop.Counted is not { } counted || loop.TestAfterBody || TripCounts.RecomputableBound(loop, fixedVariables) is null)
        {
            return "its trip count is not known when it starts (it needs a for loop over an index whose bound the loop does not change)";
        }
        if (loop.Initializer.Statements.Count != 1 || loop.Step.Statements.Count != 1)
        {
            return "its header does more than count its index";
        }
        HashSet<string> inside = DeclaredInside(loop);
        foreach (Stmt statement in Walk.Statements(loop.Body))
        {
            switch (statement)
            {
                case Evaluate s:
                    return "it evaluates '" + s.Source.TrimEnd(';') + "' for its effects, which running iterations again would repeat";
                case Assign { Target: not (Local or Element) } s:
                    return "it assigns a field or property ('" + s.Source.TrimEnd(';') + "'), which a copy of the loop's state does not hold";
                case Declare { Variable.Type.IsArray: true, Initializer: { } value } s when value is not NewArray:
                    return "it gives the array '" + s.Variable.Name + "' the name of another array, whose writes a copy of the loop's state would miss";
            }
            if (Walk.AssignedVariable(statement) is { } assigned && !inside.Contains(assigned) && statement is not Declare)
            {
                TypeRef type = statement is Assign { Target: Local target } ? target.Type : TypeRef.Double;
                if (type.IsTensor)
                {
                    return "it changes the tensor '" + assigned + "' (checkpointing loops over tensors is not supported yet)";
                }
                if (type.IsArray || type.Kind == ValueKind.Other)
                {
                    return "it assigns '" + assigned + "' itself (an array or object), which a copy of the loop's state cannot hold by value; write into its elements instead";
                }
            }
            foreach (Expr expression in Walk.OwnExpressions(statement).SelectMany(Walk.Expressions))
            {
                switch (expression)
                {
                    case Invocation call when rules.Resolve(call.Callee) is null && !(call.Callee.Pullback is not null && call.Receiver is null):
                        return "it calls '" + call.Callee.Display + "', which may have effects that running iterations again would repeat (only derivative rules and static [Differentiable] methods are run again)";
                    case Opaque { Construct: "object creation" }:
                        return "it creates objects, which running iterations again would create again";
                }
            }
        }
        return null;
    }

    private static HashSet<string> DeclaredInside(Loop loop) =>
        new(Walk.Statements(loop.Initializer).Concat(Walk.Statements(loop.Body)).OfType<Declare>().Select(d => d.Variable.Name));

    private static CheckpointedLoop State(Loop loop, int snapshots, ArrayWrites writes)
    {
        HashSet<string> inside = DeclaredInside(loop);
        var scalars = new List<Local>();
        var arrays = new List<Local>();
        var reads = new List<string>();
        void Add(List<Local> list, Local variable)
        {
            if (!inside.Contains(variable.Name) && list.All(v => v.Name != variable.Name))
            {
                list.Add(variable);
            }
        }
        foreach (Stmt statement in Walk.Statements(loop.Body))
        {
            switch (statement)
            {
                case Assign { Target: Local target }:
                    Add(scalars, target);
                    break;
                case Assign { Target: Element element }:
                    Add(arrays, element.Array);
                    break;
            }
            foreach (Expr expression in Walk.OwnExpressions(statement).SelectMany(Walk.Expressions))
            {
                if (expression is Invocation call)
                {
                    foreach ((int _, Local array) in writes.WrittenBy(call))
                    {
                        Add(arrays, array);
                    }
                    foreach (Argument argument in call.Arguments.Where(a => a.Kind is RefMode.Ref or RefMode.Out))
                    {
                        if (argument.Value is Local local)
                        {
                            Add(scalars, local);
                        }
                        else if (argument.Value is Element element)
                        {
                            Add(arrays, element.Array);
                        }
                    }
                }
            }
        }
        IEnumerable<Stmt> all = new Stmt[] { loop }.Concat(Walk.Statements(loop.Initializer)).Concat(Walk.Statements(loop.Body)).Concat(Walk.Statements(loop.Step));
        foreach (Stmt statement in all)
        {
            foreach (Expr expression in Walk.OwnExpressions(statement).SelectMany(Walk.Expressions))
            {
                if (expression is Local local && !reads.Contains(local.Name))
                {
                    reads.Add(local.Name);
                }
            }
        }
        return new CheckpointedLoop(snapshots, scalars.ToEquatableArray(), arrays.ToEquatableArray(), reads.ToEquatableArray());
    }
}
