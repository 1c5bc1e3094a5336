using System;
using System.Linq;
using Autodiff.Gradients.Tests.Functions;
using Autodiff.Optimizers;
using Xunit;

namespace Autodiff.Gradients.Tests.Tensors;

/// <summary>
/// A model's parameters as the optimisers see them: scalar fields are trained like tensors,
/// replacing a tensor parameter is caught, and null arguments are named.
/// </summary>
public class ModelParameterTests
{
    [Fact]
    public void Sgd_updates_double_model_parameters_by_their_gradients()
    {
        var model = new LinearRegression();
        double[] xs = { 0.5, -1.0, 2.0, 0.25 };
        double[] ys = { 4.0, 1.5, 5.0, 3.0 };
        var gradients = new LinearRegression.Gradients(model);
        var sgd = new Sgd(0.05f);
        double lr = 0.05f;
        double slope = model.Slope, intercept = model.Intercept, logScale = model.LogScale;

        model.NegativeLogLikelihoodGradient(xs, ys, gradients, out _);
        sgd.Step(gradients.Parameters);

        Assert.Equal(slope - lr * gradients.Slope, model.Slope, 15);
        Assert.Equal(intercept - lr * gradients.Intercept, model.Intercept, 15);
        Assert.Equal(logScale - lr * gradients.LogScale, model.LogScale, 15);
        Assert.Equal(3.0, model.Offset); // [NoGrad]: not a parameter
    }

    [Fact]
    public void Training_fits_a_model_made_only_of_double_parameters()
    {
        var model = new LinearRegression();
        double[] xs = { 0.5, -1.0, 2.0, 0.25, 1.5 };
        double[] ys = xs.Select(x => 2 * (x + model.Offset) - 1).ToArray();
        var gradients = new LinearRegression.Gradients(model);
        var adam = new Adam(0.05f);
        for (int step = 0; step < 2000; step++)
        {
            gradients.Zero();
            model.NegativeLogLikelihoodGradient(xs, ys, gradients, out _);
            adam.Step(gradients.Parameters);
        }
        Assert.Equal(2.0, model.Slope, 1);
        Assert.Equal(-1.0, model.Intercept, 1);
    }

    [Fact]
    public void Adam_updates_a_float_temperature_next_to_a_tensor()
    {
        var model = new TemperedClassifier();
        Tensor x = Tensor.RandomNormal(4, 0f, 1f, 5, 3);
        int[] labels = { 0, 3, 1, 2, 1 };
        var gradients = new TemperedClassifier.Gradients(model);
        var adam = new Adam(0.01f);
        float temperature = model.Temperature;
        float w0 = model.W[0, 0];

        model.LossGradient(x, labels, gradients);
        adam.Step(gradients.Parameters);

        // Adam's first step moves every parameter by lr·sign(g) (up to ε): m̂ = g, v̂ = g².
        double g = gradients.Temperature;
        Assert.Equal((float)(temperature - 0.01f * g / (Math.Abs(g) + 1e-8f)), model.Temperature, 6);
        Assert.Equal(w0 - 0.01f * MathF.Sign(gradients.W[0, 0]), model.W[0, 0], 5);
        Assert.Equal(["W", "Temperature"], gradients.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void Replacing_a_tensor_parameter_after_creating_gradients_throws_naming_it()
    {
        var model = new Mlp(3, 4, 2, seed: 3);
        var gradients = new Mlp.Gradients(model);
        var parameters = gradients.Parameters; // kept, as one keeps an optimiser's parameter list
        Tensor x = Tensor.RandomNormal(5, 0f, 1f, 4, 3);
        int[] labels = { 0, 1, 1, 0 };

        model.W2 = Tensor.RandomNormal(8, 0f, 1f, 4, 2);

        var error = Assert.Throws<InvalidOperationException>(() => gradients.Parameters);
        Assert.Contains("Mlp.W2 was replaced", error.Message);
        Assert.Contains("CopyFrom", error.Message);
        Assert.Contains("Mlp.W2 was replaced", Assert.Throws<InvalidOperationException>(() => model.LossGradient(x, labels, gradients)).Message);
        Assert.Same(model.W1, parameters[0].Parameter);

        // Copying values in keeps training it; fresh gradients follow the new tensor.
        var fresh = new Mlp.Gradients(model);
        Assert.Same(model.W2, fresh.Parameters[2].Parameter);
        model.LossGradient(x, labels, fresh);
    }

    [Fact]
    public void Copying_into_a_parameter_keeps_the_gradients_valid()
    {
        var model = new Mlp(3, 4, 2, seed: 3);
        var gradients = new Mlp.Gradients(model);
        model.W2.CopyFrom(Tensor.RandomNormal(8, 0f, 1f, 4, 2));
        model.LossGradient(Tensor.RandomNormal(5, 0f, 1f, 4, 3), new[] { 0, 1, 1, 0 }, gradients);
        Assert.Same(model.W2, gradients.Parameters[2].Parameter);
    }

    [Fact]
    public void Gradients_of_a_model_with_a_null_parameter_name_it()
    {
        var model = new Mlp(3, 4, 2, seed: 3) { B1 = null! };
        var error = Assert.Throws<ArgumentException>(() => new Mlp.Gradients(model));
        Assert.Equal("model", error.ParamName);
        Assert.Contains("Mlp.B1 is null", error.Message);
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => new Mlp.Gradients(null!)).ParamName);
    }

    [Fact]
    public void Generated_entry_points_name_null_arguments()
    {
        var model = new Mlp(3, 4, 2, seed: 3);
        var gradients = new Mlp.Gradients(model);
        Tensor x = Tensor.RandomNormal(5, 0f, 1f, 4, 3);
        int[] labels = { 0, 1, 1, 0 };
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => model.LossGradient(null!, labels, gradients)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentNullException>(() => model.LossGradient(x, null!, gradients)).ParamName);
        Assert.Equal("gradients", Assert.Throws<ArgumentNullException>(() => model.LossGradient(x, labels, null!)).ParamName);
        Assert.Equal("seed", Assert.Throws<ArgumentNullException>(() => model.LossPullback(x, labels, null!, gradients)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => VectorValued.SquaresGradient(null!, out _)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentNullException>(() => Arrays.DotGradient(null!, new double[2], out _, out _)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentNullException>(() => Arrays.DotPullback(new double[2], null!, 1, null, null)).ParamName);

        // The pullback's accumulators stay optional.
        double[] dB = new double[2];
        Arrays.DotPullback(new[] { 1.0, 2.0 }, new[] { 3.0, 4.0 }, 1, null, dB);
        Assert.Equal(new[] { 1.0, 2.0 }, dB);
        Tensor dX = Tensor.Zeros(2);
        VectorValued.SquaresPullback(Tensor.FromArray(new[] { 1f, 2f }), Tensor.Ones(2), dX);
        VectorValued.SquaresPullback(Tensor.FromArray(new[] { 1f, 2f }), Tensor.Ones(2), null);
        Assert.Equal(new[] { 2f, 4f }, dX.ToArray());
    }
}
