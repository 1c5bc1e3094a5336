using System;
using Autodiff.Optimizers;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>
/// Updates against values worked out by hand from the torch.optim.SGD / Adam formulas, in
/// double. Vectors of 37 elements exercise the 512-bit, 256-bit and scalar paths.
/// </summary>
public sealed class OptimizerTests
{
    private const int Length = 37;

    private static float[] Parameters() => Ramp(i => 0.5f - 0.03f * i);

    private static float[] Gradient1() => Ramp(i => 0.2f * MathF.Sin(i));

    private static float[] Gradient2() => Ramp(i => -0.1f + 0.01f * i);

    private static float[] Ramp(Func<int, float> f)
    {
        var values = new float[Length];
        for (int i = 0; i < Length; i++) values[i] = f(i);
        return values;
    }

    private static void Step(Optimizer optimizer, Tensor parameter, float[] gradient) =>
        optimizer.Step([new ParameterGradient("w", parameter, Tensor.FromArray(gradient))]);

    private static void AssertClose(Func<int, double> expected, Tensor actual)
    {
        for (int i = 0; i < Length; i++)
        {
            Assert.Equal(expected(i), actual[i], 1e-6);
        }
    }

    [Fact]
    public void Sgd_without_momentum_steps_against_the_gradient_plus_weight_decay()
    {
        float[] p0 = Parameters();
        float[] g = Gradient1();
        Tensor p = Tensor.FromArray(p0);
        Step(new Sgd(0.1f, weightDecay: 0.01f), p, g);
        AssertClose(i => p0[i] - 0.1 * (g[i] + 0.01 * p0[i]), p);
    }

    [Fact]
    public void Sgd_momentum_starts_the_buffer_at_the_gradient_then_accumulates()
    {
        float[] p0 = Parameters();
        float[] g1 = Gradient1();
        float[] g2 = Gradient2();
        Tensor p = Tensor.FromArray(p0);
        var sgd = new Sgd(0.1f, momentum: 0.9f);

        Step(sgd, p, g1);
        AssertClose(i => p0[i] - 0.1 * g1[i], p);

        Step(sgd, p, g2);
        AssertClose(i => p0[i] - 0.1 * g1[i] - 0.1 * (0.9 * g1[i] + g2[i]), p);
    }

    [Fact]
    public void Sgd_nesterov_looks_ahead_along_the_buffer()
    {
        float[] p0 = Parameters();
        float[] g1 = Gradient1();
        float[] g2 = Gradient2();
        Tensor p = Tensor.FromArray(p0);
        var sgd = new Sgd(0.1f, momentum: 0.9f, nesterov: true);

        Step(sgd, p, g1);
        // buf = g1; update g1 + 0.9·buf.
        AssertClose(i => p0[i] - 0.1 * (g1[i] + 0.9 * g1[i]), p);

        Step(sgd, p, g2);
        AssertClose(i =>
        {
            double p1 = p0[i] - 0.1 * 1.9 * g1[i];
            double buffer = 0.9 * g1[i] + g2[i];
            return p1 - 0.1 * (g2[i] + 0.9 * buffer);
        }, p);
    }

    [Fact]
    public void Adam_applies_bias_corrected_moments()
    {
        float[] p0 = Parameters();
        float[] g1 = Gradient1();
        float[] g2 = Gradient2();
        Tensor p = Tensor.FromArray(p0);
        var adam = new Adam(learningRate: 0.01f);

        Step(adam, p, g1);
        // Step 1: m̂ = g, v̂ = g², so the update is lr·g / (|g| + ε): lr·sign(g) up to ε.
        AssertClose(i => p0[i] - 0.01 * g1[i] / (Math.Abs(g1[i]) + 1e-8), p);

        Step(adam, p, g2);
        Assert.Equal(2, adam.StepCount);
        AssertClose(i =>
        {
            double p1 = p0[i] - 0.01 * g1[i] / (Math.Abs(g1[i]) + 1e-8);
            double m = 0.9 * (0.1 * g1[i]) + 0.1 * g2[i];
            double v = 0.999 * (0.001 * g1[i] * g1[i]) + 0.001 * g2[i] * g2[i];
            double mHat = m / (1 - 0.9 * 0.9);
            double vHat = v / (1 - 0.999 * 0.999);
            return p1 - 0.01 * mHat / (Math.Sqrt(vHat) + 1e-8);
        }, p);
    }

