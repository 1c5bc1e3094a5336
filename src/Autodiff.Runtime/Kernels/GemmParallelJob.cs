using System;
using System.Buffers;
using System.Diagnostics;
using System.Numerics.Tensors;
using System.Threading;

namespace Autodiff.Kernels;

/// <summary>
/// One product shared between the calling thread and <see cref="GemmWorker"/>s.
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
internal sealed class GemmParallelJob
{
    /// <summary>Per-worker slots sit this many ints apart, one cache line, to avoid false sharing.</summary>
    private const int SlotStride = 16;

    // A worker slot holds the worker's state and, one int further, the chunks it has finished.
    private const int Waiting = 0, Running = 1, Closed = 2, Left = 3;

    // The state of each unit of the current chunk.
    private const int Unclaimed = 0, WorkerComputing = 1, InScratch = 2, InC = 3;

    /// <summary>Most units a worker keeps going at once while depth blocks are still being packed.</summary>
    private const int UnitsInFlight = 16;

    private static GemmParallelJob? s_idle = new();

    private float[] _packedA = [];
    private float[] _packedB = [];
    private float[] _scratch = [];
    private bool _holdsBuffers;
    private int[] _unitStates = [];
    private int[] _workerSlots = [];

    private Action<GemmParallelJob, int> _workerEntry = null!;
    private GemmPlan _plan;
    private GemmUnits _units;
    private GemmStep _chunk;
    private int _workers;
    private bool _accumulate;

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
        if (job.AnyWorkerRunning())
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

