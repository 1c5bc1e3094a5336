using System;
using System.ComponentModel;

namespace Autodiff.Runtime;

/// <summary>What a checkpointed loop does next (see <see cref="LoopCheckpoints"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum CheckpointAction
{
    /// <summary>Nothing more: the loop is taken back to its start.</summary>
    Done,
    /// <summary>Copy the loop's state into copy <see cref="LoopCheckpoints.Slot"/>.</summary>
    Store,
    /// <summary>Set the loop's state from copy <see cref="LoopCheckpoints.Slot"/>.</summary>
    Restore,
    /// <summary>Run iterations <see cref="LoopCheckpoints.Step"/> to <see cref="LoopCheckpoints.Target"/> (excluded) as the method does, saving nothing.</summary>
    Advance,
    /// <summary>Run iteration <see cref="LoopCheckpoints.Step"/> saving what its backward code reads.</summary>
    Forward,
    /// <summary>Run the backward code of iteration <see cref="LoopCheckpoints.Step"/>, the one just run forward.</summary>
    Reverse,
}

/// <summary>
/// The binomial checkpointing schedule of one loop of known trip count (Griewank and Walther's, as
/// Revolve computes it): the order in which a generated backward pass stores and restores copies of
/// the loop's state, runs iterations again, and takes them back one by one, keeping at most
/// <see cref="Slots"/> copies. The generated code asks <see cref="Next"/> what to do and does it; the
/// schedule itself holds no state of the loop, only positions.
/// </summary>
/// <remarks>
/// The first actions (copies and runs up to the last iteration, run forward) belong to the forward
/// pass; the rest, from that iteration's <see cref="CheckpointAction.Reverse"/>, to the backward pass.
/// The work is split recursively: iterations [from, to) with c copies at hand (one of them holding
/// the state at <c>from</c>) and r runs allowed per iteration; the state is run forward to m, copied,
/// [m, to) is taken back with c − 1 copies, then [from, m) from the copy at <c>from</c> with c copies
/// and one run fewer. β(c, r) = C(c + r, c) iterations fit, and β(c, r) = β(c − 1, r) + β(c, r − 1)
/// says how large to make each part.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class LoopCheckpoints
{
    // One pending piece of work: take iterations [From, To) back, with Free copies besides the one
    // (Slot) that holds the state at From; Live when the loop's state is that state already.
    private struct Part
    {
        public int From;
        public int To;
        public int Free;
        public int Slot;
        public bool Live;
        public bool Advanced; // run forward to where the part splits, not yet split
    }

    private readonly Part[] _parts;
    private int _depth;
    private int _pendingReverse = -1;
    private bool _started;

    /// <param name="steps">The loop's trip count (0 or more).</param>
    /// <param name="snapshots">Copies of the loop's state to keep at most, the one at its start included (at least 1).</param>
    public LoopCheckpoints(int steps, int snapshots)
    {
        if (steps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "A trip count cannot be negative.");
        }
        if (snapshots < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(snapshots), snapshots, "[LoopCheckpoints] needs at least one copy of the loop's state, for its start.");
        }
        Steps = steps;
        Slots = steps == 0 ? 0 : Math.Min(snapshots, steps);
        // Each part on the stack holds one copy more than the part below it.
        _parts = new Part[Math.Max(1, Slots) + 1];
    }

    /// <summary>The loop's trip count.</summary>
    public int Steps { get; }

    /// <summary>How many copies of the state the loop needs room for.</summary>
    public int Slots { get; }

    /// <summary>The copy a <see cref="CheckpointAction.Store"/> or <see cref="CheckpointAction.Restore"/> is about.</summary>
    public int Slot { get; private set; }

    /// <summary>The iteration a <see cref="CheckpointAction.Forward"/> or <see cref="CheckpointAction.Reverse"/> runs; the first one an <see cref="CheckpointAction.Advance"/> runs.</summary>
    public int Step { get; private set; }

    /// <summary>The iteration an <see cref="CheckpointAction.Advance"/> stops before.</summary>
    public int Target { get; private set; }

    /// <summary>The action <see cref="Next"/> returned last.</summary>
    public CheckpointAction Current { get; private set; }

    /// <summary>How many iterations have been run (forward and advanced) so far: for the benchmarks.</summary>
    public long IterationsRun { get; private set; }

    /// <summary>The next action, with its operands in <see cref="Slot"/>, <see cref="Step"/> and <see cref="Target"/>.</summary>
    public CheckpointAction Next() => Current = Advance();

    private CheckpointAction Advance()
    {
        if (!_started)
        {
            _started = true;
            if (Steps == 0)
            {
                return CheckpointAction.Done;
            }
            _parts[0] = new Part { From = 0, To = Steps, Free = Slots - 1, Slot = 0, Live = true };
            _depth = 1;
            Slot = 0;
            return CheckpointAction.Store;
        }
        if (_pendingReverse >= 0)
        {
            Step = _pendingReverse;
            _pendingReverse = -1;
            return CheckpointAction.Reverse;
        }
        while (_depth > 0)
        {
            ref Part part = ref _parts[_depth - 1];
            if (part.To <= part.From)
            {
                _depth--;
                continue;
            }
            if (!part.Live)
            {
                part.Live = true;
                Slot = part.Slot;
                return CheckpointAction.Restore;
            }
            int length = part.To - part.From;
            if (length == 1)
            {
                // The state is at From: run it forward, then back.
                _depth--;
                return Turn(part.From);
            }
            // No copy to spare: run up to the last iteration and turn it. Otherwise run up to where
            // the part after the next copy starts.
            int middle = part.Free == 0 ? part.To - 1 : part.To - RightLength(length, part.Free + 1);
            if (!part.Advanced)
            {
                part.Advanced = true;
                Step = part.From;
                Target = middle;
                IterationsRun += middle - part.From;
                return CheckpointAction.Advance;
            }
            part.Advanced = false;
            part.Live = false; // the state has moved on from From: the rest starts from its copy
            if (part.Free == 0)
            {
                part.To--;
                return Turn(part.To);
            }
            // Copy the state at middle; take [middle, To) back with one copy fewer, then [From, middle).
            int slot = part.Slot + 1;
            var right = new Part { From = middle, To = part.To, Free = part.Free - 1, Slot = slot, Live = true };
            part.To = middle;
            _parts[_depth++] = right;
            Slot = slot;
            return CheckpointAction.Store;
        }
        return CheckpointAction.Done;
    }

    private CheckpointAction Turn(int step)
    {
        Step = step;
        IterationsRun++;
        _pendingReverse = step;
        return CheckpointAction.Forward;
    }

    /// <summary>Copies an array of the loop's state into copy <paramref name="slot"/> (allocated the first time).</summary>
    public static void Store<T>(T[]?[] copies, int slot, T[] array)
    {
        T[]? copy = copies[slot];
        if (copy is null || copy.Length != array.Length)
        {
            copies[slot] = copy = new T[array.Length];
        }
        Array.Copy(array, copy, array.Length);
    }

    /// <summary>Sets an array of the loop's state from copy <paramref name="slot"/>.</summary>
    public static void Restore<T>(T[]?[] copies, int slot, T[] array)
    {
        T[] copy = copies[slot] ?? throw new InvalidOperationException("A checkpointed loop restored a copy it never stored: a bug of the generator's, please report it.");
        Array.Copy(copy, array, array.Length);
    }

    /// <summary>How many of <paramref name="length"/> iterations the part after the next copy takes, with <paramref name="copies"/> copies at hand.</summary>
    internal static int RightLength(int length, int copies)
    {
        // The least r with β(copies, r) ≥ length; the right part takes up to β(copies − 1, r) of them.
        int runs = 0;
        while (Beta(copies, runs) < length)
        {
            runs++;
        }
        long right = Beta(copies - 1, runs);
        return (int)Math.Max(1, Math.Min(right, length - 1));
    }

    /// <summary>β(c, r) = C(c + r, c): how many iterations c copies take back with r runs of each; saturates at long.MaxValue / 2.</summary>
    internal static long Beta(int copies, int runs)
    {
        long result = 1;
        int k = Math.Min(copies, runs);
        for (int i = 1; i <= k; i++)
        {
            // C(n, i) = C(n, i − 1) · (n − i + 1) / i, exact at every step.
            long n = copies + runs;
            if (result > long.MaxValue / 2 / (n - i + 1))
            {
                return long.MaxValue / 2;
            }
            result = result * (n - i + 1) / i;
        }
        return result;
    }
}
