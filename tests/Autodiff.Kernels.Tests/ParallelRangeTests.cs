using System;
using System.Threading;
using Xunit;

namespace Autodiff.Kernels.Tests;

/// <summary>
/// <see cref="ParallelRange"/>: every index is run exactly once whatever the count, block size
/// and thread count; a failure on either thread reaches the caller; a range started from inside
/// a range of the same body type runs on its own thread; steady-state calls allocate nothing.
/// </summary>
public sealed class ParallelRangeTests
{
    public static TheoryData<int, int, int> Ranges()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int threads in new[] { 1, 2 })
        {
            data.Add(0, 1, threads);
            data.Add(1, 1, threads);
            data.Add(2, 1, threads);
            data.Add(7, 3, threads);       // a last block shorter than the others
            data.Add(15, 16, threads);     // under one block
            data.Add(32, 16, threads);     // exactly two
            data.Add(33, 16, threads);
            data.Add(100_003, 1024, threads);
            data.Add(5_000, 1, threads);   // many blocks of one index
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Every_index_runs_exactly_once(int count, int grain, int threads)
    {
        using var scope = new GemmPathScope(GemmPath.Default);
        Gemm.MaxThreads = threads;
        var visits = new int[count];
        for (int repeat = 0; repeat < 20; repeat++)
        {
            Array.Clear(visits);
            ParallelRange.Run(new CountingBody(visits), count, grain);
            Assert.All(visits, v => Assert.Equal(1, v));
        }
    }

    [Fact]
    public void A_failure_in_any_block_reaches_the_caller()
    {
        using var scope = new GemmPathScope(GemmPath.Default);
        Gemm.MaxThreads = 2;
        for (int failing = 0; failing < 64; failing += 9)
        {
            // The failing block runs on whichever thread claims it: caller or worker, both must report.
            Exception error = Record.Exception(() => ParallelRange.Run(new FailingBody(failing), 64, 1));
            Assert.NotNull(error);
            Assert.Contains("block " + failing, (error.InnerException ?? error).Message);
        }
        // The job is usable again afterwards.
        var visits = new int[64];
        ParallelRange.Run(new CountingBody(visits), 64, 1);
        Assert.All(visits, v => Assert.Equal(1, v));
    }

    [Fact]
    public void A_range_inside_a_range_of_the_same_body_runs_on_its_own_thread()
    {
        using var scope = new GemmPathScope(GemmPath.Default);
        Gemm.MaxThreads = 2;
        var visits = new int[40 * 40];
        ParallelRange.Run(new NestingBody(visits, 40, row: -1), 40, 1);
        Assert.All(visits, v => Assert.Equal(1, v));
    }

    [Fact]
    public void Steady_state_ranges_allocate_nothing()
    {
        using var scope = new GemmPathScope(GemmPath.Default);
        Gemm.MaxThreads = 2;
        var visits = new int[50_000];
        for (int i = 0; i < 5; i++)
        {
            ParallelRange.Run(new CountingBody(visits), visits.Length, 1000);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++)
        {
            ParallelRange.Run(new CountingBody(visits), visits.Length, 1000);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private readonly struct CountingBody(int[] visits) : IRangeBody
    {
        public void Run(int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                Interlocked.Increment(ref visits[i]);
            }
        }
    }

    private readonly struct FailingBody(int failing) : IRangeBody
    {
        public void Run(int start, int end)
        {
            Thread.SpinWait(2000); // long enough that the worker gets blocks too
            if (failing >= start && failing < end)
            {
                throw new InvalidOperationException("block " + failing);
            }
        }
    }

    /// <summary>Rows of a square: the outer range runs rows, each row a range of the same body type.</summary>
    private readonly struct NestingBody(int[] visits, int width, int row) : IRangeBody
    {
        public void Run(int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                if (row < 0)
                {
                    ParallelRange.Run(new NestingBody(visits, width, i), width, 1);
                }
                else
                {
                    Interlocked.Increment(ref visits[row * width + i]);
                }
            }
        }
    }
}
