using System;

namespace Autodiff.Gradients.Tests.Analytic;

/// <summary>
/// Functions whose gradient finite differences cannot check: kinks (where PyTorch's conventions
/// decide), stopped gradients and custom derivatives that differ from the true one on purpose.
/// </summary>
public static partial class Conventions
{
    [Differentiable] public static double Abs(double x) => Math.Abs(x);
    [Differentiable] public static double Max(double x, double y) => Math.Max(x, y);
    [Differentiable] public static double Min(double x, double y) => Math.Min(x, y);
    [Differentiable] public static double Sqrt(double x) => Math.Sqrt(x);
    [Differentiable] public static double Pow(double x, double y) => Math.Pow(x, y);
    [Differentiable] public static double PiecewiseConstant(double x) => Math.Floor(x) + Math.Round(x) + Math.Sign(x) + Math.Ceiling(x) + Math.Truncate(x);
    [Differentiable] public static double Clamp(double x, double low, double high) => Math.Clamp(x, low, high);
    [Differentiable] public static float AbsF(float x) => MathF.Abs(x);
    [Differentiable] public static float MaxF(float x, float y) => MathF.Max(x, y);

    [Differentiable]
    public static double StopGradient(double x, double y) => x * Grad.Stop(y) + y;

    /// <summary>Rounds, but lets the gradient through unchanged: a straight-through estimator.</summary>
    public static double Quantize(double x) => Math.Round(x);

    [DerivativeOf(nameof(Quantize))]
    public static void QuantizeStraightThrough(double x, double seed, ref double dx) => dx += seed;

    [Differentiable]
    public static double UsesStraightThrough(double x) => Quantize(x) * 3;

    [Differentiable]
    public static double WithNoGrad(double x, [NoGrad] double c) => x * c;

    [Differentiable]
    public static double SumArray(double[] values)
    {
        double s = 0;
        for (int i = 0; i < values.Length; i++)
            s += values[i] * (i + 1);
        return s;
    }

    /// <summary>An integer conversion stops the gradient (and warns, ADIFF008).</summary>
    [Differentiable]
    public static double IntegerConversion(double x) => (int)(x * 10) + x;
}
