using System;
using System.Linq;
using Autodiff.Generator.Tests.Harness;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// A scratch array refilled at the start of every iteration from values that never change is filled
/// again by the backward pass rather than saved and restored (<c>Transforms/RefilledArrays</c>); where
/// the backward pass would then read other values than the forward pass did, it saves as before.
/// Gradients against central differences in every case.
/// </summary>
public class RefilledArraysTests
{
    private const string Source = """
        using System;
        using Autodiff;

        public static partial class R
        {
            [Differentiable]
            public static double Refilled(double[] means, [NoGrad] double[] x, int d)
            {
                double[] centred = new double[d];
                double total = 0;
                for (int p = 0; p < x.Length / d; p++)
                {
                    for (int c = 0; c < means.Length / d; c++)
                    {
                        for (int i = 0; i < d; i++)
                        {
                            centred[i] = x[p * d + i] - means[c * d + i];
                        }
                        double sq = 0;
                        for (int i = 0; i < d; i++)
                        {
                            sq += centred[i] * centred[i] * means[c * d];
                        }
                        total += Math.Exp(-sq);
                    }
                }
                return total;
            }

            // A fill of several operations: flattening gives it temporaries of its own.
            [Differentiable]
            public static double SeveralOperations(double[] w, double y)
            {
                double[] s = new double[w.Length];
                double total = 0;
                for (int p = 0; p < 3; p++)
                {
                    for (int i = 0; i < s.Length; i++)
                    {
                        s[i] = (w[i] * w[i] - 0.5 * p) * w[(i + p) % w.Length] + i;
                    }
                    y = y * 0.5 + Math.Sin(s[0] * y);
                    total += s[s.Length - 1] * y;
                }
                return total;
            }

            // Read before the fill: the previous iteration's values.
            [Differentiable]
            public static double ReadBefore(double[] x, double[] w)
            {
                double[] s = new double[w.Length];
                double total = 0;
                for (int p = 0; p < x.Length; p++)
                {
                    total += s[0] * x[p];
                    for (int i = 0; i < s.Length; i++)
                    {
                        s[i] = w[i] * x[p];
                    }
                    total += s[0] * s[0];
                }
                return total;
            }

            // The fill reads a local the loop changes.
            [Differentiable]
            public static double ChangingLocal(double[] x, double[] w)
            {
                double[] s = new double[w.Length];
                double scale = 1;
                double total = 0;
                for (int p = 0; p < x.Length; p++)
                {
                    scale = scale * x[p] + 0.5;
                    for (int i = 0; i < s.Length; i++)
                    {
                        s[i] = w[i] * scale;
                    }
                    total += s[0] * s[0] * x[p];
                }
                return total;
            }

            // Read after the loop: the last iteration's values.
            [Differentiable]
            public static double ReadAfter(double[] x, double[] w)
            {
                double[] s = new double[w.Length];
                double total = 0;
                for (int p = 0; p < x.Length; p++)
                {
                    for (int i = 0; i < s.Length; i++)
                    {
                        s[i] = w[i] - x[p];
                    }
                    total += s[0] * s[0] * x[p];
                }
                return total * s[0];
            }

            // Another statement writes the array too.
            [Differentiable]
            public static double UpdatedAfter(double[] x, double[] w)
            {
                double[] s = new double[w.Length];
                double total = 0;
                for (int p = 0; p < x.Length; p++)
                {
                    for (int i = 0; i < s.Length; i++)
                    {
                        s[i] = w[i] - x[p];
                    }
                    s[0] *= x[p];
                    total += s[0] * s[0] * s[s.Length - 1];
                }
                return total;
            }

            // The method writes a parameter array, which the fill's operands might be.
            [Differentiable]
            public static double WritesAParameter(double[] x, double[] w, double[] output)
            {
                double[] s = new double[w.Length];
                double total = 0;
                for (int p = 0; p < x.Length; p++)
                {
                    for (int i = 0; i < s.Length; i++)
                    {
                        s[i] = w[i] - x[p];
                    }
                    output[p] = s[0] * s[0];
                    total += output[p] * x[p];
                }
                return total;
            }
        }
        """;

