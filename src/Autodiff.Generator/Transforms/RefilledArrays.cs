using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// Scratch arrays that a loop refills at the top of every iteration from values that never change
/// (<c>for (id = 0; id &lt; d; id++) xCentered[id] = x[ix * d + id] - means[ik * d + id];</c> as the first
/// use of <c>xCentered</c> in each iteration of the <c>ik</c> loop). The backward pass fills such an
/// array again at the start of each iteration it takes back, instead of the forward pass saving every
/// element it overwrites and the backward pass restoring them: recomputing the fill costs what the
/// restore did, and the save, its storage and its memory traffic are gone (the "values cheap to
/// rebuild" of a save plan; Tapenade recomputes such values too).
/// </summary>
/// <remarks>
/// <para>Sound because in every iteration the fill writes the same elements (its bounds never change),
/// nothing else writes the array, nothing reads it before the fill in the iteration or outside the
/// loop, and what the fill reads has, when the backward pass takes the iteration back, the value it
/// had when the forward pass ran it: variables that hold one value for the whole method, arrays no
/// statement writes, and the indices of the counted loops around the fill, which the backward pass
/// runs back down through the same values.</para>
/// <para>So at every point of an iteration's backward code the array holds that iteration's values, as
/// it did at the matching point of the forward pass, which is all the restoring guaranteed.</para>
/// </remarks>
internal static class RefilledArrays
{
    /// <summary>For each loop whose iterations begin by refilling a scratch array, the fill loops, in program order.</summary>
    public static Dictionary<Stmt, List<Loop>> Of(Block body, AnalysedFacts facts)
    {
        var refills = new Dictionary<Stmt, List<Loop>>(SameStatement.Instance);
        List<Stmt> all = Walk.Statements(body).ToList();
        if (all.OfType<Loop>().Any(loop => facts.IsCheckpointed(loop)))
        {
            // A checkpointed loop's backward pass runs iterations again from copies of its state.
            return refills;
        }
        var byReference = new HashSet<string>(all.SelectMany(Walk.PassedByReference));
        var elementWritten = new HashSet<string>(all.OfType<Assign>().Select(a => a.Target).OfType<Element>().Select(e => e.Array.Name));
        Visit(body, new List<string>(), all, facts, byReference, elementWritten, refills);
        return refills;
    }

    /// <summary>The facts about the method the analysis needs, from <see cref="AnalysedMethod"/>.</summary>
    internal sealed record AnalysedFacts(
        HashSet<string> FixedVariables,
        HashSet<string> PrivateArrays,
        HashSet<string> ParameterNames,
        int WrittenParameters,
        System.Func<Stmt, string?> RewrittenArray,
        System.Func<Stmt, bool> IsCheckpointed);

