using System;
using Autodiff.Gradients.Tests.Harness;

namespace Autodiff.Gradients.Tests.Functions;

/// <summary>
/// Expressions that repeat a pure part: the generator computes each part once and sums its adjoint
/// once (SharedSubexpressions); the gradients must be those of the expressions as written.
/// </summary>
public static partial class SharedParts
{
    [Differentiable]
    public static double RosenbrockInline(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);

    [Differentiable, Domain(0.5, 2)]
    public static double NestedRepeats(double x, double y) => (x * y + 1) / (x * y + 1 + y) - Math.Sin(x * y + 1) * (x * y + 1);

    [Differentiable]
    public static double RepeatedInCallArguments(double x, double y) => Math.Exp(-(x - y) * (x - y)) + Math.Tanh(x - y);

    [Differentiable]
    public static double RepeatedInACompoundAssignment(double x, double y)
    {
        double s = x;
        s += (x - 2 * y) * (x - 2 * y) * s;
        s -= (y - s) * (y - s);
        return s;
    }

    [Differentiable, Ints(0, 1, 4)]
    public static double RepeatedInALoop(double x, double y, int n)
    {
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            total += (x - i * y) * (x - i * y) / (1 + (x - i * y) * (x - i * y));
        }
        return total;
    }

    /// <summary>
    /// A part used only when its guard holds is not computed before the choice: at y = 0 the
    /// gradient is the other branch's, finite, not a NaN from dividing by zero.
    /// </summary>
    [Differentiable, At(1.5, 0), At(1.5, 0.7)]
    public static double GuardedRepeat(double x, double y) => y != 0 ? (x / y) * (x / y) : x * x;
}
