using System;
using System.Buffers;
using System.Diagnostics;
using System.Threading;

namespace Autodiff.Kernels;

/// <summary>
/// One product on spans shared between the calling thread and <see cref="GemmWorker"/>s.
/// Products on arrays, whose workers can reach the operands, go to <see cref="GemmArrayJob"/>.
/// </summary>
/// <remarks>
/// <para>
/// A worker cannot touch the caller's spans (a span cannot leave its thread, and pinning one
/// would need <c>unsafe</c>), so the work is divided by what each thread can reach. The caller
/// packs all of a chunk's operands (every depth block) into arrays every thread reads. The
/// chunk of C is cut into units, blocks of whole micro-tiles (<see cref="GemmUnits"/>), and
/// threads claim units from a shared counter until none are left; a unit runs through all depth
/// blocks, so one thread computes it whole. The caller writes its units straight into C; a
/// worker writes into the same place of a chunk-sized scratch array. Between its own units, and
/// when the chunk is done, the caller moves finished scratch units into C, so that little of
/// that copying is left for the end.
/// </para>
/// <para>
/// Claiming instead of fixed shares keeps both cores busy whatever each was doing: the caller
/// joins in once it has packed, and a worker that the operating system pre-empts simply claims
/// fewer units. Workers start as soon as depth block 0 is packed, while the caller packs the
/// rest; a counter of published depth blocks tells them how far they may go, and they keep
/// several units going meanwhile so as not to idle (<see cref="WorkerClaimUnits"/>). Packing is
/// the part that only the caller can do: with two threads it bounds the speed-up of products
/// whose packed operands are large next to their arithmetic (64×784·784×128 gains about 1.2×,
/// 1024³ about 1.9×).
/// </para>
/// <para>
/// No worker can hold the caller up for long. A worker joins a product by moving its state
/// from waiting to running; when the caller needs the workers it first closes the door on those
/// still waiting (asleep, or not scheduled yet), and such a worker later finds the door closed
/// and leaves without touching anything. On the last chunk the caller, once out of units, gives
/// a worker's unfinished unit about two of its own unit times, then takes the unit over and
/// computes it into C itself: a worker pre-empted in the middle of a unit costs one unit, not an
/// operating-system time slice. Each unit's state is swapped atomically, so exactly one of the
/// two results is kept. A worker still running when the caller returns only writes the job's
/// scratch array; the job keeps its buffers until a later product finds the worker gone (until
/// then, threaded products run on their calling threads instead of waiting for it).
/// </para>
/// <para>
/// There is one job object, reused: a product that finds it taken (another thread is running a
/// threaded product) runs on its own thread instead. Nothing is allocated per product:
/// buffers come from <see cref="ArrayPool{T}"/> and the worker entry point is a cached delegate.
/// </para>
/// </remarks>
internal sealed partial class GemmParallelJob : IGemmWorkerJob
{
    // The state of each unit of the current chunk.
    private const int Unclaimed = 0, WorkerComputing = 1, InScratch = 2, InC = 3;

    /// <summary>Most units a worker keeps going at once while depth blocks are still being packed.</summary>
    private const int UnitsInFlight = 16;

    private static GemmParallelJob? s_idle = new();

    // Small products' buffers stay with the job from one product to the next: taken from the shared
    // pool, they would be dropped whenever memory is collected, and the next product would allocate.
    private readonly GemmBuffer _keptA = new(), _keptB = new(), _keptScratch = new();
    private float[] _packedA = [];
    private float[] _packedB = [];
    private float[] _scratch = [];
    private bool _holdsBuffers;
    private int[] _unitStates = [];
    private readonly GemmWorkerSlots _slots = new();

    private Action<GemmParallelJob, int> _workerEntry = null!;
    private GemmPlan _plan;
    private GemmUnits _units;
    private GemmStep _chunk;
    private int _workers;
    private bool _accumulate;

    // How long the caller waits at the end for workers to leave: the take-over patience, once known.
    private long _leavingTicks;

    // Progress, written by the caller: chunks started and, within the current chunk, depth blocks
    // packed. Written by all: the next unclaimed unit.
    private int _chunksStarted;
    private int _depthBlocksPublished;
    private int _nextUnit;
    private volatile bool _abandoned;
    private Exception? _workerFault;

