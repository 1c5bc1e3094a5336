using System;
using System.Diagnostics;
using System.Threading;

namespace Autodiff.Kernels;

/// <summary>
/// The doors between one threaded product and its <see cref="GemmWorker"/>s: per worker, whether
/// it is waiting to join, running, shut out or gone, and how many chunks of C it has finished.
/// Both threaded products (<see cref="GemmParallelJob"/>, <see cref="GemmArrayJob"/>) keep one.
/// </summary>
/// <remarks>
/// A worker joins by moving its state from waiting to running. When the caller needs the workers
/// (to reuse buffers, or to finish) it first closes the door on those still waiting (asleep, or
/// not scheduled yet): such a worker later finds the door closed and leaves without touching
/// anything, so it can never hold the caller up. Each slot sits on a cache line of its own.
/// </remarks>
internal sealed class GemmWorkerSlots
{
    /// <summary>Slots sit this many ints apart, one cache line, to avoid false sharing.</summary>
    private const int SlotStride = 16;

    private const int Waiting = 0, Running = 1, Closed = 2, Left = 3;

    /// <summary>
    /// The least a caller waits at the end of a product for workers to leave (10 µs). Products
    /// often follow each other directly, and one that finds a worker still running runs on its
    /// calling thread alone, on buffers of its own.
    /// </summary>
    public static readonly long LeavingTicks = Stopwatch.Frequency / 100_000;

    // Slot w holds worker w's state and, one int further, the chunks it has finished.
    private int[] _slots = [];
    private int _workers;

    /// <summary>Sizes the slots for <paramref name="workers"/> workers, every door still closed.</summary>
    public void Prepare(int workers)
    {
        _workers = workers;
        if (_slots.Length < workers * SlotStride)
        {
            // Closed, not the default Waiting: a worker waking late for an earlier product must
            // not join this one before the caller has finished setting it up.
            var slots = new int[workers * SlotStride];
            Array.Fill(slots, Closed);
            _slots = slots;
        }
    }

    /// <summary>Lets <paramref name="worker"/> in; call once the product is fully set up.</summary>
    public void Open(int worker)
    {
        _slots[worker * SlotStride + 1] = 0;
        Volatile.Write(ref _slots[worker * SlotStride], Waiting);
    }

    /// <summary>The worker's way in: false if it is too late for this product, or woken for one already finished.</summary>
    public bool TryJoin(int worker) =>
        Interlocked.CompareExchange(ref _slots[worker * SlotStride], Running, Waiting) == Waiting;

    /// <summary>Chunks the worker has finished (read by the worker itself).</summary>
    public int Finished(int worker) => Volatile.Read(ref _slots[worker * SlotStride + 1]);

    public void ReportFinished(int worker, int chunks) => Volatile.Write(ref _slots[worker * SlotStride + 1], chunks);

    /// <summary>The worker is done with this product, having finished <paramref name="chunks"/> or given up.</summary>
    public void Leave(int worker, int chunks)
    {
        Volatile.Write(ref _slots[worker * SlotStride + 1], chunks);
        Volatile.Write(ref _slots[worker * SlotStride], Left);
    }

    /// <summary>Workers still waiting to join will find the door closed and not touch the job.</summary>
    public void CloseDoors()
    {
        for (int w = 0; w < _workers; w++)
        {
            Interlocked.CompareExchange(ref _slots[w * SlotStride], Closed, Waiting);
        }
    }

    /// <summary>
    /// Closes the doors, then waits (spinning) until every worker that did join has finished
    /// <paramref name="chunks"/> chunks.
    /// </summary>
    public void WaitForWorkers(int chunks)
    {
        CloseDoors();
        for (int w = 0; w < _workers; w++)
        {
            if (Volatile.Read(ref _slots[w * SlotStride]) != Running)
            {
                continue;
            }
            var spinner = new SpinWait();
            while (Volatile.Read(ref _slots[w * SlotStride + 1]) < chunks)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    /// <summary>
    /// Spins until no worker is running, for at most <paramref name="ticks"/>: a worker that has
    /// finished its last unit leaves within a microsecond, unless it is pre-empted.
    /// </summary>
    public void AwaitLeaving(long ticks)
    {
        long deadline = Stopwatch.GetTimestamp() + ticks;
        var spinner = new SpinWait();
        while (AnyRunning() && Stopwatch.GetTimestamp() < deadline)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    public bool AnyRunning()
    {
        for (int w = 0; w < _workers; w++)
        {
            if (Volatile.Read(ref _slots[w * SlotStride]) == Running)
            {
                return true;
            }
        }
        return false;
    }
}
