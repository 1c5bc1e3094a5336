using System;

namespace Autodiff.Benchmarks.Checkpointing;

/// <summary>
/// A scalar recurrence driven by a weight vector: each step runs a loop over the weights. Called
/// through a [Differentiable] step function, once split (the step's residuals kept for the whole
/// forward pass) and once [Checkpoint]ed (the step run again in the backward pass).
/// </summary>
public static partial class Recurrence
{
    [Differentiable]
    public static double Step(double[] w, double h)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            s += Math.Tanh(w[i] * h + 0.001 * i);
        }
        return 0.9 * h + s / w.Length;
    }

    [Differentiable, Checkpoint]
    public static double StepCheckpointed(double[] w, double h)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            s += Math.Tanh(w[i] * h + 0.001 * i);
        }
        return 0.9 * h + s / w.Length;
    }

    [Differentiable]
    public static double Run(double[] w, double h, int steps)
    {
        for (int t = 0; t < steps; t++)
        {
            h = Step(w, h);
        }
        return h;
    }

    [Differentiable]
    public static double RunCheckpointed(double[] w, double h, int steps)
    {
        for (int t = 0; t < steps; t++)
        {
            h = StepCheckpointed(w, h);
        }
        return h;
    }

    // The same recurrence with the step written in the loop: every iteration's values kept, or
    // [LoopCheckpoints] with 10, 30 and 100 copies of the loop's state (h).
    [Differentiable]
    public static double RunLoop(double[] w, double h, int steps)
    {
        for (int t = 0; t < steps; t++)
        {
            double s = 0;
            for (int i = 0; i < w.Length; i++)
            {
                s += Math.Tanh(w[i] * h + 0.001 * i);
            }
            h = 0.9 * h + s / w.Length;
        }
        return h;
    }

    [Differentiable, LoopCheckpoints(10)]
    public static double RunLoop10(double[] w, double h, int steps)
    {
        for (int t = 0; t < steps; t++)
        {
            double s = 0;
            for (int i = 0; i < w.Length; i++)
            {
                s += Math.Tanh(w[i] * h + 0.001 * i);
            }
            h = 0.9 * h + s / w.Length;
        }
        return h;
    }

    [Differentiable, LoopCheckpoints(30)]
    public static double RunLoop30(double[] w, double h, int steps)
    {
        for (int t = 0; t < steps; t++)
        {
            double s = 0;
            for (int i = 0; i < w.Length; i++)
            {
                s += Math.Tanh(w[i] * h + 0.001 * i);
            }
            h = 0.9 * h + s / w.Length;
        }
        return h;
    }

    [Differentiable, LoopCheckpoints(100)]
    public static double RunLoop100(double[] w, double h, int steps)
    {
        for (int t = 0; t < steps; t++)
        {
            double s = 0;
            for (int i = 0; i < w.Length; i++)
            {
                s += Math.Tanh(w[i] * h + 0.001 * i);
            }
            h = 0.9 * h + s / w.Length;
        }
        return h;
    }
}
