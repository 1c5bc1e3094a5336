using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// Integers that a loop's iteration declares from values that never change and then only steps by
/// constants (the GMM's <c>int lIndex = ik * icfSize + d;</c>, then <c>lIndex++</c> in the triangle
/// <c>for (i ...) for (j = i + 1; j &lt; d; j++)</c>). The backward code of the steps reads the
/// integer (an index) and steps it back; before, the declaration saved the value it overwrote (the
/// previous iteration's last one) so that the backward pass found it again. Now the backward pass,
/// at the start of each iteration it takes back, computes the declaration again and replays the
/// steps to the iteration's end: a whole counted loop of steps is one addition of the step times
/// its trip count (<c>lIndex += 1 * max(0, d - (i + 1))</c>), and only the loops around such loops
/// run (the <c>i</c> loop above: d additions, where the triangle's backward code does d(d-1)/2
/// multiply-adds). When the steps take the integer as far in every iteration (their loops' bounds
/// read no index of the loops around, as the triangle's), they are replayed once before the loop,
/// and each iteration adds that distance to its declaration's value: one addition where the save
/// was a push and a pop. Nothing is saved per iteration (the "values cheap to recompute" of a save plan).
/// </summary>
/// <remarks>
/// <para>Sound because nothing else assigns the integer, nothing passes it by reference, nothing
/// outside the loop's body names it, and what the declaration and the replayed loops' starts and
/// bounds read holds, when the backward pass takes the iteration back, the value it had going
/// forward: variables that hold one value for the whole method, lengths of such arrays, and indices
/// of the counted loops around (which the backward pass runs back down through the same values) and
/// of the replayed loops themselves. Integer addition wraps alike in the forward pass and in the
/// product, so the replay ends exactly where the forward pass did; from there the backward pass
/// steps the integer back as before.</para>
/// <para>A step inside a branch, a loop whose trip count cannot be recomputed, or any other
/// assignment of the integer leaves the declaration saved as before.</para>
/// </remarks>
internal static class ReplayedIntegers
{
    /// <summary>
    /// An integer declared at the top level of a loop's body, and the statements after it in the
    /// body, whose steps the backward pass replays. <paramref name="SameTravel"/>: the replayed
    /// loops' starts, bounds and steps read no index of the loops around, so the steps take the
    /// integer as far in every iteration, and the backward pass replays them once before the loop.
    /// </summary>
    internal sealed record Replay(Declare Declaration, IReadOnlyList<Stmt> After, bool SameTravel);

    /// <summary>The facts about the method the analysis needs, from <see cref="AnalysedMethod"/>.</summary>
    internal sealed record AnalysedFacts(HashSet<string> FixedVariables, System.Func<Loop, Expr?> TripCountBound, System.Func<Stmt, bool> IsCheckpointed);

    /// <summary>For each loop whose iterations declare such integers, the declarations, in program order.</summary>
    public static Dictionary<Stmt, List<Replay>> Of(Block body, AnalysedFacts facts)
    {
        var replays = new Dictionary<Stmt, List<Replay>>(SameStatement.Instance);
        List<Stmt> all = Walk.Statements(body).ToList();
        if (all.OfType<Loop>().Any(loop => facts.IsCheckpointed(loop)))
        {
            // A checkpointed loop's backward pass runs iterations again from copies of its state.
            return replays;
        }
        var byReference = new HashSet<string>(all.SelectMany(Walk.PassedByReference));
        Visit(body, new List<string>(), all, facts, byReference, replays);
        return replays;
    }

    /// <summary>Whether the statement steps the variable by a constant or by a variable that never changes (<c>l++</c>, <c>l -= d</c>).</summary>
    public static bool IsStep(Stmt statement, string variable, ISet<string> fixedVariables) =>
        statement is Assign { Target: Local target, Kind: AssignKind.Add or AssignKind.Subtract, Value: var step }
        && target.Name == variable && step.Type == TypeRef.Int
        && (step is Literal || step is Local by && by.Name != variable && fixedVariables.Contains(by.Name));

    /// <summary>Whether any statement within <paramref name="statement"/> (itself included) may change the variable.</summary>
    public static bool Changes(Stmt statement, string variable) => Walk.Within(statement).Any(s => Walk.Changed(s).Contains(variable));

