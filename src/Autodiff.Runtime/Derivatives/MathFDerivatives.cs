using System;
using System.Runtime.CompilerServices;

// Each rule is documented by its DerivativeOf target and the class summary; a summary per rule would repeat them.
#pragma warning disable CS1591

namespace Autodiff.Derivatives;

/// <summary>
/// Backward rules for <see cref="MathF"/>, and the <see cref="float"/> overloads of <see cref="Math"/>, declared as a user declares
/// a custom derivative. Each adds <c>seed * ∂f/∂x</c> into the accumulators. Kinks follow PyTorch:
/// Abs'(0) = 0; Max/Min split the gradient evenly at a tie; Sqrt'(0) = +∞; Pow with a zero base and
/// a non-negative exponent has a zero exponent-gradient; Floor, Ceiling, Round, Truncate and Sign
/// have a zero gradient; Clamp passes the gradient where min ≤ x ≤ max.
/// </summary>
public static class MathFDerivatives
{
    [DerivativeOf(typeof(MathF), nameof(MathF.Sin)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SinBackward(float x, float seed, ref float dx) => dx += seed * MathF.Cos(x);

    [DerivativeOf(typeof(MathF), nameof(MathF.Cos)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CosBackward(float x, float seed, ref float dx) => dx -= seed * MathF.Sin(x);

    [DerivativeOf(typeof(MathF), nameof(MathF.Tan)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TanBackward(float x, float result, float seed, ref float dx) => dx += seed * (1.0f + result * result);

    [DerivativeOf(typeof(MathF), nameof(MathF.Asin)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AsinBackward(float x, float seed, ref float dx) => dx += seed / MathF.Sqrt(1.0f - x * x);

    [DerivativeOf(typeof(MathF), nameof(MathF.Acos)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AcosBackward(float x, float seed, ref float dx) => dx -= seed / MathF.Sqrt(1.0f - x * x);

    [DerivativeOf(typeof(MathF), nameof(MathF.Atan)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AtanBackward(float x, float seed, ref float dx) => dx += seed / (1.0f + x * x);

    [DerivativeOf(typeof(MathF), nameof(MathF.Atan2)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Atan2Backward(float y, float x, float seed, ref float dy, ref float dx)
    {
        float scale = seed / (x * x + y * y);
        dy += scale * x;
        dx -= scale * y;
    }

    [DerivativeOf(typeof(MathF), nameof(MathF.Sinh)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SinhBackward(float x, float seed, ref float dx) => dx += seed * MathF.Cosh(x);

    [DerivativeOf(typeof(MathF), nameof(MathF.Cosh)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CoshBackward(float x, float seed, ref float dx) => dx += seed * MathF.Sinh(x);

    [DerivativeOf(typeof(MathF), nameof(MathF.Tanh)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TanhBackward(float x, float result, float seed, ref float dx) => dx += seed * (1.0f - result * result);

    [DerivativeOf(typeof(MathF), nameof(MathF.Exp)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ExpBackward(float x, float result, float seed, ref float dx) => dx += seed * result;

    [DerivativeOf(typeof(MathF), nameof(MathF.Log)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LogBackward(float x, float seed, ref float dx) => dx += seed / x;

    /// <summary>log_b(x) = ln x / ln b.</summary>
    [DerivativeOf(typeof(MathF), nameof(MathF.Log)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LogBaseBackward(float x, float newBase, float seed, ref float dx, ref float dNewBase)
    {
        float lnBase = MathF.Log(newBase);
        dx += seed / (x * lnBase);
        dNewBase -= seed * MathF.Log(x) / (newBase * lnBase * lnBase);
    }

    [DerivativeOf(typeof(MathF), nameof(MathF.Log10)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Log10Backward(float x, float seed, ref float dx) => dx += seed / (x * 2.30258509f);

    [DerivativeOf(typeof(MathF), nameof(MathF.Log2)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Log2Backward(float x, float seed, ref float dx) => dx += seed / (x * 0.693147181f);

    /// <summary>Sqrt'(0) = +∞, as in PyTorch.</summary>
    [DerivativeOf(typeof(MathF), nameof(MathF.Sqrt)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SqrtBackward(float x, float result, float seed, ref float dx) => dx += seed / (2.0f * result);

    [DerivativeOf(typeof(MathF), nameof(MathF.Cbrt)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CbrtBackward(float x, float result, float seed, ref float dx) => dx += seed / (3.0f * result * result);

    /// <summary>
    /// ∂/∂x = y·x^(y−1) (zero where y = 0); ∂/∂y = x^y·ln x, zero where x = 0 and y ≥ 0 (PyTorch's mask).
    /// </summary>
    [DerivativeOf(typeof(MathF), nameof(MathF.Pow)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PowBackward(float x, float y, float result, float seed, ref float dx, ref float dy)
    {
        dx += y == 0.0f ? 0.0f : seed * y * MathF.Pow(x, y - 1.0f);
        dy += x == 0.0f && y >= 0.0f ? 0.0f : seed * result * MathF.Log(x);
    }

    /// <summary>Abs'(0) = 0.</summary>
    [DerivativeOf(typeof(MathF), nameof(MathF.Abs)), DerivativeOf(typeof(Math), nameof(Math.Abs)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AbsBackward(float x, float seed, ref float dx) => dx += x > 0.0f ? seed : x < 0.0f ? -seed : 0.0f;

    /// <summary>At a tie each argument receives half of the gradient.</summary>
    [DerivativeOf(typeof(MathF), nameof(MathF.Max)), DerivativeOf(typeof(Math), nameof(Math.Max)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MaxBackward(float a, float b, float seed, ref float da, ref float db)
    {
        if (a > b) da += seed;
        else if (b > a) db += seed;
        else { da += 0.5f * seed; db += 0.5f * seed; }
    }

    /// <summary>At a tie each argument receives half of the gradient.</summary>
    [DerivativeOf(typeof(MathF), nameof(MathF.Min)), DerivativeOf(typeof(Math), nameof(Math.Min)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MinBackward(float a, float b, float seed, ref float da, ref float db)
    {
        if (a < b) da += seed;
        else if (b < a) db += seed;
        else { da += 0.5f * seed; db += 0.5f * seed; }
    }

    /// <summary>The value receives the gradient where min ≤ value ≤ max; a bound receives it where it is the result.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Clamp)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ClampBackward(float value, float min, float max, float seed, ref float dValue, ref float dMin, ref float dMax)
    {
        if (value < min) dMin += seed;
        else if (value > max) dMax += seed;
        else dValue += seed;
    }

    /// <summary>Piecewise constant: zero gradient.</summary>
    [DerivativeOf(typeof(MathF), nameof(MathF.Floor), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FloorBackward(float x, float seed, ref float dx) { }

    /// <summary>Piecewise constant: zero gradient.</summary>
    [DerivativeOf(typeof(MathF), nameof(MathF.Ceiling), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CeilingBackward(float x, float seed, ref float dx) { }

    /// <summary>Piecewise constant: zero gradient.</summary>
    [DerivativeOf(typeof(MathF), nameof(MathF.Truncate), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TruncateBackward(float x, float seed, ref float dx) { }

    /// <summary>Piecewise constant: zero gradient.</summary>
    [DerivativeOf(typeof(MathF), nameof(MathF.Round), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RoundBackward(float x, float seed, ref float dx) { }

    /// <summary>Piecewise constant: zero gradient.</summary>
    [DerivativeOf(typeof(MathF), nameof(MathF.Round), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RoundDigitsBackward(float x, int digits, float seed, ref float dx) { }

    /// <summary>Piecewise constant: zero gradient.</summary>
    [DerivativeOf(typeof(MathF), nameof(MathF.Round), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RoundModeBackward(float x, MidpointRounding mode, float seed, ref float dx) { }

    /// <summary>Piecewise constant: zero gradient.</summary>
    [DerivativeOf(typeof(MathF), nameof(MathF.Round), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RoundDigitsModeBackward(float x, int digits, MidpointRounding mode, float seed, ref float dx) { }

    /// <summary>Integer-valued step: zero gradient.</summary>
    [DerivativeOf(typeof(MathF), nameof(MathF.Sign)), DerivativeOf(typeof(Math), nameof(Math.Sign), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SignBackward(float x, int seed, ref float dx) { }

    [DerivativeOf(typeof(MathF), nameof(MathF.FusedMultiplyAdd)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FusedMultiplyAddBackward(float x, float y, float z, float seed, ref float dx, ref float dy, ref float dz)
    {
        dx += seed * y;
        dy += seed * x;
        dz += seed;
    }
}
