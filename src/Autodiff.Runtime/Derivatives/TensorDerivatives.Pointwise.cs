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

    /// <summary>The pullback of AbsTangent = sign(x)·dx: bdx += seed·sign(x); bx gets nothing (Abs'' = 0, as in PyTorch).</summary>
    [DerivativeOf(nameof(AbsTangent))]
    public static void AbsTangentBackward(Tensor x, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwiseTangentBackward(nameof(AbsTangentBackward), x, dx, seed, bx, bDx);
        // The tangent is piecewise constant in x: x only picks the sign.
        AbsBackward(x, seed, bDx);
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

    /// <summary>
    /// The pullback of PowTangent = p·x^(p−1)·dx + y·ln x·dp, y = result: bx += seed·(p·(p−1)·x^(p−2)·dx + y·dp/x),
    /// bp += Σ seed·dx·x^(p−1)·(1 + p·ln x), by += seed·ln x·dp, bdx += seed·p·x^(p−1), bdp += Σ seed·y·ln x.
    /// </summary>
    [DerivativeOf(nameof(PowTangent))]
    public static void PowTangentBackward(Tensor x, float exponent, Tensor result, Tensor? dx, float dExponent, Tensor seed,
        Tensor? bx, ref float bExponent, Tensor? bResult, Tensor? bDx, ref float bDExponent)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(seed);
        RequireActivationTangentBackward(nameof(PowTangentBackward), x, result, dx, seed, bx, bResult, bDx);
        ReadOnlySpan<float> v = x.Span, y = result.Span, s = seed.Span;
        if (dx is not null)
        {
            // The dx term p·x^(p−1)·dx. Its curvature in x vanishes with p·(p−1), skipped there so
            // that x = 0 gives no 0·∞; its derivative in p takes p·ln x as 0 at x = 0, as the pullback does.
            ReadOnlySpan<float> d = dx.Span;
            bool curved = exponent != 0f && exponent != 1f;
            double exponentGradient = 0;
            for (int i = 0; i < v.Length; i++)
            {
                if (bx is not null && curved) bx.Span[i] += s[i] * d[i] * exponent * (exponent - 1f) * MathF.Pow(v[i], exponent - 2f);
                double logTerm = v[i] == 0f ? 0.0 : exponent * Math.Log(v[i]);
                exponentGradient += (double)s[i] * d[i] * MathF.Pow(v[i], exponent - 1f) * (1.0 + logTerm);
            }
            bExponent += (float)exponentGradient;
        }
        // The dp term y·ln x·dp (0 where x = 0, as in the pushforward). Skipped unless dp moves:
        // ln x is NaN for a negative x, which a constant exponent must not spread.
        if (dExponent != 0f)
        {
            for (int i = 0; i < v.Length; i++)
            {
                if (v[i] == 0f) continue;
                if (bx is not null) bx.Span[i] += s[i] * dExponent * y[i] / v[i];
                if (bResult is not null) bResult.Span[i] += (float)(s[i] * dExponent * Math.Log(v[i]));
            }
        }
        // The tangents' part is Pow's own pullback, its dExponent part the gradient of the dp term.
        PowBackward(x, exponent, result, seed, bDx, ref bDExponent);
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

    /// <summary>
    /// The pullback of ClampTangent = (x &lt; min ? dMin : x &gt; max ? dMax : dx): bdx += seed where min ≤ x ≤ max,
    /// bdMin += Σ seed below min, bdMax += Σ seed above max; x, min and max only pick the branch, so get nothing.
    /// </summary>
    [DerivativeOf(nameof(ClampTangent))]
    public static void ClampTangentBackward(Tensor x, float min, float max, Tensor? dx, float dMin, float dMax, Tensor seed,
        Tensor? bx, ref float bMin, ref float bMax, Tensor? bDx, ref float bDMin, ref float bDMax)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwiseTangentBackward(nameof(ClampTangentBackward), x, dx, seed, bx, bDx);
        // Each element passes one of dx, dMin, dMax unscaled; x, min and max only choose which.
        ClampBackward(x, min, max, seed, bDx, ref bDMin, ref bDMax);
    }

    /// <summary>dx += seed·(Φ(x) + x·φ(x)), vectorised as the forward pass is.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Gelu))]
    public static void GeluBackward(Tensor x, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwise(nameof(GeluBackward), x, seed, dx);
        if (dx is null) return;
        ParallelElementwise.Map(new GeluGradientKernel(), x.Values, seed.Values, dx.Values, dx.Values);
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

    /// <summary>The pullback of GeluTangent = (Φ(x) + x·φ(x))·dx: bx += seed·dx·φ(x)·(2 − x²), bdx += seed·(Φ(x) + x·φ(x)).</summary>
    [DerivativeOf(nameof(GeluTangent))]
    public static void GeluTangentBackward(Tensor x, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwiseTangentBackward(nameof(GeluTangentBackward), x, dx, seed, bx, bDx);
        if (bx is not null && dx is not null)
        {
            ReadOnlySpan<float> v = x.Span, s = seed.Span, d = dx.Span;
            Span<float> b = bx.Span;
            for (int i = 0; i < v.Length; i++)
            {
                // (Φ + x·φ)' = φ + φ + x·φ' = φ·(2 − x²), since φ'(x) = −x·φ(x).
                double density = Math.Exp(-0.5 * v[i] * v[i]) / Math.Sqrt(2 * Math.PI);
                b[i] += (float)(s[i] * d[i] * density * (2.0 - (double)v[i] * v[i]));
            }
        }
        GeluBackward(x, seed, bDx);
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
    /// The pullback of SoftplusTangent = sigmoid(x)·dx (dx above the threshold): bx += seed·dx·sigmoid(x)·sigmoid(−x)
    /// below the threshold, bdx += seed·sigmoid(x) (seed above it); the threshold only picks a formula, so gets nothing.
    /// </summary>
    [DerivativeOf(nameof(SoftplusTangent))]
    public static void SoftplusTangentBackward(Tensor x, float threshold, Tensor? dx, float dThreshold, Tensor seed,
        Tensor? bx, ref float bThreshold, Tensor? bDx, ref float bDThreshold)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwiseTangentBackward(nameof(SoftplusTangentBackward), x, dx, seed, bx, bDx);
        // dThreshold moves nothing in the pushforward, and the threshold only picks a formula: bThreshold gets nothing.
        if (bx is not null && dx is not null)
        {
            ReadOnlySpan<float> v = x.Span, s = seed.Span, d = dx.Span;
            Span<float> b = bx.Span;
            for (int i = 0; i < v.Length; i++)
            {
                if (v[i] > threshold) continue;
                // sigmoid' = sigmoid(x)·sigmoid(−x): one factor is near 1 wherever the other underflows, so no ∞/∞.
                double x64 = v[i];
                b[i] += (float)(s[i] * d[i] / ((1.0 + Math.Exp(-x64)) * (1.0 + Math.Exp(x64))));
            }
        }
        SoftplusBackward(x, threshold, seed, bDx, ref bDThreshold);
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

    /// <summary>
    /// The pullback of DropoutTangent = mask·(dx·c + x·dp·c²), c = 1/(1 − p), in training (dx in evaluation):
    /// bx += mask·seed·dp·c², bp += Σ mask·seed·(dx·c² + 2·x·dp·c³), bdx += mask·seed·c, bdp += Σ mask·seed·x·c².
    /// </summary>
    [DerivativeOf(nameof(DropoutTangent))]
    public static void DropoutTangentBackward(Tensor x, float p, int randomSeed, bool training, Tensor? dx, float dP, Tensor seed,
        Tensor? bx, ref float bP, Tensor? bDx, ref float bDP)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        Tensor.RequireDropoutProbability(nameof(DropoutTangentBackward), p);
        RequireElementwiseTangentBackward(nameof(DropoutTangentBackward), x, dx, seed, bx, bDx);
        // In evaluation the tangent is dx itself, which reads neither x nor p; along no direction there is nothing to add.
        if (training && (dx is not null || dP != 0f))
        {
            ReadOnlySpan<float> v = x.Span, s = seed.Span;
            ReadOnlySpan<float> d = dx is null ? default : dx.Span;
            double scale = 1.0 / (1.0 - p);
            double probabilityGradient = 0;
            for (int i = 0; i < v.Length; i++)
            {
                if (p != 0f && !Tensor.DropoutKeeps(randomSeed, i, p)) continue;
                // dc/dp = c², so d(c²)/dp = 2·c³.
                if (bx is not null) bx.Span[i] += (float)(s[i] * dP * scale * scale);
                double tangentPart = dx is null ? 0.0 : d[i] * scale * scale;
                probabilityGradient += s[i] * (tangentPart + 2.0 * v[i] * dP * scale * scale * scale);
            }
            bP += (float)probabilityGradient;
        }
        DropoutBackward(x, p, randomSeed, training, seed, bDx, ref bDP);
    }
}
