using System;
using Autodiff.Gradients.Tests.Harness;

namespace Autodiff.Gradients.Tests.Functions;

/// <summary>Every System.Math function the built-in rules cover.</summary>
public static partial class MathFunctions
{
    [Differentiable]
    public static double SinCos(double x, double y) => Math.Sin(x) * Math.Cos(y);

    [Differentiable, Domain(-1, 1)]
    public static double Tan(double x) => Math.Tan(x);

    [Differentiable, Domain(-0.9, 0.9)]
    public static double InverseTrigonometry(double x, double y) => Math.Asin(x) + Math.Acos(x * 0.5) + Math.Atan(y);

    [Differentiable, Domain(0.3, 2)]
    public static double Atan2(double y, double x) => Math.Atan2(y, x) + Math.Atan2(-y, x - 3);

    [Differentiable]
    public static double Hyperbolic(double x, double y) => Math.Sinh(x) + Math.Cosh(y) + Math.Tanh(x * y);

    [Differentiable, Domain(0.2, 3)]
    public static double ExpLog(double x, double y) => Math.Exp(x) * Math.Log(y);

    [Differentiable, Domain(1.5, 4)]
    public static double LogWithBase(double x, double b) => Math.Log(x, b);

    [Differentiable, Domain(0.2, 5)]
    public static double Log10AndLog2(double x, double y) => Math.Log10(x) * Math.Log2(y);

    [Differentiable, Domain(0.2, 4)]
    public static double SqrtCbrt(double x, double y) => Math.Sqrt(x) + Math.Cbrt(y) + Math.Cbrt(-x);

    [Differentiable, Domain(0.3, 2)]
    public static double Pow(double x, double y) => Math.Pow(x, y);

    [Differentiable]
    public static double PowWithConstantExponent(double x) => Math.Pow(x, 3) - Math.Pow(x, 2.0) * 4;

    [Differentiable]
    public static double AbsMaxMin(double x, double y) => Math.Abs(x) + Math.Max(x, y) + Math.Min(x, y * y);

    [Differentiable]
    public static double Clamp(double x, double y) => Math.Clamp(x, -0.5, 0.5) * y + Math.Clamp(y, x - 1, x + 1);

    [Differentiable, Domain(0.1, 0.4)]
    public static double PiecewiseConstantFunctions(double x, double y) =>
        Math.Floor(x + 2) * y + Math.Round(y + 1) * x + Math.Ceiling(x) + Math.Truncate(y * 3) + Math.Sign(x) * y;

    [Differentiable]
    public static double FusedMultiplyAdd(double x, double y, double z) => Math.FusedMultiplyAdd(x, y, z) * x;

    [Differentiable, Domain(0.1, 1)]
    public static double DeepComposition(double x, double y) => Math.Exp(Math.Sin(x * y) + Math.Sqrt(x * x + y * y));

    [Differentiable]
    public static double LogSumExp(double x, double y, double z)
    {
        double m = Math.Max(x, Math.Max(y, z));
        return m + Math.Log(Math.Exp(x - m) + Math.Exp(y - m) + Math.Exp(z - m));
    }

    [Differentiable]
    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Differentiable, Domain(0.1, 2)]
    public static double SameCallTwice(double x) => Math.Log(x) * Math.Log(x) + Math.Sin(Math.Sin(x));

    /// <summary>
    /// The cosine of a parameter and, after the parameter is reassigned, the sine of its new value: not
    /// one angle, so neither serves as the other's derivative (random-program tester, seed 8134220).
    /// </summary>
    [Differentiable]
    public static double CosineThenSineOfAReassignedParameter(double a)
    {
        double c = Math.Cos(a) * Math.Cos(a);
        a += Math.Atan2(Math.Exp(Math.Tanh(a)), 1.0 + c);
        return a - Math.Sin(a);
    }

    /// <summary>The same with the sine first: the later cosine is of the new value.</summary>
    [Differentiable]
    public static double SineThenCosineOfAReassignedParameter(double a)
    {
        double s = Math.Sin(a);
        a = a * 1.5 + s;
        return Math.Cos(a) * s;
    }
}
