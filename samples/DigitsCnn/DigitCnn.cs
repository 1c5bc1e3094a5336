using System;
using Autodiff;

namespace DigitsCnn;

/// <summary>
/// A small convolutional net for 8×8 digit images: two 3×3 convolutions with ReLU, each followed by
/// 2×2 max pooling (8×8 → 4×4 → 2×2), then a linear layer to the 10 class scores. The generator
/// writes <c>LossGradient</c> and the nested <c>Gradients</c> type.
/// </summary>
public sealed partial class DigitCnn
{
    public const int Classes = 10;

    public Tensor W1, B1, W2, B2, W3, B3;

    public DigitCnn(int channels1, int channels2, int seed)
    {
        // He initialisation: the variance of each layer's ReLU inputs stays near 1.
        W1 = Tensor.RandomNormal(seed, 0f, MathF.Sqrt(2f / 9), channels1, 1, 3, 3);
        B1 = Tensor.Zeros(channels1);
        W2 = Tensor.RandomNormal(seed + 1, 0f, MathF.Sqrt(2f / (9 * channels1)), channels2, channels1, 3, 3);
        B2 = Tensor.Zeros(channels2);
        W3 = Tensor.RandomNormal(seed + 2, 0f, MathF.Sqrt(1f / (4 * channels2)), 4 * channels2, Classes);
        B3 = Tensor.Zeros(Classes);
    }

    /// <summary>Mean cross-entropy of the class scores for standardised images <paramref name="x"/> [N, 64] against <paramref name="labels"/>.</summary>
    [Differentiable]
    public Tensor Loss([NoGrad] Tensor x, int[] labels)
    {
        Tensor images = x.Reshape(x.Dim(0), 1, 8, 8);
        Tensor h = Tensor.MaxPool2d(Tensor.Relu(Tensor.Conv2d(images, W1, B1, padding: 1)), 2);
        h = Tensor.MaxPool2d(Tensor.Relu(Tensor.Conv2d(h, W2, B2, padding: 1)), 2);
        Tensor logits = Tensor.MatMul(h.Reshape(h.Dim(0), -1), W3) + B3;
        return Tensor.CrossEntropy(logits, labels);
    }

    /// <summary>Class scores [N, 10] for standardised images [N, 64]: the forward pass of <see cref="Loss"/>, without a gradient.</summary>
    public Tensor Logits(Tensor x)
    {
        Tensor images = x.Reshape(x.Dim(0), 1, 8, 8);
        Tensor h = Tensor.MaxPool2d(Tensor.Relu(Tensor.Conv2d(images, W1, B1, padding: 1)), 2);
        h = Tensor.MaxPool2d(Tensor.Relu(Tensor.Conv2d(h, W2, B2, padding: 1)), 2);
        return Tensor.MatMul(h.Reshape(h.Dim(0), -1), W3) + B3;
    }
}
