using System;
using System.Runtime.CompilerServices;

// Each rule is documented by its DerivativeOf target and the class summary; a summary per rule would repeat them.
#pragma warning disable CS1591

namespace Autodiff.Derivatives;

/// <summary>
/// Backward rules for <see cref="Math"/> on <see cref="double"/>, declared exactly as a user declares
/// a custom derivative. Each adds <c>seed * ∂f/∂x</c> into the accumulators. Kinks follow PyTorch:
/// Abs'(0) = 0; Max/Min split the gradient evenly at a tie; Sqrt'(0) = +∞; Pow with a zero base and
/// a non-negative exponent has a zero exponent-gradient; Floor, Ceiling, Round, Truncate and Sign
/// have a zero gradient; Clamp passes the gradient where min ≤ x ≤ max.
/// </summary>
public static class MathDerivatives
{
    [DerivativeOf(typeof(Math), nameof(Math.Sin)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SinBackward(double x, double seed, ref double dx) => dx += seed * Math.Cos(x);

    [DerivativeOf(typeof(Math), nameof(Math.Cos)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CosBackward(double x, double seed, ref double dx) => dx -= seed * Math.Sin(x);

    [DerivativeOf(typeof(Math), nameof(Math.Tan)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TanBackward(double x, double result, double seed, ref double dx) => dx += seed * (1.0 + result * result);

    [DerivativeOf(typeof(Math), nameof(Math.Asin)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AsinBackward(double x, double seed, ref double dx) => dx += seed / Math.Sqrt(1.0 - x * x);

    [DerivativeOf(typeof(Math), nameof(Math.Acos)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AcosBackward(double x, double seed, ref double dx) => dx -= seed / Math.Sqrt(1.0 - x * x);

    [DerivativeOf(typeof(Math), nameof(Math.Atan)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AtanBackward(double x, double seed, ref double dx) => dx += seed / (1.0 + x * x);

    [DerivativeOf(typeof(Math), nameof(Math.Atan2)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Atan2Backward(double y, double x, double seed, ref double dy, ref double dx)
    {
        double scale = seed / (x * x + y * y);
        dy += scale * x;
        dx -= scale * y;
    }

    [DerivativeOf(typeof(Math), nameof(Math.Sinh)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SinhBackward(double x, double seed, ref double dx) => dx += seed * Math.Cosh(x);

    [DerivativeOf(typeof(Math), nameof(Math.Cosh)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CoshBackward(double x, double seed, ref double dx) => dx += seed * Math.Sinh(x);

    [DerivativeOf(typeof(Math), nameof(Math.Tanh)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TanhBackward(double x, double result, double seed, ref double dx) => dx += seed * (1.0 - result * result);

    [DerivativeOf(typeof(Math), nameof(Math.Exp)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ExpBackward(double x, double result, double seed, ref double dx) => dx += seed * result;

    [DerivativeOf(typeof(Math), nameof(Math.Log)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LogBackward(double x, double seed, ref double dx) => dx += seed / x;

    /// <summary>log_b(x) = ln x / ln b.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Log)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LogBaseBackward(double x, double newBase, double seed, ref double dx, ref double dNewBase)
    {
        double lnBase = Math.Log(newBase);
        dx += seed / (x * lnBase);
        dNewBase -= seed * Math.Log(x) / (newBase * lnBase * lnBase);
    }

    [DerivativeOf(typeof(Math), nameof(Math.Log10)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Log10Backward(double x, double seed, ref double dx) => dx += seed / (x * 2.302585092994046);

    [DerivativeOf(typeof(Math), nameof(Math.Log2)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Log2Backward(double x, double seed, ref double dx) => dx += seed / (x * 0.6931471805599453);

    /// <summary>Sqrt'(0) = +∞, as in PyTorch.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Sqrt)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SqrtBackward(double x, double result, double seed, ref double dx) => dx += seed / (2.0 * result);

    [DerivativeOf(typeof(Math), nameof(Math.Cbrt)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CbrtBackward(double x, double result, double seed, ref double dx) => dx += seed / (3.0 * result * result);

    /// <summary>
    /// ∂/∂x = y·x^(y−1) (zero where y = 0); ∂/∂y = x^y·ln x, zero where x = 0 and y ≥ 0 (PyTorch's mask).
    /// </summary>
    [DerivativeOf(typeof(Math), nameof(Math.Pow)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PowBackward(double x, double y, double result, double seed, ref double dx, ref double dy)
    {
        dx += y == 0.0 ? 0.0 : seed * y * Math.Pow(x, y - 1.0);
        dy += x == 0.0 && y >= 0.0 ? 0.0 : seed * result * Math.Log(x);
    }

    /// <summary>Abs'(0) = 0.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Abs)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AbsBackward(double x, double seed, ref double dx) => dx += x > 0.0 ? seed : x < 0.0 ? -seed : 0.0;

    /// <summary>At a tie each argument receives half of the gradient.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Max)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MaxBackward(double a, double b, double seed, ref double da, ref double db)
    {
        if (a > b) da += seed;
        else if (b > a) db += seed;
        else { da += 0.5 * seed; db += 0.5 * seed; }
    }

    /// <summary>At a tie each argument receives half of the gradient.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Min)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MinBackward(double a, double b, double seed, ref double da, ref double db)
    {
        if (a < b) da += seed;
        else if (b < a) db += seed;
        else { da += 0.5 * seed; db += 0.5 * seed; }
    }

    /// <summary>The value receives the gradient where min ≤ value ≤ max; a bound receives it where it is the result.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Clamp)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ClampBackward(double value, double min, double max, double seed, ref double dValue, ref double dMin, ref double dMax)
    {
        if (value < min) dMin += seed;
        else if (value > max) dMax += seed;
        else dValue += seed;
    }

    /// <summary>Piecewise constant: zero gradient.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Floor), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FloorBackward(double x, double seed, ref double dx) { }

    /// <summary>Piecewise constant: zero gradient.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Ceiling), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CeilingBackward(double x, double seed, ref double dx) { }

    /// <summary>Piecewise constant: zero gradient.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Truncate), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TruncateBackward(double x, double seed, ref double dx) { }

    /// <summary>Piecewise constant: zero gradient.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Round), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RoundBackward(double x, double seed, ref double dx) { }

    /// <summary>Piecewise constant: zero gradient.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Round), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RoundDigitsBackward(double x, int digits, double seed, ref double dx) { }

    /// <summary>Piecewise constant: zero gradient.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Round), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RoundModeBackward(double x, MidpointRounding mode, double seed, ref double dx) { }

    /// <summary>Piecewise constant: zero gradient.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Round), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RoundDigitsModeBackward(double x, int digits, MidpointRounding mode, double seed, ref double dx) { }

    /// <summary>Integer-valued step: zero gradient.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Sign), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SignBackward(double x, int seed, ref double dx) { }

    [DerivativeOf(typeof(Math), nameof(Math.FusedMultiplyAdd)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FusedMultiplyAddBackward(double x, double y, double z, double seed, ref double dx, ref double dy, ref double dz)
    {
        dx += seed * y;
        dy += seed * x;
        dz += seed;
    }
}
