using System;
using Autodiff.Gradients.Tests.Harness;

namespace Autodiff.Gradients.Tests.Functions;

/// <summary>Loops of every kind; values overwritten inside them are saved for the backward pass.</summary>
public static partial class Loops
{
    [Differentiable, Ints(5)]
    public static double ForSum(double x, double y, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            s += x * i + y * y;
        }
        return s;
    }

    /// <summary>
    /// A loop bound reassigned between two loops: the first loop's backward pass must count the trips
    /// it made, not the parameter's final value (a parameter assigned once holds two values).
    /// </summary>
    [Differentiable, Ints(6)]
    public static double BoundReassignedBetweenLoops(double x, double y, int n)
    {
        double s = y;
        for (int i = 0; i < n; i++)
        {
            s = Math.Sin(s) * x + i;
        }
        n = n / 2;
        for (int i = 0; i < n; i++)
        {
            s = s * y - x;
        }
        return s;
    }

    [Differentiable, Ints(4), Domain(0.5, 1.5)]
    public static double ForProduct(double x, int n)
    {
        double p = 1;
        for (int i = 1; i <= n; i++)
        {
            p *= x + i;
        }
        return p;
    }

    [Differentiable, Domain(0.5, 1.5)]
    public static double WhileLoop(double x, double y)
    {
        double t = 1;
        int k = 0;
        while (k < 6)
        {
            t = t * 1.1 + Math.Sin(x * y) * t;
            k++;
        }
        return t;
    }

    [Differentiable, Domain(0.5, 1.5)]
    public static double DoWhile(double x)
    {
        double t = x;
        int k = 0;
        do
        {
            t = Math.Sqrt(t + x);
            k++;
        } while (k < 4);
        return t;
    }

    [Differentiable, Ints(3, 4)]
    public static double NestedLoops(double x, double y, int n, int m)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                s += Math.Sin(x * i + y * j) * s + x;
            }
        }
        return s;
    }

    [Differentiable, Domain(0.3, 1)]
    public static double Break(double x, double y)
    {
        double s = 0;
        for (int i = 0; i < 100; i++)
        {
            s = s + x * x;
            if (i >= 7)
                break;
            s = s * y;
        }
        return s;
    }

    [Differentiable, Ints(7)]
    public static double Continue(double x, double y, int n)
    {
        double s = y;
        for (int i = 0; i < n; i++)
        {
            if (i % 2 == 0)
                continue;
            s = s * x + i;
        }
        return s;
    }

    [Differentiable, Ints(6), At(0.5, 6), At(3, 6)]
    public static double ReturnFromLoop(double x, int n)
    {
        double s = x;
        for (int i = 0; i < n; i++)
        {
            s = s * 1.5 + x;
            if (s > 10)
                return s * 2;
        }
        return s;
    }

    [Differentiable]
    public static double ForEachOverLocalIntArray(double x, double y)
    {
        int[] exponents = { 1, 2, 3 };
        double s = 0;
        foreach (int e in exponents)
        {
            s += Math.Pow(x, e) * y;
        }
        return s;
    }

    [Differentiable, Ints(16)]
    public static double DoublingIndex(double x, int n)
    {
        double s = 0;
        for (int i = 1; i < n; i *= 2)
        {
            s = s * x + i;
        }
        return s;
    }

    [Differentiable, Ints(5), Domain(0.2, 1)]
    public static double FixedPointIteration(double x, double y, int n)
    {
        double z = 0;
        for (int i = 0; i < n; i++)
        {
            z = Math.Sin(z) * x + y;
        }
        return z;
    }

    [Differentiable, Ints(8)]
    public static double BranchInsideLoop(double x, double y, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            double t = x * i - y;
            if (t > 0)
                s += t * t;
            else
                s -= Math.Sin(t);
        }
        return s;
    }

    [Differentiable, Ints(9)]
    public static double StepTwoAndDownward(double x, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i += 2)
        {
            s = s * 0.5 + x * i;
        }
        for (int j = n; j > 0; j--)
        {
            s = s + Math.Cos(x * j);
        }
        return s;
    }

    [Differentiable, Domain(0.5, 1.5)]
    public static double WhileOnActiveCondition(double x)
    {
        double t = x;
        int steps = 0;
        while (t < 20)
        {
            t = t * 2 + x;
            steps++;
        }
        return t + steps;
    }
}
