using System;
using System.Diagnostics;
using System.Threading;

namespace Autodiff.Kernels;

/// <summary>
/// One product on matrices held in arrays, shared between the calling thread and
/// <see cref="GemmWorker"/>s, every one of which packs its own operand panels and writes C.
/// </summary>
/// <remarks>
/// <para>
/// The span product (<see cref="GemmParallelJob"/>) must leave all packing to the caller, because
/// a worker cannot read the caller's spans; on products whose operands are large next to their
/// arithmetic, that serial packing and the caller's copying of the workers' results into C held
/// two threads to about 1.2× one (64×784·784×128). Arrays can be handed to another thread, so
/// here every thread does every kind of work.
/// </para>
/// <para>
/// Work. As in the span product, a chunk of C is cut into units of whole micro-tiles
/// (<see cref="GemmUnits"/>), and a unit runs through all depth blocks on one thread. Each thread
/// starts with a contiguous range of units, numbered column group by column group, so that a
/// range shares B panels, and so that when m is small, as in a dense layer, the ranges split the
/// columns. A thread claims its own units from the front of its range and, once that is empty,
/// steals from the back of the others'. It packs what its units read into buffers of its own:
/// before each depth block of a unit it packs whichever of the unit's micro-panels of A and B it
/// has not packed yet, and usually computes with a panel right after packing it, while the panel
/// is still in cache. An operand that several threads read is packed by each of them; with these
/// ranges that is the small one (at 64×784·784×128 each of two threads packs all of A and half of
/// B, 100 K floats, against 150 K on one thread).
/// </para>
/// <para>
/// Packing into shared buffers, each panel once by whichever thread needed it first, was tried
/// first and measured slower: which thread packed a panel changed from product to product, so its
/// cache lines crossed between the cores on every write and read (64×784·784×128: 55 µs of
/// packing in all on two threads, against 20 µs on one). Here each thread keeps its buffers
/// between products (while they are small), in its own cache.
/// </para>
/// <para>
/// Writing C. The caller computes its units straight into C. A worker computes a unit into a
/// scratch block of its own (one unit, so it stays in cache), then copies or adds it into C
/// itself, so that a worker late with a unit can never corrupt C: on the last chunk, once out of
/// units, the caller gives a worker's unfinished unit about two of its own unit times, then
/// takes it over (a compare-and-swap on the unit's state decides whose result is kept), and a
/// worker that has lost its unit drops its scratch. Were C written as the unit progresses, a
/// taken-over unit would be written twice, and when accumulating its old value would already be
/// gone. The only wait left is for a unit whose copy into C has begun, which takes microseconds.
/// Since no thread reads another's packing, a pre-empted thread holds up nobody else's work.
/// </para>
/// <para>
/// Results. Every element is summed in the same order whoever computes it (depth block by depth
/// block, each block's sum added to C, or to the scratch holding the blocks before it), so
/// products that store into C are bitwise identical on any number of threads. When accumulating,
/// a worker adds the sum of all depth blocks to C at once, which rounds differently from adding
/// them one by one.
/// </para>
/// <para>
/// A worker still running when the caller returns can only write its own buffers and read the
/// operands; the job keeps those buffers, and its references to the operand arrays, until a
/// later product finds the worker gone (until then, threaded products on arrays run on their
/// calling threads). Nothing is allocated per product.
/// </para>
/// </remarks>
internal sealed partial class GemmArrayJob : IGemmWorkerJob
{
    // The state of each unit of the current chunk.
    private const int Unclaimed = 0, WorkerComputing = 1, Committing = 2, InC = 3;

    /// <summary>The ranges of unit numbers sit this many longs apart, one cache line, to avoid false sharing.</summary>
    private const int RangeStride = 8;

    private static GemmArrayJob? s_idle = new();

    private readonly GemmWorkerSlots _slots = new();
    private ArraySegment<float> _a;
    private ArraySegment<float> _b;
    private ArraySegment<float> _c;
    private bool _transposeA;
    private bool _transposeB;
    private bool _accumulate;

    // Per thread (0 is the caller, worker w is w + 1): its buffers, and the units left in its
    // range, [front, back) packed into one long.
    private ThreadShare[] _shares = [];
    private long[] _ranges = [];
    private int _threads;
    private bool _holdsBuffers;
    private int[] _unitStates = [];

