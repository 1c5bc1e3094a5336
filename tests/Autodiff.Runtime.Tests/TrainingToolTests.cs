using System;
using System.Collections.Generic;
using Autodiff.Optimizers;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>
/// AdamW, gradient clipping by global norm and the learning-rate schedules, against values worked
/// out from torch.optim.AdamW's, clip_grad_norm_'s and nanoGPT's formulas, in double.
/// </summary>
public sealed class TrainingToolTests
{
    private const int Length = 37;

    private static float[] Ramp(Func<int, float> f)
    {
        var values = new float[Length];
        for (int i = 0; i < Length; i++) values[i] = f(i);
        return values;
    }

    [Fact]
    public void AdamW_shrinks_the_parameter_then_takes_the_plain_Adam_step()
    {
        float[] p0 = Ramp(i => 0.5f - 0.03f * i), g1 = Ramp(i => 0.2f * MathF.Sin(i)), g2 = Ramp(i => -0.1f + 0.01f * i);
        Tensor p = Tensor.FromArray(p0);
        var adamw = new AdamW(learningRate: 0.01f, weightDecay: 0.1f);
        adamw.Step([new ParameterGradient("w", p, Tensor.FromArray(g1))]);
        adamw.Step([new ParameterGradient("w", p, Tensor.FromArray(g2))]);
        for (int i = 0; i < Length; i++)
        {
            double q = p0[i] * (1 - 0.01 * 0.1);
            double m = 0.1 * g1[i], v = 0.001 * g1[i] * g1[i];
            q -= 0.01 / (1 - 0.9) * m / (Math.Sqrt(v) / Math.Sqrt(1 - 0.999) + 1e-8);
            q *= 1 - 0.01 * 0.1;
            m = 0.9 * m + 0.1 * g2[i];
            v = 0.999 * v + 0.001 * g2[i] * g2[i];
            q -= 0.01 / (1 - 0.81) * m / (Math.Sqrt(v) / Math.Sqrt(1 - 0.999 * 0.999) + 1e-8);
            Assert.Equal(q, p[i], 1e-6);
        }
        Assert.Equal(2, adamw.StepCount);
    }

    [Fact]
    public void AdamW_decays_a_parameter_whose_gradient_is_zero_and_Adam_does_not()
    {
        Tensor decoupled = Tensor.Full(2f, 3), coupled = Tensor.Full(2f, 3);
        var adamw = new AdamW(learningRate: 0.1f, weightDecay: 0.5f);
        var adam = new Adam(learningRate: 0.1f);
        for (int step = 0; step < 3; step++)
        {
            adamw.Step([new ParameterGradient("w", decoupled, Tensor.Zeros(3))]);
            adam.Step([new ParameterGradient("w", coupled, Tensor.Zeros(3))]);
        }
        Assert.Equal(2 * Math.Pow(1 - 0.1 * 0.5, 3), decoupled[0], 1e-6);
        Assert.Equal(2f, coupled[0]);
    }

