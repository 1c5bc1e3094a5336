using System;
using System.Linq;
using Autodiff.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// Hessian-vector products (FHessianVector) where the gradient suite cannot reach: what a gap
/// costs (that member only, with ADIFF018 naming the construct), and the product of a method with
/// loops, branches and arrays against differences of its gradient.
/// </summary>
public class HessianVectorTests
{
    private const string Usings = "using System;\nusing Autodiff;\n";

    [Fact]
    public void Only_the_methods_that_ask_get_a_Hessian_vector_product()
    {
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public static partial class C
            {
                [Differentiable(Hessian = true)] public static double Asked(double x, double y) => Math.Sin(x * y) + x * x * y;
                [Differentiable] public static double NotAsked(double x, double y) => Math.Sin(x * y) + x * x * y;
            }
            """);
        Assert.Empty(run.Diagnostics);
        Assert.Contains("AskedHessianVector(", run.GeneratedText);
        Assert.DoesNotContain("NotAskedHessianVector(", run.GeneratedText);
        Execution execution = Execution.Load(run);
        // H of sin(xy) + x²y at (0.7, -0.4), column x: ∂²/∂x² = -y² sin(xy) + 2y, ∂²/∂y∂x = cos(xy) - xy sin(xy) + 2x.
        double x = 0.7, y = -0.4;
        object?[] arguments = { x, y, 1.0, 0.0, null, null };
        double value = (double)execution.Call("C", "AskedHessianVector", arguments)!;
        Assert.Equal(Math.Sin(x * y) + x * x * y, value, 12);
        Assert.Equal(-y * y * Math.Sin(x * y) + 2 * y, (double)arguments[4]!, 12);
        Assert.Equal(Math.Cos(x * y) - x * y * Math.Sin(x * y) + 2 * x, (double)arguments[5]!, 12);
    }

    [Fact]
    public void ADIFF021_a_method_that_asks_but_calls_one_that_does_not_is_told_why_and_loses_nothing_else()
    {
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public static partial class C
            {
                [Differentiable] public static double Square(double x) => x * x;
                [Differentiable(Hessian = true)] public static double F(double x) => Square(Math.Sin(x));
            }
            """);
        Diagnostic warning = Assert.Single(run.Diagnostics);
        Assert.Equal("ADIFF021", warning.Id);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal("'F' asks for its Hessian-vector product (Hessian = true), but reverse mode over forward mode does not handle a call of C.Square, which has no Hessian-vector product of its own (mark it [Differentiable(Hessian = true)]) yet, so FHessianVector is not generated; its gradient is generated as usual", warning.GetMessage());
        Assert.Equal("F", run.Input.SyntaxTrees.Single().GetText().ToString(warning.Location.SourceSpan));
        Assert.DoesNotContain("FHessianVector(", run.GeneratedText);
        Assert.Contains("FGradient(", run.GeneratedText);
        Assert.Contains("FTangent(", run.GeneratedText);
        Assert.Empty(run.OutputProblems());
    }

    [Theory]
    [InlineData("double s = H(d, x);")]
    [InlineData("H(d, x);")]
    public void ADIFF021_a_call_whose_result_is_unused_but_which_writes_the_callers_array_gives_no_Hessian_vector_product_rather_than_a_wrong_one(string call)
    {
        // Found by the random-program tester (seed 8123301): the call's result needs no tangent, so the
        // tangent program ran it plainly and lost the tangent of what it wrote into d: H·u was 0.
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public static partial class C
            {
                [Differentiable]
                internal static double H(double[] w, double a)
                {
                    w[1] = a * a * a;
                    return 0.5 * a;
                }

                [Differentiable(Hessian = true)]
                public static double F(double x)
                {
                    double[] d = new double[3];
                    CALL
                    return d[1] * d[1];
                }
            }
            """.Replace("CALL", call));
        Diagnostic warning = Assert.Single(run.Diagnostics);
        Assert.Equal("ADIFF021", warning.Id);
        Assert.Contains("does not handle a call of C.H (an instance method, one that writes into its arrays, or one that does not return a number)", warning.GetMessage());
        Assert.DoesNotContain("FHessianVector(", run.GeneratedText);
        Execution execution = Execution.Load(run);
        object?[] arguments = { 0.7, null };
        execution.Call("C", "FGradient", arguments);
        Assert.Equal(6 * Math.Pow(0.7, 5), (double)arguments[1]!, 12);
    }

    [Fact]
    public void A_method_of_one_input_also_gets_its_whole_Hessian()
    {
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public static partial class C
            {
                [Differentiable(Hessian = true)] public static double Q(double[] x) => x[0] * x[0] * x[1] + Math.Sin(x[1]);
                [Differentiable(Hessian = true)] public static double Two(double x, double y) => x * y;
            }
            """);
        Assert.Empty(run.Diagnostics);
        Assert.DoesNotContain("TwoHessian(", run.GeneratedText);
        Execution execution = Execution.Load(run);
        double[] x = { 0.3, -1.2 };
        object?[] arguments = { x, null };
        double value = (double)execution.Call("C", "QHessian", arguments)!;
        Assert.Equal(0.3 * 0.3 * -1.2 + Math.Sin(-1.2), value, 12);
        var h = (double[,])arguments[1]!;
        Assert.Equal(2 * x[1], h[0, 0], 12);
        Assert.Equal(2 * x[0], h[0, 1], 12);
        Assert.Equal(2 * x[0], h[1, 0], 12);
        Assert.Equal(-Math.Sin(x[1]), h[1, 1], 12);
    }

    [Fact]
    public void Calls_of_methods_that_have_their_own_go_through_their_tangent_programs()
    {
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public static partial class Helpers
            {
                [Differentiable(Hessian = true)] public static double G(double a, double b) => Math.Sin(a * b);
            }

            public static partial class C
            {
                [Differentiable(Hessian = true)] public static double F(double x, double y) => Helpers.G(x, y * y) * x;
            }
            """);
        Assert.Empty(run.Diagnostics);
        Execution execution = Execution.Load(run);
        // F = x·sin(x·y²); ∂²F/∂x² = 2y² cos(xy²) − x y⁴ sin(xy²), ∂²F/∂y∂x = 4xy cos(xy²) − 2x²y³ sin(xy²).
        double x = 0.6, y = 0.9, s = Math.Sin(x * y * y), c = Math.Cos(x * y * y);
        object?[] arguments = { x, y, 1.0, 0.0, null, null };
        execution.Call("C", "FHessianVector", arguments);
        Assert.Equal(2 * y * y * c - x * Math.Pow(y, 4) * s, (double)arguments[4]!, 12);
        Assert.Equal(4 * x * y * c - 2 * x * x * y * y * y * s, (double)arguments[5]!, 12);
    }

    /// <summary>
    /// A model holding a sub-model and an array of them: its program passes each sub-model its share
    /// of the direction (as the gradients are shared), and calls the sub-model's own program, which a
    /// sub-model's method that does not ask for its product lacks (ADIFF021 naming it, nothing else lost).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Models_holding_sub_models_pass_each_its_share_of_the_direction(bool subModelAsks)
    {
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public sealed partial class Layer
            {
                public Tensor W = Tensor.Ones(2, 2);
                [Differentiable(Hessian = ASKS)] public Tensor Forward(Tensor x) => Tensor.Tanh(Tensor.MatMul(x, W));
            }

            public sealed partial class Net
            {
                public Layer First = new Layer();
                public Layer[] Rest = { new Layer(), new Layer() };
                public float Scale = 2f;
                [Differentiable(Hessian = true)]
                public Tensor Loss([NoGrad] Tensor x)
                {
                    Tensor h = First.Forward(x);
                    for (int i = 0; i < Rest.Length; i++) h = Rest[i].Forward(h);
                    return Tensor.Sum(h * h) * Scale;
                }
            }
            """.Replace("ASKS", subModelAsks ? "true" : "false"));
        if (!subModelAsks)
        {
            Diagnostic warning = Assert.Single(run.Diagnostics);
            Assert.Equal("ADIFF021", warning.Id);
            Assert.Contains("a call of Layer.Forward, which has no Hessian-vector product of its own (mark it [Differentiable(Hessian = true)])", warning.GetMessage());
            Assert.DoesNotContain("LossHessianVector(", run.GeneratedText);
            Assert.Contains("LossGradient(", run.GeneratedText);
            Assert.Empty(run.OutputProblems());
            return;
        }
        Assert.Empty(run.Diagnostics);
        // Split mode, as the sub-model's own calls: its program's forward pass in the forward sweep, its backward pass in the backward sweep.
        Assert.Contains("this.First.ForwardTangentProgramForwardPass(", run.GeneratedText);
        Assert.Contains("this.First.ForwardTangentProgramBackwardPass(", run.GeneratedText);
        Assert.Contains("= direction?.First;", run.GeneratedText);
        Assert.Contains("= direction?.Rest[i];", run.GeneratedText);
        Assert.Contains("public global::Autodiff.Tensor LossHessianVector(global::Autodiff.Tensor x, Gradients? direction, Gradients product)", run.GeneratedText);
        Assert.Empty(run.OutputProblems());
    }
}