    /// <summary>
    /// Runs the product on <paramref name="threads"/> threads, or returns false, having done
    /// nothing, when another thread is already running a threaded product.
    /// </summary>
    public static bool TryRun<TKernel>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
        int m, int n, int k, bool transposeA, bool transposeB, bool accumulate, int threads)
        where TKernel : struct, IGemmMicroKernel
    {
        GemmParallelJob? job = Interlocked.Exchange(ref s_idle, null);
        if (job is null)
        {
            return false;
        }
        if (job._slots.AnyRunning())
        {
            // A worker is still finishing a unit it lost at the end of the previous product
            // (it was pre-empted); rather than wait for it, this product runs single-threaded.
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

    private void Run<TKernel>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
        int m, int n, int k, bool transposeA, bool transposeB, bool accumulate, int threads)
        where TKernel : struct, IGemmMicroKernel
    {
        ReturnBuffers(); // left over from a previous product whose worker was still running

        // Chunks hold every depth block at once, so their size is bounded by k too.
        int maxRows = Math.Clamp(GemmBlocking.ParallelPackedFloats / k, TKernel.Rows, GemmBlocking.ParallelChunkRows);
        int maxColumns = Math.Clamp(GemmBlocking.ParallelPackedFloats / k, TKernel.Columns, GemmBlocking.ParallelChunkColumns);
        _plan = new GemmPlan(m, n, k, TKernel.Rows, TKernel.Columns, maxRows, maxColumns);
        _workers = threads - 1;
        _accumulate = accumulate;
        _workerEntry = WorkerEntry<TKernel>.Run;
        _chunksStarted = 0;
        _leavingTicks = GemmWorkerSlots.LeavingTicks;
        _abandoned = false;
        _workerFault = null;
        GemmWorker[] pool = GemmWorker.Get(_workers);
        RentBuffers(threads);
        _slots.Prepare(_workers);
        for (int w = 0; w < _workers; w++)
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
                for (int d = 0; d < _plan.DepthSteps; d++)
                {
                    GemmBlockedProduct.Pack<TKernel>(a, b, _plan, transposeA, transposeB,
                        _plan.Step(chunk * _plan.DepthSteps + d),
                        _packedA.AsSpan(d * _plan.PackedALength), _packedB.AsSpan(d * _plan.PackedBLength));
                    Volatile.Write(ref _depthBlocksPublished, d + 1);
                }

                int ownUnits = ClaimUnits<TKernel>(c);
                if (chunk + 1 < chunks)
                {
                    // The next chunk reuses the buffers: every worker must be done with this one.
                    _slots.WaitForWorkers(chunk + 1);
                    MoveScratchUnits(c);
                }
                else
                {
                    _slots.CloseDoors(); // nothing is left to claim for a worker joining now
                    TakeOverLateUnits<TKernel>(c, Stopwatch.GetTimestamp() - start, ownUnits);
                    MoveScratchUnits(c);
                }
            }
        }
        catch
        {
            _abandoned = true;
            throw;
        }
        finally
        {
            _slots.CloseDoors();
            // A worker still running is on its way out, or finishing a unit it lost; letting it
            // go lets the next product have the workers, and the buffers, again.
            _slots.AwaitLeaving(_leavingTicks);
            if (!_slots.AnyRunning())
            {
                ReturnBuffers();
            }
        }
        if (_workerFault is { } fault)
        {
            throw new InvalidOperationException("A GEMM worker thread failed.", fault);
        }
    }

    /// <summary>Resets the per-chunk state, then lets the workers in.</summary>
    private void StartChunk(int chunk, int threads)
    {
        _chunk = _plan.Step(chunk * _plan.DepthSteps);
        _units = new GemmUnits(_chunk.Rows, _chunk.Columns, _plan, threads);
        Array.Clear(_unitStates, 0, _units.Count);
        _nextUnit = 0;
        _depthBlocksPublished = 0;
        Volatile.Write(ref _chunksStarted, chunk + 1);
    }

    private void RentBuffers(int threads)
    {
        int lengthA = _plan.PackedALength * _plan.DepthSteps, lengthB = _plan.PackedBLength * _plan.DepthSteps, scratch = _plan.ChunkRows * _plan.ChunkColumns;
        bool keep = (long)lengthA + lengthB + scratch <= GemmBuffer.KeptFloats;
        _keptA.Acquire(lengthA, keep);
        _keptB.Acquire(lengthB, keep);
        _keptScratch.Acquire(scratch, keep);
        _packedA = _keptA.Array;
        _packedB = _keptB.Array;
        _scratch = _keptScratch.Array;
        _holdsBuffers = true;
        int units = 0;
        for (int chunk = 0; chunk < _plan.ChunkCount; chunk++)
        {
            GemmStep step = _plan.Step(chunk * _plan.DepthSteps);
            units = Math.Max(units, new GemmUnits(step.Rows, step.Columns, _plan, threads).Count);
        }
        if (_unitStates.Length < units)
        {
            _unitStates = new int[Math.Max(units, 2 * _unitStates.Length)];
        }
    }

    private void ReturnBuffers()
    {
        if (!_holdsBuffers)
        {
            return;
        }
        _keptA.Release();
        _keptB.Release();
        _keptScratch.Release();
        _packedA = _packedB = _scratch = [];
        _holdsBuffers = false;
    }

    /// <summary>One delegate per kernel, created once, so handing out a job allocates nothing.</summary>
    private static class WorkerEntry<TKernel>
        where TKernel : struct, IGemmMicroKernel
    {
        public static readonly Action<GemmParallelJob, int> Run = static (job, worker) => job.RunWorker<TKernel>(worker);
    }
}
