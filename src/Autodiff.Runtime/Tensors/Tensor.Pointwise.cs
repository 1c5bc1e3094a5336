using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
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
        Tensor result = AllocateLike(x);
        ParallelElementwise.Map(new GeluKernel(), x.Data, result.Data);
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

/// <summary>
/// GELU, x·Φ(x), in one pass: Φ(x) = 1 − c/2 for x ≥ 0 and c/2 below, with c = erfc(|x|/√2) from
/// <see cref="ErfcExponentKernel"/>'s fit (t·exp(P(t) − z²), t = 1/(1 + z/2)); one vectorised
/// exponential per element, all in registers, in float (<see cref="FloatExponential"/>).
/// </summary>
internal readonly struct GeluKernel : IUnaryKernel
{
    public float Apply(float x) => x * NormalDistribution.Cdf(x);

    public Vector256<float> Apply(Vector256<float> x) => x * NormalDistribution.Cdf(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Apply(Vector512<float> x) => x * NormalDistribution.Cdf(x);
}

/// <summary>GELU's backward rule in one pass: dx + seed·(Φ(x) + x·φ(x)), with φ(x) = e^(−x²/2)/√(2π).</summary>
internal readonly struct GeluGradientKernel : ITernaryKernel
{
    private const float InverseSqrt2Pi = 0.3989422804014327f;

    public float Apply(float x, float seed, float dx) =>
        dx + seed * (NormalDistribution.Cdf(x) + x * InverseSqrt2Pi * MathF.Exp(-0.5f * x * x));

    public Vector256<float> Apply(Vector256<float> x, Vector256<float> seed, Vector256<float> dx) =>
        dx + seed * (NormalDistribution.Cdf(x) + x * Vector256.Create(InverseSqrt2Pi) * FloatExponential.Exp(Vector256.Create(-0.5f) * x * x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Apply(Vector512<float> x, Vector512<float> seed, Vector512<float> dx) =>
        dx + seed * (NormalDistribution.Cdf(x) + x * Vector512.Create(InverseSqrt2Pi) * FloatExponential.Exp(Vector512.Create(-0.5f) * x * x));
}

/// <summary>The standard normal distribution function Φ in float, for GELU: scalar and vector forms of one formula.</summary>
internal static class NormalDistribution
{
    private const float InverseSqrt2 = 0.70710678118654752440f;

    public static float Cdf(float x)
    {
        float z = MathF.Abs(x) * InverseSqrt2, t = 1f / (1f + 0.5f * z);
        float half = 0.5f * t * MathF.Exp(new ErfcExponentKernel().Apply(t, z));
        return x >= 0f ? 1f - half : half;
    }

    public static Vector256<float> Cdf(Vector256<float> x)
    {
        Vector256<float> z = Vector256.Abs(x) * Vector256.Create(InverseSqrt2);
        Vector256<float> t = Vector256<float>.One / (Vector256<float>.One + Vector256.Create(0.5f) * z);
        Vector256<float> half = Vector256.Create(0.5f) * t * FloatExponential.Exp(new ErfcExponentKernel().Apply(t, z));
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), Vector256<float>.One - half, half);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Cdf(Vector512<float> x)
    {
        Vector512<float> z = Vector512.Abs(x) * Vector512.Create(InverseSqrt2);
        Vector512<float> t = Vector512<float>.One / (Vector512<float>.One + Vector512.Create(0.5f) * z);
        Vector512<float> half = Vector512.Create(0.5f) * t * FloatExponential.Exp(new ErfcExponentKernel().Apply(t, z));
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), Vector512<float>.One - half, half);
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

    public Vector256<float> Apply(Vector256<float> t, Vector256<float> z) =>
        Horner(t) - z * z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Apply(Vector512<float> t, Vector512<float> z) =>
        Horner(t) - z * z;

    // Written out: a loop over a span of the coefficients allocates in unoptimised (Debug) builds.
    private static Vector256<float> Horner(Vector256<float> t)
    {
        Vector256<float> p = Vector256.Create(C9);
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C8));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C7));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C6));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C5));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C4));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C3));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C2));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C1));
        return Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C0));
    }

    // Written out: a loop over a span of the coefficients allocates in unoptimised (Debug) builds.
    // Fused multiply-adds: the JIT does not contract p·t + c, and the separate operations doubled the
    // chain that every element waits on.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Horner(Vector512<float> t)
    {
        Vector512<float> p = Vector512.Create(C9);
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C8));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C7));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C6));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C5));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C4));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C3));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C2));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C1));
        return Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C0));
    }
}
