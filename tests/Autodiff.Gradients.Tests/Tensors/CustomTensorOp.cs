namespace Autodiff.Gradients.Tests.Tensors;

/// <summary>A user's own tensor operation with its own backward rule, used inside a model like a built-in one.</summary>
public static class Activations
{
    /// <summary>x · sigmoid(x), computed without a gradient of its own.</summary>
    public static Tensor Swish(Tensor x) => x * Tensor.Sigmoid(x);

    /// <summary>d/dx [x·σ(x)] = σ(x) + x·σ(x)·(1 − σ(x)), written by hand.</summary>
    [DerivativeOf(typeof(Activations), nameof(Swish))]
    public static void SwishBackward(Tensor x, Tensor seed, Tensor? dx)
    {
        if (dx is null)
        {
            return;
        }
        Tensor s = Tensor.Sigmoid(x);
        Tensor local = s + x * s * (1f - s);
        Tensor.AddInPlace(dx, seed * local);
    }
}

public sealed partial class SwishNet
{
    public Tensor W = Tensor.RandomNormal(31, 0f, 0.7f, 3, 4);
    public Tensor V = Tensor.RandomNormal(32, 0f, 0.7f, 4, 2);

    [Differentiable]
    public Tensor Loss([NoGrad] Tensor x, int[] labels) =>
        Tensor.CrossEntropy(Tensor.MatMul(Activations.Swish(Tensor.MatMul(x, W)), V), labels);
}
