using System;
using Autodiff.Gradients.Tests.Harness;

namespace Autodiff.Gradients.Tests.Functions;

/// <summary>
/// Inside loops, a product, sum or difference of two simple operands that a backward rule reads
/// (the left factor of <c>a * b * c</c>) is recomputed where it is read rather than saved on
/// every iteration. These are the cases where recomputing reads something the loop changes: the
/// statement's own target, an element written later in the iteration, a stepped index.
/// </summary>
public static partial class Rematerialised
{
    [Differentiable]
    public static double OwnTarget(double[] x, double w)
    {
        double s = 1;
        for (int i = 0; i < x.Length; i++)
        {
            s = s * x[i] * w + 0.1;
        }
        return s;
    }

    [Differentiable]
    public static double ElementSelfUpdate(double[] v, double a, double b)
    {
        double[] u = new double[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            u[i] = v[i];
        }
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < u.Length; i++)
            {
                u[i] = u[i] * a * b + (u[i] - a) * b;
            }
        }
        double total = 0;
        for (int i = 0; i < u.Length; i++)
        {
            total += u[i];
        }
        return total;
    }

    [Differentiable]
    public static double WrittenLaterInTheIteration(double[] x, double w)
    {
        double[] a = new double[x.Length];
        double total = 0;
        for (int i = 0; i < x.Length; i++)
        {
            a[i] = x[i] + w;
            total += a[i] * w * x[i];
            a[i] = total * 0.5;
            total += a[i] * (a[i] - w) * x[i];
        }
        return total;
    }

    [Differentiable, Ints(4)]
    public static double SteppedIndex(double[] l, double[] v, int n)
    {
        double total = 0;
        int index = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                total += (l[index % l.Length] - v[i]) * v[j % v.Length] * (v[i] + v[j % v.Length]);
                index++;
            }
        }
        return total;
    }
}
