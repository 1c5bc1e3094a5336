using System;
using System.Linq;
using Autodiff.Optimizers;
using Xunit;

namespace Autodiff.Gradients.Tests.Tensors;

/// <summary>
/// Generated gradients of tensor code, end to end. The MLP is checked against central differences
/// of a double-precision reference of the same network at the same (float) weights, so the
/// differences are exact to ~1e-9; the tolerance (atol 1e-4, rtol 1e-3) covers float32 rounding in
/// the generated forward and backward passes. Functions without a double reference are checked
/// with float differences (step 1e-2, tolerance 2e-2: float rounding over the step, and the O(h²)
/// truncation error).
/// </summary>
public class TensorGradientTests
{
    [Fact]
    public void Mlp_gradient_matches_a_double_precision_reference()
    {
        var model = new Mlp(inputs: 4, hidden: 5, outputs: 3, seed: 7);
        Tensor x = Tensor.RandomNormal(11, 0f, 1f, 6, 4);
        int[] labels = { 0, 2, 1, 1, 0, 2 };
        var gradients = new Mlp.Gradients(model);

        float loss = model.LossGradient(x, labels, gradients).Item();

        Assert.Equal(ReferenceLoss(model, x, labels), loss, 5);
        foreach (ParameterGradient pair in gradients.Parameters)
        {
            for (int i = 0; i < pair.Parameter.Length; i++)
            {
                float original = pair.Parameter.Span[i];
                const double h = 1e-6;
                // Central difference of the double reference around the float weights.
                double numeric = (ReferenceLoss(model, x, labels, pair.Parameter, i, original + h) - ReferenceLoss(model, x, labels, pair.Parameter, i, original - h)) / (2 * h);
                double analytic = pair.Gradient.Span[i];
                Assert.True(Math.Abs(numeric - analytic) <= 1e-4 + 1e-3 * Math.Abs(numeric), $"∂loss/∂{pair.Name}[{i}]: numeric {numeric}, generated {analytic}");
            }
        }
    }

    [Fact]
    public void A_model_method_calling_another_reaches_the_same_gradients()
    {
        var model = new Mlp(4, 5, 3, seed: 9);
        Tensor x = Tensor.RandomNormal(12, 0f, 1f, 6, 4);
        int[] labels = { 2, 0, 1, 1, 0, 2 };
        var direct = new Mlp.Gradients(model);
        var through = new Mlp.Gradients(model);
        float a = model.LossGradient(x, labels, direct).Item();
        float b = model.LossThroughLogitsGradient(x, labels, through).Item();
        Assert.Equal(a, b, 6);
        for (int p = 0; p < direct.Parameters.Count; p++)
        {
            Assert.Equal(direct.Parameters[p].Gradient.ToArray().AsEnumerable(), through.Parameters[p].Gradient.ToArray(), new Tolerance(1e-5f));
            Assert.Contains(through.Parameters[p].Gradient.ToArray(), v => v != 0f);
        }
    }

    [Fact]
    public void Scalar_model_parameters_and_array_inputs_get_their_gradients()
    {
        var model = new LinearRegression();
        double[] xs = { 0.5, -1.0, 2.0, 0.25 };
        double[] ys = { 4.0, 1.5, 5.0, 3.0 };
        var gradients = new LinearRegression.Gradients(model);
        double value = model.NegativeLogLikelihoodGradient(xs, ys, gradients, out double[] dXs);
        Assert.Equal(model.NegativeLogLikelihood(xs, ys), value, 12);
        double Central(Action<double> set, double at)
        {
            const double h = 1e-6;
            set(at + h);
            double plus = model.NegativeLogLikelihood(xs, ys);
            set(at - h);
            double minus = model.NegativeLogLikelihood(xs, ys);
            set(at);
            return (plus - minus) / (2 * h);
        }
        Assert.Equal(Central(v => model.Slope = v, model.Slope), gradients.Slope, 6);
        Assert.Equal(Central(v => model.Intercept = v, model.Intercept), gradients.Intercept, 6);
        Assert.Equal(Central(v => model.LogScale = v, model.LogScale), gradients.LogScale, 6);
        for (int i = 0; i < xs.Length; i++)
        {
            int k = i;
            Assert.Equal(Central(v => xs[k] = v, xs[k]), dXs[i], 6);
        }
        Assert.Equal(["Slope", "Intercept", "LogScale"], gradients.Parameters.Select(p => p.Name));
        Assert.All(gradients.Parameters, p => Assert.True(p.IsScalar));
        Assert.Equal(gradients.Intercept, gradients.Parameters[1].ScalarGradient);
        gradients.Zero();
        Assert.Equal(0.0, gradients.Slope);
    }

