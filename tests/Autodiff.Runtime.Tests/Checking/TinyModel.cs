using System;
using System.Collections.Generic;
using Autodiff.Optimizers;

namespace Autodiff.Runtime.Tests.Checking;

/// <summary>
/// A model written by hand as the generator would write its Gradients: tensor parameters W [2, 3]
/// and B [3], a double field Scale, and loss = Scale · Σⱼ tanh(hⱼ)² with h = x·W + B, whose
/// gradient <see cref="Backward"/> adds into DW, DB and DScale.
/// </summary>
internal sealed class TinyModel : IScalarParameters
{
    private static readonly float[] X = [1.3f, -2.1f];

    public readonly Tensor W = Tensor.FromArray([0.3f, -0.2f, 0.5f, 0.1f, 0.4f, -0.6f], 2, 3);
    public readonly Tensor B = Tensor.FromArray([0.05f, -0.1f, 0.2f], 3);
    public double Scale = 1.5;

    public readonly Tensor DW = Tensor.Zeros(2, 3);
    public readonly Tensor DB = Tensor.Zeros(3);
    public double DScale;

    /// <summary>Evaluations of <see cref="Loss"/> so far; the loss throws at the one numbered <see cref="ThrowAt"/>.</summary>
    public int Evaluations;

    public int ThrowAt = -1;

    public IReadOnlyList<ParameterGradient> Parameters => [new("W", W, DW), new("B", B, DB), new("Scale", this, 0)];

    public double Loss()
    {
        if (Evaluations++ == ThrowAt)
        {
            throw new InvalidOperationException("loss failed on purpose");
        }
        double sum = 0;
        for (int j = 0; j < 3; j++)
        {
            double t = Math.Tanh(Hidden(j));
            sum += t * t;
        }
        return Scale * sum;
    }

    public void Backward()
    {
        for (int j = 0; j < 3; j++)
        {
            double t = Math.Tanh(Hidden(j));
            double dh = Scale * 2 * t * (1 - t * t);
            for (int i = 0; i < 2; i++)
            {
                DW.Span[i * 3 + j] += (float)(X[i] * dh);
            }
            DB.Span[j] += (float)dh;
            DScale += t * t;
        }
    }

    private double Hidden(int j) => X[0] * (double)W[0, j] + X[1] * (double)W[1, j] + B[j];

    public double GetValue(int index) => Scale;

    public void SetValue(int index, double value) => Scale = value;

    public double GetGradient(int index) => DScale;
}

/// <summary>A model of double scalars only: f = a·sin(b) + b².</summary>
internal sealed class ScalarModel : IScalarParameters
{
    public double A = 0.7, B = -1.3, DA, DB;

    public IReadOnlyList<ParameterGradient> Parameters => [new("A", this, 0), new("B", this, 1)];

    public double Loss() => A * Math.Sin(B) + B * B;

    public void Backward()
    {
        DA += Math.Sin(B);
        DB += A * Math.Cos(B) + 2 * B;
    }

    public double GetValue(int index) => index == 0 ? A : B;

    public void SetValue(int index, double value)
    {
        if (index == 0) A = value; else B = value;
    }

    public double GetGradient(int index) => index == 0 ? DA : DB;
}
