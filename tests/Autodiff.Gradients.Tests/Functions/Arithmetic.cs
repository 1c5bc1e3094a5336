using Autodiff.Gradients.Tests.Harness;

namespace Autodiff.Gradients.Tests.Functions;

/// <summary>Straight-line arithmetic: operators, compound assignments, reassignment, constants.</summary>
public static partial class Arithmetic
{
    private const double Scale = 2.5;
    private static readonly double Offset = 0.75;

    /// <summary>The seed example: a reaches d through b and through c.</summary>
    [Differentiable]
    public static double Seed(double a, double w1, double w2, double w3, double w4)
    {
        double b = w1 * a;
        double c = w2 * a;
        double d = w3 * b + w4 * c;
        double L = 10 - d;
        return L;
    }

    [Differentiable]
    public static double Polynomial(double x, double y) => 3 * x * x * y - 2 * x * y * y * y + 5;

    [Differentiable]
    public static double Quotient(double x, double y) => (x + y) / (x * x + 1);

    [Differentiable, Domain(0.5, 2)]
    public static double NestedQuotient(double x, double y) => x / (y / (x + 2)) - 1 / x;

    [Differentiable]
    public static double UnaryMinus(double x, double y) => -x * -(y - x) + -(-y);

    [Differentiable]
    public static double CompoundAssignments(double x, double y)
    {
        double a = x;
        a += x * y;
        a *= y;
        a -= x;
        a /= y * y + 1;
        return a;
    }

    [Differentiable]
    public static double Reassignment(double x, double y)
    {
        double t = x;
        t = t * t;
        t = t + y;
        t = t * x;
        return t;
    }

    [Differentiable]
    public static double ParameterReassigned(double x, double y)
    {
        x = x * x + y;
        y = x * y;
        return x + y;
    }

    [Differentiable]
    public static double Constants(double x) => Scale * x * x + 2 * System.Math.PI * x + Offset;

    [Differentiable, Domain(0.2, 1.3)]
    public static double Remainder(double x, double y) => (x * 3) % (y + 1.5) + x % 1.5;

    [Differentiable]
    public static double Increments(double x, double y)
    {
        double v = x;
        v++;
        ++v;
        v--;
        return v * y;
    }

    [Differentiable]
    public static double Ternary(double x, double y) => x > y ? x * y : x - y;

    [Differentiable]
    public static double NestedTernaries(double x, double y) => (x > 0 ? x : -x) * y + (y > 1 ? y * y : 1);

    [Differentiable, Ints(3)]
    public static double IntegerArithmeticIsInactive(double x, int n)
    {
        int m = n * 2;
        m += 1;
        double scale = m / 2 + n % 2;
        return x * scale + m;
    }

    [Differentiable]
    public static double ExpressionBodiedWithLongChain(double x, double y) => x * y - x / (1 + y * y) + (x - y) * (x + y) - 4;

    [Differentiable]
    public static double UnusedActiveValueIsHarmless(double x, double y)
    {
        double unused = System.Math.Sin(x) * y;
        double z = x * y;
        return z + 1;
    }
}
