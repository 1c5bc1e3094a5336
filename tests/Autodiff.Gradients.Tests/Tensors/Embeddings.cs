namespace Autodiff.Gradients.Tests.Tensors;

/// <summary>
/// A bag-of-embeddings classifier: token ids look up rows of an embedding table with
/// Tensor.Gather, so a token that occurs several times sends its row several gradients.
/// </summary>
public sealed partial class EmbeddingClassifier
{
    public Tensor Embedding = Tensor.RandomNormal(41, 0f, 0.5f, 6, 3);
    public Tensor W = Tensor.RandomNormal(42, 0f, 0.5f, 3, 2);

    [Differentiable]
    public Tensor Loss(int[] tokens, int[] labels)
    {
        Tensor embedded = Tensor.Gather(Embedding, tokens);
        Tensor logits = Tensor.MatMul(Tensor.Tanh(embedded), W);
        return Tensor.CrossEntropy(logits, labels);
    }
}

/// <summary>Grad.Stop and Clone on tensors.</summary>
public static partial class TensorCopies
{
    /// <summary>Sum of x·stop(x): the gradient is x, not 2x.</summary>
    [Differentiable]
    public static Tensor HalfStopped(Tensor x) => Tensor.Sum(x * Grad.Stop(x));

    /// <summary>Sum of clone(x)²: a clone passes the gradient through, 2x.</summary>
    [Differentiable]
    public static Tensor ClonedSquares(Tensor x) => Tensor.Sum(Tensor.Square(x.Clone()));
}