    [Fact]
    public void Float_model_parameter_next_to_tensors()
    {
        var model = new TemperedClassifier();
        Tensor x = Tensor.RandomNormal(4, 0f, 1f, 5, 3);
        int[] labels = { 0, 3, 1, 2, 1 };
        var gradients = new TemperedClassifier.Gradients(model);
        model.LossGradient(x, labels, gradients);
        const float h = 1e-2f;
        float t = model.Temperature;
        model.Temperature = t + h;
        double plus = model.Loss(x, labels).Item();
        model.Temperature = t - h;
        double minus = model.Loss(x, labels).Item();
        model.Temperature = t;
        double numeric = (plus - minus) / (2 * h);
        Assert.True(Math.Abs(numeric - gradients.Temperature) <= 2e-2 + 2e-2 * Math.Abs(numeric), $"numeric {numeric}, generated {gradients.Temperature}");
        CheckFloat(() => model.Loss(x, labels).Item(), (model.W, gradients.W));
    }

    [Fact]
    public void Mlp_gradients_accumulate_until_zeroed()
    {
        var model = new Mlp(3, 4, 2, seed: 3);
        Tensor x = Tensor.RandomNormal(5, 0f, 1f, 4, 3);
        int[] labels = { 0, 1, 1, 0 };
        var gradients = new Mlp.Gradients(model);
        model.LossGradient(x, labels, gradients);
        float[] once = gradients.W1.ToArray();
        model.LossGradient(x, labels, gradients);
        Assert.Equal(once.Select(v => 2 * v), gradients.W1.ToArray().AsEnumerable(), new Tolerance(1e-6f));
        gradients.Zero();
        Assert.All(gradients.Parameters, p => Assert.All(p.Gradient.ToArray(), v => Assert.Equal(0f, v)));
    }

    [Fact]
    public void Mlp_pullback_scales_by_the_seed_and_checks_the_gradient_entry_needs_a_scalar()
    {
        var model = new Mlp(3, 4, 2, seed: 3);
        Tensor x = Tensor.RandomNormal(5, 0f, 1f, 4, 3);
        int[] labels = { 0, 1, 1, 0 };
        var byGradient = new Mlp.Gradients(model);
        var byPullback = new Mlp.Gradients(model);
        model.LossGradient(x, labels, byGradient);
        model.LossPullback(x, labels, Tensor.Scalar(3f), byPullback);
        Assert.Equal(byGradient.B2.ToArray().Select(v => 3 * v), byPullback.B2.ToArray().AsEnumerable(), new Tolerance(1e-5f));
    }

    [Fact]
    public void A_training_step_allocates_nothing_after_the_first()
    {
        var model = new Mlp(8, 16, 4, seed: 1);
        Tensor x = Tensor.RandomNormal(2, 0f, 1f, 32, 8);
        int[] labels = Enumerable.Range(0, 32).Select(i => i % 4).ToArray();
        var gradients = new Mlp.Gradients(model);
        var optimizer = new Sgd(0.1f, momentum: 0.9f);
        void Step()
        {
            gradients.Zero();
            model.LossGradient(x, labels, gradients);
            optimizer.Step(gradients.Parameters);
        }
        long bytes = Harness.Allocations.OfSteadyState(Step);
        Assert.True(bytes == 0, $"ten training steps allocated {bytes} bytes");
    }

    [Fact]
    public void Training_reduces_the_loss()
    {
        var model = new Mlp(4, 8, 3, seed: 5);
        Tensor x = Tensor.RandomNormal(9, 0f, 1f, 30, 4);
        int[] labels = Enumerable.Range(0, 30).Select(i => x[i, 0] > 0 ? (x[i, 1] > 0 ? 0 : 1) : 2).ToArray();
        var gradients = new Mlp.Gradients(model);
        var optimizer = new Adam(0.05f);
        float first = model.Loss(x, labels).Item();
        for (int step = 0; step < 200; step++)
        {
            gradients.Zero();
            model.LossGradient(x, labels, gradients);
            optimizer.Step(gradients.Parameters);
        }
        float last = model.Loss(x, labels).Item();
        Assert.True(last < first * 0.2f, $"loss went from {first} to {last}");
    }

