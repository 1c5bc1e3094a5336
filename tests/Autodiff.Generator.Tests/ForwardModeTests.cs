using System;
using System.Linq;
using Autodiff.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// Forward mode (FTangent) where the gradient suite cannot reach: which methods get it, what a
/// gap costs (the tangent member only, with ADIFF018), arrays the method writes, calls through
/// rules and through other methods' tangents. Tangents are checked against central differences.
/// </summary>
public class ForwardModeTests
{
    private const string Usings = "using System;\nusing Autodiff;\n";

    private static (double Value, double Tangent) Tangent(Execution execution, string type, string method, params object?[] arguments)
    {
        object result = execution.Call(type, method + "Tangent", arguments)!;
        return ((double)result.GetType().GetField("Item1")!.GetValue(result)!, (double)result.GetType().GetField("Item2")!.GetValue(result)!);
    }

    [Fact]
    public void A_quotient_and_its_tangent_by_the_same_constant_take_one_division_and_keep_the_value_exact()
    {
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public static partial class Series
            {
                [Differentiable]
                public static double J0(double x, int terms)
                {
                    double term = 1, sum = 1, q = -0.25 * x * x;
                    for (int m = 1; m < terms; m++)
                    {
                        term *= q / ((double)m * m);
                        sum += term;
                    }
                    return sum;
                }

                [Differentiable]
                public static float Ratio(float x, float c) => (x * x) / (c * 2f) + x / c;

                [Differentiable]
                public static float Scaled(float x, [NoGrad] float c) => (x * x + 1f) / c;
            }
            """);
        Assert.Empty(run.Diagnostics);
        string tangent = run.Member("J0Tangent");
        Assert.Contains("global::Autodiff.Runtime.Quotients.Of(q, dQ, (double)m * (double)m);", tangent);
        // Both operands vary in x / c when c does: the quotient rule, two divisions as before.
        string ratio = run.Member("RatioTangent");
        Assert.DoesNotContain("Quotients.Of", ratio);
        Assert.Contains("global::Autodiff.Runtime.Quotients.Of(", run.Member("ScaledTangent"));
        Execution execution = Execution.Load(run);
        foreach (double x in new[] { -2.5, 0.0, 0.7, 3.1 })
        {
            (double value, double slope) = Tangent(execution, "Series", "J0", x, 30, 1.0);
            Assert.Equal((double)execution.Call("Series", "J0", x, 30)!, value);
            Execution.AssertClose(execution.CentralDifference("Series", "J0", new object?[] { x, 30 }, 0), slope);
        }
        object scaled = execution.Call("Series", "ScaledTangent", 1.5f, 4f, 1f)!;
        Assert.Equal((float)execution.Call("Series", "Scaled", 1.5f, 4f)!, (float)scaled.GetType().GetField("Item1")!.GetValue(scaled)!);
        Assert.Equal(0.75f, (float)scaled.GetType().GetField("Item2")!.GetValue(scaled)!); // 2x / c
    }

    [Fact]
    public void Values_and_tangents_a_loop_carries_into_calls_after_it_are_defined_again_past_the_loop()
    {
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public static partial class Map
            {
                [Differentiable]
                public static double Logistic(double r, int steps)
                {
                    double p = 0.5;
                    for (int i = 0; i < steps; i++)
                    {
                        p = r * p * (1 - p);
                    }
                    return Math.Tanh(p) + Math.Exp(-p);
                }

                // Nothing called after the loop: nothing added.
                [Differentiable]
                public static float Sum(float r, int steps)
                {
                    float s = 0f;
                    for (int i = 0; i < steps; i++)
                    {
                        s += r * i;
                    }
                    return s * s;
                }
            }
            """);
        Assert.Empty(run.Diagnostics);
        string tangent = run.Member("LogisticTangent");
        Assert.Contains("p = global::System.Math.CopySign(p, p);", tangent);
        Assert.Contains("dP = global::System.Math.CopySign(dP, dP);", tangent);
        Assert.Contains("p = global::System.Math.CopySign(p, p);", run.Member("LogisticGradient"));
        Assert.DoesNotContain("CopySign", run.Member("SumTangent"));
        Assert.DoesNotContain("CopySign", run.Member("SumGradient"));
        Execution execution = Execution.Load(run);
        foreach (double r in new[] { 0.5, 2.9, 3.3 })
        {
            (double value, double slope) = Tangent(execution, "Map", "Logistic", r, 20, 1.0);
            Assert.Equal((double)execution.Call("Map", "Logistic", r, 20)!, value);
            Execution.AssertClose(execution.CentralDifference("Map", "Logistic", new object?[] { r, 20 }, 0), slope);
            object?[] arguments = { r, 20, null };
            Assert.Equal((double)execution.Call("Map", "Logistic", r, 20)!, (double)execution.Call("Map", "LogisticGradient", arguments)!);
            Execution.AssertClose(slope, (double)arguments[2]!);
        }
    }

    [Fact]
    public void A_NoGrad_array_the_method_writes_active_values_into_carries_a_tangent_of_its_own()
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
        (double value, double tangent) = Tangent(execution, "C", "F", 0.7, state.Clone(), 1.0);
        Assert.Equal((double)execution.Call("C", "F", 0.7, state.Clone())!, value);
        Execution.AssertClose(execution.CentralDifference("C", "F", new object?[] { 0.7, state }, 0), tangent);
    }

    [Fact]
    public void Calls_go_through_the_callees_tangent_or_through_a_rules_pullback_used_as_a_pushforward()
    {
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public static partial class C
            {
                public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

                [DerivativeOf(nameof(Softplus))]
                public static void SoftplusBackward(double x, double seed, ref double dx) => dx += seed / (1 + Math.Exp(-x));

                [Differentiable]
                public static double Inner(double[] v, double s)
                {
                    double total = 0;
                    for (int i = 0; i < v.Length; i++) total += v[i] * v[i] * s;
                    return total;
                }

                [Differentiable]
                public static double Outer(double[] v, double a, double b)
                {
                    double y = Inner(v, a) + Softplus(a * b) + Math.Atan2(a, b) + Math.Pow(a, b);
                    y -= Inner(v, b);
                    return y;
                }
            }
            """);
        Assert.Empty(run.Diagnostics);
        Assert.Contains("global::C.InnerTangent(", run.GeneratedText);
        Assert.Contains("SoftplusBackward(", run.GeneratedText.Substring(run.GeneratedText.IndexOf("OuterTangent(", StringComparison.Ordinal)));
        Execution execution = Execution.Load(run);
        double[] v = { 0.3, -1.2, 0.8 };
        double[] dv = { 0.5, 0.25, -1.0 };
        (double a, double b, double da, double db) = (0.9, 1.3, -0.4, 0.7);
        (double value, double tangent) = Tangent(execution, "C", "Outer", v.Clone(), a, b, dv.Clone(), da, db);
        Assert.Equal((double)execution.Call("C", "Outer", v.Clone(), a, b)!, value);
        const double h = 1e-6;
        double Along(double t) => (double)execution.Call("C", "Outer", v.Zip(dv, (x, d) => x + t * d).ToArray(), a + t * da, b + t * db)!;
        Execution.AssertClose((Along(h) - Along(-h)) / (2 * h), tangent);
    }

    [Fact]
    public void A_null_tangent_array_is_a_zero_direction_and_a_wrong_length_names_the_member_and_both_arrays()
    {
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public static partial class C
            {
                [Differentiable]
                public static double Dot(double[] u, double[] v)
                {
                    double s = 0;
                    for (int i = 0; i < u.Length; i++) s += u[i] * v[i];
                    return s;
                }
            }
            """);
        Assert.Empty(run.Diagnostics);
        Execution execution = Execution.Load(run);
        double[] u = { 1, 2, 3 }, v = { 4, 5, 6 };
        // d(u·v) along (0, dv) is u·dv.
        Assert.Equal((32.0, 1 * 0.5 + 2 * 0.25 + 3 * 2.0), Tangent(execution, "C", "Dot", u, v, null, new[] { 0.5, 0.25, 2.0 }));
        var error = Assert.Throws<ArgumentException>(() => Tangent(execution, "C", "Dot", u, v, new double[2], null));
        Assert.Equal("DotTangent: the tangent array dU has length 2 but u has length 3; they must match. (Parameter 'dU')", error.Message);
    }

    [Fact]
    public void A_declared_pushforward_closes_the_gap_and_is_used_instead_of_the_pullback()
    {
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public static partial class C
            {
                public static double Total(double[] v) => System.Linq.Enumerable.Sum(v);

                [DerivativeOf(nameof(Total))]
                public static void TotalBackward(double[] v, double seed, double[]? dv)
                {
                    if (dv is null) return;
                    for (int i = 0; i < v.Length; i++) dv[i] += seed;
                }

                [DerivativeOf(nameof(Total), Mode = DerivativeMode.Forward)]
                public static double TotalTangent(double[] v, double[]? dv) => dv is null ? 0 : System.Linq.Enumerable.Sum(dv);

                public static double Cube(double x) => x * x * x;

                [DerivativeOf(nameof(Cube))]
                public static void CubeBackward(double x, double seed, ref double dx) => dx += seed * 3 * x * x;

                [DerivativeOf(nameof(Cube), Mode = DerivativeMode.Forward)]
                public static double CubeTangent(double x, double result, double dx) => 3 * result / x * dx;

                [Differentiable] public static double Gapped(double[] v, double x) => Total(v) * Cube(x);

                [Differentiable] public static double Caller(double[] v, double x) => Gapped(v, x) * x;
            }
            """);
        Assert.Empty(run.Diagnostics);
        Assert.Contains("dTotal = global::C.TotalTangent(v, dV);", run.GeneratedText);
        Assert.Contains("dCube = global::C.CubeTangent(x, cube, dX);", run.GeneratedText);
        Execution execution = Execution.Load(run);
        double[] v = { 0.5, -1.5, 2.0 }, dv = { 1.0, 0.25, -0.5 };
        (double x, double dx) = (1.3, 0.7);
        (double value, double tangent) = Tangent(execution, "C", "Caller", v.Clone(), x, dv.Clone(), dx);
        Assert.Equal((double)execution.Call("C", "Caller", v.Clone(), x)!, value);
        const double h = 1e-6;
        double Along(double t) => (double)execution.Call("C", "Caller", v.Zip(dv, (a, d) => a + t * d).ToArray(), x + t * dx)!;
        Execution.AssertClose((Along(h) - Along(-h)) / (2 * h), tangent);
    }

    [Fact]
    public void A_step_functions_result_is_a_constant_so_its_zero_tangent_never_meets_an_infinite_derivative()
    {
        // At x = 0.5, Floor(x) = 0 and Sqrt'(0) = ∞: a run-time zero tangent would give 0 · ∞ = NaN.
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public static partial class C
            {
                [Differentiable] public static double F(double x) => Math.Sqrt(Math.Floor(x)) * x + MathF.Cbrt(MathF.Round((float)x) - 0f);
            }
            """);
        Assert.Empty(run.Diagnostics);
        Execution execution = Execution.Load(run);
        Assert.Equal((0.0, 0.0), Tangent(execution, "C", "F", 0.4, 1.0));
        object?[] arguments = { 0.4, null };
        execution.Call("C", "FGradient", arguments);
        Assert.Equal(0.0, (double)arguments[1]!);
    }

    [Fact]
    public void Instance_methods_of_a_class_without_parameters_call_each_others_tangents()
    {
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public sealed partial class Spring
            {
                [NoGrad] public double Stiffness = 3;

                [Differentiable] public double Force(double x) => -Stiffness * x + Math.Sin(x);

                [Differentiable] public double Energy(double x, double v) => 0.5 * v * v - Force(x) * x + this.Force(v);
            }
            """);
        Assert.Empty(run.Diagnostics);
        Execution execution = Execution.Load(run);
        object spring = execution.Create("Spring");
        object result = execution.Invoke(spring, "EnergyTangent", new object?[] { 0.4, -0.9, 1.0, 0.5 })!;
        double tangent = (double)result.GetType().GetField("Item2")!.GetValue(result)!;
        const double h = 1e-6;
        double Along(double t) => (double)execution.Invoke(spring, "Energy", new object?[] { 0.4 + t, -0.9 + 0.5 * t })!;
        Execution.AssertClose((Along(h) - Along(-h)) / (2 * h), tangent);
    }

    [Fact]
    public void Tensor_methods_get_a_tangent_through_the_rules_pushforwards_and_models_one_along_their_parameters()
    {
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public static partial class C
            {
                [Differentiable]
                public static Tensor Layer(Tensor x, Tensor w, [NoGrad] Tensor bias)
                {
                    Tensor h = Tensor.Tanh(Tensor.MatMul(x, w) + bias);
                    Tensor copy = h;
                    return copy * h;
                }

                [Differentiable] public static float Loss(Tensor x, Tensor w, [NoGrad] Tensor bias) => Tensor.Sum(Layer(x, w, bias)).Item();
            }

            public sealed partial class Model
            {
                public double Scale = 2;

                [Differentiable] public double Apply(double x) => Scale * x;
            }
            """);
        Assert.Empty(run.Diagnostics);
        Assert.Contains("global::Autodiff.Tensor? dH = global::Autodiff.Derivatives.TensorDerivatives.TanhTangent(", run.GeneratedText);
        Assert.Contains("global::Autodiff.Tensor? dCopy = dH;", run.GeneratedText);
        Assert.Contains("(global::Autodiff.Tensor Value, global::Autodiff.Tensor Tangent) LayerTangent(global::Autodiff.Tensor x, global::Autodiff.Tensor w, global::Autodiff.Tensor bias, global::Autodiff.Tensor? dX, global::Autodiff.Tensor? dW)", run.GeneratedText);
        Assert.Contains("LayerTangent(x, w, bias, dX, dW)", run.GeneratedText);
        // A model's parameters move along a Gradients object of the same shape.
        Assert.Contains("public (double Value, double Tangent) ApplyTangent(double x, double dX, Gradients? direction)", run.GeneratedText);
        Execution execution = Execution.Load(run);
        Tensor x = Tensor.RandomNormal(1, 0f, 1f, 3, 4), w = Tensor.RandomNormal(2, 0f, 0.5f, 4, 2), bias = Tensor.RandomNormal(3, 0f, 1f, 2);
        Tensor dx = Tensor.RandomUniform(4, -1f, 1f, 3, 4), dw = Tensor.RandomUniform(5, -1f, 1f, 4, 2);
        object result = execution.Call("C", "LossTangent", x, w, bias, dx, dw)!;
        float tangent = (float)result.GetType().GetField("Item2")!.GetValue(result)!;
        const float h = 1e-2f;
        float Along(float t) => (float)execution.Call("C", "Loss", x + t * dx, w + t * dw, bias)!;
        Assert.Equal((Along(h) - Along(-h)) / (2 * h), tangent, 2e-2f);
        // A null tangent tensor is a zero direction; a tensor result that depends on none has a zero tangent of its shape.
        object zero = execution.Call("C", "LayerTangent", x, w, bias, null, null)!;
        Tensor zeroTangent = (Tensor)zero.GetType().GetField("Item2")!.GetValue(zero)!;
        Assert.Equal(new[] { 3, 2 }, zeroTangent.Shape.ToArray());
        Assert.All(zeroTangent.ToArray(), v => Assert.Equal(0f, v));
        var error = Assert.Throws<ShapeMismatchException>(() => execution.Call("C", "LayerTangent", x, w, bias, Tensor.Zeros(4, 3), null));
        Assert.Equal("LayerTangent: the tangent dX has shape [4x3] but x has shape [3x4]; they must match.", error.Message);
    }

    [Fact]
    public void A_tensor_operation_with_a_pullback_only_costs_the_tangent_member_and_says_to_declare_its_pushforward()
    {
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public static partial class C
            {
                public static Tensor Twice(Tensor x) => x * 2f;

                [DerivativeOf(nameof(Twice))]
                public static void TwiceBackward(Tensor x, Tensor seed, Tensor? dx) { if (dx is not null) Tensor.AddScaledInPlace(dx, seed, 2f); }

                [Differentiable] public static Tensor Loss(Tensor x) => Tensor.Sum(Twice(x));
            }
            """);
        Diagnostic info = Assert.Single(run.Diagnostics);
        Assert.Equal("ADIFF018", info.Id);
        Assert.Contains("a call of C.Twice, which returns a tensor, through its pullback (declare its pushforward: [DerivativeOf(..., Mode = DerivativeMode.Forward)])", info.GetMessage());
        Assert.DoesNotContain("LossTangent", run.GeneratedText);
        Assert.Contains("LossGradient", run.GeneratedText);
        Assert.Empty(run.OutputProblems());
    }

    [Fact]
    public void A_gap_costs_the_tangent_member_of_the_method_and_of_its_callers_only()
    {
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public static partial class C
            {
                public static double Total(double[] v) => v.Sum();

                [DerivativeOf(nameof(Total))]
                public static void TotalBackward(double[] v, double seed, double[]? dv)
                {
                    if (dv is null) return;
                    for (int i = 0; i < v.Length; i++) dv[i] += seed;
                }

                [Differentiable] public static double Gapped(double[] v) => Total(v) * 2;

                [Differentiable] public static double Caller(double[] v, double x) => Gapped(v) * x;

                [Differentiable] public static double Unrelated(double x) => x * x;
            }
            """.Replace("v.Sum()", "System.Linq.Enumerable.Sum(v)"));
        Diagnostic info = Assert.Single(run.Diagnostics);
        Assert.Equal("ADIFF018", info.Id);
        Assert.DoesNotContain("GappedTangent", run.GeneratedText);
        Assert.DoesNotContain("CallerTangent", run.GeneratedText);
        Assert.Contains("UnrelatedTangent", run.GeneratedText);
        Assert.Contains("CallerGradient", run.GeneratedText);
        Assert.Empty(run.OutputProblems());
    }

    /// <summary>
    /// A model's method returning an array gets its Jacobian with respect to its inputs, the
    /// parameters held still, in both modes (jacobian(model, x)): against the analytic one.
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void A_model_s_Jacobian_is_with_respect_to_its_inputs(int outputs)
    {
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public sealed partial class Curve
            {
                public double A = 1.5, B = -0.5;

                // outputs values from two inputs: two is reverse mode (as many inputs as outputs), three forward mode.
                [Differentiable]
                public double[] Predict(double u, double v, int outputs)
                {
                    var ys = new double[outputs];
                    for (int i = 0; i < outputs; i++) ys[i] = A * Math.Sin(u * (i + 1)) + B * v * v;
                    return ys;
                }
            }
            """);
        Assert.Empty(run.Diagnostics);
        Assert.Contains("the model's parameters are held still", run.GeneratedText);
        Execution execution = Execution.Load(run);
        object model = execution.Create("Curve");
        const double u = 0.3, v = 0.8;
        object?[] arguments = { u, v, outputs, null, null };
        var value = (double[])execution.Invoke(model, "PredictJacobian", arguments)!;
        var jU = (double[])arguments[3]!;
        var jV = (double[])arguments[4]!;
        Assert.Equal(outputs, value.Length);
        for (int i = 0; i < outputs; i++)
        {
            Assert.Equal(1.5 * (i + 1) * Math.Cos(u * (i + 1)), jU[i], 12);
            Assert.Equal(2 * -0.5 * v, jV[i], 12);
        }
    }
}
