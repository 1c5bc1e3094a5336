using System;
using System.Diagnostics;
using System.Numerics.Tensors;
using System.Threading;

namespace Autodiff.Kernels;

// Which thread computes which unit, the packing it needs, and how its result reaches C.
internal sealed partial class GemmArrayJob
{
    /// <summary>Entry point of worker <paramref name="worker"/>.</summary>
    public void RunWorker(int worker) => _workerEntry(this, worker);

    private void RunWorker<TKernel>(int worker)
        where TKernel : struct, IGemmMicroKernel
    {
        if (!_slots.TryJoin(worker))
        {
            return; // too late for this product, or woken for one already finished
        }
        int chunks = _plan.ChunkCount;
        try
        {
            while (_slots.Finished(worker) < chunks)
            {
                if (!SpinUntilChunkStarted(_slots.Finished(worker) + 1))
                {
                    return;
                }
                // Late joiners start at the chunk in progress; the caller cannot start the
                // next one until this worker reports this one finished.
                int chunk = Volatile.Read(ref _chunksStarted) - 1;
                WorkerClaimUnits<TKernel>(worker);
                _slots.ReportFinished(worker, chunk + 1);
            }
        }
        catch (Exception e)
        {
            _workerFault = e;
        }
        finally
        {
            _slots.Leave(worker, chunks);
        }
    }

    /// <summary>
    /// The caller's share of the current chunk: claims units until none are left, computing each
    /// straight into C. Returns how many it computed.
    /// </summary>
    private int ClaimUnits<TKernel>()
        where TKernel : struct, IGemmMicroKernel
    {
        ThreadShare share = _shares[0];
        share.Packed.AsSpan(0, ItemCount).Clear();
        int computed = 0;
        while (TryClaim(0, out int unit))
        {
            Volatile.Write(ref _unitStates[unit], InC);
            ComputeUnitIntoC<TKernel>(share, unit);
            computed++;
        }
        return computed;
    }

    /// <summary>
    /// A worker's share of the current chunk: each unit it claims is computed into its scratch,
    /// then copied (or added) into C, unless the caller has taken the unit over meanwhile.
    /// </summary>
    private void WorkerClaimUnits<TKernel>(int worker)
        where TKernel : struct, IGemmMicroKernel
    {
        int thread = worker + 1;
        ThreadShare share = _shares[thread];
        share.Packed.AsSpan(0, ItemCount).Clear();
        while (!_abandoned && TryClaim(thread, out int unit))
        {
            ref int state = ref _unitStates[unit];
            // The caller may have taken the unit over between our claim and this line.
            if (Interlocked.CompareExchange(ref state, WorkerComputing, Unclaimed) != Unclaimed)
            {
                continue;
            }
            _units.Get(unit, out int rowBegin, out int rowEnd, out int columnBegin, out int columnEnd);
            Span<float> scratch = share.Scratch;
            ComputeUnit<TKernel>(share, rowBegin, rowEnd, columnBegin, columnEnd,
                scratch, columnEnd - columnBegin, addToTarget: false);
            // Fails, and the scratch is dropped, if the caller took the unit over meanwhile.
            if (Interlocked.CompareExchange(ref state, Committing, WorkerComputing) == WorkerComputing)
            {
                Commit(scratch, rowBegin, rowEnd, columnBegin, columnEnd);
                Volatile.Write(ref state, InC);
            }
        }
    }

    /// <summary>Claims a unit: from the front of the thread's own range, else from the back of another's.</summary>
    private bool TryClaim(int thread, out int unit)
    {
        if (TryTake(thread, fromBack: false, out unit))
        {
            return true;
        }
        for (int i = 1; i < _threads; i++)
        {
            if (TryTake((thread + i) % _threads, fromBack: true, out unit))
            {
                return true;
            }
        }
        return false;
    }

    private bool TryTake(int range, bool fromBack, out int unit)
    {
        ref long slot = ref _ranges[range * RangeStride];
        long seen = Volatile.Read(ref slot);
        while (true)
        {
            int front = (int)seen, back = (int)(seen >> 32);
            if (front >= back)
            {
                unit = -1;
                return false;
            }
            long next = fromBack ? Range(front, back - 1) : Range(front + 1, back);
            long found = Interlocked.CompareExchange(ref slot, next, seen);
            if (found == seen)
            {
                unit = fromBack ? back - 1 : front;
                return true;
            }
            seen = found;
        }
    }

    private void ComputeUnitIntoC<TKernel>(ThreadShare share, int unit)
        where TKernel : struct, IGemmMicroKernel
    {
        _units.Get(unit, out int rowBegin, out int rowEnd, out int columnBegin, out int columnEnd);
        int n = _plan.N;
        ComputeUnit<TKernel>(share, rowBegin, rowEnd, columnBegin, columnEnd,
            _c.AsSpan((_chunk.Row + rowBegin) * n + _chunk.Column + columnBegin), n, addToTarget: _accumulate);
    }

