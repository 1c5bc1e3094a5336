namespace Autodiff.Gradients.Tests.Tensors;

/// <summary>A two-layer perceptron, written as ordinary C# over tensors.</summary>
public sealed partial class Mlp
{
    public Tensor W1, B1, W2, B2;

    public Mlp(int inputs, int hidden, int outputs, int seed)
    {
        W1 = Tensor.RandomNormal(seed, 0f, 1f / System.MathF.Sqrt(inputs), inputs, hidden);
        B1 = Tensor.RandomUniform(seed + 1, -0.1f, 0.1f, hidden);
        W2 = Tensor.RandomNormal(seed + 2, 0f, 1f / System.MathF.Sqrt(hidden), hidden, outputs);
        B2 = Tensor.RandomUniform(seed + 3, -0.1f, 0.1f, outputs);
    }

    [Differentiable]
    public Tensor Loss([NoGrad] Tensor x, int[] labels)
    {
        Tensor hidden = Tensor.Tanh(Tensor.MatMul(x, W1) + B1);
        Tensor logits = Tensor.MatMul(hidden, W2) + B2;
        return Tensor.CrossEntropy(logits, labels);
    }

    /// <summary>The forward pass alone, as its own differentiable method.</summary>
    [Differentiable]
    public Tensor Logits([NoGrad] Tensor x)
    {
        Tensor hidden = Tensor.Tanh(Tensor.MatMul(x, W1) + B1);
        return Tensor.MatMul(hidden, W2) + B2;
    }

    /// <summary>The same loss through the model's own Logits: its gradients must reach the parameters.</summary>
    [Differentiable]
    public Tensor LossThroughLogits([NoGrad] Tensor x, int[] labels) => Tensor.CrossEntropy(Logits(x), labels);
}
