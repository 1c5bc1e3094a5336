using System;
using Autodiff.Gradients.Tests.Harness;

namespace Autodiff.Gradients.Tests.Functions;

/// <summary>
/// Scratch arrays a loop refills at the start of every iteration from values that never change: the
/// backward pass fills them again instead of restoring what the forward pass saved
/// (Transforms/RefilledArrays). Then the cases where that would read something else than the
/// forward pass did, which keep saving.
/// </summary>
public static partial class RefilledArrays
{
    /// <summary>GMM's shape: points outside components, the centred point refilled for each pair.</summary>
    [Differentiable, Ints(2, 2)]
    public static double Mixture(double[] means, double[] scales, [NoGrad] double[] x, int d, int k)
    {
        double[] centred = new double[d];
        double[] scaled = new double[d];
        double total = 0;
        for (int p = 0; p < x.Length / d; p++)
        {
            for (int c = 0; c < k; c++)
            {
                for (int i = 0; i < d; i++)
                {
                    centred[i] = x[p * d + i] - means[c * d + i];
                }
                for (int i = 0; i < d; i++)
                {
                    scaled[i] = scales[c * d + i] * centred[i];
                }
                for (int i = 1; i < d; i++)
                {
                    scaled[i] += centred[i - 1] * scales[c];
                }
                double sq = 0;
                for (int i = 0; i < d; i++)
                {
                    sq += scaled[i] * scaled[i] + 0.25 * centred[i] * centred[i];
                }
                total += Math.Exp(-0.5 * sq);
            }
        }
        return total;
    }

    /// <summary>Refilled in a loop that is not counted, from a parameter and the fill's own index only.</summary>
    [Differentiable]
    public static double InWhileLoop(double[] w, double y)
    {
        double[] squares = new double[w.Length];
        double total = 0;
        int round = 0;
        while (round < 3)
        {
            for (int i = 0; i < squares.Length; i++)
            {
                squares[i] = w[i] * w[i] + 0.5 * i;
            }
            y = y * 0.5 + Math.Sin(squares[0] * y);
            for (int i = 0; i < squares.Length; i++)
            {
                total += squares[i] * y;
            }
            round++;
        }
        return total;
    }

    /// <summary>Read before the fill in each iteration: the previous iteration's values. Saves.</summary>
    [Differentiable]
    public static double ReadBeforeTheFill(double[] x, double[] w)
    {
        double[] s = new double[w.Length];
        double total = 0;
        for (int p = 0; p < x.Length; p++)
        {
            total += s[0] * s[w.Length - 1] * x[p];
            for (int i = 0; i < s.Length; i++)
            {
                s[i] = w[i] * x[p];
            }
            total += s[0] * s[0];
        }
        return total;
    }

    /// <summary>The fill reads a local the loop changes. Saves.</summary>
    [Differentiable]
    public static double FillReadsAChangingLocal(double[] x, double[] w)
    {
        double[] s = new double[w.Length];
        double scale = 1;
        double total = 0;
        for (int p = 0; p < x.Length; p++)
        {
            scale = scale * x[p] + 0.5;
            for (int i = 0; i < s.Length; i++)
            {
                s[i] = w[i] * scale;
            }
            for (int i = 0; i < s.Length; i++)
            {
                total += s[i] * s[i] * x[p];
            }
        }
        return total;
    }

    /// <summary>The fill reads an array the loop writes later in the iteration. Saves.</summary>
    [Differentiable]
    public static double FillReadsAWrittenArray(double[] x, double[] w)
    {
        double[] s = new double[w.Length];
        double[] carried = new double[w.Length];
        double total = 0;
        for (int p = 0; p < x.Length; p++)
        {
            for (int i = 0; i < s.Length; i++)
            {
                s[i] = w[i] * carried[i] + x[p];
            }
            for (int i = 0; i < s.Length; i++)
            {
                carried[i] = s[i] * s[i] * 0.25;
                total += carried[i];
            }
        }
        return total;
    }

    /// <summary>The array is read after the loop: the last iteration's values. Saves.</summary>
    [Differentiable]
    public static double ReadAfterTheLoop(double[] x, double[] w)
    {
        double[] s = new double[w.Length];
        double total = 0;
        for (int p = 0; p < x.Length; p++)
        {
            for (int i = 0; i < s.Length; i++)
            {
                s[i] = w[i] - x[p];
            }
            total += s[0] * s[0] * x[p];
        }
        return total * s[s.Length - 1];
    }

    /// <summary>A call in the fill (cost and effects unknown to the plan). Saves.</summary>
    [Differentiable]
    public static double FillCallsAFunction(double[] x, double[] w)
    {
        double[] s = new double[w.Length];
        double total = 0;
        for (int p = 0; p < x.Length; p++)
        {
            for (int i = 0; i < s.Length; i++)
            {
                s[i] = Math.Tanh(w[i] - x[p]);
            }
            for (int i = 0; i < s.Length; i++)
            {
                total += s[i] * s[i] * x[p];
            }
        }
        return total;
    }
}