    private Action<GemmArrayJob, int> _workerEntry = null!;
    private GemmPlan _plan;
    private GemmUnits _units;
    private GemmStep _chunk;
    private int _aPanels;
    private int _bPanels;

    // Chunks started, written by the caller.
    private int _chunksStarted;

    // How long the caller waits at the end for workers to leave: the take-over patience, once known.
    private long _leavingTicks;
    private volatile bool _abandoned;
    private Exception? _workerFault;

    /// <summary>
    /// Runs the product on <paramref name="threads"/> threads, or returns false, having done
    /// nothing, when another thread is running a threaded product on arrays, or a worker is still
    /// finishing a unit it lost at the end of the previous one.
    /// </summary>
    public static bool TryRun<TKernel>(ArraySegment<float> a, ArraySegment<float> b, ArraySegment<float> c,
        int m, int n, int k, bool transposeA, bool transposeB, bool accumulate, int threads)
        where TKernel : struct, IGemmMicroKernel
    {
        GemmArrayJob? job = Interlocked.Exchange(ref s_idle, null);
        if (job is null)
        {
            return false;
        }
        if (job._slots.AnyRunning())
        {
            Volatile.Write(ref s_idle, job);
            return false;
        }
        try
        {
            job.Run<TKernel>(a, b, c, m, n, k, transposeA, transposeB, accumulate, threads);
        }
        finally
        {
            Volatile.Write(ref s_idle, job);
        }
        return true;
    }

    private void Run<TKernel>(ArraySegment<float> a, ArraySegment<float> b, ArraySegment<float> c,
        int m, int n, int k, bool transposeA, bool transposeB, bool accumulate, int threads)
        where TKernel : struct, IGemmMicroKernel
    {
        Release(); // left over from a previous product whose worker was still running

        // Chunks hold every depth block at once, so their size is bounded by k too.
        int maxRows = Math.Clamp(GemmBlocking.ParallelPackedFloats / k, TKernel.Rows, GemmBlocking.ParallelChunkRows);
        int maxColumns = Math.Clamp(GemmBlocking.ParallelPackedFloats / k, TKernel.Columns, GemmBlocking.ParallelChunkColumns);
        _plan = new GemmPlan(m, n, k, TKernel.Rows, TKernel.Columns, maxRows, maxColumns);
        _a = a;
        _b = b;
        _c = c;
        _transposeA = transposeA;
        _transposeB = transposeB;
        _accumulate = accumulate;
        _workerEntry = WorkerEntry<TKernel>.Run;
        _chunksStarted = 0;
        _leavingTicks = GemmWorkerSlots.LeavingTicks;
        _abandoned = false;
        _workerFault = null;
        int workers = threads - 1;
        _threads = threads;
        GemmWorker[] pool = GemmWorker.Get(workers);
        AcquireBuffers();
        _slots.Prepare(workers);
        for (int w = 0; w < workers; w++)
        {
            _slots.Open(w);
            pool[w].Start(this);
        }

        int chunks = _plan.ChunkCount;
        try
        {
            for (int chunk = 0; chunk < chunks; chunk++)
            {
                long start = Stopwatch.GetTimestamp();
                StartChunk(chunk, threads);
                int ownUnits = ClaimUnits<TKernel>();
                if (chunk + 1 < chunks)
                {
                    // The next chunk reuses the buffers: every worker must be done with this one.
                    _slots.WaitForWorkers(chunk + 1);
                }
                else
                {
                    _slots.CloseDoors(); // nothing is left to claim for a worker joining now
                    TakeOverLateUnits<TKernel>(Stopwatch.GetTimestamp() - start, ownUnits);
                }
            }
        }
        catch
        {
            _abandoned = true;
            SealUnits();
            throw;
        }
        finally
        {
            _slots.CloseDoors();
            // Every unit is in C, so a worker still running is on its way out, or finishing a
            // unit it lost; letting it go lets the next product (often the very next call) have
            // the workers, rather than run alone on buffers of its own.
            _slots.AwaitLeaving(_leavingTicks);
            if (!_slots.AnyRunning())
            {
                Release();
            }
        }
        if (_workerFault is { } fault)
        {
            throw new InvalidOperationException("A GEMM worker thread failed.", fault);
        }
    }

