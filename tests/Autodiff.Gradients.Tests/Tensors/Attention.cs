using System;

namespace Autodiff.Gradients.Tests.Tensors;

/// <summary>
/// A pre-norm causal self-attention block written as a user would, for the generated gradient:
/// LayerNorm, per-head projections through batched MatMul and Permute, the causal mask, softmax,
/// and an output projection with a GELU and a residual connection.
/// </summary>
public static partial class Attention
{
    [Differentiable]
    public static Tensor Block(Tensor x, Tensor gamma, Tensor beta, Tensor wq, Tensor wk, Tensor wv, Tensor wo, int heads)
    {
        int batch = x.Dim(0), time = x.Dim(1), channels = x.Dim(2), width = channels / heads;
        Tensor h = Tensor.LayerNorm(x, gamma, beta);
        Tensor q = Tensor.Permute(Tensor.MatMul(h, wq).Reshape(batch, time, heads, width), 0, 2, 1, 3);
        Tensor k = Tensor.Permute(Tensor.MatMul(h, wk).Reshape(batch, time, heads, width), 0, 2, 1, 3);
        Tensor v = Tensor.Permute(Tensor.MatMul(h, wv).Reshape(batch, time, heads, width), 0, 2, 1, 3);
        Tensor scores = Tensor.MatMul(q, Tensor.Transpose(k)) * (1f / MathF.Sqrt(width));
        Tensor weights = Tensor.Softmax(Tensor.CausalMask(scores));
        Tensor y = Tensor.Permute(Tensor.MatMul(weights, v), 0, 2, 1, 3).Reshape(batch, time, channels);
        return Tensor.Gelu(Tensor.MatMul(y, wo)) + x;
    }

    [Differentiable]
    public static Tensor Loss(Tensor x, Tensor gamma, Tensor beta, Tensor wq, Tensor wk, Tensor wv, Tensor wo, int heads)
    {
        Tensor y = Block(x, gamma, beta, wq, wk, wv, wo, heads);
        return Tensor.Sum(y * y);
    }

    /// <summary>
    /// Attention weights under a padding mask written with Where (masked_fill): keys the mask
    /// excludes get −1e9 before the softmax; the weighted values are summed against w.
    /// </summary>
    [Differentiable]
    public static Tensor MaskedPooling(Tensor scores, Tensor values, [NoGrad] Tensor keep, Tensor w)
    {
        Tensor weights = Tensor.Softmax(Tensor.Where(keep, scores, -1e9f));
        Tensor pooled = Tensor.MatMul(weights, values);
        return Tensor.Sum(Tensor.Where(keep, pooled * w, Tensor.Tanh(pooled)));
    }
}
