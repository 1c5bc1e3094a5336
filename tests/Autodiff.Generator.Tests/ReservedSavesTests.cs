using System;
using System.Linq;
using Autodiff.Generator.Tests.Harness;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// Save storage sized from trip counts (<c>Emit/ReservedSaves</c>): before a loop whose saves can be
/// counted on entry, one <c>Reserve</c> per stack, and pushes that check nothing; pops after the
/// stack's peak is marked. Where a push cannot be counted (under a branch, in a loop whose bounds the
/// outer loop changes, in a loop a break ends) the stack keeps checked pushes. The test suites run
/// the runtime's Debug build, which checks that every reservation is used exactly: each gradient
/// below, against central differences for trip counts from zero up, also checks the count.
/// </summary>
public class ReservedSavesTests
{
    private const string Source = """
        using System;
        using Autodiff;

        public static partial class S
        {
            // The GMM's shape: a scratch array refilled from the values it held, a running sum read by Log.
            [Differentiable]
            public static double Nest(double[] w, int n, int k, int d)
            {
                double[] q = new double[d];
                double total = 0;
                for (int p = 0; p < n; p++)
                {
                    for (int c = 0; c < k; c++)
                    {
                        for (int i = 0; i < d; i++)
                        {
                            q[i] = Math.Sin(w[(c * d + i) % w.Length] * (p + 1) + q[i]);
                        }
                        double sq = 0;
                        for (int i = 0; i < d; i++)
                        {
                            sq += q[i] * q[i];
                        }
                        total += Math.Log(1 + sq) * w[c % w.Length];
                    }
                }
                return total;
            }

            // The value is saved under a branch: not counted. The branch's outcome is.
            [Differentiable]
            public static double Branchy(double[] w, double v, int n)
            {
                for (int i = 0; i < n; i++)
                {
                    if (w[i % w.Length] > 0)
                    {
                        v = Math.Sin(v * w[i % w.Length]);
                    }
                    else
                    {
                        v = v * v * 0.5;
                    }
                }
                return v;
            }

            // The inner loop's bound reads the outer index: its saves are not known where the outer loop starts.
            [Differentiable]
            public static double Triangle(double[] w, double v)
            {
                for (int i = 0; i < w.Length; i++)
                {
                    for (int j = i + 1; j < w.Length; j++)
                    {
                        v = Math.Sin(v + w[j] * w[i]);
                    }
                }
                return v;
            }

            // A break makes the loop end by more than its condition.
            [Differentiable]
            public static double Broken(double[] w, double v)
            {
                for (int i = 0; i < w.Length; i++)
                {
                    v = Math.Tanh(v * w[i]);
                    if (v > 0.9) break;
                }
                return v;
            }

            // Called by Middle in split mode: its split members save on the caller's residuals, and
            // reserve there, since its loop calls nothing that pushes on them too.
            [Differentiable]
            public static double Inner(double[] w, int n)
            {
                double v = 0.5;
                for (int i = 0; i < n; i++)
                {
                    v = Math.Sin(v * w[i % w.Length]);
                }
                return v;
            }

            // Called by Outer in split mode; its loop calls Inner's forward pass, whose pushes on the
            // same residuals it cannot count: not reserved.
            [Differentiable]
            public static double Middle(double[] w, int n)
            {
                double total = 0;
                for (int r = 0; r < n; r++)
                {
                    total = Math.Sin(total + Inner(w, r) * w[r % w.Length]);
                }
                return total;
            }

            [Differentiable]
            public static double Outer(double[] w, int n)
            {
                double total = 0;
                for (int r = 0; r < n; r++)
                {
                    total += Middle(w, r) * w[r % w.Length];
                }
                return total;
            }
        }
        """;

    private static readonly Lazy<GeneratorRun> Run = new(() => GeneratorRun.Of(Source));

    private static (string Forward, string Backward) Sweeps(string member) => Run.Value.Sweeps(member);

    [Fact]
    public void A_loop_nest_of_known_trip_counts_reserves_its_saves_as_the_loops_nest()
    {
        (string forward, string backward) = Sweeps("NestGradient");
        // Per point and component: for each of the d elements, the sine's argument and the old q[i]
        // (Sin reads the one, the next refill reads the other), then the log's argument and the log;
        // the reservation follows the nesting.
        Assert.Contains("doubleSaves.Reserve(checked(global::System.Math.Max(0L, (long)n) * (global::System.Math.Max(0L, (long)k) * (global::System.Math.Max(0L, (long)d) * 2 + 2))));", forward);
        Assert.Contains("doubleSaves.PushReserved(", forward);
        Assert.DoesNotContain("doubleSaves.Push(", forward);
        Assert.Contains("doubleSaves.MarkPeak();", backward);
        Assert.Contains("doubleSaves.PopMarked()", backward);
        Assert.DoesNotContain("doubleSaves.Pop()", backward);
    }

