using System;
using System.Linq;
using Autodiff.Generator.Tests.Harness;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// An integer each iteration declares from values that never change and then only steps is
/// computed again by the backward pass, its steps replayed, instead of saved and restored
/// (<c>Transforms/ReplayedIntegers</c>); where a step is not replayable (in a branch, by a changing
/// amount, in a loop whose trip count changes) it is saved as before. Gradients against central
/// differences in every case, including trip counts of zero.
/// </summary>
public class ReplayedIntegersTests
{
    private const string Source = """
        using System;
        using Autodiff;

        public static partial class I
        {
            // The Gaussian mixture's triangle: k starts at the diagonal's end and steps once per element.
            [Differentiable]
            public static double Triangle(double[] l, double[] x, int d)
            {
                double[] q = new double[d];
                double total = 0;
                for (int r = 0; r < 3; r++)
                {
                    for (int i = 0; i < d; i++) q[i] = l[r * d + i] * x[i];
                    int k = r * d + d;
                    for (int i = 0; i < d; i++)
                    {
                        for (int j = i + 1; j < d; j++)
                        {
                            q[j] += l[k] * x[i] * q[i];
                            k++;
                        }
                    }
                    double s = 0;
                    for (int i = 0; i < d; i++) s += q[i] * q[i];
                    total += Math.Log(1 + s);
                }
                return total;
            }

            // Steps at the top level, by a fixed variable, downwards, in a loop of stride 2 and in a
            // loop that does not run when n is small.
            [Differentiable]
            public static double Strides(double[] w, int n)
            {
                int stride = 2;
                double total = 0;
                for (int r = 0; r < 3; r++)
                {
                    int k = w.Length - 1 - r;
                    total += w[k] * w[r];
                    k -= stride;
                    for (int j = 0; j < n; j += 2)
                    {
                        total += Math.Sin(w[k] * total);
                        k--;
                    }
                    for (int j = 3; j < n; j++)
                    {
                        k += 1;
                        total += w[k] * w[k] * total;
                    }
                }
                return total;
            }

            // Two steps in one loop, one by a parameter: replayed as their net step times the trip count.
            [Differentiable]
            public static double UpAndDown(double[] w, int n, int stride)
            {
                double total = 0;
                for (int r = 0; r < 3; r++)
                {
                    int k = r + 6;
                    for (int j = 0; j < n; j++)
                    {
                        k += 3;
                        total += w[k] * w[k] * total + w[j];
                        k -= stride;
                    }
                    total += w[k] * total;
                }
                return total;
            }

            // Steps whose number depends on the round: replayed in each round.
            [Differentiable]
            public static double Growing(double[] w, int n)
            {
                double total = 0;
                for (int r = 0; r < n; r++)
                {
                    int k = 1;
                    for (int j = 0; j < r; j++)
                    {
                        total += w[k] * Math.Cos(w[j] * total);
                        k++;
                    }
                    total += w[k] * total;
                }
                return total;
            }

            // A step in a branch: not replayable, saved as before.
            [Differentiable]
            public static double Branched(double[] w, int n)
            {
                double total = 0;
                for (int r = 0; r < 2; r++)
                {
                    int k = r;
                    for (int j = 0; j < n; j++)
                    {
                        if (w[j] > 0) k++;
                        total += w[k] * Math.Sin(w[j] * total);
                    }
                }
                return total;
            }

            // A loop whose bound the iteration computes: k's steps cannot be replayed before m is
            // known (m itself, which only the declaration assigns, is computed again).
            [Differentiable]
            public static double ChangingBound(double[] w, int n)
            {
                double total = 0;
                for (int r = 0; r < 2; r++)
                {
                    int k = r;
                    int m = n - r;
                    for (int j = 0; j < m; j++)
                    {
                        total += w[k] * Math.Sin(w[j] * total);
                        k++;
                    }
                }
                return total;
            }
        }
        """;

    private static readonly Lazy<GeneratorRun> Run = new(() => GeneratorRun.Of(Source));

