using System;
using System.Numerics;
using System.Runtime.CompilerServices;

// Each rule is documented by its DerivativeOf targets and the class summary; a summary per rule would repeat them.
#pragma warning disable CS1591

namespace Autodiff.Derivatives;

/// <summary>
/// The derivative rules of <see cref="Math"/> and <see cref="MathF"/>, both modes side by side, each
/// declared exactly as a user declares a custom derivative and written once, generic over the
/// floating-point type (the generator instantiates it for each double or float overload). A pullback
/// (<c>SinBackward</c>) adds <c>seed · ∂f/∂x</c> into the accumulators; a pushforward
/// (<c>SinTangent</c>, <c>Mode = DerivativeMode.Forward</c>) returns the tangent ∂f/∂x · dx. Kinks
/// follow PyTorch, the same in both modes: Abs'(0) = 0; Max and Min split evenly at a tie; Sqrt'(0)
/// = +∞; Pow with a zero base and a non-negative exponent has a zero exponent-gradient; Floor,
/// Ceiling, Round, Truncate and Sign are step functions (<c>Zero = true</c>); Clamp passes the
/// gradient where min ≤ x ≤ max. Each pushforward has a pullback of its own (<c>SinTangentBackward</c>,
/// second derivatives: the Hessian-vector product differentiates forward mode in reverse). A
/// function with only a pullback still has forward mode: the
/// pullback, called with the tangent as its seed, is its pushforward. The runtime tests check each
/// pushforward against its pullback, in double and float. A pullback that needs only the result
/// (Exp, Sqrt, Cbrt, Tan, Tanh) marks its input <see cref="UnreadAttribute"><c>[Unread]</c></see>, so
/// that generated code never keeps that input for it.
/// </summary>
public static class MathRules
{
    [DerivativeOf(typeof(Math), nameof(Math.Sin)), DerivativeOf(typeof(MathF), nameof(MathF.Sin)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SinBackward<T>(T x, T seed, ref T dx) where T : IFloatingPointIeee754<T> => dx += seed * T.Cos(x);

    [DerivativeOf(typeof(Math), nameof(Math.Sin), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Sin), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SinTangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => T.Cos(x) * dx;

    [DerivativeOf(nameof(SinTangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SinTangentBackward<T>(T x, T dx, T seed, ref T bx, ref T bdx) where T : IFloatingPointIeee754<T>
    {
        bx -= seed * T.Sin(x) * dx;
        bdx += seed * T.Cos(x);
    }

    [DerivativeOf(typeof(Math), nameof(Math.Cos)), DerivativeOf(typeof(MathF), nameof(MathF.Cos)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CosBackward<T>(T x, T seed, ref T dx) where T : IFloatingPointIeee754<T> => dx -= seed * T.Sin(x);

    [DerivativeOf(typeof(Math), nameof(Math.Cos), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Cos), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T CosTangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => -T.Sin(x) * dx;

    [DerivativeOf(nameof(CosTangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CosTangentBackward<T>(T x, T dx, T seed, ref T bx, ref T bdx) where T : IFloatingPointIeee754<T>
    {
        bx -= seed * T.Cos(x) * dx;
        bdx -= seed * T.Sin(x);
    }

    [DerivativeOf(typeof(Math), nameof(Math.Tan)), DerivativeOf(typeof(MathF), nameof(MathF.Tan)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TanBackward<T>([Unread] T x, T result, T seed, ref T dx) where T : IFloatingPointIeee754<T> => dx += seed * (T.One + result * result);

    [DerivativeOf(typeof(Math), nameof(Math.Tan), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Tan), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T TanTangent<T>(T x, T result, T dx) where T : IFloatingPointIeee754<T> => (T.One + result * result) * dx;

    [DerivativeOf(nameof(TanTangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TanTangentBackward<T>(T x, T y, T dx, T seed, ref T bx, ref T by, ref T bdx) where T : IFloatingPointIeee754<T>
    {
        by += seed * Two<T>() * y * dx;
        bdx += seed * (T.One + y * y);
    }

    [DerivativeOf(typeof(Math), nameof(Math.Asin)), DerivativeOf(typeof(MathF), nameof(MathF.Asin)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AsinBackward<T>(T x, T seed, ref T dx) where T : IFloatingPointIeee754<T> => dx += seed / T.Sqrt(T.One - x * x);

    [DerivativeOf(typeof(Math), nameof(Math.Asin), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Asin), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T AsinTangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => dx / T.Sqrt(T.One - x * x);

    [DerivativeOf(nameof(AsinTangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AsinTangentBackward<T>(T x, T dx, T seed, ref T bx, ref T bdx) where T : IFloatingPointIeee754<T>
    {
        T s = T.One - x * x;
        bx += seed * dx * x / (s * T.Sqrt(s));
        bdx += seed / T.Sqrt(s);
    }

    [DerivativeOf(typeof(Math), nameof(Math.Acos)), DerivativeOf(typeof(MathF), nameof(MathF.Acos)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AcosBackward<T>(T x, T seed, ref T dx) where T : IFloatingPointIeee754<T> => dx -= seed / T.Sqrt(T.One - x * x);

    [DerivativeOf(typeof(Math), nameof(Math.Acos), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Acos), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T AcosTangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => -dx / T.Sqrt(T.One - x * x);

    [DerivativeOf(nameof(AcosTangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AcosTangentBackward<T>(T x, T dx, T seed, ref T bx, ref T bdx) where T : IFloatingPointIeee754<T>
    {
        T s = T.One - x * x;
        bx -= seed * dx * x / (s * T.Sqrt(s));
        bdx -= seed / T.Sqrt(s);
    }

    [DerivativeOf(typeof(Math), nameof(Math.Atan)), DerivativeOf(typeof(MathF), nameof(MathF.Atan)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AtanBackward<T>(T x, T seed, ref T dx) where T : IFloatingPointIeee754<T> => dx += seed / (T.One + x * x);

    [DerivativeOf(typeof(Math), nameof(Math.Atan), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Atan), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T AtanTangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => dx / (T.One + x * x);

    [DerivativeOf(nameof(AtanTangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AtanTangentBackward<T>(T x, T dx, T seed, ref T bx, ref T bdx) where T : IFloatingPointIeee754<T>
    {
        T s = T.One + x * x;
        bx -= seed * Two<T>() * x * dx / (s * s);
        bdx += seed / s;
    }

    [DerivativeOf(typeof(Math), nameof(Math.Atan2)), DerivativeOf(typeof(MathF), nameof(MathF.Atan2)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Atan2Backward<T>(T y, T x, T seed, ref T dy, ref T dx) where T : IFloatingPointIeee754<T>
    {
        T scale = seed / (x * x + y * y);
        dy += scale * x;
        dx -= scale * y;
    }

    [DerivativeOf(typeof(Math), nameof(Math.Atan2), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Atan2), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Atan2Tangent<T>(T y, T x, T dy, T dx) where T : IFloatingPointIeee754<T> => (x * dy - y * dx) / (x * x + y * y);

    [DerivativeOf(nameof(Atan2Tangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Atan2TangentBackward<T>(T y, T x, T dy, T dx, T seed, ref T by, ref T bx, ref T bdy, ref T bdx) where T : IFloatingPointIeee754<T>
    {
        T d = x * x + y * y;
        T n = x * dy - y * dx;
        by += seed * (-dx * d - n * Two<T>() * y) / (d * d);
        bx += seed * (dy * d - n * Two<T>() * x) / (d * d);
        bdy += seed * x / d;
        bdx -= seed * y / d;
    }

    [DerivativeOf(typeof(Math), nameof(Math.Sinh)), DerivativeOf(typeof(MathF), nameof(MathF.Sinh)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SinhBackward<T>(T x, T seed, ref T dx) where T : IFloatingPointIeee754<T> => dx += seed * T.Cosh(x);

    [DerivativeOf(typeof(Math), nameof(Math.Sinh), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Sinh), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SinhTangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => T.Cosh(x) * dx;

    [DerivativeOf(nameof(SinhTangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SinhTangentBackward<T>(T x, T dx, T seed, ref T bx, ref T bdx) where T : IFloatingPointIeee754<T>
    {
        bx += seed * T.Sinh(x) * dx;
        bdx += seed * T.Cosh(x);
    }

    [DerivativeOf(typeof(Math), nameof(Math.Cosh)), DerivativeOf(typeof(MathF), nameof(MathF.Cosh)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CoshBackward<T>(T x, T seed, ref T dx) where T : IFloatingPointIeee754<T> => dx += seed * T.Sinh(x);

    [DerivativeOf(typeof(Math), nameof(Math.Cosh), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Cosh), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T CoshTangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => T.Sinh(x) * dx;

    [DerivativeOf(nameof(CoshTangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CoshTangentBackward<T>(T x, T dx, T seed, ref T bx, ref T bdx) where T : IFloatingPointIeee754<T>
    {
        bx += seed * T.Cosh(x) * dx;
        bdx += seed * T.Sinh(x);
    }

    [DerivativeOf(typeof(Math), nameof(Math.Tanh)), DerivativeOf(typeof(MathF), nameof(MathF.Tanh)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TanhBackward<T>([Unread] T x, T result, T seed, ref T dx) where T : IFloatingPointIeee754<T> => dx += seed * (T.One - result * result);

    [DerivativeOf(typeof(Math), nameof(Math.Tanh), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Tanh), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T TanhTangent<T>(T x, T result, T dx) where T : IFloatingPointIeee754<T> => (T.One - result * result) * dx;

    [DerivativeOf(nameof(TanhTangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TanhTangentBackward<T>(T x, T y, T dx, T seed, ref T bx, ref T by, ref T bdx) where T : IFloatingPointIeee754<T>
    {
        by -= seed * Two<T>() * y * dx;
        bdx += seed * (T.One - y * y);
    }

    [DerivativeOf(typeof(Math), nameof(Math.Exp)), DerivativeOf(typeof(MathF), nameof(MathF.Exp)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ExpBackward<T>([Unread] T x, T result, T seed, ref T dx) where T : IFloatingPointIeee754<T> => dx += seed * result;

    [DerivativeOf(typeof(Math), nameof(Math.Exp), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Exp), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ExpTangent<T>(T x, T result, T dx) where T : IFloatingPointIeee754<T> => result * dx;

    [DerivativeOf(nameof(ExpTangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ExpTangentBackward<T>(T x, T y, T dx, T seed, ref T bx, ref T by, ref T bdx) where T : IFloatingPointIeee754<T>
    {
        by += seed * dx;
        bdx += seed * y;
    }

    [DerivativeOf(typeof(Math), nameof(Math.Log)), DerivativeOf(typeof(MathF), nameof(MathF.Log)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LogBackward<T>(T x, T seed, ref T dx) where T : IFloatingPointIeee754<T> => dx += seed / x;

    [DerivativeOf(typeof(Math), nameof(Math.Log), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Log), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LogTangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => dx / x;

    [DerivativeOf(nameof(LogTangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LogTangentBackward<T>(T x, T dx, T seed, ref T bx, ref T bdx) where T : IFloatingPointIeee754<T>
    {
        bx -= seed * dx / (x * x);
        bdx += seed / x;
    }

    /// <summary>log_b(x) = ln x / ln b.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Log)), DerivativeOf(typeof(MathF), nameof(MathF.Log)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LogBaseBackward<T>(T x, T newBase, T seed, ref T dx, ref T dNewBase) where T : IFloatingPointIeee754<T>
    {
        T lnBase = T.Log(newBase);
        dx += seed / (x * lnBase);
        dNewBase -= seed * T.Log(x) / (newBase * lnBase * lnBase);
    }

    [DerivativeOf(typeof(Math), nameof(Math.Log), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Log), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LogBaseTangent<T>(T x, T newBase, T dx, T dNewBase) where T : IFloatingPointIeee754<T>
    {
        T lnBase = T.Log(newBase);
        return dx / (x * lnBase) - dNewBase * T.Log(x) / (newBase * lnBase * lnBase);
    }

    /// <summary>With L = ln b: t = dx / (x L) − db · ln x / (b L²).</summary>
    [DerivativeOf(nameof(LogBaseTangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LogBaseTangentBackward<T>(T x, T newBase, T dx, T dNewBase, T seed, ref T bx, ref T bNewBase, ref T bdx, ref T bdNewBase)
        where T : IFloatingPointIeee754<T>
    {
        T lnBase = T.Log(newBase);
        T lnX = T.Log(x);
        T squared = lnBase * lnBase;
        bx -= seed * (dx / (x * x * lnBase) + dNewBase / (x * newBase * squared));
        bNewBase += seed * (-dx / (x * newBase * squared) + dNewBase * lnX * (lnBase + Two<T>()) / (newBase * newBase * squared * lnBase));
        bdx += seed / (x * lnBase);
        bdNewBase -= seed * lnX / (newBase * squared);
    }
    [DerivativeOf(typeof(Math), nameof(Math.Log10)), DerivativeOf(typeof(MathF), nameof(MathF.Log10)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Log10Backward<T>(T x, T seed, ref T dx) where T : IFloatingPointIeee754<T> => dx += seed / (x * T.CreateTruncating(2.302585092994046));

    [DerivativeOf(typeof(Math), nameof(Math.Log10), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Log10), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log10Tangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => dx / (x * T.CreateTruncating(2.302585092994046));

    [DerivativeOf(nameof(Log10Tangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Log10TangentBackward<T>(T x, T dx, T seed, ref T bx, ref T bdx) where T : IFloatingPointIeee754<T>
    {
        T ln10 = T.CreateTruncating(2.302585092994046);
        bx -= seed * dx / (x * x * ln10);
        bdx += seed / (x * ln10);
    }

    [DerivativeOf(typeof(Math), nameof(Math.Log2)), DerivativeOf(typeof(MathF), nameof(MathF.Log2)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Log2Backward<T>(T x, T seed, ref T dx) where T : IFloatingPointIeee754<T> => dx += seed / (x * T.CreateTruncating(0.6931471805599453));

    [DerivativeOf(typeof(Math), nameof(Math.Log2), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Log2), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log2Tangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => dx / (x * T.CreateTruncating(0.6931471805599453));

    [DerivativeOf(nameof(Log2Tangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Log2TangentBackward<T>(T x, T dx, T seed, ref T bx, ref T bdx) where T : IFloatingPointIeee754<T>
    {
        T ln2 = T.CreateTruncating(0.6931471805599453);
        bx -= seed * dx / (x * x * ln2);
        bdx += seed / (x * ln2);
    }

    /// <summary>Sqrt'(0) = +∞, as in PyTorch.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Sqrt)), DerivativeOf(typeof(MathF), nameof(MathF.Sqrt)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SqrtBackward<T>([Unread] T x, T result, T seed, ref T dx) where T : IFloatingPointIeee754<T> => dx += seed / (Two<T>() * result);

    [DerivativeOf(typeof(Math), nameof(Math.Sqrt), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Sqrt), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SqrtTangent<T>(T x, T result, T dx) where T : IFloatingPointIeee754<T> => dx / (Two<T>() * result);

    [DerivativeOf(nameof(SqrtTangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SqrtTangentBackward<T>(T x, T y, T dx, T seed, ref T bx, ref T by, ref T bdx) where T : IFloatingPointIeee754<T>
    {
        by -= seed * dx / (Two<T>() * y * y);
        bdx += seed / (Two<T>() * y);
    }

    [DerivativeOf(typeof(Math), nameof(Math.Cbrt)), DerivativeOf(typeof(MathF), nameof(MathF.Cbrt)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CbrtBackward<T>([Unread] T x, T result, T seed, ref T dx) where T : IFloatingPointIeee754<T> => dx += seed / (Three<T>() * result * result);

    [DerivativeOf(typeof(Math), nameof(Math.Cbrt), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Cbrt), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T CbrtTangent<T>(T x, T result, T dx) where T : IFloatingPointIeee754<T> => dx / (Three<T>() * result * result);

    [DerivativeOf(nameof(CbrtTangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CbrtTangentBackward<T>(T x, T y, T dx, T seed, ref T bx, ref T by, ref T bdx) where T : IFloatingPointIeee754<T>
    {
        by -= seed * Two<T>() * dx / (Three<T>() * y * y * y);
        bdx += seed / (Three<T>() * y * y);
    }

    /// <summary>
    /// ∂/∂x = y·x^(y−1) (zero where y = 0); ∂/∂y = x^y·ln x, zero where x = 0 and y ≥ 0 (PyTorch's mask).
    /// </summary>
    [DerivativeOf(typeof(Math), nameof(Math.Pow)), DerivativeOf(typeof(MathF), nameof(MathF.Pow)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PowBackward<T>(T x, T y, T result, T seed, ref T dx, ref T dy) where T : IFloatingPointIeee754<T>
    {
        dx += y == T.Zero ? T.Zero : seed * y * T.Pow(x, y - T.One);
        dy += x == T.Zero && y >= T.Zero ? T.Zero : seed * result * T.Log(x);
    }

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

    [DerivativeOf(nameof(PowTangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PowTangentBackward<T>(T x, T y, T result, T dx, T dy, T seed, ref T bx, ref T by, ref T bResult, ref T bdx, ref T bdy) where T : IFloatingPointIeee754<T>
    {
        if (!(T.IsZero(y) || T.IsZero(dx)))
        {
            bx += seed * y * (y - T.One) * T.Pow(x, y - Two<T>()) * dx;
            by += seed * (T.One + y * T.Log(x)) * T.Pow(x, y - T.One) * dx;
        }
        if (!(T.IsZero(x) && y >= T.Zero || T.IsZero(dy)))
        {
            bx += seed * result * dy / x;
            bResult += seed * T.Log(x) * dy;
        }
        bdx += T.IsZero(y) ? T.Zero : seed * y * T.Pow(x, y - T.One);
        bdy += T.IsZero(x) && y >= T.Zero ? T.Zero : seed * result * T.Log(x);
    }

    /// <summary>Abs'(0) = 0.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Abs)), DerivativeOf(typeof(MathF), nameof(MathF.Abs)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AbsBackward<T>(T x, T seed, ref T dx) where T : IFloatingPointIeee754<T> => dx += x > T.Zero ? seed : x < T.Zero ? -seed : T.Zero;

    [DerivativeOf(typeof(Math), nameof(Math.Abs), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Abs), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T AbsTangent<T>(T x, T dx) where T : IFloatingPointIeee754<T> => x > T.Zero ? dx : x < T.Zero ? -dx : T.Zero;

    [DerivativeOf(nameof(AbsTangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AbsTangentBackward<T>(T x, T dx, T seed, ref T bx, ref T bdx) where T : IFloatingPointIeee754<T>
    {
        bdx += x > T.Zero ? seed : x < T.Zero ? -seed : T.Zero;
    }

    /// <summary>At a tie each argument receives half of the gradient.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Max)), DerivativeOf(typeof(MathF), nameof(MathF.Max)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MaxBackward<T>(T a, T b, T seed, ref T da, ref T db) where T : IFloatingPointIeee754<T>
    {
        if (a > b) da += seed;
        else if (b > a) db += seed;
        else { da += seed / Two<T>(); db += seed / Two<T>(); }
    }

    /// <summary>At a tie the tangent is the mean of both (each argument gets half of the gradient in reverse mode).</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Max), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Max), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MaxTangent<T>(T a, T b, T da, T db) where T : IFloatingPointIeee754<T> =>
        a > b ? da : b > a ? db : (da + db) / Two<T>();

    [DerivativeOf(nameof(MaxTangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MaxTangentBackward<T>(T a, T b, T da, T db, T seed, ref T ba, ref T bb, ref T bda, ref T bdb) where T : IFloatingPointIeee754<T>
    {
        if (a > b) bda += seed;
        else if (b > a) bdb += seed;
        else { bda += seed / Two<T>(); bdb += seed / Two<T>(); }
    }

    /// <summary>At a tie each argument receives half of the gradient.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Min)), DerivativeOf(typeof(MathF), nameof(MathF.Min)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MinBackward<T>(T a, T b, T seed, ref T da, ref T db) where T : IFloatingPointIeee754<T>
    {
        if (a < b) da += seed;
        else if (b < a) db += seed;
        else { da += seed / Two<T>(); db += seed / Two<T>(); }
    }

    /// <summary>At a tie the tangent is the mean of both.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Min), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.Min), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MinTangent<T>(T a, T b, T da, T db) where T : IFloatingPointIeee754<T> =>
        a < b ? da : b < a ? db : (da + db) / Two<T>();

    [DerivativeOf(nameof(MinTangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MinTangentBackward<T>(T a, T b, T da, T db, T seed, ref T ba, ref T bb, ref T bda, ref T bdb) where T : IFloatingPointIeee754<T>
    {
        if (a < b) bda += seed;
        else if (b < a) bdb += seed;
        else { bda += seed / Two<T>(); bdb += seed / Two<T>(); }
    }

    /// <summary>The value receives the gradient where min ≤ value ≤ max; a bound receives it where it is the result.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Clamp)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ClampBackward<T>(T value, T min, T max, T seed, ref T dValue, ref T dMin, ref T dMax) where T : IFloatingPointIeee754<T>
    {
        if (value < min) dMin += seed;
        else if (value > max) dMax += seed;
        else dValue += seed;
    }

    /// <summary>The value's tangent where min ≤ value ≤ max; a bound's where it is the result.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Clamp), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ClampTangent<T>(T value, T min, T max, T dValue, T dMin, T dMax) where T : IFloatingPointIeee754<T> =>
        value < min ? dMin : value > max ? dMax : dValue;

    [DerivativeOf(nameof(ClampTangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ClampTangentBackward<T>(T value, T min, T max, T dValue, T dMin, T dMax, T seed, ref T bValue, ref T bMin, ref T bMax, ref T bdValue, ref T bdMin, ref T bdMax) where T : IFloatingPointIeee754<T>
    {
        if (value < min) bdMin += seed;
        else if (value > max) bdMax += seed;
        else bdValue += seed;
    }

    /// <summary>Piecewise constant: zero gradient.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Floor), Zero = true), DerivativeOf(typeof(MathF), nameof(MathF.Floor), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FloorBackward<T>(T x, T seed, ref T dx) where T : IFloatingPointIeee754<T> { }

    /// <summary>Piecewise constant: zero gradient.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Ceiling), Zero = true), DerivativeOf(typeof(MathF), nameof(MathF.Ceiling), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CeilingBackward<T>(T x, T seed, ref T dx) where T : IFloatingPointIeee754<T> { }

    /// <summary>Piecewise constant: zero gradient.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Truncate), Zero = true), DerivativeOf(typeof(MathF), nameof(MathF.Truncate), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TruncateBackward<T>(T x, T seed, ref T dx) where T : IFloatingPointIeee754<T> { }

    /// <summary>Piecewise constant: zero gradient.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Round), Zero = true), DerivativeOf(typeof(MathF), nameof(MathF.Round), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RoundBackward<T>(T x, T seed, ref T dx) where T : IFloatingPointIeee754<T> { }

    /// <summary>Piecewise constant: zero gradient.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Round), Zero = true), DerivativeOf(typeof(MathF), nameof(MathF.Round), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RoundDigitsBackward<T>(T x, int digits, T seed, ref T dx) where T : IFloatingPointIeee754<T> { }

    /// <summary>Piecewise constant: zero gradient.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Round), Zero = true), DerivativeOf(typeof(MathF), nameof(MathF.Round), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RoundModeBackward<T>(T x, MidpointRounding mode, T seed, ref T dx) where T : IFloatingPointIeee754<T> { }

    /// <summary>Piecewise constant: zero gradient.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Round), Zero = true), DerivativeOf(typeof(MathF), nameof(MathF.Round), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RoundDigitsModeBackward<T>(T x, int digits, MidpointRounding mode, T seed, ref T dx) where T : IFloatingPointIeee754<T> { }

    /// <summary>Integer-valued step: zero gradient.</summary>
    [DerivativeOf(typeof(Math), nameof(Math.Sign), Zero = true), DerivativeOf(typeof(MathF), nameof(MathF.Sign), Zero = true), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SignBackward<T>(T x, int seed, ref T dx) where T : IFloatingPointIeee754<T> { }

    [DerivativeOf(typeof(Math), nameof(Math.FusedMultiplyAdd)), DerivativeOf(typeof(MathF), nameof(MathF.FusedMultiplyAdd)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FusedMultiplyAddBackward<T>(T x, T y, T z, T seed, ref T dx, ref T dy, ref T dz) where T : IFloatingPointIeee754<T>
    {
        dx += seed * y;
        dy += seed * x;
        dz += seed;
    }

    [DerivativeOf(typeof(Math), nameof(Math.FusedMultiplyAdd), Mode = DerivativeMode.Forward), DerivativeOf(typeof(MathF), nameof(MathF.FusedMultiplyAdd), Mode = DerivativeMode.Forward)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FusedMultiplyAddTangent<T>(T x, T y, T z, T dx, T dy, T dz) where T : IFloatingPointIeee754<T> => y * dx + x * dy + dz;

    [DerivativeOf(nameof(FusedMultiplyAddTangent)), MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FusedMultiplyAddTangentBackward<T>(T x, T y, T z, T dx, T dy, T dz, T seed, ref T bx, ref T by, ref T bz, ref T bdx, ref T bdy, ref T bdz) where T : IFloatingPointIeee754<T>
    {
        bx += seed * dy;
        by += seed * dx;
        bdx += seed * y;
        bdy += seed * x;
        bdz += seed;
    }

    private static T Two<T>() where T : IFloatingPointIeee754<T> => T.One + T.One;

    private static T Three<T>() where T : IFloatingPointIeee754<T> => T.One + T.One + T.One;
}