    private static readonly Lazy<GeneratorRun> Run = new(() => GeneratorRun.Of(Source));

    [Fact]
    public void The_backward_pass_fills_the_array_again_and_the_forward_pass_saves_nothing_of_it()
    {
        string gradient = Run.Value.Member("RefilledGradient");
        Assert.Contains("// centred filled again for this iteration instead of restored; line ", gradient);
        Assert.DoesNotContain("Push(centred[", gradient);
        Assert.DoesNotContain("PushLanes(global::Autodiff.Runtime.Lanes.Load(centred", gradient);
        Assert.DoesNotContain("centred[i] = doubleSaves.Pop()", gradient);
        // The backward pass refills once per iteration of the loop over c, before it reads centred.
        int refill = gradient.IndexOf("filled again", StringComparison.Ordinal);
        int backward = gradient.IndexOf("// Backward pass", StringComparison.Ordinal);
        Assert.True(refill > backward);
        Assert.True(refill < gradient.IndexOf("centred[i_2] * centred[i_2]", refill, StringComparison.Ordinal)
            || refill < gradient.IndexOf("Lanes.Load(centred", refill, StringComparison.Ordinal));
        Assert.Contains("filled again", Run.Value.Member("RefilledPullback"));
        string several = Run.Value.Member("SeveralOperationsGradient");
        Assert.Contains("// s filled again for this iteration instead of restored; line ", several);
        Assert.DoesNotContain("Push(s[", several);
    }

    [Theory]
    [InlineData("ReadBeforeGradient")]
    [InlineData("ChangingLocalGradient")]
    [InlineData("ReadAfterGradient")]
    [InlineData("WritesAParameterGradient")]
    [InlineData("UpdatedAfterGradient")]
    public void Where_the_backward_pass_would_read_other_values_the_array_is_saved_as_before(string member)
    {
        string text = Run.Value.Member(member);
        Assert.DoesNotContain("filled again", text);
        Assert.Matches(@"s\[i\] = doubleSaves\.Pop(Marked)?\(\);", text);
    }

    [Fact]
    public void Gradients_agree_with_central_differences()
    {
        Assert.Empty(Run.Value.Diagnostics);
        Execution execution = Execution.Load(Run.Value);
        var random = new Random(20261204);
        double[] Draw(int length) => Enumerable.Range(0, length).Select(_ => random.NextDouble() * 2 - 1).ToArray();

        foreach (int d in new[] { 1, 2, 3, 5, 9 })
        {
            double[] means = Draw(3 * d);
            double[] x = Draw(4 * d);
            object?[] arguments = { means, x, d, null };
            execution.Call("R", "RefilledGradient", arguments);
            var dMeans = (double[])arguments[3]!;
            for (int i = 0; i < means.Length; i++)
            {
                Execution.AssertClose(execution.CentralDifference("R", "Refilled", new object?[] { means, x, d }, 0, i), dMeans[i]);
            }
        }
        foreach (double y in new[] { -0.7, 0.3, 1.1 })
        {
            double[] w = Draw(5);
            object?[] arguments = { w, y, null, null };
            execution.Call("R", "SeveralOperationsGradient", arguments);
            Execution.AssertClose(execution.CentralDifference("R", "SeveralOperations", new object?[] { w, y }, 1), (double)arguments[3]!);
            var dW = (double[])arguments[2]!;
            for (int i = 0; i < w.Length; i++)
            {
                Execution.AssertClose(execution.CentralDifference("R", "SeveralOperations", new object?[] { w, y }, 0, i), dW[i]);
            }
        }
        foreach (string method in new[] { "ReadBefore", "ChangingLocal", "ReadAfter", "UpdatedAfter" })
        {
            double[] x = Draw(5);
            double[] w = Draw(6);
            object?[] arguments = { x, w, null, null };
            execution.Call("R", method + "Gradient", arguments);
            for (int input = 0; input < 2; input++)
            {
                var gradient = (double[])arguments[2 + input]!;
                for (int i = 0; i < gradient.Length; i++)
                {
                    Execution.AssertClose(execution.CentralDifference("R", method, new object?[] { x, w }, input, i), gradient[i]);
                }
            }
        }
    }
}
