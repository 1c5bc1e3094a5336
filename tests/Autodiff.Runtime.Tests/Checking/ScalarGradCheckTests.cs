using System;
using Xunit;

namespace Autodiff.Runtime.Tests.Checking;

/// <summary>Scalar functions of a vector: correct gradients pass, deliberately wrong ones fail and are located.</summary>
public sealed class ScalarGradCheckTests
{
    private static readonly double[] Point = [-1.2, 1.0, 0.7, -0.4];

    [Fact]
    public void Rosenbrock_passes_with_every_element_checked()
    {
        GradCheckResult result = GradCheck.Gradient(TestFunctions.Rosenbrock, TestFunctions.RosenbrockGradient, Point);

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(4, result.Checked);
        Assert.Equal(GradCheckPrecision.Double, result.Precision);
        Assert.Equal(GradCheckOptions.ForDouble, result.Options);
    }

    [Fact]
    public void Rosenbrock_passes_in_fast_mode()
    {
        GradCheckResult result = GradCheck.Gradient(
            TestFunctions.Rosenbrock, TestFunctions.RosenbrockGradient, Point, GradCheckOptions.ForDouble with { FastMode = true, Directions = 6 });

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(6, result.Checked);
        Assert.InRange(result.Worst!.Direction!.Value, 0, 5);
    }

    [Fact]
    public void Softmax_cross_entropy_passes()
    {
        double[] logits = [0.3, -1.1, 2.0, 0.5, -0.2];
        GradCheckResult result = GradCheck.Gradient(
            z => TestFunctions.SoftmaxCrossEntropy(z, 2), z => TestFunctions.SoftmaxCrossEntropyGradient(z, 2), logits);

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(5, result.Checked);
    }

    [Theory]
    [InlineData("one element off")]
    [InlineData("sign flipped")]
    [InlineData("factor 2")]
    public void A_wrong_element_fails_and_is_named(string mistake)
    {
        Func<double, double> wrong = mistake switch
        {
            "one element off" => g => g + 0.5,
            "sign flipped" => g => -g,
            _ => g => 2 * g,
        };
        GradCheckResult result = GradCheck.Gradient(
            TestFunctions.Rosenbrock, TestFunctions.Spoil<double>(TestFunctions.RosenbrockGradient, 2, wrong), Point);

        Assert.False(result.Passed);
        Assert.Equal(1, result.Failed);
        GradCheckElement worst = result.Worst!;
        Assert.Equal(2, worst.Index);
        Assert.Equal("x[2]", worst.Location);
        Assert.Null(worst.Parameter);
        double right = TestFunctions.RosenbrockGradient(Point)[2];
        Assert.Equal(wrong(right), worst.Analytic);
        Assert.Equal(right, worst.Numeric, 1e-6);
        Assert.Equal(Math.Abs(wrong(right) - worst.Numeric), worst.AbsoluteError);
        Assert.Equal(worst.AbsoluteError / Math.Abs(worst.Numeric), worst.RelativeError);
        Assert.Contains("x[2]", result.ToString());
    }

    [Theory]
    [InlineData("one element off")]
    [InlineData("sign flipped")]
    [InlineData("factor 2")]
    public void A_wrong_element_fails_in_fast_mode(string mistake)
    {
        Func<double, double> wrong = mistake switch
        {
            "one element off" => g => g + 0.5,
            "sign flipped" => g => -g,
            _ => g => 2 * g,
        };
        var options = GradCheckOptions.ForDouble with { FastMode = true };
        GradCheckResult result = GradCheck.Gradient(
            TestFunctions.Rosenbrock, TestFunctions.Spoil<double>(TestFunctions.RosenbrockGradient, 2, wrong), Point, options);

        Assert.False(result.Passed);
        Assert.Equal(options.Directions, result.Checked);
        Assert.NotNull(result.Worst!.Direction);
        Assert.Equal(-1, result.Worst.Index);
        Assert.StartsWith("direction ", result.Worst.Location);
    }

