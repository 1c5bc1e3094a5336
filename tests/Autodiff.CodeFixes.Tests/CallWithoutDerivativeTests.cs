using System;
using System.Linq;
using System.Threading.Tasks;
using Autodiff.CodeFixes.Fixes;
using Autodiff.CodeFixes.Tests.Harness;
using Xunit;

namespace Autodiff.CodeFixes.Tests;

/// <summary>ADIFF004: cut the gradient, differentiate the callee, or declare its derivative.</summary>
public class CallWithoutDerivativeTests
{
    private const string HelperCall = """
        using System;
        using Autodiff;

        public static partial class C
        {
            static double Helper(double v) => v * 2;

            [Differentiable]
            public static double F(double x) => Helper(x) + x * x;
        }
        """;

    [Fact]
    public async Task Grad_Stop_wraps_the_active_argument_and_cuts_only_that_path()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new StopGradientFix(), "ADIFF004", null, HelperCall);
        Assert.Equal(HelperCall.Replace("Helper(x) +", "Helper(Grad.Stop(x)) +"), fix.Text);
        Assert.Equal(new[] { "Cut the gradient through this call: Grad.Stop(x)" }, fix.Offered);
        object?[] arguments = { 3.0, null };
        Assert.Equal(15.0, Loaded.From(fix).Call("C", "FGradient", arguments));
        Assert.Equal(6.0, arguments[1]); // d(x * x)/dx only: the path through Helper is cut
    }

    [Fact]
    public async Task Grad_Stop_picks_the_argument_the_message_names()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new StopGradientFix(), "ADIFF004", null, """
            using Autodiff;

            public static partial class C
            {
                static double Blend(double a, double b, double t) => a + t * (b - a);

                [Differentiable]
                public static double F([NoGrad] double lo, double x) => Blend(lo, x, 0.5);
            }
            """);
        Assert.Contains("Blend(lo, Grad.Stop(x), 0.5)", fix.Text);
        Assert.Empty(fix.Errors());
    }

    [Fact]
    public async Task Grad_Stop_adds_the_using_when_missing()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new StopGradientFix(), "ADIFF004", null, """
            public static partial class C
            {
                static double Helper(double v) => v * 2;

                [Autodiff.Differentiable]
                public static double F(double x) => Helper(x) + x;
            }
            """);
        Assert.Equal("""
            using Autodiff;

            public static partial class C
            {
                static double Helper(double v) => v * 2;

                [Autodiff.Differentiable]
                public static double F(double x) => Helper(Grad.Stop(x)) + x;
            }
            """, fix.Text);
        Assert.Empty(fix.Errors());
    }

    [Fact]
    public async Task Marking_the_callee_Differentiable_differentiates_through_it()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new MarkCalleeDifferentiableFix(), "ADIFF004", null, HelperCall);
        Assert.Equal(HelperCall.Replace("    static double Helper", "    [Differentiable]\n    static double Helper"), fix.Text);
        Assert.Equal(new[] { "Mark 'Helper' [Differentiable]: its gradient is generated too" }, fix.Offered);
        object?[] arguments = { 3.0, null };
        Assert.Equal(15.0, Loaded.From(fix).Call("C", "FGradient", arguments));
        Assert.Equal(8.0, arguments[1]); // 2 + 2x
    }

    [Fact]
    public async Task Marking_a_callee_in_another_file_makes_its_types_partial()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new MarkCalleeDifferentiableFix(), "ADIFF004", null, """
            using Autodiff;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x) => Shapes.Inner.Cube(x);
            }
            """, """
            public static class Shapes
            {
                public static class Inner
                {
                    /// <summary>x³</summary>
                    public static double Cube(double x) => x * x * x;
                }
            }
            """);
        Assert.Equal("""
            using Autodiff;

            public static partial class Shapes
            {
                public static partial class Inner
                {
                    /// <summary>x³</summary>
                    [Differentiable]
                    public static double Cube(double x) => x * x * x;
                }
            }
            """, fix.After[1]);
        object?[] arguments = { 2.0, null };
        Assert.Equal(8.0, Loaded.From(fix).Call("C", "FGradient", arguments));
        Assert.Equal(12.0, arguments[1]);
    }

    [Fact]
    public async Task Marking_is_not_offered_for_a_method_outside_the_solution()
    {
        var offered = await CodeFix.OffersAsync(new MarkCalleeDifferentiableFix(), "ADIFF004", """
            using System;
            using Autodiff;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x) => Math.ReciprocalEstimate(x);
            }
            """);
        Assert.Empty(offered);
    }

    [Fact]
    public async Task Pullback_stub_beside_the_callee_passes_the_signature_check_and_throws()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new AddPullbackStubFix(), "ADIFF004", null, HelperCall);
        Assert.Equal("""
            using System;
            using Autodiff;

            public static partial class C
            {
                static double Helper(double v) => v * 2;

                [DerivativeOf(nameof(Helper))]
                private static void HelperBackward(double v, double seed, ref double dv)
                {
                    // For each input, add seed times the derivative of Helper with respect to it:
                    // dv += seed * dHelper/dv;
                    throw new NotImplementedException("The derivative of Helper is not written yet: fill in HelperBackward.");
                }

                [Differentiable]
                public static double F(double x) => Helper(x) + x * x;
            }
            """, fix.Text);
        Assert.Equal(new[] { "Add a [DerivativeOf] pullback for 'Helper' to fill in" }, fix.Offered);
        Assert.Empty(fix.Rerun.Diagnostics);
        object?[] arguments = { 3.0, null };
        Assert.Throws<NotImplementedException>(() => Loaded.From(fix).Call("C", "FGradient", arguments));
    }

    [Fact]
    public async Task Pullback_stub_for_a_library_method_goes_into_the_callers_type()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new AddPullbackStubFix(), "ADIFF004", null, """
            using System;
            using Autodiff;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x) => Math.ReciprocalEstimate(x);
            }
            """);
        Assert.Equal("""
            using System;
            using Autodiff;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x) => Math.ReciprocalEstimate(x);

                [DerivativeOf(typeof(Math), nameof(Math.ReciprocalEstimate))]
                internal static void ReciprocalEstimateBackward(double d, double seed, ref double dd)
                {
                    // For each input, add seed times the derivative of ReciprocalEstimate with respect to it:
                    // dd += seed * dReciprocalEstimate/dd;
                    throw new NotImplementedException("The derivative of ReciprocalEstimate is not written yet: fill in ReciprocalEstimateBackward.");
                }
            }
            """, fix.Text);
        Assert.Empty(fix.Rerun.Diagnostics);
        Assert.Empty(fix.Errors());
    }

    [Fact]
    public async Task Pullback_stub_takes_arrays_and_tensors_as_nullable_accumulators()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new AddPullbackStubFix(), "ADIFF004", null, """
            using Autodiff;

            public static partial class C
            {
                public static Tensor Scale(Tensor t, double[] w, int n) => t;

                [Differentiable]
                public static Tensor F(Tensor x, double[] w) => Scale(x, w, 2);
            }
            """);
        Assert.Contains("internal static void ScaleBackward(Tensor t, double[] w, int n, Tensor seed, Tensor? dt, double[]? dw)", fix.Text);
        Assert.Contains("// dt, when not null: add seed times dScale/dt into it, element by element (a vector-Jacobian product).", fix.Text);
        Assert.DoesNotContain(fix.Rerun.Diagnostics, d => d.Id is "ADIFF004" or "ADIFF010");
        Assert.Empty(fix.Errors());
    }

    [Fact]
    public async Task Pullback_stub_is_not_offered_for_a_model_helper_called_on_this()
    {
        var offered = await CodeFix.OffersAsync(new AddPullbackStubFix(), "ADIFF004", """
            using Autodiff;

            public partial class Model
            {
                public double W;
                double Scaled(double v) => W * v;
                [Differentiable] public double F([NoGrad] double x) => Scaled(x) * 2;
            }
            """);
        Assert.Empty(offered);
    }

    [Fact]
    public async Task Pullback_stub_for_an_instance_method_takes_the_receiver_first()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new AddPullbackStubFix(), "ADIFF004", null, """
            using Autodiff;

            public sealed class Settings
            {
                public double Gain = 2;
                public double Apply(double v) => Gain * v;
            }

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, Settings settings) => settings.Apply(x);
            }
            """);
        Assert.Contains("""
                [DerivativeOf(nameof(Apply))]
                internal static void ApplyBackward(Settings self, double v, double seed, ref double dv)
            """, fix.Text);
        Assert.Empty(fix.Rerun.Diagnostics);
        Assert.Empty(fix.Errors());
    }

    [Fact]
    public async Task Pullback_stub_names_avoid_the_targets_own_parameters()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new AddPullbackStubFix(), "ADIFF004", null, """
            using Autodiff;

            public static partial class C
            {
                public static double Odd(double x, double dx, double seed) => x * dx * seed;

                [Differentiable]
                public static double F(double x) => Odd(x, x, x);
            }
            """);
        Assert.Contains("OddBackward(double x, double dx, double seed, double seed2, ref double dx2, ref double ddx, ref double dseed)", fix.Text);
        Assert.Empty(fix.Rerun.Diagnostics);
    }
}
