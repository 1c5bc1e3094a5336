using System;
using Autodiff.Gradients.Tests.VectorFunctions;

namespace Autodiff.Gradients.Tests.Functions;

/// <summary>Scalar functions that call methods returning arrays, the way a loss calls a softmax.</summary>
public static partial class ArrayResultCalls
{
    [Differentiable]
    public static double CrossEntropy(double[] z, int label)
    {
        double[] p = ArrayResults.Softmax(z);
        return -Math.Log(p[label]);
    }

    [Differentiable]
    public static double SumOfSquares(double r, double theta)
    {
        double s = 0;
        foreach (double v in ArrayResults.Polar(r, theta))
            s += v * v;
        return s;
    }

    /// <summary>The returned array is changed after the call, and the argument too.</summary>
    [Differentiable]
    public static double ChangedAfterTheCall(double[] x)
    {
        var z = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
            z[i] = 2 * x[i];
        double[] sums = ArrayResults.CumulativeSum(z);
        for (int i = 0; i < x.Length; i++)
        {
            z[i] = Math.Sin(z[i]);
            sums[i] *= z[i];
        }
        double s = 0;
        for (int i = 0; i < sums.Length; i++)
            s += sums[i] * sums[i] + z[i];
        return s;
    }

    [Differentiable]
    public static double ThroughTwoCalls(double[] x, double t)
    {
        double[] y = ArrayResults.Chained(x, t);
        double[] p = ArrayResults.Softmax(y);
        return p[0] * t + p[1];
    }

    [Differentiable]
    public static float FloatResultCall(float[] x, float a)
    {
        float[] y = ArrayResults.ScaledSquares(x, a);
        return y[0] * y[1] + y[2];
    }

    /// <summary>A softmax with declared rules (not differentiated itself): the pullback and pushforward of an array result.</summary>
    public static double[] RuleSoftmax(double[] z)
    {
        var e = new double[z.Length];
        double sum = 0;
        for (int i = 0; i < z.Length; i++)
        {
            e[i] = Math.Exp(z[i]);
            sum += e[i];
        }
        for (int i = 0; i < z.Length; i++)
            e[i] /= sum;
        return e;
    }

    [DerivativeOf(nameof(RuleSoftmax))]
    public static void RuleSoftmaxBackward(double[] z, double[] result, double[] seed, double[] dz)
    {
        double dot = 0;
        for (int i = 0; i < z.Length; i++)
            dot += seed[i] * result[i];
        for (int i = 0; i < z.Length; i++)
            dz[i] += result[i] * (seed[i] - dot);
    }

    [DerivativeOf(nameof(RuleSoftmax), Mode = DerivativeMode.Forward)]
    public static double[] RuleSoftmaxForward(double[] z, double[] result, double[]? dz)
    {
        var tangent = new double[z.Length];
        if (dz is null)
            return tangent;
        double dot = 0;
        for (int i = 0; i < z.Length; i++)
            dot += dz[i] * result[i];
        for (int i = 0; i < z.Length; i++)
            tangent[i] = result[i] * (dz[i] - dot);
        return tangent;
    }

    [Differentiable]
    public static double ThroughDeclaredRules(double[] z, double t)
    {
        double[] scaled = new double[z.Length];
        for (int i = 0; i < z.Length; i++)
            scaled[i] = z[i] * t;
        double[] p = RuleSoftmax(scaled);
        p[0] *= 1 + t * t;
        return -Math.Log(p[0]) + p[1] * p[2];
    }
}
