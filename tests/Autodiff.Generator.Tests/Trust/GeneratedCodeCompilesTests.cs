using System.Linq;
using Autodiff.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Autodiff.Generator.Tests.Trust;

/// <summary>
/// Generated code compiles whenever the user's code does (issue 6): names that are keywords,
/// callers of methods whose gradient could not be generated, overloads, rule accessibility,
/// params collections. Each case once failed with a C# error inside the generated file.
/// </summary>
public class GeneratedCodeCompilesTests
{
    private const string Usings = "using System;\nusing Autodiff;\n";

    private static GeneratorRun CompilesCleanly(string source)
    {
        GeneratorRun run = GeneratorRun.Of(Usings + source);
        Assert.Empty(run.OutputProblems());
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "ADIFF012");
        return run;
    }

    [Fact]
    public void Adjoints_of_locals_whose_d_name_is_a_keyword_are_renamed()
    {
        GeneratorRun run = CompilesCleanly("""
            public static partial class C
            {
                [Differentiable]
                public static double F(double x)
                {
                    double o = x * x;
                    double ouble = o + x;
                    double efault = ouble * 3;
                    double ynamic = efault - x;
                    double ar = ynamic * ynamic;
                    double @class = ar + 1;
                    double @event = @class * x;
                    return @event;
                }
            }
            """);
        Assert.Empty(run.Diagnostics);
        Execution execution = Execution.Load(run);
        object?[] arguments = { 0.7, null };
        double value = (double)execution.Call("C", "FGradient", arguments)!;
        Assert.Equal((double)execution.Call("C", "F", 0.7)!, value);
        Execution.AssertClose(execution.CentralDifference("C", "F", new object?[] { 0.7 }, 0), (double)arguments[1]!);
    }

    [Fact]
    public void Parameters_named_like_generated_members_and_keywords()
    {
        GeneratorRun run = CompilesCleanly("""
            public static partial class C
            {
                [Differentiable]
                public static double F(double seed, double dSeed, double @double, double value, double var)
                {
                    double result = seed * dSeed + @double * value - var;
                    double d = result * seed;
                    return d;
                }
            }
            """);
        Assert.Empty(run.Diagnostics);
    }

    [Fact]
    public void Caller_of_a_method_without_a_gradient_is_told_at_the_call()
    {
        (string source, Microsoft.CodeAnalysis.Text.TextSpan span) = Markup.Parse(Usings + """
            public static partial class C
            {
                [Differentiable]
                public static double Bad(double x)
                {
                    switch (x > 0) { case true: return x; default: return -x; }
                }

                [Differentiable]
                public static double Good(double x) => [|Bad(x)|] * 2;
            }
            """);
        GeneratorRun run = GeneratorRun.Of(source);
        Assert.Empty(run.OutputProblems());
        Diagnostic call = Assert.Single(run.Diagnostics, d => d.Location.SourceSpan == span);
        Assert.Equal("ADIFF015", call.Id);
        Assert.Contains(run.Diagnostics, d => d.Id == "ADIFF009");
    }

    [Fact]
    public void Caller_of_a_caller_of_a_failed_method_is_told_too()
    {
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public static partial class A
            {
                [Differentiable]
                public static double Bad(double x)
                {
                    try { return x; } finally { }
                }
            }

            public static partial class B
            {
                [Differentiable] public static double Middle(double x) => A.Bad(x) + 1;
            }

            public static partial class D
            {
                [Differentiable] public static double Top(double x) => B.Middle(x) * x;
            }
            """);
        Assert.Empty(run.OutputProblems());
        Assert.Equal(2, run.Diagnostics.Count(d => d.Id == "ADIFF015"));
    }

    [Fact]
    public void Overloads_bind_to_their_own_pullbacks()
    {
        GeneratorRun run = CompilesCleanly("""
            public static partial class C
            {
                [Differentiable] public static double F(double x) => x * x;
                [Differentiable] public static double F(double x, double y) => x * y;
                [Differentiable] public static float F(float x) => x * 3f;
                [Differentiable] public static double F(double[] v) => v[0] * v[1];
                [Differentiable] public static double F(double x, [NoGrad] int n) => x * n;

                [Differentiable]
                public static double Use(double a, double b, double[] v) => F(a) + F(a, b) + F((float)a) + F(v) + F(b, 3);
            }
            """);
        Assert.Empty(run.Diagnostics);
        Execution execution = Execution.Load(run);
        double[] v = { 1.5, -2 };
        object?[] arguments = { 0.3, 0.8, v, null, null, null };
        execution.Call("C", "UseGradient", arguments);
        // Use = a² + ab + 3a + v0·v1 + 3b: each overload's own derivative, exactly.
        Execution.AssertClose(2 * 0.3 + 0.8 + 3, (double)arguments[3]!);
        Execution.AssertClose(0.3 + 3, (double)arguments[4]!);
        Assert.Equal(new[] { -2, 1.5 }, (double[])arguments[5]!);
    }

    [Fact]
    public void A_private_rule_in_another_class_is_reported_at_the_rule()
    {
        (string source, Microsoft.CodeAnalysis.Text.TextSpan span) = Markup.Parse(Usings + """
            public static class Functions
            {
                public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));
            }

            public static class Rules
            {
                [DerivativeOf(typeof(Functions), nameof(Functions.Softplus))]
                private static void [|SoftplusBackward|](double x, double seed, ref double dx) => dx += seed / (1 + Math.Exp(-x));
            }

            public static partial class C
            {
                [Differentiable] public static double F(double x) => Functions.Softplus(x);
            }
            """);
        GeneratorRun run = GeneratorRun.Of(source);
        Assert.Empty(run.OutputProblems());
        Diagnostic rule = Assert.Single(run.Diagnostics, d => d.Id == "ADIFF010");
        Assert.Equal(span, rule.Location.SourceSpan);
        Assert.Contains("private", rule.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_private_rule_beside_its_private_target_is_fine()
    {
        GeneratorRun run = CompilesCleanly("""
            public static partial class C
            {
                private static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

                [DerivativeOf(nameof(Softplus))]
                private static void SoftplusBackward(double x, double seed, ref double dx) => dx += seed / (1 + Math.Exp(-x));

                [Differentiable] public static double F(double x) => Softplus(x) * x;
            }
            """);
        Assert.Empty(run.Diagnostics);
    }

    [Fact]
    public void Params_span_arguments_are_plain_arguments()
    {
        GeneratorRun run = CompilesCleanly("""
            public sealed partial class Model
            {
                public Tensor W = Tensor.Zeros(3, 2);

                [Differentiable]
                public Tensor Loss([NoGrad] Tensor x, int rows)
                {
                    Tensor bias = Tensor.Zeros(rows, 2);
                    Tensor y = Tensor.MatMul(x, W) + bias;
                    return Tensor.Sum(y);
                }
            }
            """);
        Assert.Empty(run.Diagnostics);
    }

    [Fact]
    public void Null_forgiving_operators_on_nullable_parameters()
    {
        GeneratorRun run = CompilesCleanly("""
            public sealed partial class Model
            {
                public Tensor? W;

                [Differentiable]
                public Tensor Loss([NoGrad] Tensor x) => Tensor.Sum(Tensor.MatMul(x, W!));
            }
            """);
        Assert.Empty(run.Diagnostics);
    }

    [Theory]
    [InlineData("Span<double> s = stackalloc double[2];", "A stackalloc expression")]
    [InlineData("using (var d = new System.IO.MemoryStream()) { }", "A using statement")]
    [InlineData("lock (typeof(C)) { }", "A lock statement")]
    public void Unsupported_constructs_are_named_properly(string statement, string construct)
    {
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public static partial class C
            {
                [Differentiable]
                public static double F(double x)
                {
                    STATEMENT
                    return x;
                }
            }
            """.Replace("STATEMENT", statement));
        Diagnostic diagnostic = Assert.Single(run.Diagnostics, d => d.Id == "ADIFF009");
        Assert.StartsWith(construct + " is not supported", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>Regressions found by the random-program tester.</summary>
public class FuzzRegressionTests
{
    [Fact]
    public void A_model_method_returning_a_bare_field()
    {
        GeneratorRun run = GeneratorRun.Of("""
            using Autodiff;
            public sealed partial class M
            {
                public double W = 0.5;
                public float V = 0.25f;

                [Differentiable]
                public double F(double x) => W;

                [Differentiable]
                public float G(float x)
                {
                    if (x > 0) return V;
                    return V * x;
                }
            }
            """);
        Assert.Empty(run.Diagnostics);
        Execution execution = Execution.Load(run);
        object model = execution.Create("M");
        object gradients = execution.Create("M+Gradients", model);
        object?[] arguments = { 2.0, gradients, null };
        execution.Invoke(model, "FGradient", arguments);
        Assert.Equal(1.0, execution.Field(gradients, "W"));
        object?[] floats = { 2f, gradients, null };
        execution.Invoke(model, "GGradient", floats);
        Assert.Equal(1f, execution.Field(gradients, "V"));
    }

    [Fact]
    public void A_local_array_after_an_early_return()
    {
        GeneratorRun run = GeneratorRun.Of("""
            using Autodiff;
            public static partial class C
            {
                [Differentiable]
                public static double F(double x)
                {
                    if (x > 0.5)
                    {
                        return x;
                    }
                    double[] u = new double[2];
                    u[0] = x * x;
                    u[1] = u[0] * x;
                    return u[1] + u[0];
                }
            }
            """);
        Assert.Empty(run.Diagnostics);
        Execution execution = Execution.Load(run);
        foreach (double x in new[] { 0.3, 0.9 })
        {
            object?[] arguments = { x, null };
            execution.Call("C", "FGradient", arguments);
            Execution.AssertClose(execution.CentralDifference("C", "F", new object?[] { x }, 0), (double)arguments[1]!);
        }
    }
}
