using System.Threading.Tasks;
using Autodiff.CodeFixes.Fixes;
using Autodiff.CodeFixes.Tests.Harness;
using Xunit;

namespace Autodiff.CodeFixes.Tests;

/// <summary>ADIFF010: the pullback's parameters rewritten into the form the generator checks.</summary>
public class RewritePullbackSignatureTests
{
    [Fact]
    public async Task Adds_the_missing_ref_and_keeps_the_body_working()
    {
        const string Before = """
            using System;
            using Autodiff;

            public static partial class C
            {
                public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

                [DerivativeOf(nameof(Softplus))]
                public static void SoftplusBackward(double x, double seed, double dx) => dx += seed / (1 + Math.Exp(-x));

                [Differentiable]
                public static double F(double x) => 3 * Softplus(x);
            }
            """;
        CodeFix fix = await CodeFix.ApplyAsync(new RewritePullbackSignatureFix(), "ADIFF010", null, Before);
        Assert.Equal(Before.Replace("double seed, double dx", "double seed, ref double dx"), fix.Text);
        Assert.Equal(new[] { "Rewrite the parameters of 'SoftplusBackward' into the pullback form of 'C.Softplus'" }, fix.Offered);
        Assert.Empty(fix.Rerun.Diagnostics);
        object?[] arguments = { 0.5, null };
        Loaded.From(fix).Call("C", "FGradient", arguments);
        Assert.Equal(3 / (1 + System.Math.Exp(-0.5)), (double)arguments[1]!, 12);
    }

    [Fact]
    public async Task Fixes_the_seed_type_of_a_rule_for_a_library_method()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new RewritePullbackSignatureFix(), "ADIFF010", null, """
            using System;
            using Autodiff;

            public static class Rules
            {
                [DerivativeOf(typeof(Math), nameof(Math.Exp))]
                public static void ExpBackward(double x, float seed, ref double dx) => dx += seed * Math.Exp(x);
            }
            """);
        Assert.Contains("public static void ExpBackward(double x, double seed, ref double dx)", fix.Text);
        Assert.Empty(fix.Rerun.Diagnostics);
        Assert.Empty(fix.Errors());
    }

    [Fact]
    public async Task Uses_the_forms_names_when_parameters_are_missing_and_makes_it_static()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new RewritePullbackSignatureFix(), "ADIFF010", null, """
            using Autodiff;

            public partial class C
            {
                public static double Blend(double a, double[] b, int n) => a + b[n];

                [DerivativeOf(nameof(Blend))]
                public void BlendBackward(double a, double seed) { }
            }
            """);
        Assert.Contains("public static void BlendBackward(double a, double[] b, int n, double seed, ref double da, double[]? db) { }", fix.Text);
        Assert.Empty(fix.Rerun.Diagnostics);
    }

    [Fact]
    public async Task Keeps_the_result_parameter()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new RewritePullbackSignatureFix(), "ADIFF010", null, """
            using System;
            using Autodiff;

            public static partial class C
            {
                public static double Exp2(double x) => Math.Pow(2, x);

                [DerivativeOf(nameof(Exp2))]
                public static void Exp2Backward(double x, double result, double seed, ref float dx) { }
            }
            """);
        Assert.Contains("Exp2Backward(double x, double result, double seed, ref double dx)", fix.Text);
        Assert.Empty(fix.Rerun.Diagnostics);
    }

    [Fact]
    public async Task Is_not_offered_when_only_the_accessibility_is_wrong()
    {
        var offered = await CodeFix.OffersAsync(new RewritePullbackSignatureFix(), "ADIFF010", """
            using System;
            using Autodiff;

            public static partial class C
            {
                public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));
            }

            public static class Rules
            {
                [DerivativeOf(typeof(C), nameof(C.Softplus))]
                private static void SoftplusBackward(double x, double seed, ref double dx) { }
            }
            """);
        Assert.Empty(offered);
    }

    [Fact]
    public async Task Is_not_offered_for_a_pushforward_whose_form_is_another()
    {
        var offered = await CodeFix.OffersAsync(new RewritePullbackSignatureFix(), "ADIFF010", """
            using System;
            using Autodiff;

            public static partial class C
            {
                public static double Total(double[] v) => System.Linq.Enumerable.Sum(v);

                [DerivativeOf(nameof(Total), Mode = DerivativeMode.Forward)]
                public static double TotalTangent(double[] v, double dv) => dv;
            }
            """);
        Assert.Empty(offered);
    }

    [Fact]
    public async Task Uses_the_forms_names_when_seed_and_result_are_out_of_place()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new RewritePullbackSignatureFix(), "ADIFF010", null, """
            using System;
            using Autodiff;

            public static partial class C
            {
                public static double Exp2(double x) => Math.Pow(2, x);

                [DerivativeOf(nameof(Exp2))]
                public static void Exp2Backward(double x, double seed, double result, ref double dx) { }
            }
            """);
        Assert.Contains("Exp2Backward(double x, double result, double seed, ref double dx)", fix.Text);
        Assert.Empty(fix.Rerun.Diagnostics);
    }
}
