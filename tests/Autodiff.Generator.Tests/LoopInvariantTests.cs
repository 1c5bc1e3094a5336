using System;
using Autodiff.Generator.Tests.Harness;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// Values a loop computes the same in every iteration (<c>Transforms/LoopInvariants</c>) are computed
/// once before it, and neither recomputed nor saved per iteration; what may not move stays, and a
/// loop that runs no iteration still passes back nothing through them (no 0 · ∞).
/// </summary>
public class LoopInvariantTests
{
    private const string Source = """
        using System;
        using Autodiff;

        public static partial class H
        {
            [Differentiable]
            public static double Scaled(double[] x, double c, int n)
            {
                double s = 0;
                for (int j = 0; j < n; j++) s += x[j] * (1.5 + c * c);
                return s;
            }

            [Differentiable]
            public static double SqrtRuntime(double[] x, double c, int n)
            {
                double s = 0;
                for (int j = 0; j < n; j++) s += x[j] * Math.Sqrt(c);
                return s;
            }

            [Differentiable]
            public static double SqrtConstant(double[] x, double c)
            {
                double s = 0;
                for (int j = 0; j < 4; j++) s += x[j] * Math.Sqrt(c);
                return s;
            }

            [Differentiable]
            public static double Carried(double[] x, double c, int n)
            {
                double s = c;
                for (int j = 0; j < n; j++)
                {
                    double t = s * 0.5;
                    s = t + x[j];
                }
                return s;
            }
        }
        """;

    private static readonly Lazy<GeneratorRun> Run = new(() => GeneratorRun.Of(Source));

    private static string ForwardPass(string member)
    {
        string text = Run.Value.Member(member);
        return text.Substring(0, text.IndexOf("// Backward pass", StringComparison.Ordinal));
    }

    private static bool ComputedBeforeTheLoop(string forward, string value) =>
        forward.IndexOf(value, StringComparison.Ordinal) is var at && at >= 0 && at < forward.IndexOf("for (", StringComparison.Ordinal);

    [Fact]
    public void Arithmetic_of_values_the_loop_does_not_change_is_computed_once_before_it_and_not_saved()
    {
        string forward = ForwardPass("ScaledGradient");
        Assert.True(ComputedBeforeTheLoop(forward, "1.5 + c * c"), forward);
        Assert.DoesNotContain(".Push(", forward);
    }

    [Fact]
    public void A_function_moves_out_of_a_loop_that_surely_runs_only()
    {
        Assert.True(ComputedBeforeTheLoop(ForwardPass("SqrtConstantGradient"), "global::System.Math.Sqrt(c)"));
        string runtime = ForwardPass("SqrtRuntimeGradient");
        Assert.False(ComputedBeforeTheLoop(runtime, "global::System.Math.Sqrt(c)"), runtime);
        Assert.Contains("global::System.Math.Sqrt(c)", runtime);
    }

    [Fact]
    public void A_value_computed_from_what_the_loop_changes_stays_in_it()
    {
        string forward = ForwardPass("CarriedGradient");
        Assert.False(ComputedBeforeTheLoop(forward, "s * 0.5"), forward);
    }

    [Fact]
    public void Gradients_agree_with_central_differences_and_a_loop_that_does_not_run_passes_back_zero()
    {
        Execution execution = Execution.Load(Run.Value);
        double[] x = { 0.4, -1.1, 0.8, 1.9, -0.3, 0.2, 1.4, -0.6, 0.9 };
        foreach (string method in new[] { "Scaled", "SqrtRuntime", "Carried" })
        {
            foreach (int n in new[] { 0, 1, 5, 9 })
            {
                object?[] arguments = { x, 0.8, n, null, null };
                execution.Call("H", method + "Gradient", arguments);
                Execution.AssertClose(execution.CentralDifference("H", method, new object?[] { x, 0.8, n }, 1), (double)arguments[4]!);
                var dx = (double[])arguments[3]!;
                for (int i = 0; i < x.Length; i++)
                {
                    Execution.AssertClose(execution.CentralDifference("H", method, new object?[] { x, 0.8, n }, 0, i), dx[i]);
                }
            }
        }
        // √c has an infinite derivative at 0; with no iteration nothing flows back through it.
        object?[] none = { x, 0.0, 0, null, null };
        execution.Call("H", "SqrtRuntimeGradient", none);
        Assert.Equal(0.0, (double)none[4]!);
        object?[] constant = { x, 0.8, null, null };
        execution.Call("H", "SqrtConstantGradient", constant);
        Execution.AssertClose(execution.CentralDifference("H", "SqrtConstant", new object?[] { x, 0.8 }, 1), (double)constant[3]!);
    }
}
