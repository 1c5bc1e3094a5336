using System.Globalization;
using System.Linq;
using Autodiff.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace Autodiff.Generator.Tests.Trust;

/// <summary>
/// Soundness by construction (issue 6): a value that depends on a differentiable input and reaches
/// the result through anything without a derivative is an error at the place it leaves the
/// differentiable world, whatever types it passes through. Each case here was once a silently
/// zero gradient.
/// </summary>
public class GradientFlowTests
{
    private const string Usings = "using System;\nusing System.Linq;\nusing System.Numerics;\nusing System.Collections.Generic;\nusing Autodiff;\n";

    private static void ExpectLoss(string markup, string message, string id = "ADIFF004")
    {
        (string source, TextSpan span) = Markup.Parse(Usings + markup);
        GeneratorRun run = GeneratorRun.Of(source);
        Assert.Empty(run.OutputProblems());
        Diagnostic diagnostic = Assert.Single(run.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(message, diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(span, diagnostic.Location.SourceSpan);
    }

    private static void ExpectClean(string source)
    {
        GeneratorRun run = GeneratorRun.Of(Usings + source);
        Assert.Empty(run.OutputProblems());
        Assert.Empty(run.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    private const string Advice = " has no derivative but receives the active value '{1}': give it a [DerivativeOf] pullback, mark it [Differentiable], or cut the gradient with Grad.Stop(...)";

    private static string NoDerivative(string construct, string value) => "'" + construct + "'" + Advice.Replace("{1}", value);

    /// <summary>A tensor's shape (Dim, Length, Rank, Shape) does not depend on its values: reading it from an active tensor loses nothing.</summary>
    [Fact]
    public void Shape_queries_of_an_active_tensor_are_not_losses() => ExpectClean("""
        public static partial class C
        {
            [Differentiable]
            public static Tensor F(Tensor x)
            {
                int rows = x.Dim(0), columns = x.Dim(-1), count = x.Length, rank = x.Rank, first = x.Shape[0];
                bool square = x.HasShape(new[] { rows, rows });
                return Tensor.Sum(x.Reshape(rows * columns)) * (square ? 1f : (float)(count + rank + first));
            }
        }
        """);

    /// <summary>But an integer computed from a tensor's values still is.</summary>
    [Fact]
    public void An_integer_from_a_tensors_values_is_still_a_loss() => ExpectLoss("""
        public static partial class C
        {
            [Differentiable]
            public static Tensor F(Tensor x)
            {
                int code = [|Encode(x)|];
                return x * (float)code;
            }

            private static int Encode(Tensor t) => (int)(t.Item() * 1000);
        }
        """, NoDerivative("C.Encode", "x"));

    [Fact]
    public void Through_a_user_struct_constructor() => ExpectLoss("""
        public struct Vec2
        {
            public double X, Y;
            public Vec2(double x, double y) { X = x; Y = y; }
            public static Vec2 operator +(Vec2 a, Vec2 b) => new Vec2(a.X + b.X, a.Y + b.Y);
            public double Length => Math.Sqrt(X * X + Y * Y);
        }

        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double y)
            {
                Vec2 v = [|new Vec2(x, y)|];
                Vec2 w = v + v;
                return w.Length;
            }
        }
        """, NoDerivative("new Vec2(x, y)", "x"));

    [Fact]
    public void Through_a_helper_returning_a_struct() => ExpectLoss("""
        public struct Pair { public double A, B; }

        public static partial class C
        {
            static Pair Make(double a) => new Pair { A = a, B = 2 * a };

            [Differentiable]
            public static double F(double x)
            {
                Pair p = [|Make(x)|];
                return p.A * p.B;
            }
        }
        """, NoDerivative("C.Make", "x"));

    [Fact]
    public void Through_complex_numbers() => ExpectLoss("""
        public static partial class C
        {
            [Differentiable]
            public static double F(double x)
            {
                Complex z = [|new Complex(x, 1)|];
                Complex w = z * z;
                return w.Real;
            }
        }
        """, NoDerivative("new System.Numerics.Complex(x, 1.0)", "x"));

    [Fact]
    public void Through_linq_over_an_active_array() => ExpectLoss("""
        public static partial class C
        {
            [Differentiable]
            public static double F(double[] xs) => [|xs.Sum()|] * 2;
        }
        """, NoDerivative("Enumerable.Sum", "xs"));

    [Fact]
    public void Through_linq_max_of_an_active_array() => ExpectLoss("""
        public static partial class C
        {
            [Differentiable]
            public static double F(double[] xs, double w) => [|xs.Max()|] * w;
        }
        """, NoDerivative("Enumerable.Max", "xs"));

    [Fact]
    public void Through_bit_conversions() => ExpectLoss("""
        public static partial class C
        {
            [Differentiable]
            public static double F(double x)
            {
                long bits = [|BitConverter.DoubleToInt64Bits(x)|];
                return BitConverter.Int64BitsToDouble(bits ^ 0);
            }
        }
        """, NoDerivative("BitConverter.DoubleToInt64Bits", "x"));

    [Fact]
    public void Through_a_string_round_trip() => ExpectLoss("""
        public static partial class C
        {
            [Differentiable]
            public static double F(double x)
            {
                string s = [|x.ToString("R", System.Globalization.CultureInfo.InvariantCulture)|];
                return double.Parse(s, System.Globalization.CultureInfo.InvariantCulture) * x;
            }
        }
        """, NoDerivative("Double.ToString", "x"));

    [Fact]
    public void Through_a_list_filled_by_a_call() => ExpectLoss("""
        public static partial class C
        {
            [Differentiable]
            public static double F(double x)
            {
                var list = new List<double>();
                [|list.Add(x * x)|];
                return list[0] + x;
            }
        }
        """, NoDerivative("List.Add", "x * x"));

    [Fact]
    public void Through_the_tensor_indexer() => ExpectLoss("""
        public sealed partial class Model
        {
            public Tensor W = Tensor.Zeros(2, 2);

            [Differentiable]
            public float Loss() => [|W[1, 0]|] * 2f;
        }
        """, NoDerivative("this.W[1, 0]", "this.W"));

    [Fact]
    public void Through_a_helper_given_the_model() => ExpectLoss("""
        public sealed partial class Model
        {
            public double W = 2;

            private static double Scaled(Model model, double x) => model.W * x;

            [Differentiable]
            public double Loss() => [|Scaled(this, 3)|] + W;
        }
        """, NoDerivative("Model.Scaled", "this (the model's parameters)"));

    [Fact]
    public void Through_a_field_written_and_read_back() => ExpectLoss("""
        public sealed partial class Cache
        {
            private Complex _last;

            [Differentiable]
            public double F(double x)
            {
                [|_last = new Complex(x, 0);|]
                return x;
            }
        }
        """, "The active value 'new System.Numerics.Complex(x, 0.0)' is written to field '_last', where the gradient cannot follow it: keep it in a local, or cut the gradient with Grad.Stop(...)", "ADIFF005");

    [Fact]
    public void Values_that_do_not_reach_the_result_need_no_derivative() => ExpectClean("""
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double[] xs)
            {
                var z = new Complex(x, 1);
                string label = "x = " + x.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Console.WriteLine(label + z);
                if (xs.Sum() > 0 && double.IsFinite(x))
                {
                    return x * x;
                }
                return Math.Sin(x);
            }
        }
        """);

    [Fact]
    public void Constants_may_flow_through_anything() => ExpectClean("""
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, [NoGrad] double[] table)
            {
                Complex c = new Complex(table[0], table[1]);
                double scale = table.Sum() + c.Magnitude;
                return x * scale + Grad.Stop(new Complex(x, 0).Magnitude);
            }
        }
        """);
}

/// <summary>Inputs that hold numbers but cannot carry gradients are refused up front, not treated as constants in silence.</summary>
public class UnsupportedInputTests
{
    private const string Usings = "using System;\nusing System.Numerics;\nusing System.Collections.Generic;\nusing Autodiff;\n";

    private static void Expect(string id, string markup, string message)
    {
        (string source, TextSpan span) = Markup.Parse(Usings + markup);
        GeneratorRun run = GeneratorRun.Of(source);
        Assert.Empty(run.OutputProblems());
        Diagnostic diagnostic = Assert.Single(run.Diagnostics, d => d.Id == id);
        Assert.Equal(message, diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(span, diagnostic.Location.SourceSpan);
    }

    private const string ParameterAdvice = "values of this type hold floating-point numbers or tensors, but only double, float, their one-dimensional arrays and Tensor carry gradients; pass the numbers as such (a double[] for a list, one parameter per component of a struct), or mark it [NoGrad] to treat it as a constant";

    [Theory]
    [InlineData("Complex")]
    [InlineData("List<double>")]
    [InlineData("IEnumerable<float>")]
    [InlineData("Tensor[]")]
    [InlineData("double?")]
    public void A_parameter_that_holds_numbers(string type) => Expect("ADIFF003", """
        public static partial class C
        {
            [Differentiable] public static double F(double x, [|TYPE p|]) => x;
        }
        """.Replace("TYPE", type), "Parameter 'p' of type '" + type + "' cannot be differentiated: " + ParameterAdvice);

    [Fact]
    public void A_struct_parameter_with_floating_point_fields() => Expect("ADIFF003", """
        public struct Vec2 { public double X, Y; }

        public static partial class C
        {
            [Differentiable] public static double F([|Vec2 v|]) => v.X * v.Y;
        }
        """, "Parameter 'v' of type 'Vec2' cannot be differentiated: " + ParameterAdvice);

    [Fact]
    public void A_class_parameter_holding_an_array_of_numbers() => Expect("ADIFF003", """
        public sealed class Series { public double[] Values = { 1, 2 }; }

        public static partial class C
        {
            [Differentiable] public static double F(double x, [|Series s|]) => x * s.Values[0];
        }
        """, "Parameter 's' of type 'Series' cannot be differentiated: " + ParameterAdvice);

    [Fact]
    public void Constant_inputs_of_any_type_are_fine_when_marked()
    {
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public struct Vec2 { public double X, Y; }
            public sealed class Settings { public double Scale = 2; }

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, [NoGrad] Vec2 v, [NoGrad] List<double> table, Settings settings, Func<double, double> f, int[] labels)
                    => x * v.X * table[0] * settings.Scale + labels[0];
            }
            """);
        Assert.Empty(run.OutputProblems());
        Assert.Empty(run.Diagnostics);
    }

    private const string MemberAdvice = "holds floating-point numbers or tensors, but only Tensor, float and double members of the model itself (and of its sub-models) are parameters, so its gradient would be silently lost: mark it [NoGrad] if it is a constant, hold each tensor or number in a member of its own, or hold a list of tensors as an array or list of small model classes, one tensor each (sub-models)";

    [Theory]
    [InlineData("Tensor[]", "Layers[0]")]
    [InlineData("List<Tensor>", "Layers[0]")]
    public void A_collection_of_tensors_in_a_model(string type, string use) => Expect("ADIFF016", """
        public sealed partial class Net
        {
            public Tensor W = Tensor.Zeros(2, 2);
            public TYPE Layers = null!;

            [Differentiable]
            public Tensor Loss([NoGrad] Tensor x) => Tensor.Sum(Tensor.MatMul(Tensor.MatMul(x, W), [|Layers|]USE));
        }
        """.Replace("TYPE", type).Replace("USE", use.Substring("Layers".Length)), "'Layers' of type '" + type + "' " + MemberAdvice);

    [Fact]
    public void A_sub_model_in_a_model() => Expect("ADIFF016", """
        public sealed class Linear { public Tensor W = Tensor.Zeros(2, 2); }

        public sealed partial class Net
        {
            public Linear First = new();
            public Tensor B = Tensor.Zeros(2);

            [Differentiable]
            public Tensor Loss([NoGrad] Tensor x) => Tensor.Sum(Tensor.MatMul(x, [|First|].W) + B);
        }
        """, "'First' of type 'Linear' " + MemberAdvice);

    [Fact]
    public void A_tensor_of_a_base_class() => Expect("ADIFF016", """
        public class Base { public Tensor Bias = Tensor.Zeros(2); }

        public sealed partial class Net : Base
        {
            public Tensor W = Tensor.Zeros(2, 2);

            [Differentiable]
            public Tensor Loss([NoGrad] Tensor x) => Tensor.Sum(Tensor.MatMul(x, W) + [|Bias|]);
        }
        """, "'Bias' of type 'Tensor' " + MemberAdvice);

    [Fact]
    public void A_double_array_field_of_a_model() => Expect("ADIFF016", """
        public sealed partial class Poly
        {
            public double Scale = 1;
            public double[] Coefficients = { 1, 2 };

            [Differentiable]
            public double Value(double x) => Scale * ([|Coefficients|][0] + [|Coefficients|][1] * x);
        }
        """.Replace("[|Coefficients|][1]", "Coefficients[1]"), "'Coefficients' of type 'double[]' " + MemberAdvice);
}
