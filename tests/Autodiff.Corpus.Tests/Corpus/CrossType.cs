using System;
using Autodiff;

namespace Corpus.Layered;

/// <summary>Low-level kernels that other classes build on.</summary>
public static partial class Kernels
{
    // expect: clean
    // domain: x in (-10, 10)
    [Differentiable]
    public static double Logistic(double x) => 1 / (1 + Math.Exp(-x));

    // expect: clean
    [Differentiable]
    public static float LogisticF(float x) => 1f / (1f + MathF.Exp(-x));

    // expect: clean
    [Differentiable]
    public static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    // expect: clean
    // domain: p in (0.02, 0.98)
    [Differentiable]
    public static double Logit(double p) => Math.Log(p / (1 - p));

    /// <summary>Inverse of the standard normal cdf by bisection: its value is right, but bisection has no
    /// useful derivative, so the derivative is declared from the implicit-function theorem.</summary>
    public static double Probit(double p)
    {
        double lo = -10, hi = 10;
        for (int i = 0; i < 200; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (Phi(mid) < p) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    [DerivativeOf(nameof(Probit))]
    public static void ProbitBackward(double p, double result, double seed, ref double dp) =>
        dp += seed * Math.Sqrt(2 * Math.PI) * Math.Exp(0.5 * result * result);

    // Not differentiable here: used by Probit only (a plain double helper in a rules class).
    private static double Phi(double x)
    {
        double t = 1 / (1 + 0.2316419 * Math.Abs(x));
        double poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
        double tail = Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI) * poly;
        return x >= 0 ? 1 - tail : tail;
    }

    /// <summary>A nested helper class, as large utility classes grow.</summary>
    public static partial class Activations
    {
        // expect: clean
        [Differentiable]
        public static double Mish(double x) => x * Math.Tanh(Math.Log(1 + Math.Exp(x)));

        // expect: clean
        [Differentiable]
        public static double HardSwish(double x) => x * Math.Clamp(x + 3, 0, 6) / 6;
    }
}

/// <summary>A layer above the kernels: calls across types, nested types and a user derivative.</summary>
public static partial class Models
{
    // expect: clean
    [Differentiable]
    public static double LogisticRegressionLoss(double[] w, [NoGrad] double[] x, double bias, [NoGrad] double label)
    {
        double p = Kernels.Logistic(Kernels.Dot(w, x) + bias);
        return -(label * Math.Log(p) + (1 - label) * Math.Log(1 - p));
    }

    // expect: clean
    // domain: p in (0.05, 0.95)
    [Differentiable]
    public static double ProbitOfLogistic(double p) => Kernels.Probit(p) * 2 + Kernels.Logit(p);

    // expect: clean
    // domain: p in (0.05, 0.95); sigma in (0.5, 2)
    [Differentiable]
    public static double NormalQuantileByUserRule(double p, double mu, double sigma) => mu + sigma * Kernels.Probit(p);

    // expect: clean
    [Differentiable]
    public static double NestedActivations(double x) => Kernels.Activations.Mish(x) + Kernels.Activations.HardSwish(2 * x);

    // expect: clean
    [Differentiable]
    public static float FloatThroughKernel(float x, float y) => Kernels.LogisticF(x * y) * y;

    // expect: clean
    [Differentiable]
    public static double FloatKernelInDouble(double x) => Kernels.LogisticF((float)x) * x;

    // expect: clean
    // domain: w1 len 10; w2 len 2; input len 5
    [Differentiable]
    public static double TwoLayerNetwork(double[] w1, double[] w2, [NoGrad] double[] input)
    {
        // 5 inputs, 2 hidden units (w1 holds 10 weights row-major), 1 output (w2 holds 2 weights).
        double[] hidden = new double[2];
        for (int h = 0; h < 2; h++)
        {
            double z = 0;
            for (int i = 0; i < input.Length; i++) z += w1[h * input.Length + i] * input[i];
            hidden[h] = Math.Tanh(z);
        }
        return Kernels.Dot(hidden, w2);
    }

    // expect: clean
    // domain: x in (-3, 3)
    [Differentiable]
    public static double EarlyReturnFromNestedLoops(double x)
    {
        double s = 0;
        for (int i = 0; i < 6; i++)
        {
            for (int j = 0; j < 6; j++)
            {
                s += Math.Sin(x + i - j) * 0.1;
                if (i * j == 6) return s * x;
            }
        }
        return s;
    }

    // expect: clean
    // domain: x in (0.5, 3)
    [Differentiable]
    public static double ContinueInWhile(double x)
    {
        double s = 0;
        int k = 0;
        while (k < 10)
        {
            k += 1;
            if (k % 3 == 0) continue;
            s += Math.Pow(x, k % 4) / k;
        }
        return s;
    }

    // expect: clean
    [Differentiable]
    public static double ConditionalArrayWrites(double x, double y)
    {
        double[] a = new double[4];
        for (int i = 0; i < a.Length; i++) a[i] = i % 2 == 0 ? x * i : y - i;
        a[3] += a[0] > a[1] ? a[2] : x * y;
        return a[1] * a[3] + a[2];
    }

    // expect: clean
    [Differentiable]
    public static double BufferWithPostIncrementIndex(double[] xs)
    {
        double[] buffer = new double[xs.Length];
        int count = 0;
        foreach (double v in xs)
            if (v > 0) buffer[count++] = v;
        double s = 0;
        for (int i = 0; i < count; i++) s += buffer[i] * buffer[i];
        return s;
    }

    // expect: clean
    [Differentiable]
    public static double ExtensionOnExpression(double x) => (x + 1).Squared() - x.Squared();

    // expect: clean
    [Differentiable]
    public static double OverloadResolutionWithIntLiteral(double x) => Scale(x, 3) + Scale(2.0 * x);

    // expect: clean
    [Differentiable]
    private static double Scale(double v, double factor) => v * factor;

    // expect: clean
    [Differentiable]
    private static double Scale(double v) => v * 10;

    // expect: clean
    [Differentiable]
    private static float Scale(float v) => v * 100f;
}

public static partial class ModelExtensions
{
    // expect: clean
    [Differentiable]
    public static double Squared(this double x) => x * x;
}
