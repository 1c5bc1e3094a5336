using System;

namespace Autodiff.Benchmarks;

/// <summary>Straight-line scalar functions, each with a gradient written by hand for comparison.</summary>
public static partial class ScalarFunctions
{
    [Differentiable]
    public static double Seed(double a, double w1, double w2, double w3, double w4)
    {
        double b = w1 * a;
        double c = w2 * a;
        double d = w3 * b + w4 * c;
        return 10 - d;
    }

    public static double SeedByHand(double a, double w1, double w2, double w3, double w4,
        out double da, out double dw1, out double dw2, out double dw3, out double dw4)
    {
        double b = w1 * a;
        double c = w2 * a;
        double d = w3 * b + w4 * c;
        // dL/dd = -1
        dw3 = -b;
        dw4 = -c;
        double db = -w3, dc = -w4;
        dw1 = db * a;
        dw2 = dc * a;
        da = db * w1 + dc * w2;
        return 10 - d;
    }

    [Differentiable]
    public static double Rosenbrock(double x, double y)
    {
        double a = 1 - x;
        double b = y - x * x;
        return a * a + 100 * b * b;
    }

    public static double RosenbrockByHand(double x, double y, out double dx, out double dy)
    {
        double a = 1 - x;
        double b = y - x * x;
        dy = 200 * b;
        dx = -2 * a - 400 * b * x;
        return a * a + 100 * b * b;
    }

    /// <summary>A two-unit tanh layer and a squared error: 30-odd operations, three transcendental.</summary>
    [Differentiable]
    public static double Neuron(double x1, double x2, double w11, double w12, double w21, double w22, double v1, double v2, double target)
    {
        double h1 = Math.Tanh(w11 * x1 + w12 * x2);
        double h2 = Math.Tanh(w21 * x1 + w22 * x2);
        double y = Math.Exp(v1 * h1 + v2 * h2);
        double e = y - target;
        return 0.5 * e * e;
    }

    public static double NeuronByHand(double x1, double x2, double w11, double w12, double w21, double w22, double v1, double v2, double target,
        out double dx1, out double dx2, out double dw11, out double dw12, out double dw21, out double dw22, out double dv1, out double dv2, out double dtarget)
    {
        double h1 = Math.Tanh(w11 * x1 + w12 * x2);
        double h2 = Math.Tanh(w21 * x1 + w22 * x2);
        double y = Math.Exp(v1 * h1 + v2 * h2);
        double e = y - target;
        double dy = e;
        dtarget = -e;
        double ds = dy * y;
        dv1 = ds * h1;
        dv2 = ds * h2;
        double dz1 = ds * v1 * (1 - h1 * h1);
        double dz2 = ds * v2 * (1 - h2 * h2);
        dw11 = dz1 * x1;
        dw12 = dz1 * x2;
        dw21 = dz2 * x1;
        dw22 = dz2 * x2;
        dx1 = dz1 * w11 + dz2 * w21;
        dx2 = dz1 * w12 + dz2 * w22;
        return 0.5 * e * e;
    }
}
