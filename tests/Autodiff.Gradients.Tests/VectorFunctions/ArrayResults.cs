using System;
using Autodiff.Gradients.Tests.Harness;

namespace Autodiff.Gradients.Tests.VectorFunctions;

/// <summary>
/// Methods that return arrays: each gets FPullback (a vector-Jacobian product), FTangent (a
/// Jacobian-vector product) and FJacobian, checked by <see cref="VectorChecker"/> against central
/// differences of the method itself.
/// </summary>
public static partial class ArrayResults
{
    [Differentiable]
    public static double[] Polar(double r, double theta) => new[] { r * Math.Cos(theta), r * Math.Sin(theta) };

    /// <summary>One input, four outputs: FJacobian takes forward mode.</summary>
    [Differentiable]
    public static double[] Features(double t) => [t, t * t, Math.Sin(t), Math.Exp(t / 2)];

    [Differentiable]
    public static double[] Softmax(double[] z)
    {
        double max = z[0];
        for (int i = 1; i < z.Length; i++)
            if (z[i] > max)
                max = z[i];
        double[] e = new double[z.Length];
        double sum = 0;
        for (int i = 0; i < z.Length; i++)
        {
            e[i] = Math.Exp(z[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < z.Length; i++)
            e[i] /= sum;
        return e;
    }

    [Differentiable]
    public static double[] CumulativeSum(double[] x)
    {
        var y = new double[x.Length];
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += x[i];
            y[i] = s;
        }
        return y;
    }

    /// <summary>A 2x2 matrix (row-major in a) times x, plus a bias scaled by an int.</summary>
    [Differentiable, Ints(3)]
    public static double[] AffineMap(double[] a, double[] x, double b, int k)
    {
        var y = new double[2];
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 2; j++)
                y[i] += a[2 * i + j] * x[j];
            y[i] += k * b;
        }
        return y;
    }

    [Differentiable]
    public static float[] ScaledSquares(float[] x, float a)
    {
        var y = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
            y[i] = a * x[i] * x[i];
        return y;
    }

    /// <summary>The result's elements are overwritten several times: the caller must still get the final ones.</summary>
    [Differentiable]
    public static double[] Smoothed(double[] x, double alpha)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
            y[i] = x[i];
        for (int pass = 0; pass < 3; pass++)
            for (int i = 1; i < y.Length; i++)
                y[i] = alpha * y[i - 1] + (1 - alpha) * Math.Tanh(y[i]);
        return y;
    }

    [Differentiable]
    [Domain(0.5, 2)]
    public static double[] Branches(double[] x, [NoGrad] double threshold)
    {
        var y = new double[3];
        if (x[0] > threshold)
            y[0] = x[0] * x[1];
        else
            y[0] = Math.Log(x[0]) - x[1];
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] > 1.5)
                break;
            y[1] += x[i] / (1 + x[i]);
        }
        y[2] = Math.Sqrt(x[2] + x[3]);
        return y;
    }

    /// <summary>Array results passed on: the result is itself the result of a call.</summary>
    [Differentiable]
    public static double[] SoftmaxOfSums(double[] x) => Softmax(CumulativeSum(x));

    [Differentiable]
    public static double[] Chained(double[] x, double t)
    {
        double[] features = Features(t);
        double[] p = Softmax(x);
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
            y[i] = p[i] * features[i % features.Length];
        return y;
    }

    /// <summary>A result that does not depend on the inputs: a zero Jacobian.</summary>
    [Differentiable]
    public static double[] Constant(double x) => new double[] { 1, 2 };
}
