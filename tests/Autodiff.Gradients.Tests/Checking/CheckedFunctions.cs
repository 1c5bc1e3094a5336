using System;

namespace Autodiff.Gradients.Tests.Checking;

/// <summary>[Differentiable] functions whose generated gradients GradCheck checks, and one wrong rule it must catch.</summary>
public static partial class CheckedFunctions
{
    [Differentiable]
    public static double Rosenbrock(double x, double y)
    {
        double a = 1 - x;
        double b = y - x * x;
        return a * a + 100 * b * b;
    }

    [Differentiable]
    public static float Bump(float x, float y) => MathF.Exp(-x * x) * MathF.Sin(y) + x * y;

    /// <summary>A tensor-valued function: its pullback is a vector-Jacobian product.</summary>
    [Differentiable]
    public static Tensor Squash(Tensor x) => Tensor.Tanh(x) * x + Tensor.Sigmoid(x);

    /// <summary>x·sin x, without a gradient of its own: its rule below is written by hand, and wrong.</summary>
    public static double Wobble(double x) => x * Math.Sin(x);

    /// <summary>Forgets the sin x term of d/dx [x·sin x] = sin x + x·cos x, a typical hand-derivation slip.</summary>
    [DerivativeOf(nameof(Wobble))]
    public static void WobbleBackward(double x, double seed, ref double dx) => dx += seed * x * Math.Cos(x);

    [Differentiable]
    public static double UsesWobble(double a, double b) => Wobble(a) * b + b * b;
}

/// <summary>A user's tensor operation whose hand-written rule is wrong (it drops the factor 2 of d/dx x²).</summary>
public static class BrokenSquare
{
    public static Tensor Square(Tensor x) => x * x;

    [DerivativeOf(typeof(BrokenSquare), nameof(Square))]
    public static void SquareBackward(Tensor x, Tensor seed, Tensor? dx)
    {
        if (dx is not null)
        {
            Tensor.AddInPlace(dx, seed * x);
        }
    }
}

/// <summary>A model that uses <see cref="BrokenSquare"/> on its second layer only.</summary>
public sealed partial class BrokenNet
{
    public Tensor W = Tensor.RandomNormal(41, 0f, 0.8f, 3, 4);
    public Tensor V = Tensor.RandomNormal(42, 0f, 0.8f, 4, 2);

    [Differentiable]
    public Tensor Loss([NoGrad] Tensor x, int[] labels) =>
        Tensor.CrossEntropy(BrokenSquare.Square(Tensor.MatMul(Tensor.Tanh(Tensor.MatMul(x, W)), V)), labels);
}