    [Fact]
    public void Adam_adds_weight_decay_to_the_gradient_before_the_moments()
    {
        float[] p0 = Parameters();
        float[] g1 = Gradient1();
        Tensor p = Tensor.FromArray(p0);
        Step(new Adam(learningRate: 0.01f, weightDecay: 0.5f), p, g1);
        AssertClose(i =>
        {
            double g = g1[i] + 0.5 * p0[i];
            return p0[i] - 0.01 * g / (Math.Abs(g) + 1e-8);
        }, p);
    }

    [Fact]
    public void Step_rejects_a_gradient_of_another_shape()
    {
        var error = Assert.Throws<ShapeMismatchException>(() =>
            new Adam().Step([new ParameterGradient("layer.weight", Tensor.Zeros(2, 3), Tensor.Zeros(3, 2))]));
        Assert.Contains("layer.weight", error.Message);
        Assert.Contains("[2x3]", error.Message);
        Assert.Contains("[3x2]", error.Message);
    }

    [Fact]
    public void Step_rejects_parameters_that_differ_from_the_first_step()
    {
        var sgd = new Sgd(0.1f, momentum: 0.9f);
        sgd.Step([new ParameterGradient("a", Tensor.Zeros(3), Tensor.Zeros(3))]);

        Assert.ThrowsAny<ArgumentException>(() => sgd.Step([
            new ParameterGradient("a", Tensor.Zeros(3), Tensor.Zeros(3)),
            new ParameterGradient("b", Tensor.Zeros(3), Tensor.Zeros(3))]));
        var error = Assert.Throws<ShapeMismatchException>(() => sgd.Step([new ParameterGradient("a", Tensor.Zeros(4), Tensor.Zeros(4))]));
        Assert.Contains("[4]", error.Message);
        Assert.Contains("[3]", error.Message);
    }

    [Fact]
    public void Constructors_reject_invalid_hyperparameters_as_PyTorch_does()
    {
        Assert.ThrowsAny<ArgumentException>(() => new Sgd(-0.1f));
        Assert.ThrowsAny<ArgumentException>(() => new Sgd(0.1f, nesterov: true));
        Assert.ThrowsAny<ArgumentException>(() => new Adam(beta1: 1f));
        Assert.ThrowsAny<ArgumentException>(() => new Adam(beta2: -0.1f));
    }

    /// <summary>Two scalar parameters in "model fields", one double and one float, as a generated Gradients exposes them.</summary>
    private sealed class ScalarModel : IScalarParameters
    {
        public double Slope = 0.75;
        public float Offset = -0.5f;
        public double SlopeGradient;
        public double OffsetGradient;

        public ParameterGradient[] Parameters => [new("Slope", this, 0), new("Offset", this, 1)];

        public double GetValue(int index) => index == 0 ? Slope : Offset;

        public void SetValue(int index, double value)
        {
            if (index == 0) Slope = value;
            else Offset = (float)value;
        }

        public double GetGradient(int index) => index == 0 ? SlopeGradient : OffsetGradient;
    }

