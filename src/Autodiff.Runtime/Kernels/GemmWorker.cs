using System;
using System.Diagnostics;
using System.Threading;

namespace Autodiff.Kernels;

/// <summary>A threaded product that <see cref="GemmWorker"/>s join.</summary>
internal interface IGemmWorkerJob
{
    /// <summary>Runs worker <paramref name="worker"/>'s share of the product, or returns at once if it is too late to join.</summary>
    void RunWorker(int worker);
}

/// <summary>
/// A dedicated background thread that runs its share of threaded products
/// (<see cref="GemmParallelJob"/>, <see cref="GemmArrayJob"/>). Workers
/// are created on first need and live for the process; one thread per extra core is cheaper
/// than queueing to the thread pool, whose wake-up latency is of the order of a small product.
/// </summary>
internal sealed class GemmWorker
{
    /// <summary>
    /// How long a worker keeps polling for the next job before it blocks. Training loops issue
    /// products back to back; polling for a little longer than the gap between them saves a
    /// kernel wake-up (tens of microseconds) per product at the price of a briefly busy core.
    /// </summary>
    private static readonly long PollTicks = Stopwatch.Frequency / 20_000; // 50 µs

    private static GemmWorker[] s_workers = [];
    private static readonly object s_growLock = new();

    private readonly int _index;
    private readonly SemaphoreSlim _wake = new(0);
    private IGemmWorkerJob? _job;

    private GemmWorker(int index)
    {
        _index = index;
        var thread = new Thread(Loop)
        {
            IsBackground = true,
            Name = $"Autodiff GEMM worker {index + 1}",
        };
        thread.Start();
    }

    /// <summary>The first <paramref name="count"/> workers, creating any that do not exist yet.</summary>
    public static GemmWorker[] Get(int count)
    {
        GemmWorker[] workers = Volatile.Read(ref s_workers);
        if (workers.Length >= count)
        {
            return workers;
        }
        lock (s_growLock)
        {
            workers = s_workers;
            if (workers.Length < count)
            {
                var grown = new GemmWorker[count];
                Array.Copy(workers, grown, workers.Length);
                for (int i = workers.Length; i < count; i++)
                {
                    grown[i] = new GemmWorker(i);
                }
                Volatile.Write(ref s_workers, grown);
                workers = grown;
            }
            return workers;
        }
    }

    /// <summary>Hands the worker a job; it runs share <c>index + 1</c> (share 0 is the caller's).</summary>
    public void Start(IGemmWorkerJob job)
    {
        Volatile.Write(ref _job, job);
        _wake.Release();
    }

    private void Loop()
    {
        while (true)
        {
            WaitForJob().RunWorker(_index);
        }
    }

    private IGemmWorkerJob WaitForJob()
    {
        while (true)
        {
            long deadline = Stopwatch.GetTimestamp() + PollTicks;
            var spinner = new SpinWait();
            do
            {
                // Read before exchanging so that polling does not keep stealing the cache line
                // the caller is about to write; only this thread ever takes the job out.
                if (Volatile.Read(ref _job) is not null)
                {
                    return Interlocked.Exchange(ref _job, null)!;
                }
                spinner.SpinOnce(sleep1Threshold: -1);
            }
            while (Stopwatch.GetTimestamp() < deadline);

            // Start releases the semaphore once per job, so a job picked up by polling leaves a
            // stale count behind; the loop above then simply finds no job and polls again.
            _wake.Wait();
        }
    }
}
