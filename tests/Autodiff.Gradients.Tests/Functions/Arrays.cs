using System;
using Autodiff.Gradients.Tests.Harness;

namespace Autodiff.Gradients.Tests.Functions;

/// <summary>Array parameters and local arrays, read and written element by element.</summary>
public static partial class Arrays
{
    [Differentiable]
    public static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
            s += a[i] * b[i];
        return s;
    }

    [Differentiable]
    public static double SumOfSquaresForEach(double[] x)
    {
        double s = 0;
        foreach (double v in x)
            s += v * v;
        return s;
    }

    [Differentiable]
    public static double LocalArray(double[] x)
    {
        double[] squares = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
            squares[i] = x[i] * x[i];
        double s = 0;
        for (int i = 0; i < squares.Length; i++)
            s += Math.Sin(squares[i]);
        return s;
    }

    [Differentiable]
    public static double PrefixSums(double[] x)
    {
        double[] prefix = new double[x.Length];
        prefix[0] = x[0];
        for (int i = 1; i < x.Length; i++)
            prefix[i] = prefix[i - 1] * 0.5 + x[i];
        double s = 0;
        for (int i = 0; i < prefix.Length; i++)
            s += prefix[i] * prefix[i];
        return s;
    }

    [Differentiable]
    public static double Smoothness(double[] x)
    {
        double s = 0;
        for (int i = 0; i + 1 < x.Length; i++)
        {
            double d = x[i + 1] - x[i];
            s += d * d;
        }
        return s;
    }

    [Differentiable, Ints(2)]
    public static double CrossEntropy(double[] logits, int label)
    {
        double max = logits[0];
        for (int i = 1; i < logits.Length; i++)
            max = Math.Max(max, logits[i]);
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
            sum += Math.Exp(logits[i] - max);
        return max + Math.Log(sum) - logits[label];
    }

    [Differentiable]
    public static double Horner(double[] coefficients, double t)
    {
        double p = 0;
        for (int i = 0; i < coefficients.Length; i++)
            p = p * t + coefficients[i];
        return p;
    }

    [Differentiable]
    public static double NoGradArray([NoGrad] double[] data, double w, double b)
    {
        double loss = 0;
        for (int i = 0; i < data.Length; i++)
        {
            double r = w * data[i] + b - data[i] * data[i];
            loss += r * r;
        }
        return loss / data.Length;
    }

    [Differentiable]
    public static double WritesIntoParameterArray(double[] x, double y)
    {
        for (int i = 0; i < x.Length; i++)
            x[i] = x[i] * y;
        double s = 0;
        for (int i = 0; i < x.Length; i++)
            s += x[i] * x[i];
        return s;
    }

    [Differentiable]
    public static double OverwrittenElementsInLoop(double[] x)
    {
        double[] state = new double[2];
        state[0] = 1;
        for (int i = 0; i < x.Length; i++)
        {
            state[1] = state[0] * x[i];
            state[0] = Math.Sin(state[1]) + x[i];
        }
        return state[0] + state[1];
    }

    [Differentiable]
    public static double IndexFromData(double[] x, int[] order)
    {
        double s = 0;
        for (int k = 0; k < order.Length; k++)
            s = s * 0.5 + x[order[k]] * (k + 1);
        return s;
    }
}
