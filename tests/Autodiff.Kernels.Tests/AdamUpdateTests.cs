using System;
using Autodiff.Optimizers;
using Xunit;

namespace Autodiff.Kernels.Tests;

/// <summary>
/// Adam's single-pass update (<see cref="AdamUpdate"/>) against the four passes it replaced, written
/// out element by element in their order of operations: the same bits, with and without decoupled
/// decay, with L2 decay, on lengths with and without a tail shorter than a vector.
/// </summary>
public sealed class AdamUpdateTests
{
    [Theory]
    [InlineData(37, true, 0f)]     // AdamW: two vectors and a tail of five
    [InlineData(16, false, 0.01f)] // Adam with L2 decay: one vector
    [InlineData(3, true, 0.01f)]   // a tail alone
    public void One_pass_gives_the_bits_of_the_four(int length, bool decoupled, float l2)
    {
        float[] p = GemmReference.Random(length, 1), grad = GemmReference.Random(length, 2), m = GemmReference.Random(length, 3);
        float[] v = Array.ConvertAll(GemmReference.Random(length, 4), x => x * x);
        grad[1] = float.NaN; // propagates to its own element only
        float shrink = 0.9998f, oneMinusBeta1 = 1f - 0.9f, beta2 = 0.999f, stepSize = 2e-3f / 0.19f, correction = MathF.Sqrt(0.001999f), epsilon = 1e-8f;
        float[] ep = (float[])p.Clone(), em = (float[])m.Clone(), ev = (float[])v.Clone();
        if (decoupled)
        {
            for (int i = 0; i < length; i++) ep[i] = ep[i] * shrink;
        }
        for (int i = 0; i < length; i++) em[i] = em[i] + oneMinusBeta1 * ((grad[i] + l2 * ep[i]) - em[i]);
        for (int i = 0; i < length; i++)
        {
            float g = grad[i] + l2 * ep[i];
            ev[i] = ev[i] * beta2 + (1f - beta2) * (g * g);
        }
        for (int i = 0; i < length; i++) ep[i] = ep[i] - stepSize * (em[i] / (MathF.Sqrt(ev[i]) / correction + epsilon));

        AdamUpdate.Apply(p, grad, m, v, shrink, decoupled, l2, oneMinusBeta1, beta2, stepSize, correction, epsilon);
        Assert.Equal(Bits(ep), Bits(p));
        Assert.Equal(Bits(em), Bits(m));
        Assert.Equal(Bits(ev), Bits(v));
        Assert.True(float.IsNaN(p[1]));
        Assert.False(float.IsNaN(p[0]));
    }

    private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);
}
