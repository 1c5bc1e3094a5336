using System;
using Autodiff.Generator.Tests.Harness;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// The first contribution to a scalar adjoint from a built-in one-input rule is declared with its
/// value, through the rule's pushforward of the seed (<c>double dt = MathRules.ExpTangent(...)</c>),
/// instead of added to a zero by the pullback; later contributions, rules of several inputs and
/// users' own rules go through the pullback as before. Gradients against central differences.
/// </summary>
public class FirstContributionTests
{
    private const string Source = """
        using System;
        using Autodiff;

        public static partial class F
        {
            [Differentiable]
            public static double Neuron(double w, double x)
            {
                double h = Math.Tanh(w * x);
                double y = Math.Exp(h * w);
                return y + Math.Log(1 + x * x);
            }

            // u gets a contribution before Sin's: Sin adds into it.
            [Differentiable]
            public static double Twice(double x)
            {
                double u = x * 3;
                return Math.Sin(u) + u * u;
            }

            [Differentiable]
            public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

            [Differentiable]
            public static double UsesOwnRule(double x) => Softplus(x * 2) * x;

            [DerivativeOf(typeof(F), nameof(Softplus))]
            public static void SoftplusBackward(double x, double seed, ref double dx) => dx += seed / (1 + Math.Exp(-x));
        }
        """;

    private static readonly Lazy<GeneratorRun> Run = new(() => GeneratorRun.Of(Source));

    [Fact]
    public void A_first_contribution_is_declared_with_its_value_and_later_ones_add_into_it()
    {
        string neuron = Run.Value.Member("NeuronGradient");
        Assert.Contains("double dwTimesX = global::Autodiff.Derivatives.MathRules.TanhTangent<double>(default, h, dh); // TanhBackward, as its pushforward of the seed (one input: the same product)", neuron);
        Assert.Contains("double dhTimesW = global::Autodiff.Derivatives.MathRules.ExpTangent<double>(default, y, dy);", neuron);
        Assert.Contains("double dt = global::Autodiff.Derivatives.MathRules.LogTangent<double>(t, dlog);", neuron);
        Assert.DoesNotContain("double dwTimesX = 0.0;", neuron);
        Assert.DoesNotContain("Backward<double>(", neuron);
        string twice = Run.Value.Member("TwiceGradient");
        Assert.Contains("global::Autodiff.Derivatives.MathRules.SinBackward<double>(u, dsin, ref du);", twice);
        string own = Run.Value.Member("UsesOwnRuleGradient");
        Assert.Contains("SoftplusBackward(", own);
        Assert.DoesNotContain("Tangent", own);
    }

    [Fact]
    public void Gradients_agree_with_central_differences()
    {
        Assert.Empty(Run.Value.Diagnostics);
        Execution execution = Execution.Load(Run.Value);
        foreach ((double w, double x) in new[] { (0.3, -1.2), (-0.8, 0.5), (1.1, 2.0) })
        {
            object?[] neuron = { w, x, null, null };
            execution.Call("F", "NeuronGradient", neuron);
            Execution.AssertClose(execution.CentralDifference("F", "Neuron", new object?[] { w, x }, 0), (double)neuron[2]!);
            Execution.AssertClose(execution.CentralDifference("F", "Neuron", new object?[] { w, x }, 1), (double)neuron[3]!);
            foreach (string method in new[] { "Twice", "UsesOwnRule" })
            {
                object?[] arguments = { x, null };
                execution.Call("F", method + "Gradient", arguments);
                Execution.AssertClose(execution.CentralDifference("F", method, new object?[] { x }, 0), (double)arguments[1]!);
            }
        }
    }
}
