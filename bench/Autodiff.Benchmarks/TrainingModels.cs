namespace Autodiff.Benchmarks;

/// <summary>input → hidden (ReLU) → classes, cross-entropy: the 2-16-2, 784-128-10 and 784-1024-10 networks.</summary>
public sealed partial class Classifier
{
    public Tensor W1, B1, W2, B2;

    public Classifier(int inputs, int hidden, int classes, int seed)
    {
        W1 = Tensor.RandomUniform(seed, -1f / System.MathF.Sqrt(inputs), 1f / System.MathF.Sqrt(inputs), inputs, hidden);
        B1 = Tensor.Zeros(hidden);
        W2 = Tensor.RandomUniform(seed + 1, -1f / System.MathF.Sqrt(hidden), 1f / System.MathF.Sqrt(hidden), hidden, classes);
        B2 = Tensor.Zeros(classes);
    }

    [Differentiable]
    public Tensor Loss([NoGrad] Tensor x, int[] labels)
    {
        Tensor hidden = Tensor.Relu(Tensor.MatMul(x, W1) + B1);
        Tensor logits = Tensor.MatMul(hidden, W2) + B2;
        return Tensor.CrossEntropy(logits, labels);
    }
}

/// <summary>16 → 64 (ReLU) → 64 (ReLU) → 1, mean squared error: the 16-64-64-1 network.</summary>
public sealed partial class Regressor
{
    public Tensor W1, B1, W2, B2, W3, B3;

    public Regressor(int inputs, int hidden, int seed)
    {
        W1 = Tensor.RandomUniform(seed, -0.25f, 0.25f, inputs, hidden);
        B1 = Tensor.Zeros(hidden);
        W2 = Tensor.RandomUniform(seed + 1, -0.125f, 0.125f, hidden, hidden);
        B2 = Tensor.Zeros(hidden);
        W3 = Tensor.RandomUniform(seed + 2, -0.125f, 0.125f, hidden, 1);
        B3 = Tensor.Zeros(1);
    }

    [Differentiable]
    public Tensor Loss([NoGrad] Tensor x, [NoGrad] Tensor target)
    {
        Tensor h1 = Tensor.Relu(Tensor.MatMul(x, W1) + B1);
        Tensor h2 = Tensor.Relu(Tensor.MatMul(h1, W2) + B2);
        Tensor prediction = Tensor.MatMul(h2, W3) + B3;
        return Tensor.MseLoss(prediction, target);
    }
}
