using System;
using System.Runtime.Intrinsics;
using Xunit;

namespace Autodiff.Kernels.Tests;

/// <summary>
/// The float exponential of the element-wise kernels (<see cref="FloatExponential"/>), at both
/// vector widths, against the double exponential rounded to float: within 2 ulp over float's
/// whole normal range, and the edges (underflow to 0, overflow to infinity, NaN) as MathF.Exp has them.
/// </summary>
public sealed class FloatExponentialTests
{
    [Fact]
    public void Every_lane_is_within_two_ulp_of_the_double_exponential_over_the_normal_range()
    {
        var random = new Random(11);
        var values = new float[1 << 16];
        for (int i = 0; i < values.Length; i++)
        {
            // Dense near 0, where most arguments of softmax and GELU fall, and across all of [−87.3, 88.7].
            values[i] = i % 2 == 0 ? (float)(random.NextDouble() * 176.05 - 87.33) : (float)(random.NextDouble() * 2 - 1);
        }
        values[0] = 0f;
        values[1] = -87.33654f;
        values[2] = 88.72283f;
        values[3] = -87.0f;
        values[4] = 88.5f;
        AssertWithinUlp(values);
    }

    [Fact]
    public void Arguments_past_the_range_give_zero_or_infinity_and_NaN_stays_NaN()
    {
        float[] values = [-87.4f, -100f, -1e30f, float.NegativeInfinity, 88.73f, 100f, float.PositiveInfinity, float.NaN, 0f, -0f, 1f, -1f, 0.5f, -0.25f, 10f, -10f];
        float[] expected = [0f, 0f, 0f, 0f, float.PositiveInfinity, float.PositiveInfinity, float.PositiveInfinity, float.NaN];
        foreach (Func<float[], float[]> exp in new Func<float[], float[]>[] { Exp512, Exp256 })
        {
            float[] results = exp(values);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], results[i]);
            }
            Assert.Equal(1f, results[8]);
            Assert.Equal(1f, results[9]);
        }
    }

    private static void AssertWithinUlp(float[] values)
    {
        foreach (Func<float[], float[]> exp in new Func<float[], float[]>[] { Exp512, Exp256 })
        {
            float[] results = exp(values);
            for (int i = 0; i < values.Length; i++)
            {
                double exact = Math.Exp(values[i]);
                float rounded = (float)exact;
                double ulp = MathF.BitIncrement(rounded) - rounded;
                Assert.True(Math.Abs(results[i] - exact) <= 2 * ulp,
                    $"exp({values[i]:R}) = {results[i]:R}, exactly {exact:R} (ulp {ulp:R})");
            }
        }
    }

    private static float[] Exp512(float[] values)
    {
        Assert.True(values.Length % Vector512<float>.Count == 0);
        var results = new float[values.Length];
        for (int i = 0; i < values.Length; i += Vector512<float>.Count)
        {
            FloatExponential.Exp(Vector512.Create(values.AsSpan(i, Vector512<float>.Count))).CopyTo(results.AsSpan(i));
        }
        return results;
    }

    private static float[] Exp256(float[] values)
    {
        var results = new float[values.Length];
        for (int i = 0; i < values.Length; i += Vector256<float>.Count)
        {
            FloatExponential.Exp(Vector256.Create(values.AsSpan(i, Vector256<float>.Count))).CopyTo(results.AsSpan(i));
        }
        return results;
    }
}