    [Fact]
    public void The_backward_pass_computes_the_integer_again_and_the_forward_pass_saves_nothing_of_it()
    {
        string gradient = Run.Value.Member("TriangleGradient");
        Assert.Contains("// k computed again for this iteration, plus how far its steps took it, instead of restored; line ", gradient);
        Assert.DoesNotContain("intSaves", gradient);
        // The steps take k as far in every round: replayed once before the loop over r, the inner
        // loop's as one addition of its trip count.
        Assert.Matches(@"kTravel(InLoop(_\d+)?)? \+= \(int\)global::System\.Math\.Max\(0L, \(long\)d - \(i(_\d+)? \+ 1\)\);", gradient);
        Assert.Contains("k += kTravel;", gradient);
        string strides = Run.Value.Member("StridesGradient");
        Assert.Contains("// k computed again for this iteration", strides);
        Assert.DoesNotContain("intSaves", strides);
        Assert.Contains("kTravel -= stride;", strides);
        Assert.Contains("computed again", Run.Value.Member("TrianglePullback"));
        Assert.Contains("kTravel += unchecked((3 - stride) * (int)global::System.Math.Max(0L, (long)n));", Run.Value.Member("UpAndDownGradient"));
        // Steps whose number depends on the round are replayed in each round.
        string growing = Run.Value.Member("GrowingGradient");
        Assert.Contains("// k computed again for this iteration and its steps replayed, instead of restored; line ", growing);
        Assert.Contains("k += (int)global::System.Math.Max(0L, (long)r);", growing);
        Assert.DoesNotContain("intSaves", growing);
    }

    [Fact]
    public void An_integer_that_is_never_stepped_is_computed_again_too()
    {
        string text = Run.Value.Member("ChangingBoundGradient");
        Assert.Contains("// m computed again for this iteration instead of restored; line ", text);
        Assert.DoesNotContain("Push(m)", text);
    }

    [Theory]
    [InlineData("BranchedGradient")]
    [InlineData("ChangingBoundGradient")]
    public void Where_a_step_cannot_be_replayed_the_integer_is_saved_as_before(string member)
    {
        string text = Run.Value.Member(member);
        Assert.DoesNotContain("// k computed again", text);
        Assert.Contains("Push(k)", text);
    }

    [Fact]
    public void Gradients_agree_with_central_differences()
    {
        Assert.Empty(Run.Value.Diagnostics);
        Execution execution = Execution.Load(Run.Value);
        var random = new Random(20261204);
        double[] Draw(int length) => Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();

        foreach (int d in new[] { 0, 1, 2, 3, 5, 9 })
        {
            double[] l = Draw(3 * d + d * (d - 1) / 2 + 1);
            double[] x = Draw(d);
            object?[] arguments = { l, x, d, null, null };
            execution.Call("I", "TriangleGradient", arguments);
            var dL = (double[])arguments[3]!;
            for (int i = 0; i < l.Length; i++)
            {
                Execution.AssertClose(execution.CentralDifference("I", "Triangle", new object?[] { l, x, d }, 0, i), dL[i]);
            }
        }
        foreach ((int n, int stride) in new[] { (0, 1), (3, 2), (4, 3), (2, 4) })
        {
            double[] w = Draw(16);
            object?[] arguments = { w, n, stride, null };
            execution.Call("I", "UpAndDownGradient", arguments);
            var dW = (double[])arguments[3]!;
            for (int i = 0; i < w.Length; i++)
            {
                Execution.AssertClose(execution.CentralDifference("I", "UpAndDown", new object?[] { w, n, stride }, 0, i), dW[i]);
            }
        }
        foreach (string method in new[] { "Strides", "Growing", "Branched", "ChangingBound" })
        {
            foreach (int n in new[] { 0, 1, 2, 4, 5 })
            {
                double[] w = Draw(12);
                object?[] arguments = { w, n, null };
                execution.Call("I", method + "Gradient", arguments);
                var dW = (double[])arguments[2]!;
                for (int i = 0; i < w.Length; i++)
                {
                    Execution.AssertClose(execution.CentralDifference("I", method, new object?[] { w, n }, 0, i), dW[i]);
                }
            }
        }
    }
}
