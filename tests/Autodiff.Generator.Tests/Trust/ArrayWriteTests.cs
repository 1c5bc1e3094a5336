using Autodiff.Generator.Tests.Harness;
using Xunit;

namespace Autodiff.Generator.Tests.Trust;

/// <summary>
/// Gradients through writes into arrays (issue 6, found by random programs): a helper that writes
/// into the array it is given, and compound assignments whose right side reads the element they
/// update. Each result is checked against central differences of the original method.
/// </summary>
public class ArrayWriteTests
{
    private const string Usings = "using System;\nusing Autodiff;\n";

    /// <summary>Every gradient of <c>C.F(x, v)</c> at (x, v) against central differences.</summary>
    private static void CheckGradient(string source, double x, double[] v)
    {
        GeneratorRun run = GeneratorRun.Of(Usings + source);
        Execution execution = Execution.Load(run);
        object?[] arguments = { x, v.Clone(), null, null };
        double value = (double)execution.Call("C", "FGradient", arguments)!;
        double[] afterF = (double[])v.Clone();
        Assert.Equal((double)execution.Call("C", "F", x, afterF)!, value);
        Assert.Equal(afterF, (double[])arguments[1]!); // the gradient leaves the array as the method does
        Execution.AssertClose(execution.CentralDifference("C", "F", new object?[] { x, v }, 0), (double)arguments[2]!);
        double[] dV = (double[])arguments[3]!;
        for (int i = 0; i < v.Length; i++)
        {
            Execution.AssertClose(execution.CentralDifference("C", "F", new object?[] { x, v }, 1, i), dV[i]);
        }

        // The pullback with a seed adds seed times the same gradient into accumulators that start elsewhere.
        double dX = 0.5;
        double[] accumulator = new double[v.Length];
        object?[] pullback = { x, v.Clone(), 2.0, dX, accumulator };
        execution.Call("C", "FPullback", pullback);
        Execution.AssertClose(0.5 + 2 * (double)arguments[2]!, (double)pullback[3]!);
        for (int i = 0; i < v.Length; i++)
        {
            Execution.AssertClose(2 * dV[i], accumulator[i]);
        }
    }

    [Fact]
    public void A_helper_that_overwrites_its_array_argument() => CheckGradient("""
        public static partial class C
        {
            [Differentiable]
            public static double Q(double a, double[] w)
            {
                double s = a * w[0];
                w[0] = 0;
                return s;
            }

            [Differentiable]
            public static double F(double x, double[] v)
            {
                double q = Q(x, v);
                return q + v[0] * x + v[1] * v[0];
            }
        }
        """, 0.7, new[] { 1.5, -2.0 });

    [Fact]
    public void A_helper_called_for_its_effect_only() => CheckGradient("""
        public static partial class C
        {
            [Differentiable]
            public static double Scale(double a, double[] w)
            {
                for (int i = 0; i < w.Length; i++)
                {
                    w[i] = w[i] * a + 1;
                }
                return 0;
            }

            [Differentiable]
            public static double F(double x, double[] v)
            {
                Scale(x, v);
                Scale(x * x, v);
                return v[0] * v[1] + x;
            }
        }
        """, 0.7, new[] { 1.5, -2.0 });

    [Fact]
    public void A_helper_that_fills_a_local_buffer_inside_a_loop() => CheckGradient("""
        public static partial class C
        {
            [Differentiable]
            public static double Put(double a, double[] w, int i)
            {
                w[i] = a * a + w[i];
                return w[i];
            }

            [Differentiable]
            public static double F(double x, double[] v)
            {
                double[] buffer = new double[2];
                double sum = 0;
                for (int k = 0; k < 3; k++)
                {
                    sum += Put(x * v[k % 2], buffer, k % 2) * v[1];
                }
                return sum + buffer[0] * buffer[1];
            }
        }
        """, 0.7, new[] { 1.5, -2.0 });

    [Fact]
    public void Writes_followed_through_a_chain_of_helpers() => CheckGradient("""
        public static partial class C
        {
            [Differentiable]
            public static double Inner(double a, double[] w)
            {
                w[1] = w[1] * a;
                return w[0];
            }

            [Differentiable]
            public static double Outer(double a, double[] w) => Inner(a * 2, w) + 1;

            [Differentiable]
            public static double F(double x, double[] v)
            {
                double first = Outer(x, v);
                return first * v[1];
            }
        }
        """, 0.7, new[] { 1.5, -2.0 });

    [Fact]
    public void Writes_in_a_while_loop_are_undone_at_their_own_index() => CheckGradient("""
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double[] v)
            {
                double[] u = new double[4];
                for (int k = 0; k < u.Length; k++)
                {
                    u[k] = -(k * 0.5);
                }
                double s = u[1] * x;
                int i = 0;
                do
                {
                    i++;
                    u[i - 1] = u[i - 1] + 1.0;
                }
                while (i < 4);
                int j = 4;
                while (j > 0)
                {
                    j--;
                    v[j % 2] = v[j % 2] * 0.5;
                }
                return s + u[0] * v[1];
            }
        }
        """, 0.7, new[] { 1.5, -2.0 });

    [Theory]
    [InlineData("v[0] += v[0] * x;")]
    [InlineData("v[0] += v[0] * v[0];")]
    [InlineData("v[0] -= v[1] * v[0] * x;")]
    [InlineData("int i = 0; int j = 0; v[i] += v[j] * x;")]
    [InlineData("int i = 1; int j = 1; v[i] = v[j] * v[i] + x;")]
    [InlineData("double[] w = new double[2]; w[0] = x; w[1] = v[1]; w[0] += w[0] * w[1]; v[1] = w[0];")]
    public void Compound_assignments_reading_their_own_element(string statements) => CheckGradient("""
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double[] v)
            {
                STATEMENTS
                return v[0] * 3 + v[1] * v[1];
            }
        }
        """.Replace("STATEMENTS", statements), 0.7, new[] { 1.5, -2.0 });

    /// <summary>
    /// A [NoGrad] array that the method writes active values into (ADBench's LSTM updates its state
    /// in place): its elements carry gradients inside the method, though the caller asked for none.
    /// </summary>
    [Fact]
    public void Active_values_written_into_a_constant_array_parameter()
    {
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public static partial class C
            {
                [Differentiable]
                public static double F(double x, [NoGrad] double[] state)
                {
                    state[0] = state[0] * x;
                    for (int i = 1; i < state.Length; i++)
                    {
                        state[i] = Math.Sin(state[i - 1]) + state[i] * x;
                    }
                    return state[state.Length - 1];
                }
            }
            """);
        Assert.Empty(run.Diagnostics);
        Execution execution = Execution.Load(run);
        double[] state = { 0.5, -0.25, 1.5 };
        object?[] arguments = { 0.7, state.Clone(), null };
        double value = (double)execution.Call("C", "FGradient", arguments)!;
        double[] afterF = (double[])state.Clone();
        Assert.Equal((double)execution.Call("C", "F", 0.7, afterF)!, value);
        Assert.Equal(afterF, (double[])arguments[1]!);
        Execution.AssertClose(execution.CentralDifference("C", "F", new object?[] { 0.7, state }, 0), (double)arguments[2]!);
    }
}
