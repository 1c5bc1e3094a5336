using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Autodiff.Kernels.Tests;

/// <summary>
/// The entry point over arrays (<see cref="Gemm.MultiplyArrays"/>), whose threaded products let
/// the workers pack their own panels and write C themselves (<see cref="GemmArrayJob"/>): every
/// transpose and accumulate combination on every route, matrices at offsets inside larger arrays
/// (nothing outside C's segment may change), products cut into several chunks, results that do
/// not depend on the thread count, pre-empted workers, concurrent callers, no allocation.
/// </summary>
public sealed class GemmArrayTests
{
    private static readonly GemmPath[] Paths = [GemmPath.Default, GemmPath.OneThread, GemmPath.Small, GemmPath.Threaded];

    public static IEnumerable<object[]> Shapes()
    {
        foreach (GemmPath path in Paths)
        {
            yield return [path, 1, 1, 1];
            yield return [path, 17, 33, 65];
            yield return [path, 64, 128, 784];   // the dense layer's forward product
            yield return [path, 784, 128, 64];   // and its weight gradient (transposed A, accumulating)
            yield return [path, 129, 7, 257];    // narrower than a tile
            yield return [path, 100, 300, 3];
            yield return [path, 200, 160, 300];  // threaded by default
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesReferenceAtOffsets(GemmPath path, int m, int n, int k)
    {
        using var scope = new GemmPathScope(path);
        for (int flags = 0; flags < 8; flags++)
        {
            CheckAtOffsets(m, n, k,
                transposeA: (flags & 1) != 0, transposeB: (flags & 2) != 0, accumulate: (flags & 4) != 0,
                seed: m * 7919 + n * 31 + k + flags, offsets: (flags * 5 + 3, flags * 3 + 1, 7 - flags));
        }
    }

    [Fact]
    public void WholeArraysMatchReference()
    {
        using var scope = new GemmPathScope(GemmPath.Threaded);
        for (int flags = 0; flags < 8; flags++)
        {
            CheckAtOffsets(96, 160, 300,
                transposeA: (flags & 1) != 0, transposeB: (flags & 2) != 0, accumulate: (flags & 4) != 0,
                seed: flags, offsets: (0, 0, 0), slack: 0);
        }
    }

    [Theory]
    [InlineData(1100, 70, 300)]  // two row chunks
    [InlineData(70, 1100, 300)]  // two column chunks
    [InlineData(600, 20, 8200)]  // deep k: the packed-size bound (511 rows) makes two row chunks
    public void ThreadedChunksMatchReference(int m, int n, int k)
    {
        using var scope = new GemmPathScope(GemmPath.Threaded);
        for (int flags = 0; flags < 8; flags++)
        {
            CheckAtOffsets(m, n, k,
                transposeA: (flags & 1) != 0, transposeB: (flags & 2) != 0, accumulate: (flags & 4) != 0,
                seed: flags, offsets: (1, 2, 3));
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void ThreadCountDoesNotChangeTheResult(bool transposeA, bool transposeB)
    {
        // Uneven sizes: units and tiles with ragged edges, and the worker's scratch stride
        // differing from C's.
        const int m = 300, n = 500, k = 400;
        float[] a = GemmReference.Random(m * k, 1);
        float[] b = GemmReference.Random(k * n, 2);
        float[] one = new float[m * n], two = new float[m * n], span = new float[m * n];
        using (new GemmPathScope(GemmPath.OneThread))
        {
            Gemm.MultiplyArrays(a, b, one, m, n, k, transposeA, transposeB, false);
        }
        using (new GemmPathScope(GemmPath.Threaded))
        {
            Gemm.MultiplyArrays(a, b, two, m, n, k, transposeA, transposeB, false);
            Gemm.Multiply(a, b, span, m, n, k, transposeA, transposeB, false);
        }
        // Every element is summed in the same order whichever thread computes it, on either route.
        Assert.Equal(one, two);
        Assert.Equal(one, span);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ProductsStayRightWhenWorkersArePreempted(bool accumulate)
    {
        // Busy threads on every core make the operating system pre-empt GEMM workers at random
        // points: joining late, being shut out, losing a unit to the caller's take-over, or
        // still finishing one when the next product starts. The training shapes: A transposed
        // and accumulating is the weight gradient. Storing, every result must be exact; when
        // accumulating into C = 0, within rounding of it.
        const int m = 96, n = 128, k = 320;
        float[] a = GemmReference.Random(m * k, 1);
        float[] b = GemmReference.Random(k * n, 2);
        float[] expected = new float[m * n];
        using (new GemmPathScope(GemmPath.OneThread))
        {
            Gemm.MultiplyArrays(a, b, expected, m, n, k, accumulate, false, false);
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
                Array.Fill(c, accumulate ? 0f : float.NaN);
                Gemm.MultiplyArrays(a, b, c, m, n, k, accumulate, false, accumulate);
                if (accumulate)
                {
                    GemmReference.AssertProduct(a, b, new float[m * n], c, m, n, k, true, false, true);
                }
                else
                {
                    Assert.Equal(expected, c);
                }
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

    [Fact]
    public void ConcurrentCallersAllGetTheirProducts()
    {
        // Only one caller at a time gets the array job (and one the span job); the others run on
        // their own threads. Both jobs hand work to the same workers: a worker busy with one
        // route's product is late for the other's, which must then finish without it.
        using var scope = new GemmPathScope(GemmPath.Threaded);
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, caller =>
        {
            for (int repeat = 0; repeat < 4; repeat++)
            {
                int m = 96 + caller, n = 80, k = 64 + repeat;
                bool transposeA = caller % 2 == 0, transposeB = repeat % 2 == 0, accumulate = caller % 3 == 0;
                if ((caller + repeat) % 2 == 0)
                {
                    CheckAtOffsets(m, n, k, transposeA, transposeB, accumulate,
                        seed: caller * 100 + repeat, offsets: (caller, repeat, 1));
                }
                else
                {
                    GemmReference.Check(m, n, k, transposeA, transposeB, accumulate, seed: caller * 100 + repeat);
                }
            }
        });
    }

    [Theory]
    [InlineData(GemmPath.Small, 32, 2, 16)]
    [InlineData(GemmPath.OneThread, 64, 128, 784)]
    [InlineData(GemmPath.Threaded, 64, 128, 784)]
    [InlineData(GemmPath.Threaded, 256, 256, 256)]
    public void SteadyStateCallsDoNotAllocate(GemmPath path, int m, int n, int k)
    {
        using var scope = new GemmPathScope(path);
        float[] a = GemmReference.Random(m * k + 3, 1);
        float[] b = GemmReference.Random(k * n, 2);
        float[] c = new float[m * n + 5];
        var aSegment = new ArraySegment<float>(a, 3, m * k);
        var cSegment = new ArraySegment<float>(c, 5, m * n);
        for (int warmUp = 0; warmUp < 3; warmUp++)
        {
            Gemm.MultiplyArrays(aSegment, b, cSegment, m, n, k, false, true, false);
        }
        Assert.Equal(0, GemmReference.FewestBytesAllocated(
            call => Gemm.MultiplyArrays(aSegment, b, cSegment, m, n, k, call % 3 == 0, true, call % 2 == 0)));
    }

    [Theory]
    [InlineData(768, 512, 128)]  // the CharTransformer's MLP products
    [InlineData(128, 512, 768)]
    [InlineData(200, 160, 300)]
    public void AThreadedProductLeavesTheCallersBuffersReadyForItsOneThreadFallback(int m, int n, int k)
    {
        // A threaded product that finds a worker still busy runs on the calling thread alone, at
        // random; the buffers it needs then must already be there, or a late step allocates.
        using var scope = new GemmPathScope(GemmPath.Threaded);
        if (Gemm.Kernel != GemmKernelKind.Vector512)
        {
            return; // the fallback below is the AVX-512 one
        }
        float[] a = GemmReference.Random(m * k, 1), b = GemmReference.Random(k * n, 2), c = new float[m * n];
        Gemm.MultiplyArrays(a, b, c, m, n, k, false, false, false);
        long before = GC.GetAllocatedBytesForCurrentThread();
        GemmBlockedProduct.Multiply<GemmMicroKernel512>(a, b, c, m, n, k, false, false, false, threads: 1);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Unreserved, the fallback allocates its packed panels here (524 and 656 KB for the first two sizes).
        // In one full run of the suite (CI, 2026-12-04) 7,896 bytes appeared on this thread from
        // elsewhere, once in three runs and never alone; that is not what this test is about.
        Assert.True(allocated < 16 * 1024, $"the one-thread fallback allocated {allocated} bytes");
    }

    [Fact]
    public void ShortSegmentsAreRefusedBeforeAnyWork()
    {
        using var scope = new GemmPathScope(GemmPath.Threaded);
        float[] c = new float[400 * 400 + 1];
        var error = Assert.Throws<ArgumentException>(() => Gemm.MultiplyArrays(
            new float[400 * 400], new ArraySegment<float>(new float[400 * 400], 1, 400 * 400 - 1),
            c, 400, 400, 400, false, false, false));
        Assert.Equal("b", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => Gemm.MultiplyArrays(
            new float[400 * 400], new float[400 * 400], new ArraySegment<float>(c, 2, 400 * 400 - 1),
            400, 400, 400, false, false, false));
        Assert.Equal("c", error.ParamName);
        Assert.All(c, value => Assert.Equal(0f, value));
    }

    /// <summary>
    /// One product with A, B and C placed at the given offsets inside arrays with
    /// <paramref name="slack"/> floats to spare at the end, checked against the reference;
    /// C's array must be unchanged outside its segment.
    /// </summary>
    private static void CheckAtOffsets(int m, int n, int k, bool transposeA, bool transposeB, bool accumulate,
        int seed, (int A, int B, int C) offsets, int slack = 4)
    {
        float[] a = GemmReference.Random(m * k, seed);
        float[] b = GemmReference.Random(k * n, seed + 1);
        float[] initial = accumulate ? GemmReference.Random(m * n, seed + 2) : GemmReference.Filled(m * n, float.NaN);
        float[] aArray = Place(a, offsets.A, slack, 0f);
        float[] bArray = Place(b, offsets.B, slack, 0f);
        float[] cArray = Place(initial, offsets.C, slack, -7f);

        Gemm.MultiplyArrays(new ArraySegment<float>(aArray, offsets.A, a.Length),
            new ArraySegment<float>(bArray, offsets.B, b.Length),
            new ArraySegment<float>(cArray, offsets.C, initial.Length),
            m, n, k, transposeA, transposeB, accumulate);

        GemmReference.AssertProduct(a, b, initial, cArray.AsSpan(offsets.C, initial.Length).ToArray(),
            m, n, k, transposeA, transposeB, accumulate);
        for (int i = 0; i < offsets.C; i++)
        {
            Assert.Equal(-7f, cArray[i]);
        }
        for (int i = offsets.C + initial.Length; i < cArray.Length; i++)
        {
            Assert.Equal(-7f, cArray[i]);
        }
    }

    /// <summary>The values at <paramref name="offset"/> in a larger array filled with <paramref name="fill"/> around them.</summary>
    private static float[] Place(float[] values, int offset, int slack, float fill)
    {
        var array = GemmReference.Filled(offset + values.Length + slack, fill);
        values.CopyTo(array, offset);
        return array;
    }
}
