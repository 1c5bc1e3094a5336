using System.Collections.Generic;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// The to-be-recorded analysis (Tapenade's TBR, Clad's TBRAnalyzer): which assignments overwrite a
/// value that the backward pass may still read. The reverse sweep gets each variable's values back
/// by restoring, at every saved assignment, the value it overwrote; a restore is needed only when
/// some statement executed between the overwritten value's definition and the assignment reads
/// that value in its backward code. A running sum (<c>s += e</c>) whose backward rule never reads
/// <c>s</c>, or a value used only linearly (<c>0.5 * sqNorm</c>), is then not saved on every
/// iteration, only where a later rule (<c>Math.Log(s)</c>) reads it.
/// </summary>
/// <remarks>
/// A forward data-flow over the flat IR: the state is the set of variables whose current value may
/// be read by the backward pass. What each statement's backward code reads comes from the reverse
/// sweep itself (<c>ReverseSweep.ReadsBySite</c>, built again until it stops growing), so the
/// analysis is exact for the code that is generated; reads that belong to no statement count as
/// reads at the method's start. An assignment that reads its own target (<c>x = x * y</c>) always
/// saves, and a target the statement's backward code reads stays live after it (a rule may read its
/// own result, as ExpBackward does). Loops iterate to a fixpoint; branches join by union.
/// </remarks>
internal static class ToBeRecorded
{
    /// <summary>The assignments (of variables and of array elements) whose overwritten value must be saved.</summary>
    /// <param name="rewrittenArray">The array a loop gives every element a new value, if any (<see cref="WholeArrayWrites"/>).</param>
    /// <param name="rereadAfter">What a loop reads again after it, in the backward pass (a checkpointed loop's iterations, run again), or null.</param>
    /// <param name="isRefill">Whether an element assignment refills a scratch array that the backward pass fills again instead of restoring (<see cref="RefilledArrays"/>).</param>
    public static HashSet<Stmt> OverwritesToSave(Block body, IReadOnlyDictionary<Stmt, HashSet<string>> readsBySite, IEnumerable<string> readsAtStart,
        System.Func<Loop, string?> rewrittenArray, System.Func<Loop, IEnumerable<string>?> rereadAfter, System.Func<Stmt, bool> isRefill)
    {
        var sites = new HashSet<Stmt>(SameStatement.Instance);
        new Analysis(readsBySite, sites, rewrittenArray, rereadAfter, isRefill).Flow(body, new HashSet<string>(readsAtStart));
        return sites;
    }

    private sealed class Analysis
    {
        private static readonly HashSet<string> None = new();
        private readonly IReadOnlyDictionary<Stmt, HashSet<string>> _readsBySite;
        private readonly HashSet<Stmt> _sites;
        private readonly System.Func<Loop, string?> _rewrittenArray;
        private readonly System.Func<Loop, IEnumerable<string>?> _rereadAfter;
        private readonly System.Func<Stmt, bool> _isRefill;

        public Analysis(IReadOnlyDictionary<Stmt, HashSet<string>> readsBySite, HashSet<Stmt> sites, System.Func<Loop, string?> rewrittenArray,
            System.Func<Loop, IEnumerable<string>?> rereadAfter, System.Func<Stmt, bool> isRefill)
        {
            _isRefill = isRefill;
            _readsBySite = readsBySite;
            _sites = sites;
            _rewrittenArray = rewrittenArray;
            _rereadAfter = rereadAfter;
        }

        private HashSet<string> ReadsOf(Stmt statement) => _readsBySite.TryGetValue(statement, out HashSet<string>? reads) ? reads : None;

        /// <summary>Runs the block from the state <paramref name="live"/> (updated in place), marking sites.</summary>
        public void Flow(Block block, HashSet<string> live)
        {
            foreach (Stmt statement in block.Statements)
            {
                switch (statement)
                {
                    case Declare s:
                        Define(s, s.Variable.Name, s.Initializer, live);
                        break;
                    case Assign { Target: Local target } s:
                        Define(s, target.Name, s.Value, live);
                        break;
                    case If s:
                        live.UnionWith(ReadsOf(s));
                        var otherwise = new HashSet<string>(live);
                        Flow(s.Then, live);
                        Flow(s.Else, otherwise);
                        live.UnionWith(otherwise);
                        break;
                    case Assign { Target: Element element } s:
                        // An array is one variable here: writing an element keeps the array live (the
                        // other elements keep their values), and the write saves while it is live,
                        // unless the backward pass fills the array again instead.
                        string array = element.Array.Name;
                        if (!_isRefill(s) && (live.Contains(array) || Walk.Reads(s.Value, array) || Walk.Reads(element.Index, array)))
                        {
                            _sites.Add(s);
                        }
                        live.UnionWith(ReadsOf(s));
                        break;
                    case Loop s:
                        live.UnionWith(ReadsOf(s));
                        Flow(s.Initializer, live);
                        Repeat(s, live, s.Body, s.Step);
                        if (_rewrittenArray(s) is { } rewritten && !ReadInside(s, rewritten))
                        {
                            // Every element holds a value from the loop now, and no backward rule of
                            // the loop reads those values (a rule that reads its own result, such as
                            // Cbrt's, would: then a later write must still save).
                            live.Remove(rewritten);
                        }
                        if (_rereadAfter(s) is { } reread)
                        {
                            // Run again by the backward pass: what the loop reads must still be there.
                            live.UnionWith(reread);
                        }
                        break;
                    case ForEach s:
                        live.UnionWith(ReadsOf(s));
                        live.Add(s.Variable.Name); // each element is a new value of the variable: keep it conservatively
                        Repeat(s, live, s.Body, Block.Empty);
                        break;
                    default:
                        // Calls for their effects, returns: reads only. (A variable or array written
                        // through ref, out or a helper stays live, which can only add saves.)
                        live.UnionWith(ReadsOf(statement));
                        break;
                }
            }
        }

        /// <summary>Whether the backward code of the loop or of any statement in it reads the array.</summary>
        private bool ReadInside(Loop loop, string array)
        {
            if (ReadsOf(loop).Contains(array))
            {
                return true;
            }
            foreach (Block part in new[] { loop.Initializer, loop.Body, loop.Step })
            {
                foreach (Stmt statement in Walk.Statements(part))
                {
                    if (ReadsOf(statement).Contains(array))
                    {
                        return true;
                    }
                }
            }
            return false;
        }

        /// <summary>A loop's body and step, from the head, until the state at the head stops growing.</summary>
        private void Repeat(Stmt loop, HashSet<string> live, Block body, Block step)
        {
            while (true)
            {
                live.UnionWith(ReadsOf(loop));
                var around = new HashSet<string>(live);
                Flow(body, around);
                Flow(step, around);
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
        private void Define(Stmt site, string variable, Expr? value, HashSet<string> live)
        {
            HashSet<string> reads = ReadsOf(site);
            if (live.Contains(variable) || (value is not null && Walk.Reads(value, variable)))
            {
                _sites.Add(site);
            }
            live.Remove(variable);
            foreach (string read in reads)
            {
                if (read != variable)
                {
                    live.Add(read);
                }
            }
            if (reads.Contains(variable))
            {
                live.Add(variable); // the rule reads the value this statement gives it
            }
        }
    }
}