    [Fact]
    public void Pointwise_functions_gradient_matches_finite_differences()
    {
        Tensor x = Tensor.RandomNormal(11, 0f, 1f, 3, 4);
        Tensor w = Tensor.RandomNormal(12, 0f, 0.7f, 4, 5);
        TensorFunctions.PointwiseGradient(x, w, 1.5f, out Tensor dX, out Tensor dW, out float dExponent);
        CheckFloat(() => TensorFunctions.Pointwise(x, w, 1.5f).Item(), (x, dX), (w, dW));
        const float h = 1e-2f;
        double numeric = (TensorFunctions.Pointwise(x, w, 1.5f + h).Item() - TensorFunctions.Pointwise(x, w, 1.5f - h).Item()) / (2.0 * h);
        Assert.True(Math.Abs(numeric - dExponent) <= 2e-2 * Math.Max(1, Math.Abs(numeric)), $"d/dexponent: numeric {numeric}, generated {dExponent}");
    }

    /// <summary>Causal self-attention (2 heads, batch 2, 4 positions, 6 channels) through generated code, against finite differences.</summary>
    [Fact]
    public void Causal_attention_block_gradient_matches_finite_differences()
    {
        Tensor x = Tensor.RandomNormal(21, 0f, 1f, 2, 4, 6);
        Tensor gamma = Tensor.RandomNormal(22, 1f, 0.2f, 6), beta = Tensor.RandomNormal(23, 0f, 0.2f, 6);
        Tensor wq = Tensor.RandomNormal(24, 0f, 0.5f, 6, 6), wk = Tensor.RandomNormal(25, 0f, 0.5f, 6, 6);
        Tensor wv = Tensor.RandomNormal(26, 0f, 0.5f, 6, 6), wo = Tensor.RandomNormal(27, 0f, 0.5f, 6, 6);
        Attention.LossGradient(x, gamma, beta, wq, wk, wv, wo, 2,
            out Tensor dX, out Tensor dGamma, out Tensor dBeta, out Tensor dWq, out Tensor dWk, out Tensor dWv, out Tensor dWo);
        CheckFloat(() => Attention.Loss(x, gamma, beta, wq, wk, wv, wo, 2).Item(),
            (x, dX), (gamma, dGamma), (beta, dBeta), (wq, dWq), (wk, dWk), (wv, dWv), (wo, dWo));
    }

    /// <summary>Where as masked_fill before a softmax and as a choice between two tensors, through generated code.</summary>
    [Fact]
    public void Masked_pooling_with_where_gradient_matches_finite_differences()
    {
        Tensor scores = Tensor.RandomNormal(61, 0f, 1f, 4, 4), values = Tensor.RandomNormal(62, 0f, 1f, 4, 4);
        Tensor w = Tensor.RandomNormal(63, 0f, 1f, 4, 4);
        Tensor keep = Tensor.FromArray([1f, 1f, 0f, 1f, 0f, 1f, 1f, 1f, 1f, 0f, 1f, 0f, 1f, 1f, 1f, 0f]).Reshape(4, 4);
        Attention.MaskedPoolingGradient(scores, values, keep, w, out Tensor dScores, out Tensor dValues, out Tensor dW);
        CheckFloat(() => Attention.MaskedPooling(scores, values, keep, w).Item(), (scores, dScores), (values, dValues), (w, dW));
        // Masked keys get no weight, so their scores no gradient.
        float[] masked = dScores.ToArray();
        Assert.Equal(0f, masked[2]);
        Assert.Equal(0f, masked[4]);
    }

    [Fact]
    public void Reductions_with_keepdim_gradient_matches_finite_differences()
    {
        Tensor x = Tensor.RandomNormal(41, 0f, 1f, 5, 7);
        TensorFunctions.ReductionsGradient(x, out Tensor dX);
        CheckFloat(() => TensorFunctions.Reductions(x).Item(), (x, dX));
    }

