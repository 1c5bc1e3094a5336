using System;
using System.Numerics;

namespace Autodiff.Gradients.Tests.Functions;

/// <summary>
/// A user's generic rules: one pullback and one pushforward, generic over the floating-point type,
/// serve both overloads of a function (as the built-in Math and MathF rules do).
/// </summary>
public static partial class GenericRules
{
    public static double Softsign(double x) => x / (1 + Math.Abs(x));

    public static float Softsign(float x) => x / (1 + MathF.Abs(x));

    [DerivativeOf(nameof(Softsign))]
    public static void SoftsignBackward<T>(T x, T seed, ref T dx) where T : IFloatingPointIeee754<T>
    {
        T denominator = T.One + T.Abs(x);
        dx += seed / (denominator * denominator);
    }

    [DerivativeOf(nameof(Softsign), Mode = DerivativeMode.Forward)]
    public static T SoftsignTangent<T>(T x, T dx) where T : IFloatingPointIeee754<T>
    {
        T denominator = T.One + T.Abs(x);
        return dx / (denominator * denominator);
    }

    [Differentiable]
    public static double DoubleOverload(double x, double y) => Softsign(x * y) + Softsign(Math.Sin(x));

    [Differentiable]
    public static float FloatOverload(float x, float y) => Softsign(x * y) * Softsign(MathF.Cos(y));

    /// <summary>A generic helper (not differentiated itself) with a generic rule: each call's pullback is the instance for its type.</summary>
    public static T Saturate<T>(T x) where T : IFloatingPointIeee754<T> => x * x / (T.One + x * x);

    [DerivativeOf(nameof(Saturate))]
    public static void SaturateBackward<T>(T x, T seed, ref T dx) where T : IFloatingPointIeee754<T>
    {
        T denominator = T.One + x * x;
        dx += seed * (x + x) / (denominator * denominator);
    }

    [Differentiable]
    public static double GenericHelperDouble(double x, double y) => Saturate(x * y) + Saturate(Math.Sin(y));

    [Differentiable]
    public static float GenericHelperFloat(float x) => Saturate(x) * x;
}
