using System;

namespace Autodiff;

// Loss functions with PyTorch's default mean reduction.
public sealed partial class Tensor
{
    /// <summary>
    /// Mean cross-entropy of logits <paramref name="logits"/> [N, C] against class indices
    /// <paramref name="labels"/> (N of them, each in [0, C)), as PyTorch's
    /// <c>cross_entropy(logits, labels)</c>: mean over rows of logsumexp(row) − row[label].
    /// Computed through log-softmax, so it stays finite for any logits. Returns a rank-0 tensor.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        ValidateClassification(nameof(CrossEntropy), logits, labels);
        int rows = logits._shape[0];
        int classes = logits._shape[1];
        // Per-row losses are summed in double: the mean of many float terms would otherwise
        // lose digits for large batches.
        double total = 0;
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<float> values = logits.Data.AsSpan(row * classes, classes);
            total += LogSumExp(values) - values[labels[row]];
        }
        return Scalar((float)(total / rows));
    }

    /// <summary>
    /// Mean squared error mean((prediction − target)²) over all elements, as PyTorch's
    /// <c>mse_loss</c>. The shapes must be equal (no broadcasting). Returns a rank-0 tensor.
    /// </summary>
    public static Tensor MseLoss(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        TensorShape.RequireSame(nameof(MseLoss), prediction, target);
        float sum = ElementwiseLoop.Sum(new SquaredDifferenceKernel(), prediction.Data, target.Data);
        return Scalar(sum / prediction.Length);
    }

    /// <summary>Checks logits [N, C] against N labels in [0, C); shared by the loss and its backward rule.</summary>
    internal static void ValidateClassification(string operation, Tensor logits, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        TensorShape.RequireRank(operation, logits, 2, "logits [N, C]");
        int rows = logits._shape[0];
        int classes = logits._shape[1];
        if (labels.Length != rows)
        {
            throw new ShapeMismatchException(
                $"{operation}: logits of shape {TensorShape.Format(logits._shape)} need {rows} labels, got {labels.Length}.");
        }
        for (int row = 0; row < rows; row++)
        {
            if ((uint)labels[row] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels),
                    $"{operation}: label {labels[row]} at index {row} is out of range for {classes} classes (logits of shape {TensorShape.Format(logits._shape)}).");
            }
        }
    }
}
