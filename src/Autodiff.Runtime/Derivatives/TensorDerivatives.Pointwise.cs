using System;

// Each rule is documented by its DerivativeOf target and the class summary; a summary per rule would repeat them.
#pragma warning disable CS1591

namespace Autodiff.Derivatives;

// Abs, Pow, Clamp, Gelu, Softplus: PyTorch's conventions at their kinks (Abs'(0) = 0; Clamp passes
// the gradient at its bounds, which are inside the range).
public static partial class TensorDerivatives
{
    /// <summary>seed·sign(x), 0 at x = 0 as in PyTorch.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Abs))]
    public static void AbsBackward(Tensor x, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwise(nameof(AbsBackward), x, seed, dx);
        if (dx is null) return;
        ReadOnlySpan<float> v = x.Span, s = seed.Span;
        Span<float> d = dx.Span;
        for (int i = 0; i < v.Length; i++)
        {
            d[i] += v[i] > 0f ? s[i] : v[i] < 0f ? -s[i] : 0f;
        }
    }

    /// <summary>sign(x)·dx, 0 at x = 0 as the pullback.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Abs), Mode = DerivativeMode.Forward)]
    public static Tensor AbsTangent(Tensor x, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(AbsTangent), dx, x);
        Tensor tangent = Tensor.ZerosLike(x);
        if (dx is not null) AbsBackward(x, dx, tangent);
        return tangent;
    }

    /// <summary>dx += seed·p·x^(p−1); dp += Σ seed·x^p·ln x (0 where x = 0, as in PyTorch).</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Pow))]
    public static void PowBackward(Tensor x, float exponent, Tensor result, Tensor seed, Tensor? dx, ref float dExponent)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(seed);
        RequireActivation(nameof(PowBackward), x, result, seed, dx);
        ReadOnlySpan<float> v = x.Span, y = result.Span, s = seed.Span;
        double exponentGradient = 0;
        for (int i = 0; i < v.Length; i++)
        {
            if (dx is not null)
            {
                dx.Span[i] += exponent == 0f ? 0f : s[i] * exponent * MathF.Pow(v[i], exponent - 1f);
            }
            exponentGradient += v[i] == 0f ? 0.0 : (double)s[i] * y[i] * Math.Log(v[i]);
        }
        dExponent += (float)exponentGradient;
    }

    /// <summary>p·x^(p−1)·dx + x^p·ln x·dp (the dp term 0 where x = 0, as the pullback).</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Pow), Mode = DerivativeMode.Forward)]
    public static Tensor PowTangent(Tensor x, float exponent, Tensor result, Tensor? dx, float dExponent)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        RequireActivationTangent(nameof(PowTangent), x, result, dx);
        Tensor tangent = Tensor.ZerosLike(x);
        ReadOnlySpan<float> v = x.Span, y = result.Span;
        Span<float> t = tangent.Span;
        // Skipped unless wanted: ln x is NaN for a negative x, which a constant exponent must not spread.
        if (dExponent != 0f)
        {
            for (int i = 0; i < v.Length; i++)
            {
                t[i] = v[i] == 0f ? 0f : (float)(dExponent * y[i] * Math.Log(v[i]));
            }
        }
        if (dx is not null && exponent != 0f)
        {
            ReadOnlySpan<float> d = dx.Span;
            for (int i = 0; i < v.Length; i++)
            {
                t[i] += d[i] * exponent * MathF.Pow(v[i], exponent - 1f);
            }
        }
        return tangent;
    }

    /// <summary>dx += seed where min ≤ x ≤ max; the seed below min goes to min, above max to max.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Clamp))]
    public static void ClampBackward(Tensor x, float min, float max, Tensor seed, Tensor? dx, ref float dMin, ref float dMax)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwise(nameof(ClampBackward), x, seed, dx);
        ReadOnlySpan<float> v = x.Span, s = seed.Span;
        double below = 0, above = 0;
        for (int i = 0; i < v.Length; i++)
        {
            if (v[i] < min)
            {
                below += s[i];
            }
            else if (v[i] > max)
            {
                above += s[i];
            }
            else if (dx is not null)
            {
                dx.Span[i] += s[i];
            }
        }
        dMin += (float)below;
        dMax += (float)above;
    }

    /// <summary>dx where min ≤ x ≤ max; dMin below min, dMax above max.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Clamp), Mode = DerivativeMode.Forward)]
    public static Tensor ClampTangent(Tensor x, float min, float max, Tensor? dx, float dMin, float dMax)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(ClampTangent), dx, x);
        Tensor tangent = Tensor.ZerosLike(x);
        ReadOnlySpan<float> v = x.Span;
        ReadOnlySpan<float> d = dx is null ? default : dx.Span;
        Span<float> t = tangent.Span;
        for (int i = 0; i < v.Length; i++)
        {
            t[i] = v[i] < min ? dMin : v[i] > max ? dMax : dx is null ? 0f : d[i];
        }
        return tangent;
    }

    /// <summary>dx += seed·(Φ(x) + x·φ(x)), vectorised as the forward pass is.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Gelu))]
    public static void GeluBackward(Tensor x, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwise(nameof(GeluBackward), x, seed, dx);
        if (dx is null) return;
        ElementwiseLoop.Map(new GeluGradientKernel(), x.Span, seed.Span, dx.Span, dx.Span);
    }

    /// <summary>(Φ(x) + x·φ(x))·dx.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Gelu), Mode = DerivativeMode.Forward)]
    public static Tensor GeluTangent(Tensor x, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(GeluTangent), dx, x);
        Tensor tangent = Tensor.ZerosLike(x);
        if (dx is not null) GeluBackward(x, dx, tangent);
        return tangent;
    }

    /// <summary>dx += seed·sigmoid(x), and seed itself above the threshold, where softplus is x.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Softplus))]
    public static void SoftplusBackward(Tensor x, float threshold, Tensor seed, Tensor? dx, ref float dThreshold)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwise(nameof(SoftplusBackward), x, seed, dx);
        // The threshold only picks a formula: the result does not change with it (but at the step, where it jumps by ~e^−20).
        _ = dThreshold;
        if (dx is null) return;
        ReadOnlySpan<float> v = x.Span, s = seed.Span;
        Span<float> d = dx.Span;
        for (int i = 0; i < v.Length; i++)
        {
            d[i] += v[i] > threshold ? s[i] : (float)(s[i] / (1.0 + Math.Exp(-(double)v[i])));
        }
    }

    /// <summary>sigmoid(x)·dx, and dx itself above the threshold; the threshold's tangent moves nothing, as in the pullback.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Softplus), Mode = DerivativeMode.Forward)]
    public static Tensor SoftplusTangent(Tensor x, float threshold, Tensor? dx, float dThreshold)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(SoftplusTangent), dx, x);
        _ = dThreshold;
        Tensor tangent = Tensor.ZerosLike(x);
        float unusedThresholdGradient = 0f;
        if (dx is not null) SoftplusBackward(x, threshold, dx, tangent, ref unusedThresholdGradient);
        return tangent;
    }

    /// <summary>
    /// dx += seed·mask/(1 − p), the mask found again from the same seed; dp += Σ seed·x·mask/(1 − p)²
    /// (the kept elements' scale; which elements are kept changes in jumps, which have no gradient).
    /// </summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Dropout))]
    public static void DropoutBackward(Tensor x, float p, int randomSeed, bool training, Tensor seed, Tensor? dx, ref float dP)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        Tensor.RequireDropoutProbability(nameof(DropoutBackward), p);
        RequireElementwise(nameof(DropoutBackward), x, seed, dx);
        ReadOnlySpan<float> v = x.Span, s = seed.Span;
        if (!training || p == 0f)
        {
            if (dx is not null) AddFrom(dx.Span, s);
            // At p = 0 in training the scale 1/(1 − p) still moves with p.
            if (training) dP += System.Numerics.Tensors.TensorPrimitives.Dot(s, v);
            return;
        }
        float scale = 1f / (1f - p);
        double probabilityGradient = 0;
        for (int i = 0; i < v.Length; i++)
        {
            if (!Tensor.DropoutKeeps(randomSeed, i, p))
            {
                continue;
            }
            if (dx is not null) dx.Span[i] += s[i] * scale;
            probabilityGradient += (double)s[i] * v[i] * scale * scale;
        }
        dP += (float)probabilityGradient;
    }

    /// <summary>
    /// mask·(dx/(1 − p) + x·dp/(1 − p)²) in training, the mask found again from the same seed
    /// (all kept at p = 0); dx itself in evaluation.
    /// </summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Dropout), Mode = DerivativeMode.Forward)]
    public static Tensor DropoutTangent(Tensor x, float p, int randomSeed, bool training, Tensor? dx, float dP)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor.RequireDropoutProbability(nameof(DropoutTangent), p);
        TensorShape.RequireTangent(nameof(DropoutTangent), dx, x);
        Tensor tangent = Tensor.ZerosLike(x);
        Span<float> t = tangent.Span;
        if (!training)
        {
            dx?.Span.CopyTo(t);
            return tangent;
        }
        ReadOnlySpan<float> v = x.Span;
        ReadOnlySpan<float> d = dx is null ? default : dx.Span;
        float scale = 1f / (1f - p), probabilityScale = scale * scale * dP;
        for (int i = 0; i < v.Length; i++)
        {
            if (p == 0f || Tensor.DropoutKeeps(randomSeed, i, p))
            {
                t[i] = (dx is null ? 0f : d[i] * scale) + v[i] * probabilityScale;
            }
        }
        return tangent;
    }
}
