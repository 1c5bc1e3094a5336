using System;
using Autodiff.Derivatives;
using Autodiff.Optimizers;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>Buffer reuse through <see cref="TensorWorkspace"/>.</summary>
public sealed class WorkspaceTests
{
    [Fact]
    public void A_repeated_sequence_reuses_the_buffers_through_two_alternating_tensors()
    {
        Tensor x = Tensor.RandomUniform(1, -1f, 1f, 4, 3);
        Tensor w = Tensor.RandomUniform(2, -1f, 1f, 3, 2);
        var workspace = new TensorWorkspace();
        Tensor[] first = Pass(workspace, x, w);
        float[] firstValues = first[2].ToArray();

        Tensor[] second = Pass(workspace, x, w);
        Tensor[] third = Pass(workspace, x, w);

        for (int i = 0; i < first.Length; i++)
        {
            Assert.NotSame(first[i], second[i]);
            Assert.Same(first[i], third[i]);
        }
        Assert.Equal(firstValues, third[2].ToArray());
        Assert.Equal(first.Length, workspace.SlotCount);
        // The second pass's tensors are stale now: the third pass reused their buffers.
        Assert.Throws<InvalidOperationException>(() => second[2].Item());

        static Tensor[] Pass(TensorWorkspace workspace, Tensor x, Tensor w)
        {
            using var scope = workspace.Enter();
            Tensor product = Tensor.MatMul(x, w);
            Tensor activated = Tensor.Tanh(product);
            Tensor loss = Tensor.Sum(activated);
            return [product, activated, loss];
        }
    }

    [Fact]
    public void Every_access_to_the_values_of_a_recycled_tensor_throws_and_says_how_to_keep_it()
    {
        var workspace = new TensorWorkspace();
        Tensor stale;
        using (workspace.Enter())
        {
            stale = Tensor.Full(2f, 2, 2);
        }
        Tensor kept = stale.Clone(); // outside the scope: a heap copy
        using (workspace.Enter())
        {
            Tensor.Full(3f, 2, 2);
        }
        Tensor other = Tensor.Ones(2, 2);
        var error = Assert.Throws<InvalidOperationException>(() => stale.ToArray());
        Assert.Contains("recycled", error.Message);
        Assert.Contains("Clone()", error.Message);
        Assert.Throws<InvalidOperationException>(() => stale.Span.Length);
        Assert.Throws<InvalidOperationException>(() => stale.AsReadOnlySpan().Length);
        Assert.Throws<InvalidOperationException>(() => stale[1, 1]);
        Assert.Throws<InvalidOperationException>(() => stale[[0, 1]]);
        Assert.Throws<InvalidOperationException>(() => stale.Fill(1f));
        Assert.Throws<InvalidOperationException>(() => stale.CopyFrom(other));
        Assert.Throws<InvalidOperationException>(() => other.CopyFrom(stale));
        Assert.Throws<InvalidOperationException>(() => stale + other);
        Assert.Throws<InvalidOperationException>(() => Tensor.MatMul(other, stale));
        Assert.Throws<InvalidOperationException>(() => Tensor.AddInPlace(other, stale));
        Assert.Throws<InvalidOperationException>(() => stale.Clone());
        Assert.Throws<InvalidOperationException>(() => stale.ToString());
        // The shape is not data: it stays readable.
        Assert.Equal([2, 2], stale.Shape.ToArray());
        Assert.Equal([2f, 2f, 2f, 2f], kept.ToArray());
    }

    [Fact]
    public void A_tensor_whose_slot_got_a_new_shape_keeps_its_values()
    {
        var workspace = new TensorWorkspace();
        Tensor first;
        using (workspace.Enter())
        {
            first = Tensor.Full(4f, 3);
        }
        using (workspace.Enter())
        {
            Tensor.Full(5f, 2);
        }
        Assert.Equal([4f, 4f, 4f], first.ToArray());
    }

    [Fact]
    public void A_slot_asked_for_another_shape_gets_a_new_tensor()
    {
        var workspace = new TensorWorkspace();
        Tensor first;
        using (workspace.Enter())
        {
            first = Tensor.Zeros(2, 3);
        }
        using (workspace.Enter())
        {
            Tensor second = Tensor.Zeros(3, 2);
            Assert.NotSame(first, second);
            Assert.Equal([3, 2], second.Shape.ToArray());
        }
    }

