using System;
using Xunit;

namespace Autodiff.Runtime.Tests.Checking;

/// <summary>The pass rule |analytic − numeric| ≤ atol + rtol·|numeric| at its edges, and values that are not numbers.</summary>
public sealed class ToleranceTests
{
    // f(x) = 3x: the central difference is 3 up to about 1e-10, so the allowance is atol + rtol·3.
    private static GradCheckResult CheckSlopeThree(double reported, GradCheckOptions? options = null) =>
        GradCheck.Gradient(x => 3 * x[0], _ => [reported], [0.5], options);

    [Fact]
    public void An_error_just_inside_the_allowance_passes_and_just_outside_fails()
    {
        double allowed = 1e-5 + 1e-3 * 3;

        Assert.True(CheckSlopeThree(3 + 0.99 * allowed).Passed);
        Assert.True(CheckSlopeThree(3 - 0.99 * allowed).Passed);
        Assert.False(CheckSlopeThree(3 + 1.01 * allowed).Passed);
        Assert.False(CheckSlopeThree(3 - 1.01 * allowed).Passed);
        Assert.Equal(allowed, CheckSlopeThree(3).Worst!.AllowedError, 1e-12);
    }

    [Fact]
    public void Tolerances_can_be_changed()
    {
        var loose = GradCheckOptions.ForDouble with { AbsoluteTolerance = 0.1, RelativeTolerance = 0 };
        var exact = GradCheckOptions.ForDouble with { AbsoluteTolerance = 0, RelativeTolerance = 0 };

        Assert.True(CheckSlopeThree(3.09, loose).Passed);
        Assert.False(CheckSlopeThree(3.11, loose).Passed);
        Assert.False(CheckSlopeThree(3 + 1e-6, exact).Passed);
    }

    [Fact]
    public void The_relative_part_scales_with_the_difference()
    {
        // A gradient of 3000 with an error of 2: inside rtol 1e-3 (3.00001), which an absolute rule alone would fail.
        Assert.True(GradCheck.Gradient(x => 3000 * x[0], _ => [3002.0], [0.5]).Passed);
        Assert.False(GradCheck.Gradient(x => 3000 * x[0], _ => [3004.0], [0.5]).Passed);
    }

    [Fact]
    public void A_zero_gradient_against_a_zero_difference_passes_even_with_zero_tolerances()
    {
        var exact = GradCheckOptions.ForDouble with { AbsoluteTolerance = 0, RelativeTolerance = 0 };
        GradCheckResult result = GradCheck.Gradient(_ => 5.0, _ => [0.0, 0.0], [1.0, 2.0], exact);

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(0, result.Worst!.RelativeError);
    }

    [Fact]
    public void A_larger_step_trades_rounding_for_truncation()
    {
        // f = x³ at 1: the central difference is 3 + h², so h = 0.1 is off by 0.01, beyond the default allowance.
        Assert.False(GradCheck.Gradient(x => x[0] * x[0] * x[0], _ => [3.0], [1.0], GradCheckOptions.ForDouble with { Eps = 0.1 }).Passed);
        Assert.True(GradCheck.Gradient(x => x[0] * x[0] * x[0], _ => [3.0], [1.0]).Passed);
    }

    [Fact]
    public void A_nan_gradient_fails_and_is_reported_as_not_finite()
    {
        GradCheckResult result = GradCheck.Gradient(x => x[0] + x[1], _ => [1.0, double.NaN], [0.0, 0.0],
            GradCheckOptions.ForDouble with { AbsoluteTolerance = double.MaxValue });

        Assert.False(result.Passed);
        Assert.Equal(1, result.NonFinite);
        Assert.Equal("x[1]", result.Worst!.Location);
        Assert.False(result.Worst.IsFinite);
        Assert.Contains("1 not finite", result.ToString());
    }

    [Fact]
    public void An_infinite_gradient_fails_whatever_the_differences_say()
    {
        // 1/x at its pole: the differences give a huge finite slope; an infinite gradient is still reported, not compared.
        GradCheckResult result = GradCheck.Gradient(x => 1 / x[0], _ => [double.NegativeInfinity], [0.0]);

        Assert.False(result.Passed);
        Assert.Equal(1, result.NonFinite);
    }

    [Fact]
    public void A_nan_in_fast_mode_fails()
    {
        GradCheckResult result = GradCheck.Gradient(x => Math.Sqrt(x[0]) + x[1], _ => [0.5, 1.0], [0.0, 1.0],
            GradCheckOptions.ForDouble with { FastMode = true, Directions = 3 });

        Assert.False(result.Passed);
        Assert.True(result.NonFinite > 0);
    }

    [Fact]
    public void An_empty_point_checks_nothing_and_passes()
    {
        GradCheckResult result = GradCheck.Gradient(_ => 1.0, _ => [], []);

        Assert.True(result.Passed);
        Assert.Equal(0, result.Checked);
        Assert.Null(result.Worst);
    }

    [Fact]
    public void The_report_reads_as_a_sentence()
    {
        GradCheckResult failed = GradCheck.Gradient(x => x[0] * x[1], x => [x[1], 2 * x[0]], [2.0, 3.0]);

        Assert.Equal(
            "GradCheck failed: 1 of 2 elements out of tolerance (double, eps 1E-06, atol 1E-05, rtol 0.001). "
            + "Worst: x[1]: analytic 4, numeric 2, |error| 2 (relative 1), allowed 0.00201.",
            failed.ToString());
        Assert.StartsWith("GradCheck passed: 2 of 2 elements within tolerance (double, eps 1E-06, atol 1E-05, rtol 0.001). Closest to failing: x[",
            GradCheck.Gradient(x => x[0] * x[1], x => [x[1], x[0]], [2.0, 3.0]).ToString());
    }

    [Fact]
    public void ThrowIfFailed_throws_the_report_and_returns_a_passing_result()
    {
        GradCheckResult passing = GradCheck.Gradient(x => x[0] * x[0], x => [2 * x[0]], [1.5]);
        GradCheckResult failing = GradCheck.Gradient(x => x[0] * x[0], x => [x[0]], [1.5]);

        Assert.Same(passing, passing.ThrowIfFailed());
        var error = Assert.Throws<GradCheckException>(() => failing.ThrowIfFailed());
        Assert.Same(failing, error.Result);
        Assert.Equal(failing.ToString(), error.Message);
    }
}
