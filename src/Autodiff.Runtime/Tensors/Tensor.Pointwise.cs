using System;
using System.Numerics.Tensors;

namespace Autodiff;

// Element-wise functions of the models past an MLP: Abs, Pow, Clamp, Gelu, Softplus. Each has its
// [DerivativeOf] rule in TensorDerivatives.Pointwise, with PyTorch's conventions at kinks.
public sealed partial class Tensor
{
    /// <summary>Element-wise |x|.</summary>
    public static Tensor Abs(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor result = AllocateLike(x);
        TensorPrimitives.Abs(x.Data, result.Data);
        return result;
    }

    /// <summary>Element-wise x^exponent, as <c>torch.pow(x, exponent)</c> (NaN for a negative x and a non-integer exponent).</summary>
    public static Tensor Pow(Tensor x, float exponent)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor result = AllocateLike(x);
        ReadOnlySpan<float> input = x.Data;
        Span<float> output = result.Data;
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = MathF.Pow(input[i], exponent);
        }
        return result;
    }

    /// <summary>Element-wise min(max(x, min), max), as <c>torch.clamp</c>.</summary>
    public static Tensor Clamp(Tensor x, float min, float max)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!(min <= max))
        {
            throw new ArgumentException($"Tensor.Clamp: min ({min}) must not exceed max ({max}).", nameof(min));
        }
        Tensor result = AllocateLike(x);
        TensorPrimitives.Clamp(x.Data, min, max, result.Data);
        return result;
    }

    /// <summary>
    /// Element-wise GELU, x·Φ(x) with Φ the standard normal distribution function: PyTorch's
    /// <c>nn.GELU()</c> (the exact form, not the tanh approximation).
    /// </summary>
    public static Tensor Gelu(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        // Φ(x) goes into the result, which is then multiplied by x in place.
        Tensor result = AllocateLike(x);
        NormalDistribution.Cdf(x.Data, result.Data, AllocateLike(x).Data);
        TensorPrimitives.Multiply(x.Data, result.Data, result.Data);
        return result;
    }

    /// <summary>
    /// Element-wise softplus, log(1 + eˣ), computed as max(x, 0) + log(1 + e^−|x|) so that it is finite
    /// for any x; like PyTorch's <c>softplus</c> it returns x itself above <paramref name="threshold"/>.
    /// </summary>
    public static Tensor Softplus(Tensor x, float threshold = 20f)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor result = AllocateLike(x);
        ReadOnlySpan<float> input = x.Data;
        Span<float> output = result.Data;
        for (int i = 0; i < input.Length; i++)
        {
            float v = input[i];
            output[i] = v > threshold ? v : (float)(Math.Max(v, 0.0) + Math.Log(1.0 + Math.Exp(-Math.Abs((double)v))));
        }
        return result;
    }
}

/// <summary>The standard normal distribution function Φ, vectorised in float, for GELU.</summary>
internal static class NormalDistribution
{
    private const double InverseSqrt2 = 0.70710678118654752440;

    /// <summary>
    /// Φ of every element, in float, vectorised pass by pass (the polynomial of erfc by Horner's
    /// rule, <see cref="ErfcExponentKernel"/>, then one vectorised exponential): Φ(x) = 1 − c/2 for x ≥ 0 and
    /// c/2 below, with c = erfc(|x|/√2). <paramref name="scratch"/> is as long as the input.
    /// </summary>
    public static void Cdf(ReadOnlySpan<float> x, Span<float> cdf, Span<float> scratch)
    {
        // scratch = z = |x|/√2; cdf = t = 1/(1 + z/2)
        TensorPrimitives.Abs(x, scratch);
        TensorPrimitives.Multiply(scratch, (float)InverseSqrt2, scratch);
        TensorPrimitives.Multiply(scratch, 0.5f, cdf);
        TensorPrimitives.Add(cdf, 1f, cdf);
        TensorPrimitives.Reciprocal(cdf, cdf);
        // The exponent −z² + P(t), in place of z (P by Horner's rule, vectorised).
        ElementwiseLoop.Map(new ErfcExponentKernel(), cdf, scratch, scratch);
        TensorPrimitives.Exp(scratch, scratch);
        // c = t·exp(...); Φ = 1 − c/2 or c/2 by the sign of x.
        for (int i = 0; i < x.Length; i++)
        {
            float half = 0.5f * cdf[i] * scratch[i];
            cdf[i] = x[i] >= 0f ? 1f - half : half;
        }
    }
}

/// <summary>
/// P(t) − z² for erfc(z) = t·exp(P(t) − z²), t = 1/(1 + z/2): a Chebyshev fit whose relative error is
/// below 1.2·10⁻⁷ everywhere (Press et al., Numerical Recipes, erfcc), finer than float's resolution in GELU.
/// </summary>
internal readonly struct ErfcExponentKernel : IBinaryKernel
{
    private const float C0 = -1.26551223f, C1 = 1.00002368f, C2 = 0.37409196f, C3 = 0.09678418f, C4 = -0.18628806f,
        C5 = 0.27886807f, C6 = -1.13520398f, C7 = 1.48851587f, C8 = -0.82215223f, C9 = 0.17087277f;

    public float Apply(float t, float z) =>
        C0 + t * (C1 + t * (C2 + t * (C3 + t * (C4 + t * (C5 + t * (C6 + t * (C7 + t * (C8 + t * C9)))))))) - z * z;

    public System.Runtime.Intrinsics.Vector256<float> Apply(System.Runtime.Intrinsics.Vector256<float> t, System.Runtime.Intrinsics.Vector256<float> z) =>
        Horner(t) - z * z;

    public System.Runtime.Intrinsics.Vector512<float> Apply(System.Runtime.Intrinsics.Vector512<float> t, System.Runtime.Intrinsics.Vector512<float> z) =>
        Horner(t) - z * z;

    private static System.Runtime.Intrinsics.Vector256<float> Horner(System.Runtime.Intrinsics.Vector256<float> t)
    {
        var p = System.Runtime.Intrinsics.Vector256.Create(C9);
        foreach (float c in (ReadOnlySpan<float>)[C8, C7, C6, C5, C4, C3, C2, C1, C0])
        {
            p = p * t + System.Runtime.Intrinsics.Vector256.Create(c);
        }
        return p;
    }

    private static System.Runtime.Intrinsics.Vector512<float> Horner(System.Runtime.Intrinsics.Vector512<float> t)
    {
        var p = System.Runtime.Intrinsics.Vector512.Create(C9);
        foreach (float c in (ReadOnlySpan<float>)[C8, C7, C6, C5, C4, C3, C2, C1, C0])
        {
            p = p * t + System.Runtime.Intrinsics.Vector512.Create(c);
        }
        return p;
    }
}
