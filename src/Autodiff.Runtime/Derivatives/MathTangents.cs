using System;
using System.Numerics;
using System.Runtime.CompilerServices;

// Each rule is documented by its DerivativeOf targets and the class summary; a summary per rule would repeat them.
#pragma warning disable CS1591

namespace Autodiff.Derivatives;

/// <summary>
/// Pushforward (forward-mode) rules for <see cref="Math"/> and <see cref="MathF"/>: each returns the
/// tangent of the result, ∂f/∂x · dx, from the arguments and their tangents. One generic rule serves
/// both <c>double</c> and <c>float</c>. They follow <see cref="MathDerivatives"/>' conventions at the
/// kinks (Abs'(0) = 0, Max and Min split evenly at a tie, Pow's masks), so the two modes agree
/// everywhere; the runtime tests check each against its pullback. A function without a pushforward
/// here still has forward mode: its pullback, called with the tangent as its seed, is one.
/// </summary>
public static class MathTangents
{
    [DerivativeOf(typeof(Math), nameof(Math.Sin), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Sin), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SinTangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => T.Cos(x) * dx;

    [DerivativeOf(typeof(Math), nameof(Math.Cos), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Cos), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T CosTangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => -T.Sin(x) * dx;

    [DerivativeOf(typeof(Math), nameof(Math.Tan), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Tan), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T TanTangent<T>(T x, T result, T dx) where T : IFloatingPointIeee754<T> => (T.One + result * result) * dx;

    [DerivativeOf(typeof(Math), nameof(Math.Asin), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Asin), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T AsinTangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => dx / T.Sqrt(T.One - x * x);

    [DerivativeOf(typeof(Math), nameof(Math.Acos), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Acos), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T AcosTangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => -dx / T.Sqrt(T.One - x * x);

    [DerivativeOf(typeof(Math), nameof(Math.Atan), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Atan), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T AtanTangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => dx / (T.One + x * x);

    [DerivativeOf(typeof(Math), nameof(Math.Atan2), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Atan2), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Atan2Tangent<T>(T y, T x, T dy, T dx) where T : IFloatingPointIeee754<T> => (x * dy - y * dx) / (x * x + y * y);

    [DerivativeOf(typeof(Math), nameof(Math.Sinh), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Sinh), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SinhTangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => T.Cosh(x) * dx;

    [DerivativeOf(typeof(Math), nameof(Math.Cosh), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Cosh), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T CoshTangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => T.Sinh(x) * dx;

    [DerivativeOf(typeof(Math), nameof(Math.Tanh), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Tanh), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T TanhTangent<T>(T x, T result, T dx) where T : IFloatingPointIeee754<T> => (T.One - result * result) * dx;

    [DerivativeOf(typeof(Math), nameof(Math.Exp), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Exp), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ExpTangent<T>(T x, T result, T dx) where T : IFloatingPointIeee754<T> => result * dx;

    [DerivativeOf(typeof(Math), nameof(Math.Log), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Log), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LogTangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => dx / x;

    [DerivativeOf(typeof(Math), nameof(Math.Log10), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Log10), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log10Tangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => dx / (x * T.Log(T.CreateTruncating(10)));

    [DerivativeOf(typeof(Math), nameof(Math.Log2), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Log2), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log2Tangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => dx / (x * T.Log(T.CreateTruncating(2)));

    /// <summary>Sqrt'(0) = +∞, as in PyTorch.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Sqrt), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Sqrt), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SqrtTangent<T>(T x, T result, T dx) where T : IFloatingPointIeee754<T> => dx / (T.CreateTruncating(2) * result);

    [DerivativeOf(typeof(Math), nameof(Math.Cbrt), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Cbrt), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T CbrtTangent<T>(T x, T result, T dx) where T : IFloatingPointIeee754<T> => dx / (T.CreateTruncating(3) * result * result);

    /// <summary>
    /// ∂/∂x = y·x^(y−1) (zero where y = 0); ∂/∂y = x^y·ln x, zero where x = 0 and y ≥ 0 (PyTorch's
    /// mask). A zero tangent contributes nothing, so a constant exponent on a negative base
    /// (<c>Math.Pow(x, 3)</c>, where ln x is NaN) gives the tangent of x alone, as the pullback does.
    /// </summary>
    [DerivativeOf(typeof(Math), nameof(Math.Pow), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Pow), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T PowTangent<T>(T x, T y, T result, T dx, T dy) where T : IFloatingPointIeee754<T> =>
        (T.IsZero(y) || T.IsZero(dx) ? T.Zero : y * T.Pow(x, y - T.One) * dx)
        + (T.IsZero(x) && y >= T.Zero || T.IsZero(dy) ? T.Zero : result * T.Log(x) * dy);

    /// <summary>Abs'(0) = 0.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Abs), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Abs), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T AbsTangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => x > T.Zero ? dx : x < T.Zero ? -dx : T.Zero;

    /// <summary>At a tie the tangent is the mean of both (each argument gets half of the gradient in reverse mode).</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Max), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Max), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MaxTangent<T>(T a, T b, T da, T db) where T : IFloatingPointIeee754<T> =>
        a > b ? da : b > a ? db : (da + db) / T.CreateTruncating(2);

    /// <summary>At a tie the tangent is the mean of both.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Min), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Min), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MinTangent<T>(T a, T b, T da, T db) where T : IFloatingPointIeee754<T> =>
        a < b ? da : b < a ? db : (da + db) / T.CreateTruncating(2);

    /// <summary>The value's tangent where min ≤ value ≤ max; a bound's where it is the result.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Clamp), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ClampTangent<T>(T value, T min, T max, T dValue, T dMin, T dMax) where T : IFloatingPointIeee754<T> =>
        value < min ? dMin : value > max ? dMax : dValue;

    [DerivativeOf(typeof(Math), nameof(Math.FusedMultiplyAdd), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.FusedMultiplyAdd), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FusedMultiplyAddTangent<T>(T x, T y, T z, T dx, T dy, T dz) where T : IFloatingPointIeee754<T> => y * dx + x * dy + dz;
}
