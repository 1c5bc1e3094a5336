using System;

namespace Autodiff.Benchmarks.ForwardMode;

/// <summary>
/// Functions whose Hessian-vector products Newton-type methods need: the n-dimensional Rosenbrock
/// function (Newton-CG's standard test), a logistic-regression loss over a fixed data set, and the
/// energy of a chain of springs with exponential stiffening; and a small tensor network's loss, whose
/// Hessian-vector products sharpness measures and second-order optimisers of neural networks take.
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

    /// <summary>A one-hidden-layer classifier's cross-entropy over a batch (tensors, float32).</summary>
    [Differentiable(Hessian = true)]
    public static Tensor MlpLoss([NoGrad] Tensor x, Tensor w1, Tensor w2, int[] labels) =>
        Tensor.CrossEntropy(Tensor.MatMul(Tensor.Tanh(Tensor.MatMul(x, w1)), w2), labels);
}
