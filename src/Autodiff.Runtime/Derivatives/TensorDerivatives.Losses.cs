using System;
using System.Numerics.Tensors;

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
}