    private static void Visit(Block block, List<string> counters, List<Stmt> all, AnalysedFacts facts, HashSet<string> byReference,
        HashSet<string> elementWritten, Dictionary<Stmt, List<Loop>> refills)
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
                var fills = new List<Loop>();
                for (int position = 0; position < loop.Body.Statements.Count; position++)
                {
                    if (loop.Body.Statements[position] is Loop fill
                        && IsRefill(loop, position, fill, counters, all, facts, byReference, elementWritten))
                    {
                        fills.Add(fill);
                    }
                }
                if (fills.Count > 0)
                {
                    refills[loop] = fills;
                }
                Visit(loop.Body, counters, all, facts, byReference, elementWritten, refills);
                if (counted)
                {
                    counters.RemoveAt(counters.Count - 1);
                }
                continue;
            }
            foreach (Block child in Walk.Children(statement))
            {
                Visit(child, counters, all, facts, byReference, elementWritten, refills);
            }
        }
    }

    private static bool IsRefill(Loop loop, int position, Loop fill, List<string> counters, List<Stmt> all, AnalysedFacts facts,
        HashSet<string> byReference, HashSet<string> elementWritten)
    {
        if (facts.RewrittenArray(fill) is not { } array || !facts.PrivateArrays.Contains(array) || !facts.FixedVariables.Contains(array)
            || fill.Counted is not { } own || WriteOf(fill) is not { Kind: AssignKind.Set, Target: Element target } write)
        {
            return false;
        }
        // Before the write, the fill's body computes temporaries of its own (one operation per
        // statement, as flattening leaves it): declared there and named nowhere else.
        var body = new HashSet<Stmt>(fill.Body.Statements, SameStatement.Instance);
        HashSet<string> temporaries = TemporariesOf(fill);
        foreach (Stmt statement in fill.Body.Statements.Take(fill.Body.Statements.Count - 1))
        {
            if (statement is not (Declare { Initializer: not null } or Assign { Target: Local }) || !temporaries.Contains(Walk.AssignedVariable(statement)!))
            {
                return false;
            }
        }
        // Only the fill writes the array, and only statements after it in the iteration read its
        // elements (its length never changes: the private array is allocated once).
        var after = new HashSet<Stmt>(Walk.Statements(Blocks.Of(loop.Body.Statements.Skip(position + 1).Concat(loop.Step.Statements))), SameStatement.Instance);
        foreach (Stmt statement in all)
        {
            if (body.Contains(statement) || statement is Declare { Initializer: NewArray } declare && declare.Variable.Name == array)
            {
                continue;
            }
            bool readsElements = Walk.OwnExpressions(statement).SelectMany(Walk.Expressions).Any(e => e is Element element && element.Array.Name == array);
            if (statement is Assign { Target: Element written } && written.Array.Name == array
                || readsElements && !after.Contains(statement)
                || temporaries.Any(t => Walk.AssignedVariable(statement) == t || Walk.OwnExpressions(statement).Any(e => Walk.Reads(e, t))))
            {
                return false;
            }
        }
        // What the fill reads holds, when its iteration is taken back, the value it had going forward.
        IEnumerable<Expr> reads = fill.Body.Statements.SelectMany(statement => statement switch
        {
            Declare declare => new[] { declare.Initializer! },
            Assign assign when ReferenceEquals(assign, write) => new[] { assign.Value, target.Index },
            Assign assign => new[] { assign.Value },
            _ => System.Array.Empty<Expr>(),
        });
        return reads.SelectMany(Walk.Expressions).All(expression => expression switch
        {
            Local local when local.Name == own.Index.Name || temporaries.Contains(local.Name) => true,
            // Arrays no statement writes: the method's own that nothing else can name, or its parameters when nothing writes those either.
            Local { Type.IsArray: true } local => facts.FixedVariables.Contains(local.Name) && !elementWritten.Contains(local.Name)
                && (facts.ParameterNames.Contains(local.Name) ? facts.WrittenParameters == 0 : facts.PrivateArrays.Contains(local.Name)),
            Local local => facts.FixedVariables.Contains(local.Name) || (counters.Contains(local.Name) && !byReference.Contains(local.Name)),
            Literal or Element or Unary or Binary or Cast or ArrayLength => true,
            _ => false, // calls (their cost, their effects) and anything else: saved as before
        });
    }

    /// <summary>What a fill reads that the backward pass must find as it was: every local but the fill's own temporaries and the array it fills.</summary>
    public static IEnumerable<Local> InputsOf(Loop fill)
    {
        HashSet<string> own = TemporariesOf(fill);
        own.Add(((Element)WriteOf(fill)!.Target).Array.Name);
        return fill.Body.Statements.SelectMany(Walk.OwnExpressions).Append(fill.Condition!).SelectMany(Walk.Expressions).OfType<Local>()
            .Where(local => !own.Contains(local.Name));
    }

    private static HashSet<string> TemporariesOf(Loop fill) => new(fill.Body.Statements.OfType<Declare>().Select(d => d.Variable.Name));

    /// <summary>The element assignment a fill loop ends its body with, or null.</summary>
    public static Assign? WriteOf(Loop fill) =>
        fill.Body.Statements.Count > 0 && fill.Body.Statements[fill.Body.Statements.Count - 1] is Assign { Target: Element } write ? write : null;
}
