using System;
using Autodiff.Generator.Tests.Harness;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// A constant times a square (<c>100 * b * b</c>, parsed <c>(100 * b) * b</c>) passes 2c·g·x to x in one
/// step, as <c>x * x</c> passes 2·g·x, instead of the product rule through a temporary for c·x; the
/// forward value is computed as written. Every way round the operands can be, ½ and −½ (g·x, −g·x),
/// float; gradients against central differences.
/// </summary>
public class ScaledSquareTests
{
    private const string Source = """
        using System;
        using Autodiff;

        public static partial class S
        {
            [Differentiable]
            public static double Rosenbrock(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);

            [Differentiable]
            public static double Orders(double x, double y) => x * (3 * x) + (y * 0.5) * y + y * (y * -0.5) + (x * 2.5) * x;

            [Differentiable]
            public static float Gauss(float z) => MathF.Exp(-0.5f * z * z);

            // Twice the constant is no float: the product rule as before.
            [Differentiable]
            public static float Huge(float z) => 3e38f * z * z;
        }
        """;

    private static readonly Lazy<GeneratorRun> Run = new(() => GeneratorRun.Of(Source));

    [Fact]
    public void The_operand_gets_twice_the_constant_times_the_seed_in_one_step_and_the_value_is_computed_as_written()
    {
        string rosenbrock = Run.Value.Member("RosenbrockGradient");
        Assert.Contains("100.0 * t * t", rosenbrock);
        Assert.Contains("double dt = 200.0 * dresult * t; // MulBackward", rosenbrock);
        string orders = Run.Value.Member("OrdersGradient");
        Assert.Contains("6.0 * dresult * x", orders);
        Assert.Contains("dresult * y; // MulBackward", orders);
        Assert.Contains("-= dresult * y; // MulBackward", orders);
        Assert.Contains("5.0 * dresult * x", orders);
        Assert.Contains("float dz = -(dt * z); // MulBackward", Run.Value.Member("GaussGradient"));
        Assert.DoesNotContain("Infinity", Run.Value.Member("HugeGradient"));
    }

    [Fact]
    public void Gradients_and_values_agree_with_the_method()
    {
        Assert.Empty(Run.Value.Diagnostics);
        Execution execution = Execution.Load(Run.Value);
        foreach ((double x, double y) in new[] { (-1.2, 1.0), (0.3, -0.7), (2.0, 3.5) })
        {
            foreach (string method in new[] { "Rosenbrock", "Orders" })
            {
                object?[] arguments = { x, y, null, null };
                Assert.Equal((double)execution.Call("S", method, x, y)!, (double)execution.Call("S", method + "Gradient", arguments)!);
                Execution.AssertClose(execution.CentralDifference("S", method, new object?[] { x, y }, 0), (double)arguments[2]!);
                Execution.AssertClose(execution.CentralDifference("S", method, new object?[] { x, y }, 1), (double)arguments[3]!);
            }
            object?[] gauss = { (float)x, null };
            Assert.Equal((float)execution.Call("S", "Gauss", (float)x)!, (float)execution.Call("S", "GaussGradient", gauss)!);
            Assert.Equal(-x * Math.Exp(-0.5 * x * x), (float)gauss[1]!, 5);
            object?[] huge = { 0.1f, null };
            execution.Call("S", "HugeGradient", huge);
            Assert.Equal(6e37, (float)huge[1]!, 6e37 * 1e-5);
        }
    }
}
