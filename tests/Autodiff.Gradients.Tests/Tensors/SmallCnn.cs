namespace Autodiff.Gradients.Tests.Tensors;

/// <summary>A small convolutional classifier for 8×8 images, as the DigitsCnn sample will use: conv, ReLU, max pool, conv, average pool, linear, cross-entropy.</summary>
public static partial class SmallCnn
{
    [Differentiable]
    public static Tensor Loss([NoGrad] Tensor images, int[] labels, Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor w3, Tensor b3)
    {
        Tensor h = Tensor.MaxPool2d(Tensor.Relu(Tensor.Conv2d(images, w1, b1, padding: 1)), 2);
        h = Tensor.AvgPool2d(Tensor.Relu(Tensor.Conv2d(h, w2, b2, padding: 1)), 2);
        Tensor logits = Tensor.MatMul(h.Reshape(h.Dim(0), -1), w3) + b3;
        return Tensor.CrossEntropy(logits, labels);
    }
}
