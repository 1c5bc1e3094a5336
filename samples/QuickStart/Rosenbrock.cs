using Autodiff;

namespace QuickStart;

public static partial class Rosenbrock
{
    /// <summary>The Rosenbrock function: a long curved valley with its minimum 0 at (1, 1).</summary>
    [Differentiable]
    public static double Value(double x, double y)
    {
        double a = 1 - x;
        double b = y - x * x;
        return a * a + 100 * b * b;
    }
}
