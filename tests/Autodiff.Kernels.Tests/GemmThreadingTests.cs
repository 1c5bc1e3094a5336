using System;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Autodiff.Kernels.Tests;

/// <summary>
/// The threaded path: results do not depend on the thread count, concurrent callers (which
/// contend for the one set of workers) all get right answers, and steady-state calls allocate
/// nothing on the caller's thread.
/// </summary>
public sealed class GemmThreadingTests
{
    [Fact]
    public void ThreadCountDoesNotChangeTheResult()
    {
        const int m = 300, n = 500, k = 400;
        float[] a = GemmReference.Random(m * k, 1);
        float[] b = GemmReference.Random(k * n, 2);
        float[] one = new float[m * n], two = new float[m * n];
        using (new GemmPathScope(GemmPath.OneThread))
        {
            Gemm.Multiply(a, b, one, m, n, k, false, false, false);
        }
        using (new GemmPathScope(GemmPath.Threaded))
        {
            Gemm.Multiply(a, b, two, m, n, k, false, false, false);
        }
        // Every element is summed in the same order whichever thread computes it.
        Assert.Equal(one, two);
    }

    [Fact]
    public void ConcurrentCallersAllGetTheirProducts()
    {
        using var scope = new GemmPathScope(GemmPath.Threaded);
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, caller =>
        {
            for (int repeat = 0; repeat < 3; repeat++)
            {
                GemmReference.Check(96 + caller, 80, 64 + repeat, caller % 2 == 0, repeat % 2 == 0, caller % 3 == 0,
                    seed: caller * 100 + repeat);
            }
        });
    }

    [Fact]
    public void ProductsStayRightWhenWorkersArePreempted()
    {
        // Busy threads on every core make the operating system pre-empt GEMM workers at random
        // points: joining late, being shut out, losing a unit to the caller's take-over, or
        // still finishing one when the next product starts. Every result must still be exact
        // (the same as on one thread: each element is summed in the same order either way).
        const int m = 160, n = 96, k = 300;
        float[] a = GemmReference.Random(m * k, 1);
        float[] b = GemmReference.Random(k * n, 2);
        float[] expected = new float[m * n];
        using (new GemmPathScope(GemmPath.OneThread))
        {
            Gemm.Multiply(a, b, expected, m, n, k, false, false, false);
        }

        using var scope = new GemmPathScope(GemmPath.Threaded);
        bool stop = false;
        var noise = new Thread[Environment.ProcessorCount];
        for (int i = 0; i < noise.Length; i++)
        {
            noise[i] = new Thread(() =>
            {
                double x = 1;
                while (!Volatile.Read(ref stop))
                {
                    x = Math.Sqrt(x + 1);
                }
            }) { IsBackground = true };
            noise[i].Start();
        }
        try
        {
            float[] c = new float[m * n];
            for (int product = 0; product < 300; product++)
            {
                Array.Fill(c, float.NaN);
                Gemm.Multiply(a, b, c, m, n, k, false, false, false);
                Assert.Equal(expected, c);
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            foreach (Thread thread in noise)
            {
                thread.Join();
            }
        }
    }

    [Theory]
    [InlineData(GemmPath.Small, 32, 2, 16)]
    [InlineData(GemmPath.OneThread, 64, 128, 784)]
    [InlineData(GemmPath.Threaded, 256, 256, 256)]
    public void SteadyStateCallsDoNotAllocate(GemmPath path, int m, int n, int k)
    {
        using var scope = new GemmPathScope(path);
        float[] a = GemmReference.Random(m * k, 1);
        float[] b = GemmReference.Random(k * n, 2);
        float[] c = new float[m * n];
        for (int warmUp = 0; warmUp < 3; warmUp++)
        {
            Gemm.Multiply(a, b, c, m, n, k, false, true, false);
        }
        Assert.Equal(0, GemmReference.FewestBytesAllocated(
            call => Gemm.Multiply(a, b, c, m, n, k, false, true, call % 2 == 0)));
    }
}
