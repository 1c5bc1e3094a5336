using System;
using System.Threading;

namespace Autodiff.Kernels;

// The worker's side of a product: joining it (GemmWorkerSlots keeps the doors), and waiting for chunks.
internal sealed partial class GemmParallelJob
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
                if (!SpinUntilAtLeast(ref _chunksStarted, _slots.Finished(worker) + 1))
                {
                    return;
                }
                // Late joiners start at the chunk in progress; the caller cannot start the
                // next one until this worker reports this one finished.
                int chunk = Volatile.Read(ref _chunksStarted) - 1;
                WorkerClaimUnits<TKernel>();
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
}
