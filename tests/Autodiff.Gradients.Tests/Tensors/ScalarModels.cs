using System;

namespace Autodiff.Gradients.Tests.Tensors;

/// <summary>A model whose parameters are scalars: linear regression with a learned noise scale.</summary>
public sealed partial class LinearRegression
{
    public double Slope = 0.5, Intercept = -0.25, LogScale = 0.1;

    [NoGrad] public double Offset = 3;

    [Differentiable]
    public double NegativeLogLikelihood(double[] xs, [NoGrad] double[] ys)
    {
        double scale = Math.Exp(LogScale);
        double total = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            double r = (ys[i] - (Slope * (xs[i] + Offset) + Intercept)) / scale;
            total += 0.5 * r * r + LogScale;
        }
        return total / xs.Length;
    }
}

/// <summary>Tensor weights and a float temperature together.</summary>
public sealed partial class TemperedClassifier
{
    public Tensor W = Tensor.RandomNormal(3, 0f, 1f, 3, 4);
    public float Temperature = 1.5f;

    [Differentiable]
    public Tensor Loss([NoGrad] Tensor x, int[] labels) => Tensor.CrossEntropy(Tensor.MatMul(x, W) * Temperature, labels);
}