    [Fact]
    public void Sgd_with_nesterov_momentum_and_weight_decay_updates_scalar_parameters_in_double()
    {
        var model = new ScalarModel { SlopeGradient = 0.3, OffsetGradient = -0.2 };
        ParameterGradient[] parameters = model.Parameters;
        var sgd = new Sgd(0.1f, momentum: 0.9f, weightDecay: 0.01f, nesterov: true);
        double lr = 0.1f, momentum = 0.9f, decay = 0.01f;

        sgd.Step(parameters);
        double g = 0.3 + decay * 0.75;
        double buffer = g;
        double slope = 0.75 - lr * (g + momentum * buffer);
        Assert.Equal(slope, model.Slope, 15);
        double offsetG = -0.2 + decay * -0.5;
        double offsetBuffer = offsetG;
        float offset = (float)(-0.5 - lr * (offsetG + momentum * offsetBuffer));
        Assert.Equal(offset, model.Offset);

        model.SlopeGradient = -0.1;
        model.OffsetGradient = 0.4;
        sgd.Step(parameters);
        g = -0.1 + decay * slope;
        buffer = momentum * buffer + g;
        Assert.Equal(slope - lr * (g + momentum * buffer), model.Slope, 15);
        offsetG = 0.4 + decay * offset;
        offsetBuffer = momentum * offsetBuffer + offsetG;
        Assert.Equal((float)(offset - lr * (offsetG + momentum * offsetBuffer)), model.Offset);
    }

    [Fact]
    public void Sgd_without_momentum_updates_scalar_parameters()
    {
        var model = new ScalarModel { SlopeGradient = 0.3, OffsetGradient = -0.2 };
        new Sgd(0.5f).Step(model.Parameters);
        Assert.Equal(0.75 - 0.5 * 0.3, model.Slope, 15);
        Assert.Equal((float)(-0.5 - 0.5 * -0.2), model.Offset);
    }

    [Fact]
    public void Adam_updates_scalar_parameters_with_bias_correction_next_to_tensors()
    {
        var model = new ScalarModel { SlopeGradient = 0.3, OffsetGradient = -0.2 };
        float[] p0 = Parameters();
        float[] g1 = Gradient1();
        Tensor p = Tensor.FromArray(p0);
        Tensor grad = Tensor.FromArray(g1);
        ParameterGradient[] parameters = [model.Parameters[0], new("w", p, grad), model.Parameters[1]];
        var adam = new Adam(0.01f, weightDecay: 0.1f);
        double lr = 0.01f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f, decay = 0.1f;
        double m = 0, v = 0, slope = 0.75;
        for (int t = 1; t <= 3; t++)
        {
            double gradient = 0.3 / t;
            model.SlopeGradient = gradient;
            adam.Step(parameters);
            double g = gradient + decay * slope;
            m = beta1 * m + (1 - beta1) * g;
            v = beta2 * v + (1 - beta2) * g * g;
            double mHat = m / (1 - Math.Pow(beta1, t));
            double vHat = v / (1 - Math.Pow(beta2, t));
            slope -= lr * mHat / (Math.Sqrt(vHat) + eps);
            Assert.Equal(slope, model.Slope, 12);
        }
        Assert.NotEqual(-0.5f, model.Offset); // the float one moved too
        Assert.NotEqual(p0[0], p[0]);          // and the tensor
    }

    [Fact]
    public void A_scalar_parameter_where_a_tensor_was_is_rejected()
    {
        var model = new ScalarModel();
        var sgd = new Sgd(0.1f, momentum: 0.5f);
        sgd.Step([new ParameterGradient("w", Tensor.Zeros(2), Tensor.Zeros(2))]);
        var error = Assert.Throws<ArgumentException>(() => sgd.Step([new ParameterGradient("Slope", model, 0)]));
        Assert.Contains("'Slope') is a scalar but was a tensor", error.Message);
    }

    [Fact]
    public void A_pair_says_which_kind_it_is()
    {
        var model = new ScalarModel { SlopeGradient = 2 };
        ParameterGradient scalar = model.Parameters[0];
        Assert.True(scalar.IsScalar);
        Assert.Equal(0.75, scalar.ScalarValue);
        Assert.Equal(2, scalar.ScalarGradient);
        Assert.Contains("scalar parameter", Assert.Throws<InvalidOperationException>(() => scalar.Parameter).Message);
        var tensor = new ParameterGradient("w", Tensor.Zeros(1), Tensor.Zeros(1));
        Assert.False(tensor.IsScalar);
        Assert.Contains("tensor parameter", Assert.Throws<InvalidOperationException>(() => tensor.ScalarValue).Message);
    }
}
