using System;
using System.Threading;

namespace Autodiff.Kernels;

// Workers joining a product, and the waits between them and the caller.
internal sealed partial class GemmParallelJob
{
    /// <summary>Entry point of worker <paramref name="worker"/>.</summary>
    public void RunWorker(int worker) => _workerEntry(this, worker);

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
}
