using System;
using Xunit;

namespace Autodiff.Runtime.Tests.Checking;

/// <summary>Vector functions with pullbacks: the Jacobian entry by entry, or vᵀJu in fast mode.</summary>
public sealed class PullbackGradCheckTests
{
    private static readonly double[] Point = [0.4, -0.3, 1.1];

    /// <summary>The pullback with ∂y[<paramref name="output"/>]/∂x[<paramref name="input"/>] doubled.</summary>
    private static Func<double[], double[], double[]> DoubledEntry(int output, int input) => (x, seed) =>
    {
        double[] result = TestFunctions.VectorPullback(x, seed);
        var unit = new double[seed.Length];
        unit[output] = 1;
        result[input] += seed[output] * TestFunctions.VectorPullback(x, unit)[input];
        return result;
    };

    [Fact]
    public void A_correct_pullback_passes_every_jacobian_entry()
    {
        GradCheckResult result = GradCheck.Pullback(TestFunctions.Vector, TestFunctions.VectorPullback, Point);

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(9, result.Checked);
    }

    [Fact]
    public void A_correct_pullback_passes_in_fast_mode()
    {
        GradCheckResult result = GradCheck.Pullback(
            TestFunctions.Vector, TestFunctions.VectorPullback, Point, GradCheckOptions.ForDouble with { FastMode = true, Directions = 5 });

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(5, result.Checked);
    }

    [Fact]
    public void A_wrong_jacobian_entry_is_named_by_output_and_input()
    {
        GradCheckResult result = GradCheck.Pullback(TestFunctions.Vector, DoubledEntry(output: 2, input: 1), Point);

        Assert.False(result.Passed);
        Assert.Equal(1, result.Failed);
        Assert.Equal(2, result.Worst!.Output);
        Assert.Equal(1, result.Worst.Index);
        Assert.Equal("∂y[2]/∂x[1]", result.Worst.Location);
        double right = Math.Exp(Point[1]) * Point[2];
        Assert.Equal(2 * right, result.Worst.Analytic, 1e-12);
        Assert.Equal(right, result.Worst.Numeric, 1e-6);
    }

    [Fact]
    public void A_sign_flipped_pullback_fails_in_fast_mode()
    {
        GradCheckResult result = GradCheck.Pullback(
            TestFunctions.Vector, (x, seed) => Array.ConvertAll(TestFunctions.VectorPullback(x, seed), v => -v), Point,
            GradCheckOptions.ForDouble with { FastMode = true });

        Assert.False(result.Passed);
        Assert.Equal(4, result.Failed);
        Assert.StartsWith("vᵀJu along direction", result.Worst!.Location);
    }

    [Fact]
    public void A_doubled_entry_fails_in_fast_mode()
    {
        GradCheckResult result = GradCheck.Pullback(
            TestFunctions.Vector, DoubledEntry(output: 0, input: 0), Point, GradCheckOptions.ForDouble with { FastMode = true });

        Assert.False(result.Passed);
    }

    [Fact]
    public void A_float_pullback_is_checked_with_float_tolerances()
    {
        float[] point = [0.4f, -0.3f, 1.1f];
        GradCheckResult right = GradCheck.Pullback(TestFunctions.VectorFloat, TestFunctions.VectorPullbackFloat, point);
        GradCheckResult wrong = GradCheck.Pullback(
            TestFunctions.VectorFloat, (x, seed) => { float[] r = TestFunctions.VectorPullbackFloat(x, seed); r[2] *= 2; return r; }, point);

        Assert.True(right.Passed, right.ToString());
        Assert.Equal(GradCheckPrecision.Float, right.Precision);
        Assert.False(wrong.Passed);
        Assert.Equal(2, wrong.Worst!.Index);
    }

    [Fact]
    public void A_tensor_pullback_names_elements_by_their_multi_index()
    {
        // y = x ⊙ x, so seedᵀJ = 2·x ⊙ seed; the wrong rule forgets the 2 at element [1, 0].
        Tensor point = Tensor.FromArray([0.5f, -0.8f, 1.2f, 0.3f, -0.6f, 0.9f], 2, 3);
        GradCheckResult right = GradCheck.Pullback(x => x * x, (x, seed, dx) => Tensor.AddInPlace(dx, 2f * x * seed), point);
        GradCheckResult wrong = GradCheck.Pullback(
            x => x * x,
            (x, seed, dx) =>
            {
                Tensor.AddInPlace(dx, 2f * x * seed);
                dx.Span[3] -= x.Span[3] * seed.Span[3];
            },
            point);

        Assert.True(right.Passed, right.ToString());
        Assert.Equal(36, right.Checked);
        Assert.False(wrong.Passed);
        Assert.Equal([1, 0], wrong.Worst!.MultiIndex);
        Assert.Equal(3, wrong.Worst.Output);
        Assert.Equal("∂y[3]/∂x[1, 0] (element 3 of 6)", wrong.Worst.Location);
        Assert.Equal([0.5f, -0.8f, 1.2f, 0.3f, -0.6f, 0.9f], point.ToArray());
    }
}
