using System;
using System.Linq;
using System.Text.RegularExpressions;
using Autodiff.Generator.Tests.Harness;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// Which local arrays a generated gradient or pullback takes from <c>ScratchArrays</c> (and gives
/// back at its end) instead of allocating them on each call: only those no reference to which can
/// outlive the call. Getting this wrong would hand one array to two owners, so each way out is tested.
/// </summary>
public class ScratchArrayTests
{
    private const string Source = """
        using System;
        using Autodiff;

        public static partial class C
        {
            [Differentiable]
            public static double SumOfSquares(double[] v)
            {
                double s = 0;
                for (int i = 0; i < v.Length; i++) s += v[i] * v[i];
                return s;
            }

            [Differentiable]
            public static double[] Scaled(double[] v, double c)
            {
                double[] r = new double[v.Length];
                for (int i = 0; i < v.Length; i++) r[i] = c * v[i];
                return r;
            }

            [Differentiable]
            public static double Kept(double[] x)
            {
                double[] squares = new double[x.Length];
                for (int i = 0; i < x.Length; i++) squares[i] = x[i] * x[i];
                return SumOfSquares(squares) + squares.Length;
            }

            // Arrays that carry no gradient may have two names (ADIFF014 rejects it for those that do).
            [Differentiable]
            public static double Aliased(double[] x)
            {
                double[] a = new double[x.Length];
                for (int i = 0; i < x.Length; i++) a[i] = i;
                double[] b = a;
                return x[0] * b[1];
            }

            [Differentiable]
            public static double CallsKept(double[] x) => 2 * Kept(x);

            [Differentiable]
            public static double ThroughArrayResult(double[] x)
            {
                double[] a = new double[x.Length];
                for (int i = 0; i < x.Length; i++) a[i] = Math.Sin(x[i]);
                double[] b = Scaled(a, 2.0);
                return b[0] + a[1];
            }

            [Differentiable]
            public static double SmallConstant(double[] x)
            {
                double[] three = new double[3];
                for (int i = 0; i < 3; i++) three[i] = x[i] * x[i];
                return three[0] + three[1] * three[2];
            }

            [Differentiable]
            public static double InLoop(double[] x, int rounds)
            {
                double s = 0;
                for (int r = 0; r < rounds; r++)
                {
                    double[] t = new double[x.Length];
                    for (int i = 0; i < x.Length; i++) t[i] = i * r;
                    s += x[0] * t[1];
                }
                return s;
            }
        }
        """;

    private static readonly Lazy<GeneratorRun> Run = new(() => GeneratorRun.Of(Source));

    private static string Member(string name) => Run.Value.Member(name);

    private static bool Takes(string member, string array) =>
        Regex.IsMatch(member, @"\b" + array + @" = global::Autodiff\.Runtime\.ScratchArrays<double>\.Take\(")
        && member.Contains("ScratchArrays<double>.GiveBack(" + array + ");", StringComparison.Ordinal);

    [Theory]
    [InlineData("KeptGradient")]
    [InlineData("KeptPullback")]
    public void An_array_only_indexed_measured_and_passed_to_a_scalar_method_is_taken_and_given_back(string member)
    {
        string text = Member(member);
        Assert.True(Takes(text, "squares"), text);
        Assert.True(Takes(text, "dsquares"), text);
        Assert.DoesNotContain("new double[x.Length]", text.Replace("dX = new double[x.Length]", string.Empty).Replace("dX ??= new double[x.Length]", string.Empty));
    }

    [Fact]
    public void An_array_another_variable_names_is_allocated_as_written()
    {
        string text = Member("AliasedGradient");
        Assert.False(Takes(text, "a"), text);
        Assert.Contains("double[] a = new double[x.Length];", text);
    }

    [Fact]
    public void An_array_passed_to_a_method_that_returns_an_array_is_allocated_as_written()
    {
        string text = Member("ThroughArrayResultGradient");
        Assert.Contains("double[] a = new double[x.Length];", text);
    }

    [Fact]
    public void An_array_the_method_returns_is_allocated_as_written()
    {
        string text = Member("ScaledPullback");
        Assert.Contains("double[] r = new double[v.Length];", text);
        Assert.DoesNotContain("GiveBack(r)", text);
    }

    [Fact]
    public void A_small_array_of_constant_length_is_left_to_the_JIT()
    {
        string text = Member("SmallConstantGradient");
        Assert.Contains("double[] three = new double[3];", text);
        Assert.DoesNotContain("ScratchArrays", text);
    }

    [Fact]
    public void An_array_allocated_in_a_loop_is_allocated_as_written()
    {
        string text = Member("InLoopGradient");
        Assert.Contains("t = new double[x.Length];", text);
        Assert.False(Takes(text, "t"), text);
    }

    [Fact]
    public void The_split_forward_pass_keeps_its_arrays_for_its_backward_pass()
    {
        string text = Member("KeptForwardPass");
        Assert.DoesNotContain("ScratchArrays", text);
    }

    /// <summary>
    /// Taken arrays are zeroed and private to the call: nested calls (Kept calls SumOfSquares, whose
    /// adjoint array has the same length) and repeated calls give the same gradient, and it agrees
    /// with central differences.
    /// </summary>
    [Fact]
    public void Repeated_and_nested_calls_give_the_same_right_gradients()
    {
        Execution execution = Execution.Load(Run.Value);
        double[] x = { 0.3, -1.2, 0.7, 2.0 };
        double[]? first = null;
        for (int call = 0; call < 4; call++)
        {
            object?[] arguments = { x, null };
            double value = (double)execution.Call("C", "KeptGradient", arguments)!;
            Assert.Equal((double)execution.Call("C", "Kept", x)!, value);
            double[] gradient = (double[])arguments[1]!;
            first ??= gradient;
            Assert.Equal(first, gradient);
        }
        for (int i = 0; i < x.Length; i++)
        {
            Execution.AssertClose(execution.CentralDifference("C", "Kept", new object?[] { x }, 0, i), first![i]);
        }
    }
}