    [Fact]
    public void Saves_under_a_branch_keep_checked_pushes_and_the_branch_outcomes_are_reserved()
    {
        (string forward, _) = Sweeps("BranchyGradient");
        Assert.Contains("boolSaves.Reserve(checked(global::System.Math.Max(0L, (long)n)));", forward);
        Assert.Contains("boolSaves.PushReserved(", forward);
        Assert.DoesNotContain("doubleSaves.Reserve(", forward);
        Assert.Contains("doubleSaves.Push(", forward);
    }

    [Theory]
    [InlineData("TriangleGradient")]
    [InlineData("BrokenGradient")]
    public void Loops_whose_saves_are_not_known_on_entry_reserve_nothing(string member)
    {
        (string forward, string backward) = Sweeps(member);
        Assert.DoesNotContain(".Reserve(", forward);
        Assert.Contains("doubleSaves.Push(", forward);
        // The pops still need no peak of their own: no push follows the forward pass.
        Assert.Contains("doubleSaves.MarkPeak();", backward);
    }

    [Fact]
    public void Split_members_reserve_on_the_residuals_only_in_loops_that_call_no_split_member()
    {
        string inner = Run.Value.Member("InnerForwardPass");
        Assert.Contains("residuals.Doubles.Reserve(checked(global::System.Math.Max(0L, (long)n) * 2));", inner);
        Assert.Contains("residuals.Doubles.PushReserved(", inner);
        string middle = Run.Value.Member("MiddleForwardPass");
        Assert.Contains("InnerForwardPass(", middle);
        Assert.Contains("residuals.Doubles.Push(", middle);
        Assert.DoesNotContain("Reserve(", middle);
        // The residuals' pops keep tracking the peak: the callers' backward passes are not all known here.
        Assert.DoesNotContain("Marked", Run.Value.Member("InnerBackwardPass"));
    }

    [Fact]
    public void Gradients_agree_with_central_differences_for_trip_counts_from_zero()
    {
        Assert.Empty(Run.Value.Diagnostics);
        Execution execution = Execution.Load(Run.Value);
        var random = new Random(20261204);
        double[] Draw(int length) => Enumerable.Range(0, length).Select(_ => random.NextDouble() * 1.6 - 0.8).ToArray();

        foreach ((int n, int k, int d) in new[] { (0, 2, 2), (1, 0, 3), (2, 3, 0), (1, 1, 1), (3, 2, 5), (2, 3, 9) })
        {
            double[] w = Draw(7);
            object?[] arguments = { w, n, k, d, null };
            execution.Call("S", "NestGradient", arguments);
            var dW = (double[])arguments[4]!;
            for (int i = 0; i < w.Length; i++)
            {
                Execution.AssertClose(execution.CentralDifference("S", "Nest", new object?[] { w, n, k, d }, 0, i), dW[i]);
            }
        }
        foreach (int n in new[] { 0, 1, 6, 13 })
        {
            double[] w = Draw(5);
            object?[] arguments = { w, 0.4, n, null, null };
            execution.Call("S", "BranchyGradient", arguments);
            Execution.AssertClose(execution.CentralDifference("S", "Branchy", new object?[] { w, 0.4, n }, 1), (double)arguments[4]!);
            var dW = (double[])arguments[3]!;
            for (int i = 0; i < w.Length; i++)
            {
                Execution.AssertClose(execution.CentralDifference("S", "Branchy", new object?[] { w, 0.4, n }, 0, i), dW[i]);
            }
        }
        foreach (string method in new[] { "Triangle", "Broken" })
        {
            foreach (int length in new[] { 0, 1, 4 })
            {
                double[] w = Draw(length);
                object?[] arguments = { w, 0.3, null, null };
                execution.Call("S", method + "Gradient", arguments);
                Execution.AssertClose(execution.CentralDifference("S", method, new object?[] { w, 0.3 }, 1), (double)arguments[3]!);
                var dW = (double[])arguments[2]!;
                for (int i = 0; i < w.Length; i++)
                {
                    Execution.AssertClose(execution.CentralDifference("S", method, new object?[] { w, 0.3 }, 0, i), dW[i]);
                }
            }
        }
        foreach (int n in new[] { 0, 1, 5 })
        {
            double[] w = Draw(4);
            object?[] arguments = { w, n, null };
            execution.Call("S", "OuterGradient", arguments);
            var dW = (double[])arguments[2]!;
            for (int i = 0; i < w.Length; i++)
            {
                Execution.AssertClose(execution.CentralDifference("S", "Outer", new object?[] { w, n }, 0, i), dW[i]);
            }
        }
    }
}
