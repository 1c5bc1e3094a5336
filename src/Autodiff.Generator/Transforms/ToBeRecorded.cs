using System.Collections.Generic;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// The to-be-recorded analysis (Tapenade's TBR, Clad's TBRAnalyzer): which assignments overwrite a
/// value that the backward pass may still read. The reverse sweep gets each variable's values back
/// by restoring, at every saved assignment, the value it overwrote; a restore is needed only when
/// some statement executed between the overwritten value's definition and the assignment reads
/// that value in its backward code. A running sum (<c>s += e</c>) whose backward rule never reads
/// <c>s</c> is then not saved on every iteration, only where a later rule (<c>Math.Log(s)</c>) read it.
/// </summary>
/// <remarks>
/// A forward data-flow over the flat IR: the state is the set of variables whose current value may
/// be read by the backward pass. What a statement's backward code reads is over-approximated by
/// the variables the statement mentions (its operands, its indices, a condition) plus, for a plain
/// assignment or declaration of a computed value, its target (a rule may read its own result, as
/// ExpBackward does); constants, copies and compound <c>+=</c>/<c>-=</c> do not read their target. Over-approximating reads only adds
/// saves, so the analysis is sound whatever a rule reads. Loops iterate to a fixpoint.
/// </remarks>
internal static class ToBeRecorded
{
    /// <summary>The declarations and assignments of whole variables whose overwritten value must be saved.</summary>
    public static HashSet<Stmt> OverwritesToSave(Block body)
    {
        var sites = new HashSet<Stmt>(SameStatement.Instance);
        Flow(body, new HashSet<string>(), sites);
        return sites;
    }

    /// <summary>Runs the block from the state <paramref name="live"/> (updated in place), marking sites.</summary>
    private static void Flow(Block block, HashSet<string> live, HashSet<Stmt> sites)
    {
        foreach (Stmt statement in block.Statements)
        {
            switch (statement)
            {
                case Declare s:
                    Define(s, s.Variable.Name, s.Initializer, MayReadOwnResult(s.Initializer), live, sites);
                    break;
                case Assign { Target: Local target } s:
                    Define(s, target.Name, s.Value, s.Kind == AssignKind.Set && MayReadOwnResult(s.Value), live, sites);
                    break;
                case If s:
                    Read(s.Condition, live);
                    var otherwise = new HashSet<string>(live);
                    Flow(s.Then, live, sites);
                    Flow(s.Else, otherwise, sites);
                    live.UnionWith(otherwise);
                    break;
                case Loop s:
                    Flow(s.Initializer, live, sites);
                    Repeat(live, sites, s.Condition, s.Body, s.Step);
                    break;
                case ForEach s:
                    Read(s.Collection, live);
                    live.Add(s.Variable.Name); // each element is a new value of the variable: keep it conservatively
                    Repeat(live, sites, null, s.Body, Block.Empty);
                    break;
                default:
                    // Element writes, calls for their effects, returns, throws: reads only. (An array
                    // element's save is decided per array elsewhere; a variable written through
                    // ref or out stays live, which can only add saves.)
                    foreach (Expr expression in Walk.OwnExpressions(statement))
                    {
                        Read(expression, live);
                    }
                    break;
            }
        }
    }

    /// <summary>A loop's body and step, from the head, until the state at the head stops growing.</summary>
    private static void Repeat(HashSet<string> live, HashSet<Stmt> sites, Expr? condition, Block body, Block step)
    {
        while (true)
        {
            if (condition is not null)
            {
                Read(condition, live);
            }
            var around = new HashSet<string>(live);
            Flow(body, around, sites);
            Flow(step, around, sites);
            if (live.IsSupersetOf(around))
            {
                return;
            }
            live.UnionWith(around);
        }
    }

    /// <summary>
    /// An assignment of the whole variable: saved when the value it overwrites may be read, by an
    /// earlier statement's backward code or by its own (<c>x = x * y</c> reads the old x).
    /// </summary>
    private static void Define(Stmt site, string variable, Expr? value, bool readsOwnResult, HashSet<string> live, HashSet<Stmt> sites)
    {
        var reads = new HashSet<string>();
        if (value is not null)
        {
            Read(value, reads);
        }
        if (live.Contains(variable) || reads.Contains(variable))
        {
            sites.Add(site);
        }
        reads.Remove(variable); // that read is of the old value, accounted for by the save
        live.Remove(variable);
        live.UnionWith(reads);
        if (readsOwnResult)
        {
            live.Add(variable);
        }
    }

    /// <summary>
    /// Whether the backward rule of <c>x = value</c> may read x afterwards (ExpBackward reads exp's
    /// result). A constant or a copy has no rule that reads anything; anything else may.
    /// </summary>
    private static bool MayReadOwnResult(Expr? value) => value is not (null or Literal or Local or Element or ArrayLength);

    private static void Read(Expr expression, HashSet<string> live)
    {
        foreach (Expr e in Walk.Expressions(expression))
        {
            if (e is Local local)
            {
                live.Add(local.Name);
            }
        }
    }
}