    [Fact]
    public void A_zeroed_request_clears_the_reused_buffer()
    {
        var workspace = new TensorWorkspace();
        using (workspace.Enter())
        {
            Tensor.ZerosLike(Tensor.Zeros(3)).Fill(5f);
        }
        using (workspace.Enter())
        {
            Tensor.Zeros(3);
            Tensor accumulator = Tensor.ZerosLike(Tensor.Zeros(3));
            Assert.Equal([0f, 0f, 0f], accumulator.ToArray());
        }
    }

    [Fact]
    public void Outside_a_scope_every_operation_allocates_a_new_tensor()
    {
        Assert.Null(TensorWorkspace.Current);
        Tensor x = Tensor.Ones(3);
        Assert.NotSame(Tensor.Exp(x), Tensor.Exp(x));
    }

    [Fact]
    public void Scopes_nest_and_restore_the_previous_workspace()
    {
        var outer = new TensorWorkspace();
        var inner = new TensorWorkspace();
        using (outer.Enter())
        {
            Assert.Same(outer, TensorWorkspace.Current);
            using (inner.Enter())
            {
                Assert.Same(inner, TensorWorkspace.Current);
                Tensor.Zeros(2);
            }
            Assert.Same(outer, TensorWorkspace.Current);
            Assert.Throws<InvalidOperationException>(() => outer.Enter());
        }
        Assert.Null(TensorWorkspace.Current);
        Assert.Equal(1, inner.SlotCount);
        Assert.Equal(0, outer.SlotCount);
    }