    /// <summary>
    /// One unit (rows and columns relative to the chunk) through every depth block, into
    /// <paramref name="target"/> (row stride <paramref name="ldt"/>): the first block stores
    /// unless <paramref name="addToTarget"/>, later ones add.
    /// </summary>
    private void ComputeUnit<TKernel>(ThreadShare share, int rowBegin, int rowEnd, int columnBegin, int columnEnd,
        Span<float> target, int ldt, bool addToTarget)
        where TKernel : struct, IGemmMicroKernel
    {
        for (int d = 0; d < _plan.DepthSteps; d++)
        {
            int depthStart = d * _plan.Depth;
            int depth = Math.Min(_plan.Depth, _plan.K - depthStart);
            PackMissing<TKernel>(share, d, depthStart, depth, rowBegin, rowEnd, columnBegin, columnEnd);
            GemmBlockedProduct.ComputeShare<TKernel>(
                share.PackedA.AsSpan(d * _plan.PackedALength, _plan.PackedALength),
                share.PackedB.AsSpan(d * _plan.PackedBLength, _plan.PackedBLength), depth,
                rowBegin, rowEnd, columnBegin, columnEnd, target, ldt,
                overwrite: d == 0 && !addToTarget);
        }
    }

    /// <summary>Packs the micro-panels of depth block <paramref name="d"/> of the unit that this thread has not packed yet.</summary>
    private void PackMissing<TKernel>(ThreadShare share, int d, int depthStart, int depth,
        int rowBegin, int rowEnd, int columnBegin, int columnEnd)
        where TKernel : struct, IGemmMicroKernel
    {
        Span<bool> packed = share.Packed.AsSpan(d * (_aPanels + _bPanels), _aPanels + _bPanels);
        int m = _plan.M, n = _plan.N, k = _plan.K;
        // Strides of the (line, depth) views described in GemmPacking.
        for (int p = rowBegin / TKernel.Rows; p < Divide(rowEnd, TKernel.Rows); p++)
        {
            if (!packed[p])
            {
                int row = p * TKernel.Rows;
                GemmPacking.PackPanels(_a.AsSpan(), _transposeA ? 1 : k, _transposeA ? m : 1,
                    _chunk.Row + row, Math.Min(TKernel.Rows, _chunk.Rows - row), depthStart, depth, TKernel.Rows,
                    share.PackedA.AsSpan(d * _plan.PackedALength + row * depth, TKernel.Rows * depth));
                packed[p] = true;
            }
        }
        Span<bool> packedB = packed.Slice(_aPanels);
        for (int p = columnBegin / TKernel.Columns; p < Divide(columnEnd, TKernel.Columns); p++)
        {
            if (!packedB[p])
            {
                int column = p * TKernel.Columns;
                GemmPacking.PackPanels(_b.AsSpan(), _transposeB ? k : 1, _transposeB ? 1 : n,
                    _chunk.Column + column, Math.Min(TKernel.Columns, _chunk.Columns - column), depthStart, depth, TKernel.Columns,
                    share.PackedB.AsSpan(d * _plan.PackedBLength + column * depth, TKernel.Columns * depth));
                packedB[p] = true;
            }
        }
    }

    /// <summary>Items (micro-panels × depth blocks) of the current chunk.</summary>
    private int ItemCount => (_aPanels + _bPanels) * _plan.DepthSteps;

    /// <summary>C (+)= a worker's finished unit.</summary>
    private void Commit(ReadOnlySpan<float> scratch, int rowBegin, int rowEnd, int columnBegin, int columnEnd)
    {
        Span<float> c = _c.AsSpan();
        int n = _plan.N;
        int width = columnEnd - columnBegin;
        for (int i = rowBegin; i < rowEnd; i++)
        {
            ReadOnlySpan<float> from = scratch.Slice((i - rowBegin) * width, width);
            Span<float> to = c.Slice((_chunk.Row + i) * n + _chunk.Column + columnBegin, width);
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

    /// <summary>
    /// Last chunk, caller out of units: waits for the workers' units for about two of the
    /// caller's unit times (never less than one), then computes any still unfinished into C
    /// itself. Returns only when every unit is in C.
    /// </summary>
    private void TakeOverLateUnits<TKernel>(long ownTicks, int ownUnits)
        where TKernel : struct, IGemmMicroKernel
    {
        long patience = ownUnits > 0 ? 2 * ownTicks / ownUnits : ownTicks;
        long deadline = Stopwatch.GetTimestamp() + patience;
        _leavingTicks = Math.Max(_leavingTicks, patience);
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
                ComputeUnitIntoC<TKernel>(_shares[0], unit);
            }
            AwaitCommitted(ref state);
        }
    }

    /// <summary>
    /// Waits while a worker copies a unit into C. That takes microseconds; it is the one wait
    /// that a worker pre-empted at the wrong moment can stretch to a time slice. A worker that
    /// dies reports it by leaving.
    /// </summary>
    private void AwaitCommitted(ref int state)
    {
        var spinner = new SpinWait();
        while (Volatile.Read(ref state) == Committing && _slots.AnyRunning())
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>After a failure on the caller's side: no worker may start writing C any more.</summary>
    private void SealUnits()
    {
        for (int unit = 0; unit < _units.Count; unit++)
        {
            ref int state = ref _unitStates[unit];
            var spinner = new SpinWait();
            int seen;
            while ((seen = Volatile.Read(ref state)) != InC)
            {
                if (seen == Committing)
                {
                    if (!_slots.AnyRunning())
                    {
                        break;
                    }
                    spinner.SpinOnce(sleep1Threshold: -1);
                }
                else
                {
                    Interlocked.CompareExchange(ref state, InC, seen);
                }
            }
        }
    }

    /// <summary>Spins until the caller has started chunk <paramref name="chunks"/>; false if it gave up.</summary>
    private bool SpinUntilChunkStarted(int chunks)
    {
        var spinner = new SpinWait();
        while (Volatile.Read(ref _chunksStarted) < chunks)
        {
            if (_abandoned)
            {
                return false;
            }
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        return true;
    }
}