    private static void Visit(Block block, List<string> counters, List<Stmt> all, AnalysedFacts facts, HashSet<string> byReference,
        Dictionary<Stmt, List<Replay>> replays)
    {
        foreach (Stmt statement in block.Statements)
        {
            if (statement is Loop loop)
            {
                bool counted = loop.Counted is not null;
                if (counted)
                {
                    counters.Add(loop.Counted!.Index.Name);
                }
                var found = new List<Replay>();
                for (int position = 0; position < loop.Body.Statements.Count; position++)
                {
                    if (loop.Body.Statements[position] is Declare declare && Replayable(loop, position, declare, counters, all, facts, byReference) is { } replay)
                    {
                        found.Add(replay);
                    }
                }
                if (found.Count > 0)
                {
                    replays[loop] = found;
                }
                Visit(loop.Body, counters, all, facts, byReference, replays);
                if (counted)
                {
                    counters.RemoveAt(counters.Count - 1);
                }
                continue;
            }
            foreach (Block child in Walk.Children(statement))
            {
                Visit(child, counters, all, facts, byReference, replays);
            }
        }
    }

    private static Replay? Replayable(Loop loop, int position, Declare declare, List<string> counters, List<Stmt> all, AnalysedFacts facts,
        HashSet<string> byReference)
    {
        string variable = declare.Variable.Name;
        if (loop.Counted is null || declare.Variable.Type != TypeRef.Int || declare.Initializer is not { } initial || byReference.Contains(variable)
            || !Unchanging(initial, counters, facts, byReference))
        {
            return null;
        }
        List<Stmt> after = loop.Body.Statements.Skip(position + 1).ToList();
        var steps = new HashSet<Stmt>(SameStatement.Instance);
        if (!CollectSteps(after, variable, new List<string>(counters), facts, byReference, steps))
        {
            return null;
        }
        // Nothing else assigns it, and nothing outside the loop's body names it.
        var inBody = new HashSet<Stmt>(Walk.Statements(loop.Body), SameStatement.Instance);
        foreach (Stmt statement in all)
        {
            if (ReferenceEquals(statement, declare) || steps.Contains(statement))
            {
                continue;
            }
            if (Walk.Changed(statement).Contains(variable)
                || (!inBody.Contains(statement) && Walk.OwnExpressions(statement).Any(e => Walk.Reads(e, variable))))
            {
                return null;
            }
        }
        bool sameTravel = CollectSteps(after, variable, new List<string>(), facts, byReference, new HashSet<Stmt>(SameStatement.Instance));
        return new Replay(declare, after, sameTravel);
    }

    /// <summary>
    /// The steps of the variable among the statements, at their top level or in counted loops (and
    /// loops of such loops) whose trip counts the backward pass can recompute from unchanging
    /// values; false when the variable changes any other way.
    /// </summary>
    private static bool CollectSteps(IEnumerable<Stmt> statements, string variable, List<string> counters, AnalysedFacts facts,
        HashSet<string> byReference, HashSet<Stmt> steps)
    {
        foreach (Stmt statement in statements)
        {
            if (IsStep(statement, variable, facts.FixedVariables))
            {
                steps.Add(statement);
                continue;
            }
            if (!Changes(statement, variable))
            {
                continue;
            }
            if (statement is not Loop { Counted: { } counted } loop || facts.TripCountBound(loop) is not { } bound
                || byReference.Contains(counted.Index.Name)
                || loop.Initializer.Statements.Concat(loop.Step.Statements).Any(s => Changes(s, variable)))
            {
                return false;
            }
            counters.Add(counted.Index.Name);
            bool replayable = Unchanging(counted.Start, counters, facts, byReference) && Unchanging(bound, counters, facts, byReference)
                && CollectSteps(loop.Body.Statements, variable, counters, facts, byReference, steps);
            counters.RemoveAt(counters.Count - 1);
            if (!replayable)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Integer arithmetic of literals, variables that never change, lengths of such arrays and the given loop indices.</summary>
    private static bool Unchanging(Expr expression, List<string> counters, AnalysedFacts facts, HashSet<string> byReference) => expression switch
    {
        Literal literal => literal.Type == TypeRef.Int,
        Local local => local.Type == TypeRef.Int
            && (facts.FixedVariables.Contains(local.Name) || (counters.Contains(local.Name) && !byReference.Contains(local.Name))),
        ArrayLength length => facts.FixedVariables.Contains(length.Array.Name),
        Binary { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply } binary =>
            binary.Type == TypeRef.Int && Unchanging(binary.Left, counters, facts, byReference) && Unchanging(binary.Right, counters, facts, byReference),
        Unary { Op: UnaryOp.Negate } unary => unary.Type == TypeRef.Int && Unchanging(unary.Operand, counters, facts, byReference),
        _ => false,
    };
}
