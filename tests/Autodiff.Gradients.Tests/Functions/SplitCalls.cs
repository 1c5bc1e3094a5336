using System;
using Autodiff.Gradients.Tests.Harness;

namespace Autodiff.Gradients.Tests.Functions;

/// <summary>
/// Calls between [Differentiable] methods in split mode: a callee with loops leaves on the caller's
/// residuals what its backward pass reads (GForwardPass) and takes them back later (GBackwardPass)
/// instead of running again. Every kind of state a callee can leave: saved values inside loops,
/// branch outcomes, while-loop counts, local arrays, a parameter it assigns, an early return; callees
/// called in loops and branches, from each other and recursively; and the callees that forward to
/// their pullback instead (one writing into its array argument).
/// </summary>
public static partial class SplitCalls
{
    /// <summary>Log-sum-exp with a running maximum and a local array of shifted values.</summary>
    [Differentiable, Ints(4)]
    public static double SmoothMax(double[] v, int count)
    {
        double[] shifted = new double[count];
        double max = v[0];
        for (int i = 1; i < count; i++)
        {
            if (v[i] > max)
            {
                max = v[i];
            }
        }
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            shifted[i] = v[i] - max;
            sum += Math.Exp(shifted[i]);
        }
        return Math.Log(sum) + max;
    }

    /// <summary>Assigns its scalar parameter, and runs a while loop whose count depends on the data.</summary>
    [Differentiable]
    public static double Damped(double[] v, double scale)
    {
        scale = scale * scale + 0.5;
        double total = 0;
        int i = 0;
        while (i < v.Length && total < 3)
        {
            total += Math.Sin(v[i] * scale) + 1.1;
            i++;
        }
        return total * scale;
    }

    /// <summary>Returns from inside its loop.</summary>
    [Differentiable]
    public static double FirstLarge(double[] v, double threshold)
    {
        for (int i = 0; i < v.Length; i++)
        {
            if (v[i] * v[i] > threshold)
            {
                return v[i] * threshold;
            }
        }
        return threshold * threshold;
    }

    /// <summary>Calls a split callee in its own loop: nested residuals.</summary>
    [Differentiable, Ints(3)]
    public static double Nested(double[] v, double w, int count)
    {
        double total = 0;
        for (int i = 0; i < count; i++)
        {
            total += SmoothMax(v, count) * v[i] * w;
        }
        return total + Damped(v, w);
    }

    /// <summary>Recursive, with a loop in each frame.</summary>
    [Differentiable, Ints(3)]
    public static double Recursive(double[] v, double x, int depth)
    {
        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += v[i] * x;
        }
        return depth == 0 ? Math.Tanh(s) : Recursive(v, Math.Sin(s) + x, depth - 1) * x;
    }

    /// <summary>
    /// Its split members save on the residuals too, where the callee leaves its own values: the
    /// old value of a call's target must go on after the call (found by the random-program tester,
    /// seed 5001878: the restore took the callee's last value instead).
    /// </summary>
    [Differentiable, Ints(2)]
    public static double CallsInItsLoop(double[] v, double x, int depth)
    {
        double h = 0;
        for (int i = 0; i < 3; i++)
        {
            h = SmoothMax(v, v.Length) * x;
            x += h * 0.1;
        }
        return depth == 0 ? x * x : CallsInItsLoop(v, x, depth - 1) + h;
    }

    /// <summary>[Checkpoint]: its callers run it again instead of keeping its residuals.</summary>
    [Differentiable, Checkpoint]
    public static double CheckpointedStep(double[] v, double state)
    {
        for (int i = 0; i < v.Length; i++)
        {
            state = Math.Tanh(state * v[i] + 0.3);
        }
        return state;
    }

    [Differentiable, Ints(5)]
    public static double TimeSteps(double[] v, double state, int steps)
    {
        for (int t = 0; t < steps; t++)
        {
            state = CheckpointedStep(v, state) + 0.1 * state;
        }
        return state * state;
    }

    /// <summary>Writes into its array argument: it keeps the joint pullback (its split members forward to it).</summary>
    [Differentiable]
    public static double Normalise(double[] v)
    {
        double norm = 0;
        for (int i = 0; i < v.Length; i++)
        {
            norm += v[i] * v[i];
        }
        norm = Math.Sqrt(norm + 1e-3);
        for (int i = 0; i < v.Length; i++)
        {
            v[i] /= norm;
        }
        return norm;
    }

    /// <summary>
    /// A local array used only linearly: no backward rule reads its values, only its adjoint's
    /// allocation reads its length. Its split members did not compile (the backward member named an
    /// array the forward member had not left it), found on ADBench's GMM called from another method.
    /// </summary>
    [Differentiable, Ints(4)]
    public static double LinearScratch(double[] v, int count)
    {
        double[] doubled = new double[count];
        for (int i = 0; i < count; i++)
        {
            doubled[i] = 2 * v[i];
        }
        double total = 0;
        for (int i = 0; i < count; i++)
        {
            total += 3 * doubled[i] + v[i] * v[i];
        }
        return total;
    }

    [Differentiable, Ints(4)]
    public static double CallsLinearScratch(double[] v, double w, int count)
    {
        double total = 0;
        for (int i = 0; i < 2; i++)
        {
            total += LinearScratch(v, count) * w;
            w = w * 0.5 + v[i];
        }
        return total;
    }

    /// <summary>Single precision: the residuals' float stack.</summary>
    [Differentiable]
    public static float SumOfSquaresF(float[] v)
    {
        float s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += v[i] * v[i];
        }
        return s;
    }

    [Differentiable]
    public static float CallerF(float[] v, float a) => SumOfSquaresF(v) * a + SumOfSquaresF(v) * a * a;

    /// <summary>The callees in loops, in branches, several times per statement, and one writing into a local array.</summary>
    [Differentiable, Ints(4)]
    public static double Caller(double[] x, double y, int n)
    {
        double[] local = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            local[i] = x[i] * y;
        }
        double total = Normalise(local);
        for (int i = 0; i < x.Length; i++)
        {
            total += local[i] * x[i];
        }
        for (int k = 1; k <= n; k++)
        {
            if (k % 2 == 0)
            {
                total += SmoothMax(x, k) * y;
            }
            else
            {
                total -= Damped(x, y * k) + FirstLarge(x, y * 0.1 * k);
            }
        }
        return total + SmoothMax(x, n) * SmoothMax(x, 2) + Recursive(x, y, 2);
    }
}
