using System;
using System.Threading;

namespace Autodiff.Kernels;

/// <summary>Work over a range of indices that can be cut anywhere: the body of <see cref="ParallelRange.Run{TBody}"/>.</summary>
internal interface IRangeBody
{
    /// <summary>Does the work of indices [<paramref name="start"/>, <paramref name="end"/>).</summary>
    void Run(int start, int end);
}

/// <summary>
/// Runs work that is not a matrix product (element-wise passes over large tensors, the
/// products of a batch) on the calling thread and the GEMM's worker threads together.
/// </summary>
/// <remarks>
/// <para>
/// Why: in a training step the products run on both cores and everything between them on one.
/// The CharTransformer's element-wise passes work on tensors of 0.4 to 1.6 MB, from L3 and
/// memory, at one core's bandwidth; GELU is arithmetic-bound; and the 48 products of the
/// attention heads are each too small to share, but together they are not. Each of these took
/// one to several milliseconds of a 40 ms step on one core.
/// </para>
/// <para>
/// How: the range is cut into blocks of <c>grain</c> indices, which the caller and the workers
/// claim from one counter. Unlike the GEMM's array job, a block is written as it is computed and
/// never taken over, so the caller waits at the end for a worker that is inside a block; blocks
/// are kept to tens of microseconds, and a worker that has not joined by the time the caller has
/// claimed the last block is shut out (<see cref="GemmWorkerSlots"/>), so a sleeping or
/// pre-empted worker costs at most the block it holds. Bodies are structs, one job object per
/// body type, so nothing is allocated per call. One range runs at a time per body type; a call
/// that finds its job busy (another thread, or a body that runs a range of its own type) runs
/// on its calling thread alone.
/// </para>
/// </remarks>
internal static class ParallelRange
{
    /// <summary>
    /// Runs <paramref name="body"/> over [0, <paramref name="count"/>) in blocks of
    /// <paramref name="grain"/>, on up to <see cref="Gemm.MaxThreads"/> threads; ranges of fewer
    /// than two blocks run on the calling thread. The body must write disjoint results for
    /// disjoint blocks.
    /// </summary>
    public static void Run<TBody>(TBody body, int count, int grain)
        where TBody : struct, IRangeBody
    {
        if (grain < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(grain), grain, "ParallelRange: a block holds at least one index.");
        }
        int threads = Math.Min(Gemm.MaxThreads, Environment.ProcessorCount);
        if (threads == 1 || count < 2 * (long)grain)
        {
            body.Run(0, count);
            return;
        }
        RangeJob<TBody>? job = RangeJob<TBody>.TryTake();
        if (job is null)
        {
            body.Run(0, count);
            return;
        }
        try
        {
            job.Run(body, count, grain, threads);
        }
        finally
        {
            RangeJob<TBody>.Return(job);
        }
    }

    /// <summary>One range shared with the workers; one instance per body type, reused.</summary>
    private sealed class RangeJob<TBody> : IGemmWorkerJob
        where TBody : struct, IRangeBody
    {
        private static RangeJob<TBody>? s_idle = new();

        private readonly GemmWorkerSlots _slots = new();
        private TBody _body;
        private int _count;
        private int _grain;
        private int _blocks;
        private int _nextBlock;
        private Exception? _workerFault;

        public static RangeJob<TBody>? TryTake() => Interlocked.Exchange(ref s_idle, null);

        public static void Return(RangeJob<TBody> job) => Volatile.Write(ref s_idle, job);

        public void Run(TBody body, int count, int grain, int threads)
        {
            _body = body;
            _count = count;
            _grain = grain;
            _blocks = (int)(((long)count + grain - 1) / grain);
            _nextBlock = 0;
            _workerFault = null;
            int workers = threads - 1;
            GemmWorker[] pool = GemmWorker.Get(workers);
            _slots.Prepare(workers);
            for (int w = 0; w < workers; w++)
            {
                _slots.Open(w);
                pool[w].Start(this);
            }
            try
            {
                RunBlocks();
            }
            finally
            {
                // Nothing is left to claim: a worker arriving now must not start, and one inside
                // a block is waited for (its block is part of the result).
                _slots.CloseDoors();
                var spinner = new SpinWait();
                while (_slots.AnyRunning())
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                }
                _body = default; // lets go of the arrays the body holds
            }
            if (_workerFault is { } fault)
            {
                throw new InvalidOperationException("A worker thread failed in a parallel range.", fault);
            }
        }

        public void RunWorker(int worker)
        {
            if (!_slots.TryJoin(worker))
            {
                return; // too late for this range, or woken for one already finished
            }
            try
            {
                RunBlocks();
            }
            catch (Exception e)
            {
                _workerFault = e; // the caller rethrows it once the range is over
            }
            finally
            {
                _slots.Leave(worker, 0);
            }
        }

        private void RunBlocks()
        {
            int block;
            while ((block = Interlocked.Increment(ref _nextBlock) - 1) < _blocks)
            {
                int start = block * _grain;
                _body.Run(start, (int)Math.Min((long)start + _grain, _count));
            }
        }
    }
}