    [Fact]
    public void AdamW_steps_scalar_parameters_in_double_and_allocates_nothing_after_the_first_step()
    {
        var model = new Scalars { Value = 0.75, Gradient = 0.3 };
        Tensor w = Tensor.FromArray(Ramp(i => 0.1f * i)), dw = Tensor.FromArray(Ramp(i => 0.01f * i));
        ParameterGradient[] parameters = [new("w", w, dw), new("s", model, 0)];
        var adamw = new AdamW(learningRate: 0.01f, weightDecay: 0.1f);
        adamw.Step(parameters);
        // Step 1 of a scalar, in double from the float hyperparameters: shrink, then lr·g/(|g| + ε).
        double lr = 0.01f, decay = 0.1f;
        Assert.Equal(0.75 * (1 - lr * decay) - lr * 0.3 / (0.3 + 1e-8), model.Value, 1e-12);
        long before = GC.GetAllocatedBytesForCurrentThread();
        adamw.Step(parameters);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Clipping_scales_every_gradient_by_the_global_norm_only_above_the_limit()
    {
        var model = new Scalars { Gradient = 4 };
        Tensor a = Tensor.FromArray([3f, 0f]), b = Tensor.FromArray([0f, 12f]);
        ParameterGradient[] parameters = [new("a", Tensor.Zeros(2), a), new("b", Tensor.Zeros(2), b), new("s", model, 0)];
        // ‖(3, 12, 4)‖ = 13.
        Assert.Equal(13.0, GradientClipping.ClipByGlobalNorm(parameters, maxNorm: 20), 12);
        Assert.Equal(12f, b[1]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        double norm = GradientClipping.ClipByGlobalNorm(parameters, maxNorm: 1.3);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(13.0, norm, 12);
        double coefficient = 1.3 / (13 + 1e-6);
        Assert.Equal(3 * coefficient, a[0], 1e-6);
        Assert.Equal(12 * coefficient, b[1], 1e-6);
        Assert.Equal(4 * coefficient, model.Gradient, 1e-12);
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm(parameters, -1));
    }

    [Fact]
    public void Clipping_sums_the_squares_of_long_gradients_in_double_whatever_their_lengths()
    {
        // Lengths around the vector loop's step of 16 (and none of it), each against a double sum.
        int[] lengths = [1, 7, 15, 16, 17, 31, 33, 1000, 4099];
        var random = new Random(5);
        var parameters = new ParameterGradient[lengths.Length];
        double expected = 0;
        for (int p = 0; p < lengths.Length; p++)
        {
            var values = new float[lengths[p]];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (float)(random.NextDouble() * 2 - 1) * (i % 3 == 0 ? 1e3f : 1e-3f);
                expected += (double)values[i] * values[i];
            }
            parameters[p] = new ParameterGradient($"p{p}", Tensor.Zeros(values.Length), Tensor.FromArray(values));
        }
        Assert.Equal(Math.Sqrt(expected), GradientClipping.ClipByGlobalNorm(parameters, maxNorm: double.MaxValue), Math.Sqrt(expected) * 1e-14);
    }

    [Fact]
    public void Clipping_a_scalar_that_cannot_take_a_gradient_says_so()
    {
        var error = Assert.Throws<NotSupportedException>(() => GradientClipping.ClipByGlobalNorm([new ParameterGradient("s", new ReadOnlyGradient(), 0)], 0.1));
        Assert.Contains("does not implement IScalarParameters.SetGradient", error.Message);
    }

    [Fact]
    public void The_step_schedule_multiplies_by_gamma_every_step_size()
    {
        var schedule = new StepSchedule(0.1f, stepSize: 3, gamma: 0.5f);
        float[] expected = [0.1f, 0.1f, 0.1f, 0.05f, 0.05f, 0.05f, 0.025f];
        for (int step = 0; step < expected.Length; step++)
        {
            Assert.Equal(expected[step], schedule.At(step), 1e-7f);
        }
    }

    [Fact]
    public void The_cosine_schedule_warms_up_linearly_then_follows_half_a_cosine_to_the_minimum()
    {
        var schedule = new CosineSchedule(1e-3f, warmupSteps: 100, decaySteps: 2000, minimumRate: 1e-4f);
        Assert.Equal(1e-3 * 1 / 101, schedule.At(0), 1e-9);
        Assert.Equal(1e-3 * 100 / 101, schedule.At(99), 1e-9);
        Assert.Equal(1e-3, schedule.At(100), 1e-9);
        Assert.Equal(1e-4 + 0.5 * (1e-3 - 1e-4), schedule.At(1050), 1e-9); // halfway: cos(π/2) = 0
        Assert.Equal(1e-4, schedule.At(2000), 1e-9);
        Assert.Equal(1e-4, schedule.At(5000), 1e-9);
        float previous = float.MaxValue;
        for (int step = 100; step <= 2000; step += 50)
        {
            Assert.True(schedule.At(step) <= previous, "the decay never rises");
            previous = schedule.At(step);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(1e-3f, 100, 100));
    }

    private sealed class Scalars : IScalarParameters
    {
        public double Value;
        public double Gradient;

        public double GetValue(int index) => Value;

        public void SetValue(int index, double value) => Value = value;

        public double GetGradient(int index) => Gradient;

        public void SetGradient(int index, double value) => Gradient = value;
    }

    private sealed class ReadOnlyGradient : IScalarParameters
    {
        public double GetValue(int index) => 0;

        public void SetValue(int index, double value)
        {
        }

        public double GetGradient(int index) => 1;
    }
}
