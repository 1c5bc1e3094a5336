using System;
using Autodiff.Gradients.Tests.Harness;

namespace Autodiff.Gradients.Tests.Functions;

/// <summary>float versions (MathF, float arrays) and conversions between float and double.</summary>
public static partial class Floats
{
    [Differentiable]
    public static float Polynomial(float x, float y) => 3 * x * x * y - 2 * x * y + 5;

    [Differentiable, Domain(0.3, 2)]
    public static float MathF(float x, float y) => System.MathF.Sin(x) * System.MathF.Exp(y) + System.MathF.Sqrt(x * y) + System.MathF.Log(x);

    [Differentiable, Ints(5)]
    public static float Loop(float x, float y, int n)
    {
        float s = 0;
        for (int i = 0; i < n; i++)
            s = s * 0.5f + System.MathF.Tanh(x * i + y);
        return s;
    }

    [Differentiable]
    public static float Array(float[] x)
    {
        float s = 0;
        for (int i = 0; i < x.Length; i++)
            s += x[i] * x[i] * (i + 1);
        return s;
    }

    [Differentiable]
    public static float MixedWithDouble(float x, double y) => (float)(Math.Sin(x) * y) + x * (float)y;

    [Differentiable]
    public static float MathOverloadsOnFloat(float x, float y) => Math.Abs(x) + Math.Max(x, y) * Math.Min(x, 1f) + Math.Clamp(y, -1f, 1f);

    [Differentiable]
    public static double DoubleOfFloat(float x, double y) => x * y + Math.Exp(x);
}
