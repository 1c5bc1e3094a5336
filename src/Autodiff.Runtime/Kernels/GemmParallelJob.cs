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
/// chunk of C is cut into units, blocks of whole micro-tiles, and threads claim units from a
/// shared counter until none are left; a unit runs through all depth blocks, so exactly one
/// thread ever writes it. The caller writes its units straight into C; a worker writes into the
/// same place of a chunk-sized scratch array and lists the unit as finished; between its own
/// units, and once more when the chunk is done, the caller moves listed units into C, so that
/// little of that copying is left for the end, when the workers would wait for it.
/// </para>
/// <para>
/// Claiming instead of fixed shares keeps both cores busy whatever each was doing: the caller
/// joins in once it has packed, and a worker that the operating system pre-empts simply claims
/// fewer units. Workers start on depth block 0 as soon as it is packed, while the caller packs
/// the rest; a counter of published depth blocks tells them how far they may go.
/// </para>
/// <para>
/// A worker that is slow to wake up (it sleeps after 50 µs without work, and waking takes
/// longer than a small product) must not hold the caller up: it joins the product by moving
/// its state from waiting to running, and the caller, whenever it needs to wait for the
/// workers, first closes the door on those still waiting. A worker that finds its door closed
/// (or that wakes for a product long finished) goes back to sleep without touching anything;
/// one that joins late starts at the chunk in progress.
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

    // A worker slot holds its state and, one int further, the chunks it has finished.
    private const int Waiting = 0, Running = 1, Closed = 2;

    private static GemmParallelJob? s_idle = new();

    private float[] _packedA = [];
    private float[] _packedB = [];
    private float[] _scratch = [];
    private int[] _workerUnitsFinished = [];
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
    private int _workerUnitCount;
    private int _workerUnitsMoved; // caller only
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
                StartChunk(chunk, threads);
                for (int d = 0; d < _plan.DepthSteps; d++)
                {
                    GemmBlockedProduct.Pack<TKernel>(a, b, _plan, transposeA, transposeB,
                        _plan.Step(chunk * _plan.DepthSteps + d),
                        _packedA.AsSpan(d * _plan.PackedALength), _packedB.AsSpan(d * _plan.PackedBLength));
                    Volatile.Write(ref _depthBlocksPublished, d + 1);
                }
                ClaimUnits<TKernel>(c, worker: -1);
                WaitForWorkers(chunk + 1);
                MoveWorkerUnits(c);
                Debug.Assert(_workerUnitsMoved == _workerUnitCount || _workerFault is not null);
            }
        }
        catch
        {
            _abandoned = true;
            throw;
        }
        finally
        {
            // Workers must be out of the buffers before they go back to the pool.
            WaitForWorkers(chunks);
            ReturnBuffers();
        }
        if (_workerFault is { } fault)
        {
            throw new InvalidOperationException("A GEMM worker thread failed.", fault);
        }
    }

    /// <summary>Resets the per-chunk counters, then lets the workers in.</summary>
    private void StartChunk(int chunk, int threads)
    {
        _chunk = _plan.Step(chunk * _plan.DepthSteps);
        _units = new GemmUnits(_chunk.Rows, _chunk.Columns, _plan, threads);
        Array.Clear(_workerUnitsFinished, 0, _units.Count);
        _workerUnitCount = 0;
        _workerUnitsMoved = 0;
        _nextUnit = 0;
        _depthBlocksPublished = 0;
        Volatile.Write(ref _chunksStarted, chunk + 1);
    }

    private void RunWorker<TKernel>(int worker)
        where TKernel : struct, IGemmMicroKernel
    {
        if (Interlocked.CompareExchange(ref _workerSlots[worker * SlotStride], Running, Waiting) != Waiting)
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
                ClaimUnits<TKernel>(default, worker);
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
        }
    }

    /// <summary>
    /// Computes units of the current chunk until none are left: into C for the caller
    /// (<paramref name="worker"/> = −1), into the scratch array for a worker.
    /// </summary>
    private void ClaimUnits<TKernel>(Span<float> c, int worker)
        where TKernel : struct, IGemmMicroKernel
    {
        int n = _plan.N;
        int scratchStride = _chunk.Columns;
        int unit;
        while ((unit = Interlocked.Increment(ref _nextUnit) - 1) < _units.Count)
        {
            _units.Get(unit, out int rowBegin, out int rowEnd, out int columnBegin, out int columnEnd);
            for (int d = 0; d < _plan.DepthSteps; d++)
            {
                if (!SpinUntilAtLeast(ref _depthBlocksPublished, d + 1))
                {
                    return;
                }
                GemmStep step = _plan.Step(_chunk.Chunk * _plan.DepthSteps + d);
                ReadOnlySpan<float> packedA = _packedA.AsSpan(d * _plan.PackedALength, _plan.PackedALength);
                ReadOnlySpan<float> packedB = _packedB.AsSpan(d * _plan.PackedBLength, _plan.PackedBLength);
                if (worker < 0)
                {
                    GemmBlockedProduct.ComputeShare<TKernel>(packedA, packedB, step.Depth,
                        rowBegin, rowEnd, columnBegin, columnEnd,
                        c.Slice((_chunk.Row + rowBegin) * n + _chunk.Column + columnBegin), n,
                        overwrite: d == 0 && !_accumulate);
                }
                else
                {
                    GemmBlockedProduct.ComputeShare<TKernel>(packedA, packedB, step.Depth,
                        rowBegin, rowEnd, columnBegin, columnEnd,
                        _scratch.AsSpan(rowBegin * scratchStride + columnBegin), scratchStride,
                        overwrite: d == 0);
                }
            }
            if (worker >= 0)
            {
                // List entries hold unit + 1, so that the caller can tell a slot that has been
                // claimed from one whose unit number is already visible.
                int slot = Interlocked.Increment(ref _workerUnitCount) - 1;
                Volatile.Write(ref _workerUnitsFinished[slot], unit + 1);
            }
            else
            {
                MoveWorkerUnits(c);
            }
        }
    }

    /// <summary>C (+)= the scratch of every worker unit listed as finished and not moved yet.</summary>
    private void MoveWorkerUnits(Span<float> c)
    {
        int n = _plan.N;
        int scratchStride = _chunk.Columns;
        while (_workerUnitsMoved < Volatile.Read(ref _workerUnitCount))
        {
            int entry = Volatile.Read(ref _workerUnitsFinished[_workerUnitsMoved]);
            if (entry == 0)
            {
                return; // claimed slot, unit number not written yet: next time
            }
            _workerUnitsMoved++;
            _units.Get(entry - 1, out int rowBegin, out int rowEnd, out int columnBegin, out int columnEnd);
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
        for (int w = 0; w < _workers; w++)
        {
            ref int state = ref _workerSlots[w * SlotStride];
            if (Interlocked.CompareExchange(ref state, Closed, Waiting) != Running)
            {
                continue; // closed now or earlier: it never touches this product
            }
            var spinner = new SpinWait();
            while (Volatile.Read(ref _workerSlots[w * SlotStride + 1]) < chunks)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
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
        int units = 0;
        for (int chunk = 0; chunk < _plan.ChunkCount; chunk++)
        {
            GemmStep step = _plan.Step(chunk * _plan.DepthSteps);
            units = Math.Max(units, new GemmUnits(step.Rows, step.Columns, _plan, threads).Count);
        }
        if (_workerUnitsFinished.Length < units)
        {
            _workerUnitsFinished = new int[Math.Max(units, 2 * _workerUnitsFinished.Length)];
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
        ArrayPool<float>.Shared.Return(_packedA);
        ArrayPool<float>.Shared.Return(_packedB);
        ArrayPool<float>.Shared.Return(_scratch);
        _packedA = _packedB = _scratch = [];
    }

    /// <summary>One delegate per kernel, created once, so handing out a job allocates nothing.</summary>
    private static class WorkerEntry<TKernel>
        where TKernel : struct, IGemmMicroKernel
    {
        public static readonly Action<GemmParallelJob, int> Run = static (job, worker) => job.RunWorker<TKernel>(worker);
    }
}
