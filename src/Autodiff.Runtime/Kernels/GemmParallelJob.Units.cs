using System;
using System.Diagnostics;
using System.Numerics.Tensors;
using System.Threading;

namespace Autodiff.Kernels;

// Which thread computes which unit of a chunk, and how its result reaches C.
internal sealed partial class GemmParallelJob
{
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
}
