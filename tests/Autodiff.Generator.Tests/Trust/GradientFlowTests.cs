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
