using System;

namespace Autodiff.Runtime.Tests.Support;

/// <summary>Deterministic test inputs, always created outside any workspace.</summary>
internal static class Inputs
{
    /// <summary>Uniform in [−1, 1).</summary>
    public static Tensor Uniform(int seed, params int[] shape) => Tensor.RandomUniform(seed, -1f, 1f, shape);

    /// <summary>A condition for Where: ones and zeros in a fixed pattern (about half of each).</summary>
    public static Tensor Mask(params int[] shape)
    {
        Tensor mask = Tensor.Zeros(shape);
        for (int i = 0; i < mask.Length; i++)
        {
            mask.Span[i] = (i * 7 + i / 3) % 5 < 3 ? 1f : 0f;
        }
        return mask;
    }

    /// <summary>Uniform in [0.5, 2): safe for Log, Sqrt and denominators.</summary>
    public static Tensor Positive(int seed, params int[] shape) => Tensor.RandomUniform(seed, 0.5f, 2f, shape);

    /// <summary>
    /// Uniform in ±[0.1, 2): both signs, but never within finite-difference reach of a kink at 0
    /// (Relu, LeakyRelu).
    /// </summary>
    public static Tensor AwayFromZero(int seed, params int[] shape)
    {
        Tensor x = Tensor.RandomUniform(seed, -1.9f, 1.9f, shape);
        Span<float> values = x.Span;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] += MathF.CopySign(0.1f, values[i]);
        }
        return x;
    }
}