    /// <summary>Entry point of worker <paramref name="worker"/>.</summary>
    public void RunWorker(int worker) => _workerEntry(this, worker);

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
        _abandoned = false;
        _workerFault = null;
        GemmWorker[] pool = GemmWorker.Get(_workers);
        RentBuffers(threads);
        for (int w = 0; w < _workers; w++)
        {
            _workerSlots[w * SlotStride + 1] = 0;
            Volatile.Write(ref _workerSlots[w * SlotStride], Waiting);
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
                    WaitForWorkers(chunk + 1);
                    MoveScratchUnits(c);
                }
                else
                {
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
            CloseDoors();
            if (!AnyWorkerRunning())
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

    private void RunWorker<TKernel>(int worker)
        where TKernel : struct, IGemmMicroKernel
    {
        ref int state = ref _workerSlots[worker * SlotStride];
        if (Interlocked.CompareExchange(ref state, Running, Waiting) != Waiting)
        {
            return; // too late for this product, or woken for one already finished
        }
        ref int finished = ref _workerSlots[worker * SlotStride + 1];
        int chunks = _plan.ChunkCount;
        try
        {
            while (finished < chunks)
            {
                if (!SpinUntilAtLeast(ref _chunksStarted, finished + 1))
                {
                    return;
                }
                // Late joiners start at the chunk in progress; the caller cannot start the
                // next one until this worker reports this one finished.
                int chunk = Volatile.Read(ref _chunksStarted) - 1;
                WorkerClaimUnits<TKernel>();
                Volatile.Write(ref finished, chunk + 1);
            }
        }
        catch (Exception e)
        {
            _workerFault = e;
        }
        finally
        {
            Volatile.Write(ref finished, chunks);
            Volatile.Write(ref state, Left);
        }
    }

    /// <summary>
    /// The caller's share of the current chunk: claims units until none are left, computing each
    /// straight into C and moving finished worker units in between. Returns how many it computed.
    /// </summary>
    private int ClaimUnits<TKernel>(Span<float> c)
        where TKernel : struct, IGemmMicroKernel
    {
        int computed = 0;
        int unit;
        while ((unit = Interlocked.Increment(ref _nextUnit) - 1) < _units.Count)
        {
            Volatile.Write(ref _unitStates[unit], InC);
            ComputeUnit<TKernel>(unit, c);
            MoveScratchUnits(c);
            computed++;
        }
        return computed;
    }

    /// <summary>
    /// A worker's share of the current chunk, computed into scratch. While the caller is still
    /// packing, a unit can only go as deep as the depth blocks published so far; rather than
    /// wait for the next block, the worker starts further units and brings each one up to date
    /// as blocks appear (a wavefront over at most <see cref="UnitsInFlight"/> units). Once
    /// everything is packed, units run start to finish.
    /// </summary>
    private void WorkerClaimUnits<TKernel>()
        where TKernel : struct, IGemmMicroKernel
    {
        Span<int> units = stackalloc int[UnitsInFlight];
        Span<int> depthDone = stackalloc int[UnitsInFlight];
        int inFlight = 0;
        bool exhausted = false;
        int depthSteps = _plan.DepthSteps;
        var spinner = new SpinWait();
        while (true)
        {
            int published = Volatile.Read(ref _depthBlocksPublished);
            bool worked = false;
            for (int i = 0; i < inFlight; i++)
            {
                // A unit the caller has taken over is dropped; its scratch is never read.
                bool mine = Volatile.Read(ref _unitStates[units[i]]) == WorkerComputing;
                for (; mine && depthDone[i] < published; depthDone[i]++)
                {
                    ComputeUnitBlock<TKernel>(units[i], depthDone[i], default, intoScratch: true);
                    worked = true;
                }
                if (!mine || depthDone[i] == depthSteps)
                {
                    // Fails, and the result is dropped, if the caller took the unit over meanwhile.
                    Interlocked.CompareExchange(ref _unitStates[units[i]], InScratch, WorkerComputing);
                    inFlight--;
                    units[i] = units[inFlight];
                    depthDone[i] = depthDone[inFlight];
                    i--;
                }
            }
            if (worked)
            {
                spinner = new SpinWait();
                continue;
            }
            if (_abandoned)
            {
                return;
            }
            if (!exhausted && inFlight < UnitsInFlight && published > 0)
            {
                int unit = Interlocked.Increment(ref _nextUnit) - 1;
                exhausted = unit >= _units.Count;
                // The caller may have taken the unit over between our claim and this line.
                if (!exhausted && Interlocked.CompareExchange(ref _unitStates[unit], WorkerComputing, Unclaimed) == Unclaimed)
                {
                    units[inFlight] = unit;
                    depthDone[inFlight] = 0;
                    inFlight++;
                }
                continue;
            }
            if (exhausted && inFlight == 0)
            {
                return;
            }
            spinner.SpinOnce(sleep1Threshold: -1); // waiting for the next depth block
        }
    }

    /// <summary>One unit through every depth block, into C (the caller's units).</summary>
    private void ComputeUnit<TKernel>(int unit, Span<float> c)
        where TKernel : struct, IGemmMicroKernel
    {
        for (int d = 0; d < _plan.DepthSteps; d++)
        {
            ComputeUnitBlock<TKernel>(unit, d, c, intoScratch: false);
        }
    }

    /// <summary>Depth block <paramref name="d"/> of one unit, into C or into scratch; the block must be published.</summary>
    private void ComputeUnitBlock<TKernel>(int unit, int d, Span<float> c, bool intoScratch)
        where TKernel : struct, IGemmMicroKernel
    {
        _units.Get(unit, out int rowBegin, out int rowEnd, out int columnBegin, out int columnEnd);
        GemmStep step = _plan.Step(_chunk.Chunk * _plan.DepthSteps + d);
        ReadOnlySpan<float> packedA = _packedA.AsSpan(d * _plan.PackedALength, _plan.PackedALength);
        ReadOnlySpan<float> packedB = _packedB.AsSpan(d * _plan.PackedBLength, _plan.PackedBLength);
        if (intoScratch)
        {
            int scratchStride = _chunk.Columns;
            GemmBlockedProduct.ComputeShare<TKernel>(packedA, packedB, step.Depth,
                rowBegin, rowEnd, columnBegin, columnEnd,
                _scratch.AsSpan(rowBegin * scratchStride + columnBegin), scratchStride,
                overwrite: d == 0);
        }
        else
        {
            int n = _plan.N;
            GemmBlockedProduct.ComputeShare<TKernel>(packedA, packedB, step.Depth,
                rowBegin, rowEnd, columnBegin, columnEnd,
                c.Slice((_chunk.Row + rowBegin) * n + _chunk.Column + columnBegin), n,
                overwrite: d == 0 && !_accumulate);
        }
    }

    /// <summary>
    /// Last chunk, caller out of units: waits for the workers' units for about two of the
    /// caller's unit times (packing included, so never less than the packing took), then
    /// computes any still unfinished into C itself.
    /// </summary>
    private void TakeOverLateUnits<TKernel>(Span<float> c, long ownTicks, int ownUnits)
        where TKernel : struct, IGemmMicroKernel
    {
        long patience = ownUnits > 0 ? 2 * ownTicks / ownUnits : ownTicks;
        long deadline = Stopwatch.GetTimestamp() + patience;
        for (int unit = 0; unit < _units.Count; unit++)
        {
            ref int state = ref _unitStates[unit];
            var spinner = new SpinWait();
            while (Volatile.Read(ref state) is Unclaimed or WorkerComputing && Stopwatch.GetTimestamp() < deadline)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
            if (Interlocked.CompareExchange(ref state, InC, Unclaimed) == Unclaimed
                || Interlocked.CompareExchange(ref state, InC, WorkerComputing) == WorkerComputing)
            {
                ComputeUnit<TKernel>(unit, c);
            }
        }
    }

    /// <summary>C (+)= the scratch of every unit a worker has finished and the caller not moved yet.</summary>
    private void MoveScratchUnits(Span<float> c)
    {
        int n = _plan.N;
        int scratchStride = _chunk.Columns;
        for (int unit = 0; unit < _units.Count; unit++)
        {
            // InScratch is final for the worker, so the caller alone moves it on to InC.
            if (Volatile.Read(ref _unitStates[unit]) != InScratch)
            {
                continue;
            }
            _unitStates[unit] = InC;
            _units.Get(unit, out int rowBegin, out int rowEnd, out int columnBegin, out int columnEnd);
            int columns = columnEnd - columnBegin;
            for (int i = rowBegin; i < rowEnd; i++)
            {
                ReadOnlySpan<float> from = _scratch.AsSpan(i * scratchStride + columnBegin, columns);
                Span<float> to = c.Slice((_chunk.Row + i) * n + _chunk.Column + columnBegin, columns);
                if (_accumulate)
                {
                    TensorPrimitives.Add(to, from, to);
                }
                else
                {
                    from.CopyTo(to);
                }
            }
        }
    }

    /// <summary>
    /// Closes the door on workers that have not joined yet, then waits (spinning) until every
    /// worker that did has finished <paramref name="chunks"/> chunks.
    /// </summary>
    private void WaitForWorkers(int chunks)
    {
        CloseDoors();
        for (int w = 0; w < _workers; w++)
        {
            if (Volatile.Read(ref _workerSlots[w * SlotStride]) != Running)
            {
                continue;
            }
            var spinner = new SpinWait();
            while (Volatile.Read(ref _workerSlots[w * SlotStride + 1]) < chunks)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    /// <summary>Workers still waiting to join will find the door closed and not touch the job.</summary>
    private void CloseDoors()
    {
        for (int w = 0; w < _workers; w++)
        {
            Interlocked.CompareExchange(ref _workerSlots[w * SlotStride], Closed, Waiting);
        }
    }

    private bool AnyWorkerRunning()
    {
        for (int w = 0; w < _workers; w++)
        {
            if (Volatile.Read(ref _workerSlots[w * SlotStride]) == Running)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Spins until <paramref name="counter"/> reaches <paramref name="value"/>; false if the caller gave up.</summary>
    private bool SpinUntilAtLeast(ref int counter, int value)
    {
        var spinner = new SpinWait();
        while (Volatile.Read(ref counter) < value)
        {
            if (_abandoned)
            {
                return false;
            }
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        return true;
    }

    private void RentBuffers(int threads)
    {
        _packedA = ArrayPool<float>.Shared.Rent(_plan.PackedALength * _plan.DepthSteps);
        _packedB = ArrayPool<float>.Shared.Rent(_plan.PackedBLength * _plan.DepthSteps);
        _scratch = ArrayPool<float>.Shared.Rent(_plan.ChunkRows * _plan.ChunkColumns);
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
        if (_workerSlots.Length < _workers * SlotStride)
        {
            // Closed, not the default Waiting: a worker waking late for an earlier product must
            // not join this one before Run has finished setting it up.
            var slots = new int[_workers * SlotStride];
            Array.Fill(slots, Closed);
            _workerSlots = slots;
        }
    }

    private void ReturnBuffers()
    {
        if (!_holdsBuffers)
        {
            return;
        }
        ArrayPool<float>.Shared.Return(_packedA);
        ArrayPool<float>.Shared.Return(_packedB);
        ArrayPool<float>.Shared.Return(_scratch);
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