    [Fact]
    public void Fast_mode_directions_follow_the_seed()
    {
        var options = GradCheckOptions.ForDouble with { FastMode = true, Seed = 7 };
        Func<double[], double[]> wrong = TestFunctions.Spoil<double>(TestFunctions.RosenbrockGradient, 1, g => g + 1);
        GradCheckElement first = GradCheck.Gradient(TestFunctions.Rosenbrock, wrong, Point, options).Worst!;
        GradCheckElement again = GradCheck.Gradient(TestFunctions.Rosenbrock, wrong, Point, options).Worst!;
        GradCheckElement other = GradCheck.Gradient(TestFunctions.Rosenbrock, wrong, Point, options with { Seed = 8 }).Worst!;

        Assert.Equal(first.Analytic, again.Analytic);
        Assert.Equal(first.Numeric, again.Numeric);
        Assert.NotEqual(first.Numeric, other.Numeric);
    }

    [Fact]
    public void A_float_function_passes_with_float_tolerances()
    {
        float[] point = [-1.2f, 1.0f, 0.7f, -0.4f];
        GradCheckResult result = GradCheck.Gradient(TestFunctions.RosenbrockFloat, TestFunctions.RosenbrockGradientFloat, point);

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(GradCheckPrecision.Float, result.Precision);
        Assert.Equal(GradCheckOptions.ForFloat, result.Options);
        Assert.Contains("(float,", result.ToString());
    }

    [Fact]
    public void A_wrong_float_gradient_fails_in_full_and_fast_mode()
    {
        float[] point = [-1.2f, 1.0f, 0.7f, -0.4f];
        Func<float[], float[]> wrong = TestFunctions.Spoil<float>(TestFunctions.RosenbrockGradientFloat, 3, g => -g);

        GradCheckResult full = GradCheck.Gradient(TestFunctions.RosenbrockFloat, wrong, point);
        GradCheckResult fast = GradCheck.Gradient(TestFunctions.RosenbrockFloat, wrong, point, GradCheckOptions.ForFloat with { FastMode = true });

        Assert.False(full.Passed);
        Assert.Equal("x[3]", full.Worst!.Location);
        Assert.False(fast.Passed);
    }

    [Fact]
    public void A_float_gradient_checks_tightly_against_a_double_twin()
    {
        float[] point = [-1.2f, 1.0f, 0.7f, -0.4f];

        GradCheckResult right = GradCheck.GradientAgainstTwin(TestFunctions.Rosenbrock, TestFunctions.RosenbrockGradientFloat, point);
        // Off by 0.1 in an element of about 32: inside the float tolerances, outside gradcheck's.
        GradCheckResult slightlyWrong = GradCheck.GradientAgainstTwin(
            TestFunctions.Rosenbrock, TestFunctions.Spoil<float>(TestFunctions.RosenbrockGradientFloat, 1, g => g + 0.1f), point);

        Assert.True(right.Passed, right.ToString());
        Assert.Equal(GradCheckPrecision.FloatGradientDoubleTwin, right.Precision);
        Assert.False(slightlyWrong.Passed);
        Assert.Equal("x[1]", slightlyWrong.Worst!.Location);
    }

    [Fact]
    public void The_callers_point_is_never_modified_even_by_a_function_that_writes_into_it()
    {
        double[] point = [0.5, -0.25];
        double[] copy = (double[])point.Clone();
        GradCheckResult result = GradCheck.Gradient(
            x => { double v = x[0] * x[1]; x[0] = 99; return v; },
            x => { double[] g = [x[1], x[0]]; x[1] = -99; return g; },
            point);

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(copy, point);
    }

    [Fact]
    public void Large_values_still_take_a_step()
    {
        // At 1e12 a step of 1e-6 is below half a double spacing: the neighbouring double is used instead.
        GradCheckResult result = GradCheck.Gradient(x => x[0], x => [1.0], [1e12]);

        Assert.True(result.Passed, result.ToString());
        Assert.True(double.IsFinite(result.Worst!.Numeric));
    }
}
