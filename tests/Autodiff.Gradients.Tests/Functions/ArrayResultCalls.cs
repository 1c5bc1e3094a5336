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
}
