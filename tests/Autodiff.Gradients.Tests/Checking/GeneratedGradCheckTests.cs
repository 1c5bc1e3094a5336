using Autodiff.Gradients.Tests.Functions;
using Autodiff.Gradients.Tests.Tensors;
using Xunit;

namespace Autodiff.Gradients.Tests.Checking;

/// <summary>GradCheck on gradients the generator wrote: each form as a one-line lambda around the generated member.</summary>
public sealed class GeneratedGradCheckTests
{
    private static readonly Tensor Inputs = Tensor.FromArray([0.5f, -1.2f, 0.3f, 1.1f, 0.4f, -0.7f, -0.2f, 0.9f, 1.5f, -0.8f, 0.6f, 0.1f], 4, 3);
    private static readonly int[] Labels = [1, 0, 1, 1];

    [Fact]
    public void A_generated_scalar_gradient_passes()
    {
        GradCheckResult result = GradCheck.Gradient(
            p => CheckedFunctions.Rosenbrock(p[0], p[1]),
            p => { CheckedFunctions.RosenbrockGradient(p[0], p[1], out double dx, out double dy); return [dx, dy]; },
            [-1.2, 1.0]);

        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void A_generated_array_gradient_passes_in_full_and_fast_mode()
    {
        double[] logits = [0.3, -1.1, 2.0, 0.5, -0.2];
        double F(double[] z) => Arrays.CrossEntropy(z, 2);
        double[] Gradient(double[] z)
        {
            Arrays.CrossEntropyGradient(z, 2, out double[] dz);
            return dz;
        }

        Assert.True(GradCheck.Gradient(F, Gradient, logits).Passed);
        Assert.True(GradCheck.Gradient(F, Gradient, logits, GradCheckOptions.ForDouble with { FastMode = true }).Passed);
    }

    [Fact]
    public void A_generated_pullback_passes_as_a_one_row_jacobian()
    {
        GradCheckResult result = GradCheck.Pullback(
            p => [CheckedFunctions.Rosenbrock(p[0], p[1])],
            (p, seed) =>
            {
                double dx = 0, dy = 0;
                CheckedFunctions.RosenbrockPullback(p[0], p[1], seed[0], ref dx, ref dy);
                return [dx, dy];
            },
            [0.3, -0.4]);

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(2, result.Checked);
    }

    [Fact]
    public void A_generated_float_gradient_passes_with_float_tolerances_and_against_a_double_twin()
    {
        float[] point = [0.7f, -0.4f];
        float[] Gradient(float[] p)
        {
            CheckedFunctions.BumpGradient(p[0], p[1], out float dx, out float dy);
            return [dx, dy];
        }

        GradCheckResult alone = GradCheck.Gradient(p => CheckedFunctions.Bump(p[0], p[1]), Gradient, point);
        GradCheckResult twin = GradCheck.GradientAgainstTwin(p => System.Math.Exp(-p[0] * p[0]) * System.Math.Sin(p[1]) + p[0] * p[1], Gradient, point);

        Assert.True(alone.Passed, alone.ToString());
        Assert.True(twin.Passed, twin.ToString());
    }

    [Fact]
    public void A_generated_tensor_pullback_passes()
    {
        Tensor point = Tensor.FromArray([0.5f, -1.5f, 0.2f, 2.0f, -0.3f, 1.0f], 2, 3);
        GradCheckResult result = GradCheck.Pullback(x => CheckedFunctions.Squash(x), (x, seed, dx) => CheckedFunctions.SquashPullback(x, seed, dx), point);

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(36, result.Checked);
    }

    [Fact]
    public void A_generated_model_gradient_passes_in_full_and_fast_mode()
    {
        var model = new Mlp(3, 5, 2, seed: 11);
        var gradients = new Mlp.Gradients(model);

        GradCheckResult full = GradCheck.Model(gradients.Parameters, () => model.Loss(Inputs, Labels).Item(), () => model.LossGradient(Inputs, Labels, gradients));
        GradCheckResult fast = GradCheck.Model(gradients.Parameters, () => model.Loss(Inputs, Labels).Item(), () => model.LossGradient(Inputs, Labels, gradients),
            GradCheckOptions.ForFloat with { FastMode = true });

        Assert.True(full.Passed, full.ToString());
        Assert.Equal(3 * 5 + 5 + 5 * 2 + 2, full.Checked);
        Assert.Equal(GradCheckPrecision.Float, full.Precision);
        Assert.True(fast.Passed, fast.ToString());
    }

    [Fact]
    public void A_generated_model_with_tensor_and_float_parameters_passes()
    {
        var model = new TemperedClassifier();
        var gradients = new TemperedClassifier.Gradients(model);

        GradCheckResult result = GradCheck.Model(gradients.Parameters, () => model.Loss(Inputs, [0, 3, 2, 1]).Item(), () => model.LossGradient(Inputs, [0, 3, 2, 1], gradients));

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(12 + 1, result.Checked);
    }

    [Fact]
    public void A_generated_model_of_double_fields_is_checked_in_double()
    {
        var model = new LinearRegression();
        var gradients = new LinearRegression.Gradients(model);
        double[] xs = [0.5, -1.0, 2.0], ys = [1.0, 0.2, 3.5];

        GradCheckResult result = GradCheck.Model(gradients.Parameters, () => model.NegativeLogLikelihood(xs, ys), () => model.NegativeLogLikelihoodGradient(xs, ys, gradients, out _));

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(GradCheckPrecision.Double, result.Precision);
        Assert.Equal(3, result.Checked);
    }

    [Fact]
    public void A_wrong_hand_written_rule_is_caught_at_the_input_it_feeds()
    {
        double[] point = [1.3, 0.8];
        GradCheckResult result = GradCheck.Gradient(
            p => CheckedFunctions.UsesWobble(p[0], p[1]),
            p => { CheckedFunctions.UsesWobbleGradient(p[0], p[1], out double da, out double db); return [da, db]; },
            point);

        Assert.False(result.Passed);
        Assert.Equal(1, result.Failed);
        Assert.Equal("x[0]", result.Worst!.Location);
        // The gradient says b·a·cos a; the differences say b·(sin a + a·cos a).
        Assert.Equal(0.8 * 1.3 * System.Math.Cos(1.3), result.Worst.Analytic, 1e-12);
        Assert.Equal(0.8 * (System.Math.Sin(1.3) + 1.3 * System.Math.Cos(1.3)), result.Worst.Numeric, 1e-6);
        Assert.Throws<GradCheckException>(() => result.ThrowIfFailed());
    }

    [Fact]
    public void A_wrong_tensor_rule_inside_a_model_is_caught_at_a_parameter_it_feeds()
    {
        var model = new BrokenNet();
        var gradients = new BrokenNet.Gradients(model);

        GradCheckResult full = GradCheck.Model(gradients.Parameters, () => model.Loss(Inputs, Labels).Item(), () => model.LossGradient(Inputs, Labels, gradients));
        GradCheckResult fast = GradCheck.Model(gradients.Parameters, () => model.Loss(Inputs, Labels).Item(), () => model.LossGradient(Inputs, Labels, gradients),
            GradCheckOptions.ForFloat with { FastMode = true });

        Assert.False(full.Passed, full.ToString());
        Assert.Contains(full.Worst!.Parameter, new[] { "W", "V" });
        Assert.Equal(2, full.Worst.MultiIndex.Count);
        Assert.False(fast.Passed, fast.ToString());
    }
}
