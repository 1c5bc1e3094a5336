using System;

namespace Autodiff.Benchmarks.ForwardMode;

/// <summary>
/// Functions of one differentiable input, the case forward mode is for: one FTangent call gives
/// the derivative, where reverse mode must record the forward pass and run it backwards.
/// </summary>
public static partial class OneInputFunctions
{
    /// <summary>Explicit Euler on a damped oscillator x'' = −k·x − c·x': the final position as a function of the stiffness k.</summary>
    [Differentiable]
    public static double Oscillator(double k, int steps)
    {
        double x = 1, v = 0, dt = 0.001, c = 0.3;
        for (int i = 0; i < steps; i++)
        {
            double a = -k * x - c * v;
            x += dt * v;
            v += dt * a;
        }
        return x;
    }

    /// <summary>A truncated power series of the Bessel function J0.</summary>
    [Differentiable]
    public static double BesselJ0(double x, int terms)
    {
        double term = 1, sum = 1, q = -0.25 * x * x;
        for (int m = 1; m < terms; m++)
        {
            term *= q / ((double)m * m);
            sum += term;
        }
        return sum;
    }

    /// <summary>The logistic map iterated from 0.5 at rate r, with a smooth read-out.</summary>
    [Differentiable]
    public static double Logistic(double r, int steps)
    {
        double p = 0.5;
        for (int i = 0; i < steps; i++)
        {
            p = r * p * (1 - p);
        }
        return Math.Tanh(p) + Math.Exp(-p);
    }

    /// <summary>Straight-line: a two-unit tanh layer with an exponential read-out, as a function of one weight.</summary>
    [Differentiable]
    public static double Neuron(double w)
    {
        double h1 = Math.Tanh(w * 0.7 - 0.2);
        double h2 = Math.Tanh(0.4 * w + 0.1);
        double y = Math.Exp(0.5 * h1 - 0.3 * h2 * w);
        return 0.5 * (y - 1) * (y - 1);
    }
}
