using System;
using Autodiff;

namespace Digits;

/// <summary>
/// A two-layer perceptron for 8x8 digit images: 64 pixels → hidden ReLU units → 10 class scores.
/// The generator writes <c>LossGradient</c>, <c>LossPullback</c> and the nested <c>Gradients</c> type.
/// </summary>
public sealed partial class DigitClassifier
{
    public const int Pixels = DigitsCsv.Pixels;
    public const int Classes = DigitsCsv.Classes;

    public Tensor W1, B1, W2, B2;

    public DigitClassifier(int hidden, int seed)
    {
        // He initialisation keeps the variance of ReLU activations steady from layer to layer.
        W1 = Tensor.RandomNormal(seed, 0f, MathF.Sqrt(2f / Pixels), Pixels, hidden);
        B1 = Tensor.Zeros(hidden);
        W2 = Tensor.RandomNormal(seed + 1, 0f, MathF.Sqrt(2f / hidden), hidden, Classes);
        B2 = Tensor.Zeros(Classes);
    }

    /// <summary>Mean cross-entropy of the class scores for standardised images <paramref name="x"/> [N, 64] against <paramref name="labels"/>.</summary>
    /// <remarks>
    /// The forward pass is spelled out here rather than calling <see cref="Logits"/> (which, marked
    /// [Differentiable], would work as well), so that the backward pass printed at the end reads as
    /// one derivation from the loss down to the first layer.
    /// </remarks>
    [Differentiable]
    public Tensor Loss([NoGrad] Tensor x, int[] labels)
    {
        Tensor hidden = Tensor.Relu(Tensor.MatMul(x, W1) + B1);
        Tensor logits = Tensor.MatMul(hidden, W2) + B2;
        return Tensor.CrossEntropy(logits, labels);
    }

    /// <summary>Class scores [N, 10] for standardised images [N, 64]; the same forward pass as <see cref="Loss"/>, without a gradient.</summary>
    public Tensor Logits(Tensor x)
    {
        Tensor hidden = Tensor.Relu(Tensor.MatMul(x, W1) + B1);
        return Tensor.MatMul(hidden, W2) + B2;
    }
}
