using System;

namespace Autodiff.Runtime.Tests.Checking;

/// <summary>Functions with hand-derived gradients, and ways to get a gradient wrong.</summary>
internal static class TestFunctions
{
    /// <summary>Rosenbrock in n dimensions: Σ 100 (x[i+1] − x[i]²)² + (1 − x[i])².</summary>
    public static double Rosenbrock(double[] x)
    {
        double sum = 0;
        for (int i = 0; i + 1 < x.Length; i++)
        {
            sum += 100 * Square(x[i + 1] - x[i] * x[i]) + Square(1 - x[i]);
        }
        return sum;
    }

    public static double[] RosenbrockGradient(double[] x)
    {
        var g = new double[x.Length];
        for (int i = 0; i + 1 < x.Length; i++)
        {
            double r = x[i + 1] - x[i] * x[i];
            g[i] += -400 * x[i] * r - 2 * (1 - x[i]);
            g[i + 1] += 200 * r;
        }
        return g;
    }

    public static float RosenbrockFloat(float[] x)
    {
        float sum = 0;
        for (int i = 0; i + 1 < x.Length; i++)
        {
            float r = x[i + 1] - x[i] * x[i];
            sum += 100 * r * r + (1 - x[i]) * (1 - x[i]);
        }
        return sum;
    }

    public static float[] RosenbrockGradientFloat(float[] x)
    {
        var g = new float[x.Length];
        for (int i = 0; i + 1 < x.Length; i++)
        {
            float r = x[i + 1] - x[i] * x[i];
            g[i] += -400 * x[i] * r - 2 * (1 - x[i]);
            g[i + 1] += 200 * r;
        }
        return g;
    }

    /// <summary>−log softmax(z)[label], computed stably.</summary>
    public static double SoftmaxCrossEntropy(double[] z, int label)
    {
        double max = double.NegativeInfinity;
        foreach (double v in z) max = Math.Max(max, v);
        double sum = 0;
        foreach (double v in z) sum += Math.Exp(v - max);
        return max + Math.Log(sum) - z[label];
    }

    /// <summary>softmax(z) − onehot(label).</summary>
    public static double[] SoftmaxCrossEntropyGradient(double[] z, int label)
    {
        double max = double.NegativeInfinity;
        foreach (double v in z) max = Math.Max(max, v);
        double sum = 0;
        foreach (double v in z) sum += Math.Exp(v - max);
        var g = new double[z.Length];
        for (int i = 0; i < z.Length; i++)
        {
            g[i] = Math.Exp(z[i] - max) / sum - (i == label ? 1 : 0);
        }
        return g;
    }

    /// <summary>y = (x0·x1, sin x0 + x2², exp(x1)·x2): a small vector function R³ → R³.</summary>
    public static double[] Vector(double[] x) => [x[0] * x[1], Math.Sin(x[0]) + x[2] * x[2], Math.Exp(x[1]) * x[2]];

    /// <summary>seedᵀJ of <see cref="Vector"/>.</summary>
    public static double[] VectorPullback(double[] x, double[] seed) =>
    [
        seed[0] * x[1] + seed[1] * Math.Cos(x[0]),
        seed[0] * x[0] + seed[2] * Math.Exp(x[1]) * x[2],
        seed[1] * 2 * x[2] + seed[2] * Math.Exp(x[1]),
    ];

    public static float[] VectorFloat(float[] x) => [x[0] * x[1], MathF.Sin(x[0]) + x[2] * x[2], MathF.Exp(x[1]) * x[2]];

    public static float[] VectorPullbackFloat(float[] x, float[] seed) =>
    [
        seed[0] * x[1] + seed[1] * MathF.Cos(x[0]),
        seed[0] * x[0] + seed[2] * MathF.Exp(x[1]) * x[2],
        seed[1] * 2 * x[2] + seed[2] * MathF.Exp(x[1]),
    ];

    /// <summary>The gradient with element <paramref name="index"/> replaced by <paramref name="wrong"/>(its value).</summary>
    public static Func<T[], T[]> Spoil<T>(Func<T[], T[]> gradient, int index, Func<T, T> wrong) => x =>
    {
        T[] g = gradient(x);
        g[index] = wrong(g[index]);
        return g;
    };

    private static double Square(double v) => v * v;
}
