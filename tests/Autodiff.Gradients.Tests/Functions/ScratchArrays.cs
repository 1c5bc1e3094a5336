using System;
using Autodiff.Gradients.Tests.Harness;

namespace Autodiff.Gradients.Tests.Functions;

/// <summary>
/// Scratch arrays refilled on every pass of an outer loop (GMM's xCentered and qx): after a loop
/// that writes every element, the old contents are no longer read, so later writes in the same
/// pass save nothing (WholeArrayWrites). Also the cases where that must not be assumed.
/// </summary>
public static partial class ScratchArrays
{
    [Differentiable, Ints(3)]
    public static double RefilledThenUpdated(double[] x, double[] w, int n)
    {
        double[] scratch = new double[n];
        double total = 0;
        for (int p = 0; p < x.Length; p++)
        {
            for (int i = 0; i < n; i++)
            {
                scratch[i] = x[p] - w[i];
            }
            for (int i = 1; i < n; i++)
            {
                scratch[i] += w[i] * x[p];
            }
            double sq = 0;
            for (int i = 0; i < n; i++)
            {
                sq += scratch[i] * scratch[i];
            }
            total += Math.Sqrt(1 + sq);
        }
        return total;
    }

    /// <summary>The refill stops one short: the last element carries over from pass to pass.</summary>
    [Differentiable, Ints(3)]
    public static double PartlyRefilled(double[] x, int n)
    {
        double[] s = new double[n];
        double total = 0;
        for (int p = 0; p < x.Length; p++)
        {
            for (int i = 0; i < n - 1; i++)
            {
                s[i] = x[p] * (i + 1);
            }
            s[n - 1] += x[p] * s[0];
            double sq = 0;
            for (int i = 0; i < n; i++)
            {
                sq += s[i] * s[i] * x[p];
            }
            total += sq;
        }
        return total;
    }

    /// <summary>Refilled over the length of another array of the same size: not provably the whole array.</summary>
    [Differentiable]
    public static double RefilledByAnotherLength(double[] x, double[] w)
    {
        double[] s = new double[w.Length];
        double total = 0;
        for (int p = 0; p < x.Length; p++)
        {
            for (int i = 0; i < x.Length && i < s.Length; i++)
            {
                s[i] = x[p] * w[i];
            }
            for (int i = 0; i < s.Length; i++)
            {
                s[i] += s[i] * x[p];
                total += s[i];
            }
        }
        return total;
    }

    /// <summary>
    /// The refill loop's own backward rule reads what it wrote (Cbrt reads its result), so a later
    /// update of one element must still save: found by the random-program tester (seed 5302890,
    /// ∂/∂x counted twice), a bug of the array step of the save analysis.
    /// </summary>
    [Differentiable]
    public static double RefillReadByItsOwnRule(double x, double y)
    {
        double[] u = new double[3];
        for (int g = 0; g < u.Length; g++)
        {
            u[g] = Math.Cbrt(1.0 + x * x * (g + 1));
        }
        u[0] += Math.Sin(y);
        u[1] *= y;
        return x + u[0] + u[1] * u[2];
    }
}
