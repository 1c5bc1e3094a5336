using System;
using Xunit;

namespace Autodiff.Kernels.Tests;

/// <summary>
/// The naive triple loop in double precision, and the check of a float result against it.
/// </summary>
/// <remarks>
/// The tolerance is the classical bound on a floating-point dot product (Higham, "Accuracy and
/// Stability of Numerical Algorithms", §3.1): however the k products are grouped into partial
/// sums, each reaches the result through at most k roundings of a multiply or an add, so
/// |computed − exact| ≤ γ(k) · Σₚ |aᵢₚ|·|bₚⱼ| with γ(k) = k·u / (1 − k·u) and u = 2⁻²⁴ the unit
/// roundoff of float. We allow k + 3 roundings: the blocked product adds the partial sum of
/// each depth block to C, adds C's old value when accumulating, and a tile computed in a side
/// buffer (edges, worker scratch) is added once more. The bound is rigorous, so the tests do
/// not depend on luck; the double reference itself is exact to far below it.
/// </remarks>
internal static class GemmReference
{
    private const double UnitRoundoff = 1.0 / (1 << 24);

    public static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return values;
    }

    /// <summary>
    /// Asserts that <paramref name="actual"/> (m×n) is op(A)·op(B) (+ <paramref name="initial"/>
    /// when accumulating) within the rounding bound, element by element.
    /// </summary>
    public static void AssertProduct(float[] a, float[] b, float[] initial, float[] actual,
        int m, int n, int k, bool transposeA, bool transposeB, bool accumulate)
    {
        double gamma = (k + 3) * UnitRoundoff / (1 - (k + 3) * UnitRoundoff);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double exact = accumulate ? initial[i * n + j] : 0;
                double magnitude = accumulate ? Math.Abs(initial[i * n + j]) : 0;
                for (int p = 0; p < k; p++)
                {
                    double product = (double)(transposeA ? a[p * m + i] : a[i * k + p])
                        * (transposeB ? b[j * k + p] : b[p * n + j]);
                    exact += product;
                    magnitude += Math.Abs(product);
                }
                double error = Math.Abs(actual[i * n + j] - exact);
                if (!(error <= gamma * magnitude))
                {
                    Assert.Fail($"C[{i},{j}] of {m}x{n}x{k} (transposeA={transposeA}, transposeB={transposeB}, " +
                        $"accumulate={accumulate}) is {actual[i * n + j]:R}, expected {exact:R} within {gamma * magnitude:E2}.");
                }
            }
        }
    }

    /// <summary>Runs one product on random data through the current path and checks it.</summary>
    public static void Check(int m, int n, int k, bool transposeA, bool transposeB, bool accumulate, int seed = 1)
    {
        float[] a = Random(m * k, seed);
        float[] b = Random(k * n, seed + 1);
        // When overwriting, C starts as NaN: any read of its old value would poison the result.
        float[] initial = accumulate ? Random(m * n, seed + 2) : Filled(m * n, float.NaN);
        float[] c = (float[])initial.Clone();
        Gemm.Multiply(a, b, c, m, n, k, transposeA, transposeB, accumulate);
        AssertProduct(a, b, initial, c, m, n, k, transposeA, transposeB, accumulate);
    }

    /// <summary>
    /// Bytes the calling thread allocates over 20 calls of <paramref name="call"/> (given the call's
    /// number), in the quietest of three such windows. Steady state means that some window
    /// allocates nothing: an allocation made on every call shows in every window, while a product
    /// that finds a worker still finishing the previous one runs on the calling thread, on buffers
    /// from the pool, and the first such product can make the pool allocate them, once.
    /// </summary>
    public static long FewestBytesAllocated(Action<int> call)
    {
        long fewest = long.MaxValue;
        for (int window = 0; window < 3 && fewest > 0; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20; i++)
            {
                call(i);
            }
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }

    public static float[] Filled(int length, float value)
    {
        var values = new float[length];
        Array.Fill(values, value);
        return values;
    }
}
