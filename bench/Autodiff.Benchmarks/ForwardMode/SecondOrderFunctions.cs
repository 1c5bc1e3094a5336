using System;

namespace Autodiff.Benchmarks.ForwardMode;

/// <summary>
/// Functions whose Hessian-vector products Newton-type methods need: the n-dimensional Rosenbrock
/// function (Newton-CG's standard test), a logistic-regression loss over a fixed data set, and the
/// energy of a chain of springs with exponential stiffening.
/// </summary>
public static partial class SecondOrderFunctions
{
    [Differentiable(Hessian = true)]
    public static double Rosenbrock(double[] x)
    {
        double sum = 0;
        for (int i = 0; i + 1 < x.Length; i++)
        {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            sum += 100 * a * a + b * b;
        }
        return sum;
    }

    /// <summary>Σ log(1 + exp(−yᵢ·w·xᵢ)) over rows xᵢ of the row-major <paramref name="features"/>, labels ±1.</summary>
    [Differentiable(Hessian = true)]
    public static double LogisticLoss(double[] w, [NoGrad] double[] features, [NoGrad] double[] labels)
    {
        int d = w.Length;
        double loss = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double margin = 0;
            for (int j = 0; j < d; j++)
                margin += w[j] * features[i * d + j];
            loss += Math.Log(1 + Math.Exp(-labels[i] * margin));
        }
        return loss;
    }

    [Differentiable(Hessian = true)]
    public static double ChainEnergy(double[] x, double k)
    {
        double e = 0;
        for (int i = 1; i < x.Length; i++)
        {
            double d = x[i] - x[i - 1];
            e += k * Math.Exp(d) * d;
        }
        return e;
    }
}
