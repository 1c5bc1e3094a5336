using System.Linq;
using Autodiff.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>Each diagnostic: its ID, its exact message and its span.</summary>
public class DiagnosticTests
{
    private const string Usings = "using System;\nusing Autodiff;\n";

    private static void Expect(string id, string markup, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error)
    {
        (string source, Microsoft.CodeAnalysis.Text.TextSpan span) = Markup.Parse(Usings + markup);
        GeneratorRun run = GeneratorRun.Of(source);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics, d => d.Id == id);
        Assert.Equal(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(span, diagnostic.Location.SourceSpan);
        Assert.Equal(severity, diagnostic.Severity);
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "ADIFF012");
    }

    [Fact]
    public void ADIFF001_containing_type_not_partial() => Expect("ADIFF001", """
        public static class [|C|]
        {
            [Differentiable] public static double F(double x) => x * x;
        }
        """,
        "Type 'C' must be partial: the gradient of 'F' is generated into it. Add the 'partial' modifier to 'C'.");

    [Fact]
    public void ADIFF001_outer_type_not_partial() => Expect("ADIFF001", """
        public class [|Outer|]
        {
            public static partial class Inner
            {
                [Differentiable] public static double F(double x) => x * x;
            }
        }
        """,
        "Type 'Outer' must be partial: the gradient of 'F' is generated into it. Add the 'partial' modifier to 'Outer'.");

    [Fact]
    public void ADIFF002_unsupported_return_type() => Expect("ADIFF002", """
        public static partial class C
        {
            [Differentiable] public static [|int|] F(double x) => 1;
        }
        """,
        "'F' returns 'int', which has no gradient: a [Differentiable] method returns double, float, a one-dimensional array of them, or Tensor");

    [Fact]
    public void ADIFF002_void_return_type() => Expect("ADIFF002", """
        public static partial class C
        {
            [Differentiable] public static [|void|] F(double x) { }
        }
        """,
        "'F' returns 'void', which has no gradient: a [Differentiable] method returns double, float, a one-dimensional array of them, or Tensor (return the value you want the gradient of)");

    [Fact]
    public void ADIFF002_jagged_array_return_type() => Expect("ADIFF002", """
        public static partial class C
        {
            [Differentiable] public static [|double[][]|] F(double x) => new[] { new[] { x } };
        }
        """,
        "'F' returns 'double[][]', which has no gradient: a [Differentiable] method returns double, float, a one-dimensional array of them, or Tensor (return a one-dimensional array, with computed indices)");

    [Fact]
    public void ADIFF003_ref_parameter() => Expect("ADIFF003", """
        public static partial class C
        {
            [Differentiable] public static double F([|ref double x|]) => x * x;
        }
        """,
        "Parameter 'x' of type 'double' cannot be differentiated: ref, out and in parameters are not supported; pass it by value and return the result");

    [Fact]
    public void ADIFF003_multidimensional_array_parameter() => Expect("ADIFF003", """
        public static partial class C
        {
            [Differentiable] public static double F([|double[,] m|]) => 1.0;
        }
        """,
        "Parameter 'm' of type 'double[,]' cannot be differentiated: multi-dimensional and jagged arrays have no gradient support; use a one-dimensional array with computed indices, or mark it [NoGrad] to treat it as a constant");

    [Fact]
    public void ADIFF004_call_without_derivative() => Expect("ADIFF004", """
        public static partial class C
        {
            static double Helper(double v) => v * 2;
            [Differentiable] public static double F(double x) => [|Helper(x)|] + 1;
        }
        """,
        "'C.Helper' has no derivative but receives the active value 'x': give it a [DerivativeOf] pullback, mark it [Differentiable], or cut the gradient with Grad.Stop(...)");

    [Fact]
    public void ADIFF004_model_helper_without_derivative_reads_parameters() => Expect("ADIFF004", """
        public partial class Model
        {
            public double W;
            double Scaled(double v) => W * v;
            [Differentiable] public double F([NoGrad] double x) => [|Scaled(x)|] * 2;
        }
        """,
        "'Model.Scaled' has no derivative but receives the active value 'this (the model's parameters)': give it a [DerivativeOf] pullback, mark it [Differentiable], or cut the gradient with Grad.Stop(...)");

    [Fact]
    public void ADIFF009_differentiable_method_of_another_object() => Expect("ADIFF009", """
        public partial class Layer
        {
            public double W;
            [Differentiable] public double Apply(double x) => W * x;
        }
        public partial class Model
        {
            public double V;
            [Differentiable] public double F(double x)
            {
                Layer local = new Layer();
                return [|local.Apply(x)|] * V;
            }
        }
        """,
        "A call to the [Differentiable] method 'Layer.Apply' of another object is not supported in a [Differentiable] method: call it on this, or on a sub-model the model holds in a field (Block.Forward(x)) or in an array or list field (Blocks[i].Forward(x)), or make it static and pass the parameters as arguments");

    [Fact]
    public void ADIFF009_reading_a_parameter_of_a_sub_model() => Expect("ADIFF009", """
        public partial class Layer
        {
            public double W;
            [Differentiable] public double Apply(double x) => W * x;
        }
        public partial class Model
        {
            public Layer Inner = new Layer();
            [Differentiable] public double F(double x) => Inner.Apply(x) * [|Inner.W|];
        }
        """,
        "Reading 'W', a parameter of the sub-model 'Inner', is not supported in a [Differentiable] method: call a [Differentiable] method of the sub-model that uses it, so that its gradient reaches the sub-model's gradients");

    [Fact]
    public void ADIFF009_reading_a_parameter_of_a_sub_model_in_a_foreach() => Expect("ADIFF009", """
        public partial class Layer
        {
            public Tensor W = Tensor.Zeros(2, 2);
            [Differentiable] public Tensor Apply(Tensor x) => Tensor.MatMul(x, W);
        }
        public partial class Model
        {
            public Layer[] Layers = { new Layer() };
            [Differentiable] public Tensor F(Tensor x)
            {
                foreach (Layer layer in Layers)
                {
                    x = layer.Apply(x) + [|layer.W|];
                }
                return x;
            }
        }
        """,
        "Reading 'W', a parameter of the sub-model 'layer', is not supported in a [Differentiable] method: call a [Differentiable] method of the sub-model that uses it, so that its gradient reaches the sub-model's gradients");

    [Fact]
    public void ADIFF005_active_value_written_to_a_field() => Expect("ADIFF005", """
        public static partial class C
        {
            static double Cache;
            [Differentiable] public static double F(double x)
            {
                [|Cache = x * 2;|]
                return x;
            }
        }
        """,
        "The active value 'x * 2.0' is written to field 'Cache', where the gradient cannot follow it: keep it in a local, or cut the gradient with Grad.Stop(...)");

    [Fact]
    public void ADIFF006_active_value_passed_by_ref() => Expect("ADIFF006", """
        public static partial class C
        {
            static void Twice(ref double v) { v *= 2; }
            [Differentiable] public static double F(double x)
            {
                double y = x;
                [|Twice(ref y)|];
                return y;
            }
        }
        """,
        "The active value 'y' is passed as a 'ref' argument to 'C.Twice', where the gradient cannot follow it: pass it by value, or cut the gradient with Grad.Stop(...)");

    [Fact]
    public void ADIFF007_active_value_captured_by_a_lambda() => Expect("ADIFF007", """
        public static partial class C
        {
            [Differentiable] public static double F(double x)
            {
                Func<double> twice = [|() => x * 2|];
                return x + twice();
            }
        }
        """,
        "The active value 'x' is captured by a lambda, where the gradient cannot follow it: compute it outside the lambda, or cut the gradient with Grad.Stop(...)");

    [Fact]
    public void ADIFF008_active_value_converted_to_integer_is_a_warning() => Expect("ADIFF008", """
        public static partial class C
        {
            [Differentiable] public static double F(double x) => [|(int)x|] + x;
        }
        """,
        "The active value 'x' is converted to 'int': the gradient stops here; write Grad.Stop(...) around it to say so",
        DiagnosticSeverity.Warning);

    [Fact]
    public void ADIFF009_switch_statement() => Expect("ADIFF009", """
        public static partial class C
        {
            [Differentiable] public static double F(double x, int k)
            {
                [|switch (k) { case 0: return x; default: return 2 * x; }|]
            }
        }
        """,
        "A switch statement is not supported in a [Differentiable] method: rewrite it with if/else and loops, or move it into a helper method with a [DerivativeOf] pullback");

    [Fact]
    public void ADIFF009_try_statement() => Expect("ADIFF009", """
        public static partial class C
        {
            [Differentiable] public static double F(double x)
            {
                [|try { x = x * 2; } finally { }|]
                return x;
            }
        }
        """,
        "A try statement is not supported in a [Differentiable] method: rewrite it with if/else and loops, or move it into a helper method with a [DerivativeOf] pullback");

    [Fact]
    public void ADIFF009_local_function() => Expect("ADIFF009", """
        public static partial class C
        {
            [Differentiable] public static double F(double x)
            {
                [|double Twice(double v) => 2 * v;|]
                return Twice(x);
            }
        }
        """,
        "A local function is not supported in a [Differentiable] method: move it out of the method as a static method (mark it [Differentiable] if it needs a gradient)");

    [Fact]
    public void ADIFF009_lambda_without_active_capture() => Expect("ADIFF009", """
        public static partial class C
        {
            [Differentiable] public static double F(double x, int n)
            {
                Func<int> twice = [|() => n * 2|];
                return x * twice();
            }
        }
        """,
        "A lambda expression is not supported in a [Differentiable] method: compute the value in a helper method, or in a loop");

    [Fact]
    public void ADIFF009_generic_method() => Expect("ADIFF009", """
        public static partial class C
        {
            [Differentiable] public static double [|F|]<T>(double x) => x;
        }
        """,
        "A generic [Differentiable] method is not supported in a [Differentiable] method: write it for double or float");

    [Fact]
    public void ADIFF009_instance_method_of_a_struct() => Expect("ADIFF009", """
        public partial struct C
        {
            [Differentiable] public double [|F|](double x) => x;
        }
        """,
        "An instance [Differentiable] method of a struct is not supported in a [Differentiable] method: make it static, or make the model a class");

    [Fact]
    public void ADIFF005_model_parameter_assigned() => Expect("ADIFF005", """
        public partial class Model
        {
            public double W;
            [Differentiable] public double F(double x)
            {
                [|W = W * x;|]
                return W;
            }
        }
        """,
        "The active value 'this.W * x' is written to the model parameter 'W', where the gradient cannot follow it: keep it in a local, or cut the gradient with Grad.Stop(...)");

    [Fact]
    public void ADIFF010_pullback_signature_mismatch() => Expect("ADIFF010", """
        public static partial class C
        {
            public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));
            [DerivativeOf(nameof(Softplus))] public static void [|SoftplusBackward|](double x, double seed, double dx) { }
        }
        """,
        "'SoftplusBackward' cannot be the pullback of 'C.Softplus': parameter 3 ('dx') should be 'ref double', the accumulator for 'x'; for C.Softplus(double) the pullback is (double x, double seed, ref double dx)");

    [Fact]
    public void ADIFF010_pullback_with_wrong_seed_type() => Expect("ADIFF010", """
        public static partial class C
        {
            [DerivativeOf(typeof(Math), nameof(Math.Exp))] public static void [|ExpBackward|](double x, float seed, ref double dx) { }
        }
        """,
        "'ExpBackward' cannot be the pullback of 'Math.Exp': parameter 2 ('seed') should be 'double', the seed (the gradient of the target's result); for Math.Exp(double) the pullback is (double d, double seed, ref double dd)");

    [Fact]
    public void ADIFF010_pushforward_signature_mismatch() => Expect("ADIFF010", """
        public static partial class C
        {
            public static double Total(double[] v) => System.Linq.Enumerable.Sum(v);
            [DerivativeOf(nameof(Total), Mode = DerivativeMode.Forward)] public static double [|TotalTangent|](double[] v, double dv) => dv;
        }
        """,
        "'TotalTangent' cannot be the pushforward of 'C.Total': parameter 2 ('dv') should be 'double[]?', the tangent of 'v'; for C.Total(double[]) the pushforward is double (double[] v, double[]? dv)");

    [Fact]
    public void ADIFF010_generic_rule_with_two_type_parameters() => Expect("ADIFF010", """
        public static partial class C
        {
            public static double Square(double x) => x * x;
            [DerivativeOf(nameof(Square))] public static void [|SquareBackward|]<T, U>(T x, T seed, ref T dx) where T : System.Numerics.INumber<T> { }
        }
        """,
        "'SquareBackward' cannot be the pullback of 'C.Square': a generic rule has one type parameter, the floating-point type");

    [Fact]
    public void ADIFF010_generic_pullback_checked_as_instantiated() => Expect("ADIFF010", """
        public static partial class C
        {
            public static float Square(float x) => x * x;
            [DerivativeOf(nameof(Square))] public static void [|SquareBackward|]<T>(T x, T seed, T dx) where T : System.Numerics.INumber<T> { }
        }
        """,
        "'SquareBackward' cannot be the pullback of 'C.Square': parameter 3 ('dx') should be 'ref float', the accumulator for 'x'; for C.Square(float) the pullback is (float x, float seed, ref float dx)");

    [Fact]
    public void ADIFF010_rule_of_a_generic_method_is_generic() => Expect("ADIFF010", """
        public static partial class C
        {
            public static T Square<T>(T x) where T : System.Numerics.INumber<T> => x * x;
            [DerivativeOf(nameof(Square))] public static void [|SquareBackward|](double x, double seed, ref double dx) { }
        }
        """,
        "'SquareBackward' cannot be the pullback of 'C.Square': the rule of a generic method is generic too, with one type parameter, the floating-point type; for C.Square<T>(T) the pullback is (T x, T seed, ref T dx)");

    [Fact]
    public void ADIFF011_derivative_target_not_found() => Expect("ADIFF011", """
        public static partial class C
        {
            [[|DerivativeOf("Missing")|]] public static void MissingBackward(double x, double seed, ref double dx) { }
        }
        """,
        "[DerivativeOf] names 'Missing', but 'C' has no method of that name");

    [Fact]
    public void ADIFF012_internal_failure_becomes_a_diagnostic()
    {
        Testing.FaultInjection.ThrowOnMethod = "Broken";
        try
        {
            (string source, var span) = Markup.Parse(Usings + """
                public static partial class C
                {
                    [Differentiable] public static double [|Broken|](double x) => x * x;
                    [Differentiable] public static double Fine(double x) => x * x;
                }
                """);
            GeneratorRun run = GeneratorRun.Of(source);
            Diagnostic diagnostic = Assert.Single(run.Diagnostics);
            Assert.Equal("ADIFF012", diagnostic.Id);
            Assert.Equal("The Autodiff generator failed on 'Broken' (InvalidOperationException: injected fault); no gradient was generated for it. Please report this with the method's source.",
                diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(span, diagnostic.Location.SourceSpan);
            Assert.Contains("FineGradient", run.GeneratedText); // the other method still gets its gradient
        }
        finally
        {
            Testing.FaultInjection.ThrowOnMethod = null;
        }
    }

    [Fact]
    public void ADIFF013_generated_name_already_taken() => Expect("ADIFF013", """
        public static partial class C
        {
            [Differentiable] public static double [|F|](double x) => x * x;
            public static double FGradient(double x) => 2 * x;
        }
        """,
        "'C' already has a member named 'FGradient', which the generator needs for the gradient of 'F': rename one of them");

    [Fact]
    public void ADIFF013_split_member_name_already_taken() => Expect("ADIFF013", """
        public static partial class C
        {
            [Differentiable] public static double [|F|](double x) => x * x;
            public static double FForwardPass(double x) => x;
        }
        """,
        "'C' already has a member named 'FForwardPass', which the generator needs for the gradient of 'F': rename one of them");

    [Fact]
    public void ADIFF014_active_array_alias() => Expect("ADIFF014", """
        public static partial class C
        {
            [Differentiable] public static double F(double[] x)
            {
                [|double[] y = x;|]
                return y[0] * y[1];
            }
        }
        """,
        "The array 'y' carries a gradient and is initialised from another array: the gradient cannot follow two names for one array; copy the elements into a new array instead");

    // Found by the loop corpus (Simulations.cs): activity looks at one name at a time, and here neither
    // name alone is active (p is written with a varied value but never read; a is read but never
    // written by its own name), so the alias passed unreported and the gradient was silently zero.
    [Fact]
    public void ADIFF014_alias_written_through_while_the_original_is_read() => Expect("ADIFF014", """
        public static partial class C
        {
            [Differentiable] public static double F(double x)
            {
                var a = new double[1];
                [|double[] p = a;|]
                p[0] = x * x;
                return a[0];
            }
        }
        """,
        "The array 'p' carries a gradient and is initialised from another array: the gradient cannot follow two names for one array; copy the elements into a new array instead");

    [Fact]
    public void ADIFF014_alias_of_a_parameter_written_through() => Expect("ADIFF014", """
        public static partial class C
        {
            [Differentiable] public static double F(double[] v, double x)
            {
                [|double[] w = v;|]
                w[0] = x * x;
                return v[0] + v[1];
            }
        }
        """,
        "The array 'w' carries a gradient and is initialised from another array: the gradient cannot follow two names for one array; copy the elements into a new array instead");

    [Fact]
    public void ADIFF014_array_picked_by_a_condition_and_written_through() => Expect("ADIFF014", """
        public static partial class C
        {
            [Differentiable] public static double F(double x, int pick)
            {
                var a = new double[1];
                var b = new double[1];
                [|double[] p = pick == 0 ? a : b;|]
                p[0] = x * x;
                return a[0] + b[0];
            }
        }
        """,
        "The array 'p' carries a gradient and is initialised from another array: the gradient cannot follow two names for one array; copy the elements into a new array instead");

    [Fact]
    public void ADIFF014_array_reassigned_to_another_then_written_through() => Expect("ADIFF014", """
        public static partial class C
        {
            [Differentiable] public static double F(double x)
            {
                var a = new double[1];
                var p = new double[1];
                [|p = a;|]
                p[0] = x * x;
                return a[0];
            }
        }
        """,
        "The array 'p' carries a gradient and is reassigned: the gradient cannot follow two names for one array; copy the elements into a new array instead");

    [Fact]
    public void A_second_name_used_only_for_the_length_is_not_an_alias_that_carries_a_gradient()
    {
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public static partial class C
            {
                [Differentiable] public static double F(double[] a)
                {
                    double[] p = a;
                    return a[0] * a[1] * p.Length;
                }
            }
            """);
        Assert.Empty(run.Diagnostics);
    }

    [Fact]
    public void ADIFF014_array_returned_by_a_call_inside_a_loop() => Expect("ADIFF014", """
        public static partial class C
        {
            [Differentiable] public static double[] Twice(double[] x)
            {
                var y = new double[x.Length];
                for (int i = 0; i < x.Length; i++) y[i] = 2 * x[i];
                return y;
            }

            [Differentiable] public static double F(double[] x)
            {
                double s = 0;
                for (int k = 0; k < 3; k++)
                {
                    [|double[] y = Twice(x);|]
                    s += y[k];
                }
                return s;
            }
        }
        """,
        "The array 'y' carries a gradient and is allocated inside a loop: each iteration's array would need a gradient of its own; allocate it once, before the loop, and refill it there");

    [Fact]
    public void ADIFF021_no_Hessian_vector_product() => Expect("ADIFF021", """
        public static partial class C
        {
            [Differentiable] public static double Square(double x) => x * x;
            [Differentiable(Hessian = true)] public static double [|F|](double x) => Square(x) + x;
        }
        """,
        "'F' asks for its Hessian-vector product (Hessian = true), but reverse mode over forward mode does not handle a call of C.Square, which has no Hessian-vector product of its own (mark it [Differentiable(Hessian = true)]) yet, so FHessianVector is not generated; its gradient is generated as usual",
        DiagnosticSeverity.Warning);

    [Fact]
    public void ADIFF023_rule_reads_a_parameter_it_marks_unread() => Expect("ADIFF023", """
        public static partial class C
        {
            public static double Cube(double x) => x * x * x;
            [DerivativeOf(nameof(Cube))] public static void CubeBackward([Unread] double x, double result, double seed, ref double dx) => dx += 3 * seed * [|x|] * x / x;
        }
        """,
        "'CubeBackward' marks its parameter 'x' [Unread], but reads it: generated code passes default there, so the rule would compute with 0. Remove [Unread] from 'x', or stop reading it.");

    [Fact]
    public void ADIFF010_unread_on_the_seed() => Expect("ADIFF010", """
        public static partial class C
        {
            public static double Cube(double x) => x * x * x;
            [DerivativeOf(nameof(Cube))] public static void [|CubeBackward|](double x, [Unread] double seed, ref double dx) { }
        }
        """,
        "'CubeBackward' cannot be the pullback of 'C.Cube': parameter 2 ('seed') is marked [Unread], but only a pullback's inputs and its result can be; for C.Cube(double) the pullback is (double x, double seed, ref double dx)");

    [Fact]
    public void ADIFF022_loop_whose_trip_count_is_not_known() => Expect("ADIFF022", """
        public static partial class C
        {
            [Differentiable, LoopCheckpoints(4)] public static double F(double x)
            {
                [|while (x < 10) x = x * 1.5 + Math.Sin(x);|]
                return x;
            }
        }
        """,
        "[LoopCheckpoints] on 'F' does not apply to the loop at line 7: its trip count is not known when it starts (it needs a for loop over an index whose bound the loop does not change); its backward pass keeps what every iteration reads instead",
        DiagnosticSeverity.Warning);

    [Fact]
    public void ADIFF022_loop_that_calls_what_may_have_effects() => Expect("ADIFF022", """
        public static partial class C
        {
            [Differentiable, LoopCheckpoints(4)] public static double F(double x, [NoGrad] Random random, int steps)
            {
                [|for (int t = 0; t < steps; t++) x = x * Math.Cos(x) + random.NextDouble();|]
                return x;
            }
        }
        """,
        "[LoopCheckpoints] on 'F' does not apply to the loop at line 7: it calls 'Random.NextDouble', which may have effects that running iterations again would repeat (only derivative rules and static [Differentiable] methods are run again); its backward pass keeps what every iteration reads instead",
        DiagnosticSeverity.Warning);

    [Fact]
    public void ADIFF022_method_without_a_top_level_loop() => Expect("ADIFF022", """
        public static partial class C
        {
            [Differentiable, LoopCheckpoints(4)] public static double [|F|](double x) => x * Math.Sin(x);
        }
        """,
        "[LoopCheckpoints] on 'F' does not apply to any loop: the method has no loop at its top level (loops inside an if or another loop are not checkpointed); its backward pass keeps what every iteration reads instead",
        DiagnosticSeverity.Warning);

    [Fact]
    public void ADIFF022_no_copies() => Expect("ADIFF022", """
        public static partial class C
        {
            [Differentiable, LoopCheckpoints(0)] public static double [|F|](double x, int steps)
            {
                for (int t = 0; t < steps; t++) x = Math.Sin(x);
                return x;
            }
        }
        """,
        "[LoopCheckpoints] on 'F' does not apply to its loops: it needs at least one copy of a loop's state (the one at its start); write [LoopCheckpoints(1)] or more; its backward pass keeps what every iteration reads instead",
        DiagnosticSeverity.Warning);

    [Fact]
    public void ADIFF020_array_returned_from_several_places() => Expect("ADIFF020", """
        public static partial class C
        {
            [Differentiable] public static double[] F(double[] x, bool flip)
            {
                if (flip)
                    [|return new[] { x[1], x[0] };|]
                return new[] { x[0], x[1] };
            }
        }
        """,
        "'F' returns an array from more than one place: a method that returns an array must return one local array that it allocates with new, from its last statement; declare the result array before the branches, fill it in each, and return it at the end");

    [Fact]
    public void ADIFF020_array_chosen_by_a_conditional() => Expect("ADIFF020", """
        public static partial class C
        {
            [Differentiable] public static double[] F(double[] x, bool flip)
            {
                var a = new[] { x[0] * 2 };
                var b = new[] { x[1] * 3 };
                [|return flip ? a : b;|]
            }
        }
        """,
        "'F' returns one of two arrays, chosen by a conditional expression: a method that returns an array must return one local array that it allocates with new, from its last statement; declare the result array, fill it in each branch of an if, and return it at the end");

    [Fact]
    public void ADIFF020_array_parameter_returned() => Expect("ADIFF020", """
        public static partial class C
        {
            [Differentiable] public static double[] F(double[] x)
            {
                x[0] *= 2;
                [|return x;|]
            }
        }
        """,
        "'F' returns its parameter 'x': a method that returns an array must return one local array that it allocates with new, from its last statement; allocate a new array and copy the elements into it");

    [Fact]
    public void ADIFF015_call_to_a_method_whose_gradient_was_not_generated() => Expect("ADIFF015", """
        public static partial class C
        {
            [Differentiable]
            public static double Bad(double x)
            {
                lock (typeof(C)) { }
                return x;
            }

            [Differentiable] public static double Good(double x) => [|Bad(x)|] * 2;
        }
        """,
        "'C.Bad' is [Differentiable], but its gradient could not be generated (see the error on it), so 'Good' cannot pass the gradient through this call: fix 'C.Bad', or cut the gradient with Grad.Stop(...)");

    [Fact]
    public void ADIFF016_model_member_that_is_not_a_parameter() => Expect("ADIFF016", """
        public sealed partial class Net
        {
            public Tensor W = Tensor.Zeros(2, 2);
            public Tensor[] Blocks = new Tensor[0];

            [Differentiable]
            public Tensor Loss([NoGrad] Tensor x) => Tensor.Sum(Tensor.MatMul(x, W) + [|Blocks|][0]);
        }
        """,
        "'Blocks' of type 'Tensor[]' holds floating-point numbers or tensors, but only Tensor, float and double members of the model itself (and of its sub-models) are parameters, so its gradient would be silently lost: mark it [NoGrad] if it is a constant, hold each tensor or number in a member of its own, or hold a list of tensors as an array or list of small model classes, one tensor each (sub-models)");

    [Fact]
    public void ADIFF018_no_forward_mode_for_a_call_through_a_rule_on_arrays() => Expect("ADIFF018", """
        public static partial class C
        {
            public static double Total(double[] v) => System.Linq.Enumerable.Sum(v);

            [DerivativeOf(nameof(Total))]
            public static void TotalBackward(double[] v, double seed, double[]? dv)
            {
                if (dv is null) return;
                for (int i = 0; i < v.Length; i++) dv[i] += seed;
            }

            [Differentiable] public static double [|Twice|](double[] v) => Total(v) * 2;
        }
        """,
        "'Twice' gets no TwiceTangent member: forward mode does not handle a call of C.Total with an array or tensor argument through its pullback (declare its pushforward: [DerivativeOf(..., Mode = DerivativeMode.Forward)]) yet; its gradient and pullback are generated as usual",
        DiagnosticSeverity.Info);

    [Fact]
    public void ADIFF019_no_graph_picture_for_a_method_with_a_loop() => Expect("ADIFF019", """
        public static partial class C
        {
            [Differentiable(Graph = true)]
            public static double [|Sum|](double[] v)
            {
                double s = 0;
                for (int i = 0; i < v.Length; i++) s += v[i];
                return s;
            }
        }
        """,
        "'Sum' asks for its computation graph (Graph = true), but it has a loop: graph pictures are drawn for straight-line methods; its gradient is generated as usual",
        DiagnosticSeverity.Warning);

    [Fact]
    public void Every_descriptor_has_a_test_and_a_documentation_entry()
    {
        string[] tested = typeof(DiagnosticTests).GetMethods().Select(m => m.Name).Where(n => n.StartsWith("ADIFF", System.StringComparison.Ordinal))
            .Select(n => n.Substring(0, 8)).Distinct().ToArray();
        string docs = System.IO.File.ReadAllText(System.IO.Path.Combine(RepositoryRoot(), "docs", "diagnostics.md"));
        foreach (DiagnosticDescriptor descriptor in Diagnostics.DiagnosticDescriptors.All)
        {
            Assert.Contains(descriptor.Id, tested);
            Assert.Contains("## " + descriptor.Id, docs);
            Assert.EndsWith("#" + descriptor.Id.ToLowerInvariant(), descriptor.HelpLinkUri);
        }
    }

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, "..", ".."));
}
