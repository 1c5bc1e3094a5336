using System;
using System.Text.RegularExpressions;
using Autodiff.Generator.Tests.Harness;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// A pullback that needs only its target's result marks the input <c>[Unread]</c>: generated code
/// passes <c>default</c> there and keeps nothing for it, so a loop that overwrites the input saves
/// nothing more than the result. The built-in Exp, Sqrt, Cbrt, Tan and Tanh rules do this; users'
/// rules do it the same way.
/// </summary>
public class UnreadTests
{
    private const string Source = """
        using System;
        using Autodiff;

        public static partial class U
        {
            public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

            // d softplus / dx = 1 - exp(-softplus(x)): the result is enough.
            [DerivativeOf(nameof(Softplus))]
            public static void SoftplusBackward([Unread] double x, double result, double seed, ref double dx) => dx += seed * (1 - Math.Exp(-result));

            [Differentiable]
            public static double Chain(double[] w, double h)
            {
                for (int i = 0; i < w.Length; i++)
                {
                    double t = w[i] * h;
                    h = Softplus(t) + Math.Exp(t) * 0.01;
                }
                return h;
            }

            // The accumulator of an [Unread] element still reads its index (dv[i - 1]), which a
            // do-while loop steps: found by the random-program tester, seed 8000389.
            [Differentiable]
            public static double Stepped(double[] v, double x)
            {
                int i = 0;
                do
                {
                    i++;
                    x += Math.Atan2(Math.Tanh(v[i - 1]) * Math.Tanh(v[i - 1]), 1.5) * x;
                }
                while (i < v.Length);
                return x;
            }

            [Differentiable]
            public static double BuiltIns(double[] w, double h)
            {
                for (int i = 0; i < w.Length; i++)
                {
                    double t = w[i] * h;
                    h = Math.Tanh(t) + Math.Sqrt(t * t + 1) + Math.Cbrt(t) * 0.1;
                }
                return h;
            }
        }
        """;

    private static readonly Lazy<GeneratorRun> Run = new(() => GeneratorRun.Of(Source));

    [Fact]
    public void An_unread_input_is_passed_as_default_and_not_saved()
    {
        string text = Run.Value.Member("ChainGradient");
        Assert.Contains("U.SoftplusBackward(default, ", text);
        Assert.Contains("MathRules.ExpBackward<double>(default, ", text);
        // Per iteration the two results the rules read and h (the product's rule reads it) are
        // saved; t, which only the two [Unread] inputs would read, is not.
        Assert.True(Regex.Matches(text, @"\.Push(Reserved)?\(").Count == 3, text);
        Assert.DoesNotContain("Push(t)", text);
        Assert.DoesNotContain("PushReserved(t)", text);
    }

    [Fact]
    public void The_built_in_rules_that_read_only_the_result_keep_nothing_of_their_input()
    {
        string text = Run.Value.Member("BuiltInsGradient");
        foreach (string rule in new[] { "TanhBackward", "SqrtBackward", "CbrtBackward" })
        {
            Assert.Contains("MathRules." + rule + "<double>(default, ", text);
        }
    }

    [Fact]
    public void Gradients_agree_with_central_differences()
    {
        Assert.Empty(Run.Value.Diagnostics);
        Execution execution = Execution.Load(Run.Value);
        double[] w = { 0.4, -1.1, 0.8, 0.3, -0.5 };
        foreach (string method in new[] { "Chain", "BuiltIns", "Stepped" })
        {
            object?[] arguments = { w, 0.7, null, null };
            execution.Call("U", method + "Gradient", arguments);
            Execution.AssertClose(execution.CentralDifference("U", method, new object?[] { w, 0.7 }, 1), (double)arguments[3]!);
            var dw = (double[])arguments[2]!;
            for (int i = 0; i < w.Length; i++)
            {
                Execution.AssertClose(execution.CentralDifference("U", method, new object?[] { w, 0.7 }, 0, i), dw[i]);
            }
        }
    }
}
