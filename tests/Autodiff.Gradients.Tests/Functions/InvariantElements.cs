using System;
using Autodiff.Gradients.Tests.Harness;

namespace Autodiff.Gradients.Tests.Functions;

/// <summary>
/// A local array read at an index a loop does not change (<c>u[i]</c> in a loop over j): the
/// backward pass keeps that element's adjoint in a local while the loop runs (InvariantElements).
/// Also the cases where it must not: the loop writes the array, changes the index, or runs zero
/// times with the index out of range.
/// </summary>
public static partial class InvariantElements
{
    /// <summary>uᵀ·L·w over the strict lower triangle, u and w computed into local arrays.</summary>
    [Differentiable, Ints(4)]
    public static double BroadcastRead(double[] l, double[] x, int n)
    {
        double[] u = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++)
        {
            u[i] = x[i] * x[i];
            w[i] = Math.Sin(x[i]);
        }
        double total = 0;
        int index = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                total += l[index % l.Length] * u[i] * w[j] + u[i];
                index++;
            }
        }
        return total;
    }

    /// <summary>The last pass of the outer loop has i = n: its inner loop runs zero times, and u[n] does not exist.</summary>
    [Differentiable, Ints(3)]
    public static double IndexOutOfRangeWhenTheLoopIsEmpty(double[] x, int n)
    {
        double[] u = new double[n];
        for (int i = 0; i < n; i++)
        {
            u[i] = Math.Exp(x[i]);
        }
        double total = 0;
        for (int i = 0; i <= n; i++)
        {
            for (int j = i; j < n; j++)
            {
                total += u[i] * x[j];
            }
        }
        return total;
    }

    /// <summary>The element is read in two nested loops at an index neither changes: the outer loop keeps it.</summary>
    [Differentiable, Ints(3)]
    public static double TwoLoopsDeep(double[] x, int n)
    {
        double[] u = new double[n + 1];
        for (int i = 0; i < n; i++)
        {
            u[i] = x[i] * x[i] + 1;
        }
        double total = 0;
        for (int a = 0; a < n; a++)
        {
            for (int b = 0; b < n; b++)
            {
                for (int c = 0; c < n; c++)
                {
                    total += u[a + 1] * x[b] * x[c] - u[a + 1] * x[c];
                }
            }
        }
        return total;
    }

    /// <summary>The loop also writes the array: its adjoint must stay in memory.</summary>
    [Differentiable, Ints(3)]
    public static double WrittenInTheLoop(double[] x, int n)
    {
        double[] u = new double[n];
        for (int i = 0; i < n; i++)
        {
            u[i] = x[i];
        }
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                total += u[i] * x[j];
                u[j] = u[j] * 0.5 + x[i] * 0.25;
            }
        }
        return total;
    }

    /// <summary>The index changes inside the loop (k steps with j): every element gets its own adjoint.</summary>
    [Differentiable, Ints(4)]
    public static double IndexChangesInTheLoop(double[] x, int n)
    {
        double[] u = new double[n];
        for (int i = 0; i < n; i++)
        {
            u[i] = Math.Cos(x[i]);
        }
        double total = 0;
        int k = 0;
        for (int j = 0; j < n; j++)
        {
            total += u[k] * x[j];
            k = (k + 1) % n;
        }
        return total;
    }

    /// <summary>The element is read at two different invariant indexes: neither is kept, the sum stays right.</summary>
    [Differentiable, Ints(3)]
    public static double TwoIndexes(double[] x, int n)
    {
        double[] u = new double[n + 1];
        for (int i = 0; i <= n; i++)
        {
            u[i] = i < n ? x[i] * 3 : 1;
        }
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                total += u[i] * u[i + 1] * x[j];
            }
        }
        return total;
    }

    /// <summary>A while loop (no trip-count bound): the count comes off the save stack, and the guard tests it.</summary>
    [Differentiable, Ints(4)]
    public static double WhileLoop(double[] x, int n)
    {
        double[] u = new double[n];
        for (int i = 0; i < n; i++)
        {
            u[i] = x[i] * x[i];
        }
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double t = 1;
            while (t < 4 + i)
            {
                t += u[i] + 0.5;
                total += t * u[i];
            }
        }
        return total;
    }
}