    [Fact]
    public void A_training_step_allocates_nothing_after_warm_up()
    {
        var model = new TinyClassifier();
        var workspace = new TensorWorkspace();
        for (int i = 0; i < 3; i++)
        {
            model.TrainStep(workspace);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            model.TrainStep(workspace);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(float.IsFinite(model.LastLoss));
    }

    [Fact]
    public void Training_in_a_workspace_lowers_the_loss()
    {
        var model = new TinyClassifier();
        var workspace = new TensorWorkspace();
        model.TrainStep(workspace);
        float initial = model.LastLoss;
        for (int i = 0; i < 200; i++)
        {
            model.TrainStep(workspace);
        }
        Assert.True(model.LastLoss < 0.5f * initial, $"loss went from {initial} to {model.LastLoss}");
    }

    /// <summary>
    /// A two-layer classifier trained by hand-written calls to the forward operations and their
    /// backward rules, as generated code would make them, touching most rule families
    /// (MatMul, broadcast Add and Multiply, Relu, Tanh, Softmax, LogSoftmax, Sum and Mean
    /// along axes, Divide with broadcasting, CrossEntropy, MseLoss) and both optimisers.
    /// </summary>
    private sealed class TinyClassifier
    {
        private readonly Tensor _x = Tensor.RandomNormal(1, 0f, 1f, 16, 5);
        private readonly int[] _labels = new int[16];
        private readonly Tensor _w1 = Tensor.RandomNormal(2, 0f, 0.5f, 5, 8);
        private readonly Tensor _b1 = Tensor.Zeros(8);
        private readonly Tensor _w2 = Tensor.RandomNormal(3, 0f, 0.5f, 8, 3);
        private readonly Tensor _b2 = Tensor.Zeros(3);
        private readonly Tensor _scale = Tensor.Ones(16, 1);
        private readonly ParameterGradient[] _adamParameters = new ParameterGradient[3];
        private readonly ParameterGradient[] _sgdParameters = new ParameterGradient[2];
        private readonly Adam _adam = new(learningRate: 0.02f);
        private readonly Sgd _sgd = new(0.05f, momentum: 0.9f, weightDecay: 1e-4f, nesterov: true);
        private readonly int[] _predictions = new int[16];
        // Made once: in a Debug build a call with constant dimensions such as Zeros(16) reads its
        // shape through RuntimeHelpers.CreateSpan, which unoptimised code runs as a real call
        // that allocates (Release folds it away). Variable dimensions, as below, never allocate.
        private readonly Tensor _zeroRowSeed = Tensor.Zeros(16);

        public TinyClassifier()
        {
            for (int i = 0; i < _labels.Length; i++)
            {
                // A learnable rule: the class is decided by the signs of the first two features.
                _labels[i] = (_x[i, 0] > 0 ? 1 : 0) + (_x[i, 1] > 0 ? 1 : 0);
            }
        }

        public float LastLoss { get; private set; }

        public void TrainStep(TensorWorkspace workspace)
        {
            using var scope = workspace.Enter();

            // Forward.
            Tensor z1 = Tensor.MatMul(_x, _w1);
            Tensor a1 = z1 + _b1;
            Tensor h = Tensor.Relu(a1);
            Tensor g = Tensor.Tanh(h);
            Tensor s = g * _scale;
            Tensor z2 = Tensor.MatMul(s, _w2);
            Tensor logits = z2 + _b2;
            Tensor loss = Tensor.CrossEntropy(logits, _labels);
            // Side branches whose rules also run each step.
            Tensor probabilities = Tensor.Softmax(logits);
            Tensor logProbabilities = Tensor.LogSoftmax(logits);
            Tensor rowMeans = Tensor.Mean(logProbabilities, 1);
            Tensor columnSums = Tensor.Sum(probabilities, 0);
            Tensor ratio = probabilities / columnSums;
            Tensor mse = Tensor.MseLoss(probabilities, ratio);
            Tensor.ArgMax(logits, _predictions);
            LastLoss = loss.Item();

            // Backward.
            Tensor one = Tensor.Scalar(1f);
            Tensor dLogits = Tensor.ZerosLike(logits);
            TensorDerivatives.CrossEntropyBackward(logits, _labels, one, dLogits);
            Tensor dProbabilities = Tensor.ZerosLike(probabilities);
            Tensor dRatio = Tensor.ZerosLike(ratio);
            TensorDerivatives.MseLossBackward(probabilities, ratio, Tensor.Scalar(0f), dProbabilities, dRatio);
            Tensor dColumnSums = Tensor.ZerosLike(columnSums);
            TensorDerivatives.DivideBackward(probabilities, columnSums, ratio, dRatio, dProbabilities, dColumnSums);
            TensorDerivatives.SumAxisBackward(probabilities, 0, dColumnSums, dProbabilities);
            Tensor dLogProbabilities = Tensor.ZerosLike(logProbabilities);
            TensorDerivatives.MeanAxisBackward(logProbabilities, 1, _zeroRowSeed, dLogProbabilities);
            TensorDerivatives.LogSoftmaxBackward(logits, logProbabilities, dLogProbabilities, dLogits);
            TensorDerivatives.SoftmaxBackward(logits, probabilities, dProbabilities, dLogits);

            Tensor dZ2 = Tensor.ZerosLike(z2);
            Tensor dB2 = Tensor.ZerosLike(_b2);
            TensorDerivatives.AddBackward(z2, _b2, dLogits, dZ2, dB2);
            Tensor dS = Tensor.ZerosLike(s);
            Tensor dW2 = Tensor.ZerosLike(_w2);
            TensorDerivatives.MatMulBackward(s, _w2, dZ2, dS, dW2);
            Tensor dG = Tensor.ZerosLike(g);
            TensorDerivatives.MultiplyBackward(g, _scale, dS, dG, Tensor.ZerosLike(_scale));
            Tensor dH = Tensor.ZerosLike(h);
            TensorDerivatives.TanhBackward(h, g, dG, dH);
            Tensor dA1 = Tensor.ZerosLike(a1);
            TensorDerivatives.ReluBackward(a1, dH, dA1);
            Tensor dZ1 = Tensor.ZerosLike(z1);
            Tensor dB1 = Tensor.ZerosLike(_b1);
            TensorDerivatives.AddBackward(z1, _b1, dA1, dZ1, dB1);
            Tensor dW1 = Tensor.ZerosLike(_w1);
            TensorDerivatives.MatMulBackward(_x, _w1, dZ1, null, dW1);

            // Update.
            _adamParameters[0] = new ParameterGradient("w1", _w1, dW1);
            _adamParameters[1] = new ParameterGradient("b1", _b1, dB1);
            _adamParameters[2] = new ParameterGradient("w2", _w2, dW2);
            _adam.Step(_adamParameters);
            _sgdParameters[0] = new ParameterGradient("b2", _b2, dB2);
            _sgdParameters[1] = new ParameterGradient("unused", _scale, Tensor.ZerosLike(_scale));
            _sgd.Step(_sgdParameters);
        }
    }
}
