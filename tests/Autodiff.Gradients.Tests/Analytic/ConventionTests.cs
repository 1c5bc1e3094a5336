using System;
using System.Linq;
using System.Reflection;
using Xunit;

namespace Autodiff.Gradients.Tests.Analytic;

/// <summary>PyTorch's conventions at kinks, Grad.Stop, custom derivatives and the generated signatures.</summary>
public class ConventionTests
{
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(2.0, 1.0)]
    [InlineData(-2.0, -1.0)]
    public void Abs_has_gradient_sign_x_and_zero_at_zero(double x, double expected)
    {
        Conventions.AbsGradient(x, out double dx);
        Assert.Equal(expected, dx);
        Conventions.AbsFGradient((float)x, out float dxF);
        Assert.Equal((float)expected, dxF);
    }

    [Fact]
    public void Max_and_min_split_the_gradient_evenly_at_a_tie()
    {
        Conventions.MaxGradient(1.5, 1.5, out double dx, out double dy);
        Assert.Equal((0.5, 0.5), (dx, dy));
        Conventions.MinGradient(1.5, 1.5, out dx, out dy);
        Assert.Equal((0.5, 0.5), (dx, dy));
        Conventions.MaxGradient(2, 1, out dx, out dy);
        Assert.Equal((1.0, 0.0), (dx, dy));
        Conventions.MinGradient(2, 1, out dx, out dy);
        Assert.Equal((0.0, 1.0), (dx, dy));
        Conventions.MaxFGradient(3f, 3f, out float dxF, out float dyF);
        Assert.Equal((0.5f, 0.5f), (dxF, dyF));
    }

    [Fact]
    public void Sqrt_has_an_infinite_gradient_at_zero()
    {
        Conventions.SqrtGradient(0, out double dx);
        Assert.Equal(double.PositiveInfinity, dx);
        Conventions.SqrtGradient(4, out dx);
        Assert.Equal(0.25, dx);
    }

    [Fact]
    public void Pow_with_zero_base_and_non_negative_exponent_has_zero_exponent_gradient()
    {
        Conventions.PowGradient(0, 2, out double dx, out double dy);
        Assert.Equal(0.0, dy);
        Assert.Equal(0.0, dx); // 2 · 0^1
        Conventions.PowGradient(0, 0, out dx, out dy);
        Assert.Equal((0.0, 0.0), (dx, dy)); // y = 0: no base gradient either
        Conventions.PowGradient(2, 3, out dx, out dy);
        Assert.Equal(12.0, dx, 12);
        Assert.Equal(8 * Math.Log(2), dy, 12);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(-1.5)]
    [InlineData(2.0)]
    public void Floor_round_sign_ceiling_truncate_have_zero_gradient(double x)
    {
        Conventions.PiecewiseConstantGradient(x, out double dx);
        Assert.Equal(0.0, dx);
    }

    [Fact]
    public void Clamp_passes_the_gradient_to_whichever_argument_is_the_result()
    {
        Conventions.ClampGradient(0.5, 0, 1, out double dx, out double dLow, out double dHigh);
        Assert.Equal((1.0, 0.0, 0.0), (dx, dLow, dHigh));
        Conventions.ClampGradient(-1, 0, 1, out dx, out dLow, out dHigh);
        Assert.Equal((0.0, 1.0, 0.0), (dx, dLow, dHigh));
        Conventions.ClampGradient(2, 0, 1, out dx, out dLow, out dHigh);
        Assert.Equal((0.0, 0.0, 1.0), (dx, dLow, dHigh));
        Conventions.ClampGradient(1, 0, 1, out dx, out _, out _);
        Assert.Equal(1.0, dx); // at the bound the value keeps the gradient, as torch.clamp does
    }

    [Fact]
    public void Stop_cuts_one_path_and_keeps_the_others()
    {
        double value = Conventions.StopGradientGradient(3, 5, out double dx, out double dy);
        Assert.Equal(20.0, value);
        Assert.Equal(5.0, dx);
        Assert.Equal(1.0, dy); // only through "+ y"; x * Stop(y) contributes nothing to dy
    }

    [Fact]
    public void A_custom_derivative_replaces_the_true_one()
    {
        // Round has a zero derivative; the straight-through rule passes the gradient unchanged.
        double value = Conventions.UsesStraightThroughGradient(1.4, out double dx);
        Assert.Equal(3.0, value);
        Assert.Equal(3.0, dx);
    }

    [Fact]
    public void NoGrad_parameters_get_no_accumulator()
    {
        MethodInfo gradient = typeof(Conventions).GetMethod(nameof(Conventions.WithNoGradGradient))!;
        Assert.Equal(new[] { "x", "c", "dX" }, gradient.GetParameters().Select(p => p.Name));
        MethodInfo pullback = typeof(Conventions).GetMethod(nameof(Conventions.WithNoGradPullback))!;
        Assert.Equal(new[] { "x", "c", "seed", "dX" }, pullback.GetParameters().Select(p => p.Name));
        Conventions.WithNoGradGradient(2, 7, out double dx);
        Assert.Equal(7.0, dx);
    }

    [Fact]
    public void Pullback_adds_into_array_accumulators_and_checks_their_length()
    {
        double[] accumulator = { 1, 1, 1 };
        Conventions.SumArrayPullback(new[] { 5.0, 6, 7 }, 2, accumulator);
        Assert.Equal(new[] { 3.0, 5, 7 }, accumulator);

        var error = Assert.Throws<ArgumentException>(() => Conventions.SumArrayPullback(new[] { 5.0, 6, 7 }, 1, new double[2]));
        Assert.Contains("SumArrayPullback", error.Message);
        Assert.Contains("dValues has length 2", error.Message);
        Assert.Contains("values has length 3", error.Message);
    }

    [Fact]
    public void Pullback_accepts_a_null_array_accumulator_when_no_gradient_is_wanted()
    {
        double value = Conventions.SumArrayPullback(new[] { 1.0, 1, 1 }, 1, null);
        Assert.Equal(6.0, value);
    }

    [Fact]
    public void Gradient_allocates_fresh_arrays()
    {
        Conventions.SumArrayGradient(new[] { 5.0, 6, 7 }, out double[] first);
        Conventions.SumArrayGradient(new[] { 5.0, 6, 7 }, out double[] second);
        Assert.Equal(new[] { 1.0, 2, 3 }, first);
        Assert.NotSame(first, second);
    }

    [Fact]
    public void An_integer_conversion_stops_the_gradient()
    {
        Conventions.IntegerConversionGradient(0.37, out double dx);
        Assert.Equal(1.0, dx);
    }

    [Fact]
    public void The_seed_example_sums_the_gradient_over_both_paths()
    {
        double a = 2, w1 = 3, w2 = 4, w3 = 5, w4 = 6;
        double value = Functions.Arithmetic.SeedGradient(a, w1, w2, w3, w4, out double da, out double dw1, out double dw2, out double dw3, out double dw4);
        Assert.Equal(10 - (w3 * w1 * a + w4 * w2 * a), value);
        Assert.Equal(-(w3 * w1 + w4 * w2), da); // the path through b plus the path through c
        Assert.Equal((-w3 * a, -w4 * a, -w1 * a, -w2 * a), (dw1, dw2, dw3, dw4));
    }
}