    /// <summary>Conv2d, MaxPool2d and AvgPool2d through generated code (a two-layer CNN on 8×8 images), against finite differences.</summary>
    [Fact]
    public void Small_cnn_gradient_matches_finite_differences()
    {
        Tensor images = Tensor.RandomNormal(51, 0f, 1f, 3, 1, 8, 8);
        int[] labels = [1, 0, 2];
        Tensor w1 = Tensor.RandomNormal(52, 0f, 0.5f, 4, 1, 3, 3), b1 = Tensor.RandomNormal(53, 0f, 0.1f, 4);
        Tensor w2 = Tensor.RandomNormal(54, 0f, 0.3f, 5, 4, 3, 3), b2 = Tensor.RandomNormal(55, 0f, 0.1f, 5);
        Tensor w3 = Tensor.RandomNormal(56, 0f, 0.3f, 20, 3), b3 = Tensor.RandomNormal(57, 0f, 0.1f, 3);
        SmallCnn.LossGradient(images, labels, w1, b1, w2, b2, w3, b3,
            out Tensor dW1, out Tensor dB1, out Tensor dW2, out Tensor dB2, out Tensor dW3, out Tensor dB3);
        CheckFloat(() => SmallCnn.Loss(images, labels, w1, b1, w2, b2, w3, b3).Item(), (w1, dW1), (b1, dB1), (w2, dW2), (b2, dB2), (w3, dW3), (b3, dB3));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Dropout_gradient_matches_finite_differences_in_training_and_evaluation(bool training)
    {
        Tensor x = Tensor.RandomNormal(71, 0f, 1f, 4, 5);
        Tensor w1 = Tensor.RandomNormal(72, 0f, 0.5f, 5, 6), w2 = Tensor.RandomNormal(73, 0f, 0.5f, 6, 2);
        TensorFunctions.WithDropoutGradient(x, w1, w2, 17, training, out Tensor dX, out Tensor dW1, out Tensor dW2);
        CheckFloat(() => TensorFunctions.WithDropout(x, w1, w2, 17, training).Item(), (x, dX), (w1, dW1), (w2, dW2));
        if (training)
        {
            // The mask matters: without it the gradient is another one.
            TensorFunctions.WithDropoutGradient(x, w1, w2, 17, false, out _, out _, out Tensor evaluationDW2);
            Assert.NotEqual(evaluationDW2.ToArray(), dW2.ToArray());
        }
    }

    [Fact]
    public void Recurrent_cell_gradient_matches_finite_differences()
    {
        Tensor h0 = Tensor.RandomNormal(1, 0f, 0.5f, 2, 3);
        Tensor w = Tensor.RandomNormal(2, 0f, 0.5f, 3, 3);
        Tensor u = Tensor.RandomNormal(3, 0f, 0.5f, 3);
        Tensor x = Tensor.RandomNormal(4, 0f, 0.5f, 2, 3);
        TensorFunctions.RecurrentGradient(h0, w, u, x, 4, out Tensor dH0, out Tensor dW, out Tensor dU);
        CheckFloat(() => TensorFunctions.Recurrent(h0, w, u, x, 4).Item(), (h0, dH0), (w, dW), (u, dU));
    }

    [Fact]
    public void Mixed_tensor_and_scalar_gradient_matches_finite_differences()
    {
        foreach (float scale in new[] { 0.7f, 1.6f })
        {
            Tensor a = Tensor.RandomNormal(5, 0f, 0.5f, 2, 3);
            Tensor b = Tensor.RandomNormal(6, 0f, 0.5f, 3, 2);
            TensorFunctions.MixedGradient(a, b, scale, out Tensor dA, out Tensor dB, out float dScale);
            CheckFloat(() => TensorFunctions.Mixed(a, b, scale), (a, dA), (b, dB));
            const float h = 1e-2f;
            double numeric = (TensorFunctions.Mixed(a, b, scale + h) - TensorFunctions.Mixed(a, b, scale - h)) / (2.0 * h);
            Assert.True(Math.Abs(numeric - dScale) <= 2e-2 + 2e-2 * Math.Abs(numeric), $"∂/∂scale: numeric {numeric}, generated {dScale}");
        }
    }

    [Fact]
    public void Recursive_tensor_method_gradient_matches_finite_differences()
    {
        Tensor x = Tensor.RandomNormal(13, 0f, 0.8f, 2, 3);
        RecursiveTensors.NestGradient(x, 3, out Tensor dX);
        CheckFloat(() => RecursiveTensors.Nest(x, 3).Item(), (x, dX));
    }

    [Fact]
    public void A_user_tensor_op_with_its_own_rule_is_differentiated_through_it()
    {
        var model = new SwishNet();
        Tensor x = Tensor.RandomNormal(33, 0f, 1f, 5, 3);
        int[] labels = { 0, 1, 1, 0, 1 };
        var gradients = new SwishNet.Gradients(model);
        model.LossGradient(x, labels, gradients);
        CheckFloat(() => model.Loss(x, labels).Item(), (model.W, gradients.W), (model.V, gradients.V));
    }

    [Fact]
    public void Softmax_gradient_matches_finite_differences()
    {
        Tensor logits = Tensor.RandomNormal(7, 0f, 1f, 2, 4);
        Tensor weights = Tensor.RandomNormal(8, 0f, 1f, 2, 4);
        TensorFunctions.SoftmaxGradient(logits, weights, out Tensor dLogits);
        CheckFloat(() => TensorFunctions.Softmax(logits, weights).Item(), (logits, dLogits));
    }

    [Fact]
    public void Gradient_of_a_tensor_result_with_several_elements_throws_like_backward()
    {
        var error = Assert.Throws<InvalidOperationException>(() => VectorValued.SquaresGradient(Tensor.Ones(3), out _));
        Assert.Contains("SquaresGradient: the result has 3 elements", error.Message);
        Tensor dX = Tensor.Zeros(3);
        VectorValued.SquaresPullback(Tensor.FromArray(new[] { 1f, 2f, 3f }), Tensor.FromArray(new[] { 1f, 1f, 0.5f }), dX);
        Assert.Equal(new[] { 2f, 4f, 3f }, dX.ToArray());
    }

    [Fact]
    public void Embedding_lookup_gradient_matches_finite_differences_and_scatters_into_repeated_rows()
    {
        var model = new EmbeddingClassifier();
        int[] tokens = { 1, 4, 1, 0, 4, 4 };
        int[] labels = { 0, 1, 1, 0, 1, 0 };
        var gradients = new EmbeddingClassifier.Gradients(model);
        model.LossGradient(tokens, labels, gradients);
        CheckFloat(() => model.Loss(tokens, labels).Item(), (model.Embedding, gradients.Embedding), (model.W, gradients.W));
        // Rows of tokens that never occur get nothing; the others do.
        for (int row = 0; row < 6; row++)
        {
            bool used = tokens.Contains(row);
            Assert.Equal(used, Enumerable.Range(0, 3).Any(j => gradients.Embedding[row, j] != 0f));
        }
    }

    [Fact]
    public void Grad_Stop_on_a_tensor_cuts_its_path()
    {
        Tensor x = Tensor.FromArray(new[] { 1f, -2f, 3f });
        TensorCopies.HalfStoppedGradient(x, out Tensor dX);
        Assert.Equal(new[] { 1f, -2f, 3f }, dX.ToArray());
        Assert.Equal(14f, TensorCopies.HalfStopped(x).Item());
    }

    [Fact]
    public void Clone_passes_the_gradient_through()
    {
        Tensor x = Tensor.FromArray(new[] { 1f, -2f, 3f });
        TensorCopies.ClonedSquaresGradient(x, out Tensor dX);
        Assert.Equal(new[] { 2f, -4f, 6f }, dX.ToArray());
        CheckFloat(() => TensorCopies.ClonedSquares(x).Item(), (x, dX));
    }

    private static void CheckFloat(Func<float> f, params (Tensor Input, Tensor Gradient)[] inputs)
    {
        const float h = 1e-2f;
        foreach ((Tensor input, Tensor gradient) in inputs)
        {
            for (int i = 0; i < input.Length; i++)
            {
                float original = input.Span[i];
                input.Span[i] = original + h;
                double plus = f();
                input.Span[i] = original - h;
                double minus = f();
                input.Span[i] = original;
                double numeric = (plus - minus) / (2 * h);
                Assert.True(Math.Abs(numeric - gradient.Span[i]) <= 2e-2 + 2e-2 * Math.Abs(numeric), $"element {i}: numeric {numeric}, generated {gradient.Span[i]}");
            }
        }
    }

    private static double ReferenceLoss(Mlp model, Tensor x, int[] labels, Tensor? perturbed = null, int index = -1, double value = 0)
    {
        double At(Tensor t, int i) => ReferenceEquals(t, perturbed) && i == index ? value : t.Span[i];
        int n = x.Dim(0), inputs = x.Dim(1), hidden = model.W1.Dim(1), outputs = model.W2.Dim(1);
        double total = 0;
        for (int row = 0; row < n; row++)
        {
            var h = new double[hidden];
            for (int j = 0; j < hidden; j++)
            {
                double s = At(model.B1, j);
                for (int k = 0; k < inputs; k++) s += x[row, k] * At(model.W1, k * hidden + j);
                h[j] = Math.Tanh(s);
            }
            var logits = new double[outputs];
            for (int j = 0; j < outputs; j++)
            {
                double s = At(model.B2, j);
                for (int k = 0; k < hidden; k++) s += h[k] * At(model.W2, k * outputs + j);
                logits[j] = s;
            }
            double max = logits.Max();
            double logSum = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
            total += logSum - logits[labels[row]];
        }
        return total / n;
    }

    private sealed class Tolerance(float tolerance) : System.Collections.Generic.IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tolerance * (1 + Math.Abs(a));
        public int GetHashCode(float value) => 0;
    }
}

public static partial class VectorValued
{
    [Differentiable]
    public static Tensor Squares(Tensor x) => x * x;
}
