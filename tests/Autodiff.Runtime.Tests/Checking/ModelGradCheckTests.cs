using System;
using Xunit;

namespace Autodiff.Runtime.Tests.Checking;

/// <summary>Models: parameters perturbed in place, named in the report, and always restored.</summary>
public sealed class ModelGradCheckTests
{
    [Fact]
    public void Correct_model_gradients_pass_with_float_tolerances()
    {
        var model = new TinyModel();
        GradCheckResult result = GradCheck.Model(model.Parameters, model.Loss, model.Backward);

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(6 + 3 + 1, result.Checked);
        Assert.Equal(GradCheckPrecision.Float, result.Precision);
        Assert.Equal(GradCheckOptions.ForFloat, result.Options);
    }

    [Fact]
    public void Correct_model_gradients_pass_in_fast_mode()
    {
        var model = new TinyModel();
        GradCheckResult result = GradCheck.Model(model.Parameters, model.Loss, model.Backward, GradCheckOptions.ForFloat with { FastMode = true, Directions = 8 });

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(8, result.Checked);
    }

    [Fact]
    public void A_sign_flipped_tensor_element_is_named_with_its_parameter_and_multi_index()
    {
        var model = new TinyModel();
        GradCheckResult result = GradCheck.Model(model.Parameters, model.Loss, () =>
        {
            model.Backward();
            model.DW.Span[5] = -model.DW.Span[5];
        });

        Assert.False(result.Passed);
        Assert.Equal(1, result.Failed);
        GradCheckElement worst = result.Worst!;
        Assert.Equal("W", worst.Parameter);
        Assert.Equal(5, worst.Index);
        Assert.Equal([1, 2], worst.MultiIndex);
        Assert.Equal("W[1, 2] (element 5 of 6)", worst.Location);
        Assert.Equal(model.DW[1, 2], worst.Analytic, 1e-6);
        Assert.Equal(-model.DW[1, 2], worst.Numeric, 1e-2);
        Assert.Contains("W[1, 2]", result.ToString());
        Assert.Contains("(float,", result.ToString());
    }

    [Fact]
    public void A_wrong_scalar_parameter_gradient_is_named()
    {
        var model = new TinyModel();
        GradCheckResult result = GradCheck.Model(model.Parameters, model.Loss, () =>
        {
            model.Backward();
            model.DScale *= 2;
        });

        Assert.False(result.Passed);
        Assert.Equal("Scale", result.Worst!.Parameter);
        Assert.Equal("Scale", result.Worst.Location);
        Assert.Empty(result.Worst.MultiIndex);
    }

    [Theory]
    [InlineData("one element off")]
    [InlineData("sign flipped")]
    [InlineData("factor 2")]
    public void A_wrong_element_fails_in_fast_mode(string mistake)
    {
        var model = new TinyModel();
        GradCheckResult result = GradCheck.Model(model.Parameters, model.Loss, () =>
        {
            model.Backward();
            model.DB.Span[1] = mistake switch
            {
                "one element off" => model.DB[1] + 0.5f,
                "sign flipped" => -model.DB[1],
                _ => 2 * model.DB[1],
            };
        }, GradCheckOptions.ForFloat with { FastMode = true });

        Assert.False(result.Passed, result.ToString());
        Assert.NotNull(result.Worst!.Direction);
    }

    [Fact]
    public void The_gradient_is_what_the_backward_pass_adds_so_stale_gradients_do_not_matter()
    {
        var model = new TinyModel();
        model.DW.Fill(100f);
        model.DScale = -7;
        GradCheckResult result = GradCheck.Model(model.Parameters, model.Loss, model.Backward);

        Assert.True(result.Passed, result.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Parameters_are_restored_exactly(bool fastMode)
    {
        var model = new TinyModel();
        float[] w = model.W.ToArray(), b = model.B.ToArray();
        double scale = model.Scale;

        GradCheck.Model(model.Parameters, model.Loss, model.Backward, GradCheckOptions.ForFloat with { FastMode = fastMode });

        Assert.Equal(w, model.W.ToArray());
        Assert.Equal(b, model.B.ToArray());
        Assert.Equal(scale, model.Scale);
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(false, 7)]
    [InlineData(false, 19)]
    [InlineData(true, 0)]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    public void Parameters_are_restored_when_the_loss_throws(bool fastMode, int throwAt)
    {
        var model = new TinyModel { ThrowAt = throwAt };
        float[] w = model.W.ToArray(), b = model.B.ToArray();
        double scale = model.Scale;

        var error = Assert.Throws<InvalidOperationException>(() =>
            GradCheck.Model(model.Parameters, model.Loss, model.Backward, GradCheckOptions.ForFloat with { FastMode = fastMode }));

        Assert.Equal("loss failed on purpose", error.Message);
        Assert.Equal(w, model.W.ToArray());
        Assert.Equal(b, model.B.ToArray());
        Assert.Equal(scale, model.Scale);
    }

    [Fact]
    public void A_model_of_double_scalars_gets_gradchecks_double_tolerances()
    {
        var model = new ScalarModel();
        GradCheckResult right = GradCheck.Model(model.Parameters, model.Loss, model.Backward);
        // Off by 1e-2 on a gradient of about −2.4: beyond gradcheck's double allowance (2.4e-3), inside the float one (3.4e-2).
        GradCheckResult slightlyWrong = GradCheck.Model(model.Parameters, model.Loss, () => { model.Backward(); model.DB += 1e-2; });

        Assert.True(right.Passed, right.ToString());
        Assert.Equal(GradCheckPrecision.Double, right.Precision);
        Assert.Equal(GradCheckOptions.ForDouble, right.Options);
        Assert.False(slightlyWrong.Passed);
        Assert.Equal("B", slightlyWrong.Worst!.Parameter);
    }

    [Fact]
    public void A_float_loss_selects_float_precision_even_for_scalar_parameters()
    {
        var model = new ScalarModel();
        GradCheckResult result = GradCheck.Model(model.Parameters, () => (float)model.Loss(), model.Backward);

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(GradCheckPrecision.Float, result.Precision);
    }
}