    /// <summary>Resets the per-chunk state, hands each thread its range of units, then lets the workers in.</summary>
    private void StartChunk(int chunk, int threads)
    {
        _chunk = _plan.Step(chunk * _plan.DepthSteps);
        _units = new GemmUnits(_chunk.Rows, _chunk.Columns, _plan, threads);
        _aPanels = Divide(_chunk.Rows, _plan.RowUnit);
        _bPanels = Divide(_chunk.Columns, _plan.ColumnUnit);
        Array.Clear(_unitStates, 0, _units.Count);
        for (int t = 0; t < threads; t++)
        {
            _ranges[t * RangeStride] = Range(
                (int)((long)_units.Count * t / threads), (int)((long)_units.Count * (t + 1) / threads));
        }
        Volatile.Write(ref _chunksStarted, chunk + 1);
    }

    private void AcquireBuffers()
    {
        int units = 0, unitFloats = 0;
        for (int chunk = 0; chunk < _plan.ChunkCount; chunk++)
        {
            GemmStep step = _plan.Step(chunk * _plan.DepthSteps);
            var grid = new GemmUnits(step.Rows, step.Columns, _plan, _threads);
            units = Math.Max(units, grid.Count);
            unitFloats = Math.Max(unitFloats, grid.UnitRows * grid.UnitColumns);
        }
        if (_unitStates.Length < units)
        {
            _unitStates = new int[Math.Max(units, 2 * _unitStates.Length)];
        }
        if (_shares.Length < _threads)
        {
            var shares = new ThreadShare[_threads];
            Array.Copy(_shares, shares, _shares.Length);
            for (int t = _shares.Length; t < _threads; t++)
            {
                shares[t] = new ThreadShare();
            }
            _shares = shares;
            _ranges = new long[_threads * RangeStride];
        }
        int items = (_plan.ChunkRows / _plan.RowUnit + _plan.ChunkColumns / _plan.ColumnUnit) * _plan.DepthSteps;
        for (int t = 0; t < _threads; t++)
        {
            // The caller computes straight into C and needs no scratch.
            _shares[t].Acquire(_plan.PackedALength * _plan.DepthSteps, _plan.PackedBLength * _plan.DepthSteps,
                t == 0 ? 0 : unitFloats, items);
        }
        _holdsBuffers = true;
    }

    /// <summary>Returns any pooled buffers and lets go of the operands (only once no worker can touch them).</summary>
    private void Release()
    {
        _a = _b = _c = default;
        if (!_holdsBuffers)
        {
            return;
        }
        for (int t = 0; t < _threads; t++)
        {
            _shares[t].Release();
        }
        _holdsBuffers = false;
    }

    private static long Range(int front, int back) => (uint)front | ((long)back << 32);

    private static int Divide(int length, int parts) => (length + parts - 1) / parts;

    /// <summary>
    /// One thread's buffers: its packed panels of A and B (laid out as the whole chunk's, every
    /// depth block), which of them it has packed in the current chunk, and a worker's scratch
    /// unit. Small ones are kept between products (<see cref="GemmBuffer"/>), so that each thread
    /// finds its own panels in its own cache.
    /// </summary>
    private sealed class ThreadShare
    {
        private readonly GemmBuffer _packedA = new();
        private readonly GemmBuffer _packedB = new();
        private readonly GemmBuffer _scratch = new();

        public float[] PackedA => _packedA.Array;

        public float[] PackedB => _packedB.Array;

        public float[] Scratch => _scratch.Array;

        /// <summary>Per item (one micro-panel over one depth block): packed by this thread in the current chunk.</summary>
        public bool[] Packed { get; private set; } = [];

        public void Acquire(int packedA, int packedB, int scratch, int items)
        {
            bool keep = (long)packedA + packedB + scratch <= GemmBuffer.KeptFloats;
            _packedA.Acquire(packedA, keep);
            _packedB.Acquire(packedB, keep);
            _scratch.Acquire(scratch, keep);
            if (Packed.Length < items)
            {
                Packed = new bool[Math.Max(items, 2 * Packed.Length)];
            }
        }

        public void Release()
        {
            _packedA.Release();
            _packedB.Release();
            _scratch.Release();
        }
    }

    /// <summary>One delegate per kernel, created once, so handing out a job allocates nothing.</summary>
    private static class WorkerEntry<TKernel>
        where TKernel : struct, IGemmMicroKernel
    {
        public static readonly Action<GemmArrayJob, int> Run = static (job, worker) => job.RunWorker<TKernel>(worker);
    }
}
