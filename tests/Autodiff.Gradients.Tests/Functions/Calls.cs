using System;
using Autodiff.Gradients.Tests.Harness;

namespace Autodiff.Gradients.Tests.Functions;

/// <summary>Calls to other differentiable methods, recursion, custom derivatives, [NoGrad] and Grad.Stop.</summary>
public static partial class Calls
{
    [Differentiable]
    public static double Square(double x) => x * x;

    [Differentiable]
    public static double Norm(double x, double y) => Math.Sqrt(Square(x) + Square(y) + 1);

    [Differentiable]
    public static double CallsAnotherType(double x, double y) => Arithmetic.Polynomial(x, y) * Norm(y, x);

    [Differentiable, Ints(4)]
    public static double RecursivePower(double x, int n) => n == 0 ? 1 : x * RecursivePower(x, n - 1);

    [Differentiable, Ints(5)]
    public static double RecursionWithBranches(double x, int n)
    {
        if (n <= 1)
            return x;
        return Math.Sin(RecursionWithBranches(x, n - 1)) + x;
    }

    [Differentiable]
    public static double CallInLoop(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
            s += Norm(x[i], s);
        return s;
    }

    [Differentiable]
    public static double SumArray(double[] values)
    {
        double s = 0;
        foreach (double v in values)
            s += v;
        return s;
    }

    [Differentiable]
    public static double CallWithArray(double[] x, double y) => SumArray(x) * y + SumArray(x);

    [Differentiable]
    public static double NoGradParameter(double x, [NoGrad] double c) => x * c + c * c;

    [Differentiable]
    public static double InactiveHelperCalls(double x, int n) => x * Math.Max(n, 2) + x * Helper(n);

    private static int Helper(int n) => n * 3;

    /// <summary>A smooth function with a user-supplied derivative (the derivative is exact here, so FD agrees).</summary>
    public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

    [DerivativeOf(nameof(Softplus))]
    public static void SoftplusBackward(double x, double seed, ref double dx) => dx += seed / (1 + Math.Exp(-x));

    [Differentiable]
    public static double UsesCustomDerivative(double x, double y) => Softplus(x * y) + Softplus(-x);

    /// <summary>A rule that takes the forward result: d/dx of Cube is 3·x², written as 3·result/x would need x ≠ 0.</summary>
    public static double Cube(double x) => x * x * x;

    [DerivativeOf(typeof(Calls), nameof(Cube))]
    public static void CubeBackward(double x, double result, double seed, ref double dx) => dx += seed * 3 * x * x + 0 * result;

    [Differentiable]
    public static double UsesRuleWithResult(double x) => Cube(x) + Cube(x * 2);
}
