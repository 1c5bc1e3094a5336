using System;
using Autodiff.Gradients.Tests.Harness;

namespace Autodiff.Gradients.Tests.Functions;

/// <summary>Branches and early returns.</summary>
public static partial class ControlFlow
{
    [Differentiable, At(1.5, 0.3), At(-1.5, 0.3)]
    public static double IfElse(double x, double y)
    {
        double r;
        if (x > 0)
        {
            r = x * x * y;
        }
        else
        {
            r = -x + y;
        }
        return r;
    }

    [Differentiable, At(-1.5, 1), At(0.5, 1), At(1.7, 1)]
    public static double ElseIfChain(double x, double y)
    {
        double r = y;
        if (x < -1)
            r = r * x;
        else if (x < 1)
            r = Math.Sin(x) * r;
        else
            r = r / x;
        return r;
    }

    [Differentiable, At(-1, 2), At(1, 2)]
    public static double EarlyReturn(double x, double y)
    {
        if (x < 0)
            return x * y;
        double z = x + y;
        return z * z;
    }

    [Differentiable, At(-1.5, 0.5), At(-0.5, 0.5), At(0.5, 0.5), At(1.5, 0.5)]
    public static double SeveralReturns(double x, double y)
    {
        if (x < -1)
        {
            return y;
        }
        double t = x * y;
        if (x < 0)
        {
            if (y > 0)
                return t * t;
            t = t + 1;
        }
        else if (x > 1)
        {
            return Math.Exp(t);
        }
        return t + x;
    }

    [Differentiable, At(0.5, 0.5), At(0.5, -0.5), At(-0.5, 0.5), At(-0.5, -0.5)]
    public static double NestedIfs(double x, double y)
    {
        double s = x;
        if (x > 0)
        {
            if (y > 0)
                s = s * y;
            else
                s = s - y * y;
        }
        else
        {
            s = s + y;
            if (y < 0)
                s = s * s;
        }
        return s;
    }

    [Differentiable, At(1, 1), At(-1, 1)]
    public static double IfWithoutElse(double x, double y)
    {
        double s = x * y;
        if (x < 0)
            s = s * s;
        return s + y;
    }

    [Differentiable, At(1, 2), At(3, 2)]
    public static double ConditionOnActiveValue(double x, double y)
    {
        double s = Math.Sin(x) * y;
        if (s > 0.5 && x < 2.5)
            return s;
        return s * x;
    }

    [Differentiable, At(1, 2), At(-1, 2)]
    public static double ThrowIsFine(double x, double y)
    {
        if (double.IsNaN(x))
            throw new ArgumentException("x is NaN");
        return x * y;
    }

    /// <summary>Printing, formatting and other side effects on active values need no derivative.</summary>
    [Differentiable]
    public static double InactiveSideEffects(double x, double y)
    {
        System.Diagnostics.Debug.WriteLine($"x = {x:F3}, y = {y,8}");
        string text = x.ToString(System.Globalization.CultureInfo.InvariantCulture);
        int digits = text.Length;
        bool negative = double.IsNegative(x);
        return negative ? x * y : x * y + (digits > 0 ? 0.5 : 0.0);
    }
}
