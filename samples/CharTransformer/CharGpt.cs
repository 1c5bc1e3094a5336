using System;
using Autodiff;

namespace CharTransformer;

/// <summary>
/// A character-level GPT as nanoGPT builds it: token and position embeddings, a stack of pre-norm
/// transformer blocks, a final LayerNorm, and the token embedding again as the output layer
/// (weight tying, so its gradient sums the two uses). The generator writes <c>LossGradient</c>
/// and the nested <c>Gradients</c>, which nest like the model (gradients.Blocks[2].Attention.Query).
/// </summary>
public sealed partial class CharGpt
{
    public Tensor TokenEmbedding, PositionEmbedding;
    public TransformerBlock[] Blocks;
    public LayerNormalization FinalNorm;

    public CharGpt(int vocabulary, int context, int width, int layers, int heads, int seed)
    {
        // GPT-2's initialisation: N(0, 0.02), and the projections into the residual stream scaled
        // down by sqrt(2 · layers), since each block adds two of them.
        float residualStandardDeviation = 0.02f / MathF.Sqrt(2 * layers);
        TokenEmbedding = Tensor.RandomNormal(seed, 0f, 0.02f, vocabulary, width);
        PositionEmbedding = Tensor.RandomNormal(seed + 1, 0f, 0.02f, context, width);
        Blocks = new TransformerBlock[layers];
        for (int i = 0; i < layers; i++)
        {
            Blocks[i] = new TransformerBlock(width, heads, residualStandardDeviation, seed + 100 * (i + 1));
        }
        FinalNorm = new LayerNormalization(width);
    }

    /// <summary>The longest sequence the position embedding covers.</summary>
    public int Context => PositionEmbedding.Dim(0);

    /// <summary>Next-character scores [batch, time, vocabulary] for token ids laid out [batch, time] (row by row).</summary>
    [Differentiable]
    public Tensor Logits(int[] tokens, int time)
    {
        int batch = tokens.Length / time;
        Tensor h = Tensor.Gather(TokenEmbedding, tokens).Reshape(batch, time, TokenEmbedding.Dim(1)) + Tensor.Slice(PositionEmbedding, 0, time);
        foreach (TransformerBlock block in Blocks)
        {
            h = block.Forward(h);
        }
        return Tensor.MatMul(FinalNorm.Forward(h), Tensor.Transpose(TokenEmbedding));
    }

    /// <summary>Mean cross-entropy of the next-character predictions against <paramref name="targets"/> (the tokens shifted by one).</summary>
    [Differentiable]
    public Tensor Loss(int[] tokens, int[] targets, int time)
    {
        Tensor logits = Logits(tokens, time);
        return Tensor.CrossEntropy(logits.Reshape(tokens.Length, logits.Dim(2)), targets);
    }
}
