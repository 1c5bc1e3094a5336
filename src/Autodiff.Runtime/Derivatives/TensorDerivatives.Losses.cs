using System;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

// Each rule is documented by its DerivativeOf target and the class summary; a summary per rule would repeat them.
#pragma warning disable CS1591

namespace Autodiff.Derivatives;

// Losses with mean reduction: the rank-0 seed is shared equally by the rows (or elements).
public static partial class TensorDerivatives
{
    /// <summary>dLogits[i] += seed/N · (softmax(logits[i]) − onehot(labels[i])); the softmax is recomputed, stably.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.CrossEntropy))]
    public static void CrossEntropyBackward(Tensor logits, int[] labels, Tensor seed, Tensor? dLogits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(seed);
        Tensor.ValidateClassification(nameof(CrossEntropyBackward), logits, labels);
        RequireScalarSeed(nameof(CrossEntropyBackward), seed);
        TensorShape.RequireAccumulator(nameof(CrossEntropyBackward), dLogits, logits);
        if (dLogits is null) return;
        int rows = logits.Dim(0);
        int classes = logits.Dim(1);
        float perRow = seed.Span[0] / rows;
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<float> values = logits.Span.Slice(row * classes, classes);
            Span<float> gradient = dLogits.Span.Slice(row * classes, classes);
            float max = TensorPrimitives.Max(values);
            float expSum = ElementwiseLoop.Sum(new ExpShiftedKernel(max), values);
            ElementwiseLoop.Map(new AddScaledExpShiftedKernel(max, perRow / expSum), values, gradient, gradient);
            gradient[labels[row]] -= perRow;
        }
    }

    /// <summary>mean over rows i of ⟨softmax(logits[i]), dLogits[i]⟩ − dLogits[i][labels[i]]; the softmax is recomputed, stably.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.CrossEntropy), Mode = DerivativeMode.Forward)]
    public static Tensor CrossEntropyTangent(Tensor logits, int[] labels, Tensor? dLogits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        Tensor.ValidateClassification(nameof(CrossEntropyTangent), logits, labels);
        TensorShape.RequireTangent(nameof(CrossEntropyTangent), dLogits, logits);
        if (dLogits is null) return Tensor.Scalar(0f);
        int rows = logits.Dim(0);
        int classes = logits.Dim(1);
        // Summed in double over rows, as the loss itself is.
        double total = 0;
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<float> values = logits.Span.Slice(row * classes, classes);
            ReadOnlySpan<float> direction = dLogits.Span.Slice(row * classes, classes);
            float max = TensorPrimitives.Max(values);
            float expSum = ElementwiseLoop.Sum(new ExpShiftedKernel(max), values);
            float weighted = ElementwiseLoop.Sum(new ExpShiftedProductKernel(max), values, direction);
            total += weighted / expSum - direction[labels[row]];
        }
        return Tensor.Scalar((float)(total / rows));
    }

    /// <summary>
    /// The pullback of CrossEntropyTangent = mean over rows i of ⟨p_i, dLogits[i]⟩ − dLogits[i][labels[i]], p_i = softmax(logits[i]):
    /// bDLogits as CrossEntropyBackward; bLogits[i] += seed/N · p_i ⊙ (dLogits[i] − ⟨p_i, dLogits[i]⟩).
    /// </summary>
    [DerivativeOf(nameof(CrossEntropyTangent))]
    public static void CrossEntropyTangentBackward(Tensor logits, int[] labels, Tensor? dLogits, Tensor seed, Tensor? bLogits, Tensor? bDLogits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(seed);
        Tensor.ValidateClassification(nameof(CrossEntropyTangentBackward), logits, labels);
        RequireScalarSeed(nameof(CrossEntropyTangentBackward), seed);
        TensorShape.RequireTangent(nameof(CrossEntropyTangentBackward), dLogits, logits);
        TensorShape.RequireAccumulator(nameof(CrossEntropyTangentBackward), bLogits, logits);
        TensorShape.RequireAccumulator(nameof(CrossEntropyTangentBackward), bDLogits, logits);
        CrossEntropyBackward(logits, labels, seed, bDLogits);
        if (bLogits is null || dLogits is null) return;
        // Only ⟨p_i, dLogits[i]⟩ depends on the logits (the label term is constant): its gradient is the
        // softmax pullback of the row's tangent, which the mean weights by seed/N.
        Tensor weighted = Tensor.Multiply(dLogits, seed.Span[0] / logits.Dim(0));
        SoftmaxBackward(logits, Tensor.Softmax(logits), weighted, bLogits);
    }

    /// <summary>d prediction += 2·seed/N · (prediction − target); d target gets the negation.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.MseLoss))]
    public static void MseLossBackward(Tensor prediction, Tensor target, Tensor seed, Tensor? dPrediction, Tensor? dTarget)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(seed);
        TensorShape.RequireSame(nameof(MseLossBackward), prediction, target);
        RequireScalarSeed(nameof(MseLossBackward), seed);
        TensorShape.RequireAccumulator(nameof(MseLossBackward), dPrediction, prediction);
        TensorShape.RequireAccumulator(nameof(MseLossBackward), dTarget, target);
        float scale = 2f * seed.Span[0] / prediction.Length;
        if (dPrediction is not null)
        {
            ElementwiseLoop.Map(new AddScaledDifferenceKernel(scale), prediction.Span, target.Span, dPrediction.Span, dPrediction.Span);
        }
        if (dTarget is not null)
        {
            ElementwiseLoop.Map(new AddScaledDifferenceKernel(-scale), prediction.Span, target.Span, dTarget.Span, dTarget.Span);
        }
    }

    /// <summary>2/N · ⟨prediction − target, dPrediction − dTarget⟩.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.MseLoss), Mode = DerivativeMode.Forward)]
    public static Tensor MseLossTangent(Tensor prediction, Tensor target, Tensor? dPrediction, Tensor? dTarget)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        TensorShape.RequireSame(nameof(MseLossTangent), prediction, target);
        TensorShape.RequireTangent(nameof(MseLossTangent), dPrediction, prediction);
        TensorShape.RequireTangent(nameof(MseLossTangent), dTarget, target);
        if (dPrediction is null && dTarget is null) return Tensor.Scalar(0f);
        // The difference first: ⟨prediction, d⟩ − ⟨target, d⟩ would cancel as the fit gets close.
        Tensor difference = Tensor.Subtract(prediction, target);
        float sum = 0f;
        if (dPrediction is not null) sum += TensorPrimitives.Dot(difference.Span, dPrediction.Span);
        if (dTarget is not null) sum -= TensorPrimitives.Dot(difference.Span, dTarget.Span);
        return Tensor.Scalar(2f * sum / prediction.Length);
    }

    /// <summary>
    /// The pullback of MseLossTangent = 2/N · ⟨prediction − target, dPrediction − dTarget⟩: bDPrediction, bDTarget as MseLossBackward;
    /// bPrediction += 2·seed/N · (dPrediction − dTarget), bTarget gets the negation.
    /// </summary>
    [DerivativeOf(nameof(MseLossTangent))]
    public static void MseLossTangentBackward(
        Tensor prediction, Tensor target, Tensor? dPrediction, Tensor? dTarget, Tensor seed,
        Tensor? bPrediction, Tensor? bTarget, Tensor? bDPrediction, Tensor? bDTarget)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(seed);
        TensorShape.RequireSame(nameof(MseLossTangentBackward), prediction, target);
        RequireScalarSeed(nameof(MseLossTangentBackward), seed);
        TensorShape.RequireTangent(nameof(MseLossTangentBackward), dPrediction, prediction);
        TensorShape.RequireTangent(nameof(MseLossTangentBackward), dTarget, target);
        TensorShape.RequireAccumulator(nameof(MseLossTangentBackward), bPrediction, prediction);
        TensorShape.RequireAccumulator(nameof(MseLossTangentBackward), bTarget, target);
        TensorShape.RequireAccumulator(nameof(MseLossTangentBackward), bDPrediction, prediction);
        TensorShape.RequireAccumulator(nameof(MseLossTangentBackward), bDTarget, target);
        MseLossBackward(prediction, target, seed, bDPrediction, bDTarget);
        if ((bPrediction is null && bTarget is null) || (dPrediction is null && dTarget is null)) return;
        // The pushforward is the loss's pullback formula with the tangents in the place of the values
        // (a missing tangent is a zero direction).
        MseLossBackward(dPrediction ?? Tensor.ZerosLike(prediction), dTarget ?? Tensor.ZerosLike(target), seed, bPrediction, bTarget);
    }

    /// <summary>exp(x − shift)·y: summed over a row, its softmax numerators weighted by the row's tangent (cross-entropy's pushforward).</summary>
    private readonly struct ExpShiftedProductKernel(float shift) : IBinaryKernel
    {
        public float Apply(float x, float y) => MathF.Exp(x - shift) * y;
        public Vector256<float> Apply(Vector256<float> x, Vector256<float> y) => Vector256.Exp(x - Vector256.Create(shift)) * y;
        public Vector512<float> Apply(Vector512<float> x, Vector512<float> y) => Vector512.Exp(x - Vector512.Create(shift)) * y;
    }
}
