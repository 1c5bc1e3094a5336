using System;
using Autodiff;

namespace CharTransformer;

/// <summary>x·W + b (torch.nn.Linear, with the weight stored [inputs, outputs]).</summary>
public sealed partial class Linear
{
    public Tensor Weight, Bias;

    public Linear(int inputs, int outputs, float standardDeviation, int seed)
    {
        Weight = Tensor.RandomNormal(seed, 0f, standardDeviation, inputs, outputs);
        Bias = Tensor.Zeros(outputs);
    }

    [Differentiable]
    public Tensor Forward(Tensor x) => Tensor.MatMul(x, Weight) + Bias;
}

/// <summary>Layer normalisation over the last axis with a learned gain and shift (torch.nn.LayerNorm).</summary>
public sealed partial class LayerNormalization
{
    public Tensor Gain, Shift;

    public LayerNormalization(int width)
    {
        Gain = Tensor.Ones(width);
        Shift = Tensor.Zeros(width);
    }

    [Differentiable]
    public Tensor Forward(Tensor x) => Tensor.LayerNorm(x, Gain, Shift);
}

/// <summary>
/// Multi-head causal self-attention: each position attends to itself and the positions before it.
/// [batch, time, channels] in and out; the heads are a batch axis of the products.
/// </summary>
public sealed partial class CausalSelfAttention
{
    public Linear Query, Key, Value, Output;
    public readonly int Heads;

    public CausalSelfAttention(int width, int heads, float outputStandardDeviation, int seed)
    {
        if (width % heads != 0)
        {
            throw new ArgumentException($"CausalSelfAttention: {width} channels do not split into {heads} heads.", nameof(heads));
        }
        Heads = heads;
        Query = new Linear(width, width, 0.02f, seed);
        Key = new Linear(width, width, 0.02f, seed + 1);
        Value = new Linear(width, width, 0.02f, seed + 2);
        Output = new Linear(width, width, outputStandardDeviation, seed + 3);
    }

    [Differentiable]
    public Tensor Forward(Tensor x)
    {
        int batch = x.Dim(0), time = x.Dim(1), channels = x.Dim(2), width = channels / Heads;
        // [batch, time, channels] -> [batch, heads, time, width]
        Tensor q = Tensor.Permute(Query.Forward(x).Reshape(batch, time, Heads, width), 0, 2, 1, 3);
        Tensor k = Tensor.Permute(Key.Forward(x).Reshape(batch, time, Heads, width), 0, 2, 1, 3);
        Tensor v = Tensor.Permute(Value.Forward(x).Reshape(batch, time, Heads, width), 0, 2, 1, 3);
        Tensor scores = Tensor.MatMul(q, Tensor.Transpose(k)) * (1f / MathF.Sqrt(width));
        Tensor attention = Tensor.Softmax(Tensor.CausalMask(scores));
        Tensor mixed = Tensor.Permute(Tensor.MatMul(attention, v), 0, 2, 1, 3).Reshape(batch, time, channels);
        return Output.Forward(mixed);
    }
}

/// <summary>The position-wise MLP of a transformer block: expand four times, GELU, project back.</summary>
public sealed partial class FeedForward
{
    public Linear Expand, Project;

    public FeedForward(int width, float outputStandardDeviation, int seed)
    {
        Expand = new Linear(width, 4 * width, 0.02f, seed);
        Project = new Linear(4 * width, width, outputStandardDeviation, seed + 1);
    }

    [Differentiable]
    public Tensor Forward(Tensor x) => Project.Forward(Tensor.Gelu(Expand.Forward(x)));
}

/// <summary>A pre-norm transformer block: x + attention(norm(x)), then h + mlp(norm(h)).</summary>
public sealed partial class TransformerBlock
{
    public LayerNormalization AttentionNorm, FeedForwardNorm;
    public CausalSelfAttention Attention;
    public FeedForward FeedForward;

    public TransformerBlock(int width, int heads, float outputStandardDeviation, int seed)
    {
        AttentionNorm = new LayerNormalization(width);
        Attention = new CausalSelfAttention(width, heads, outputStandardDeviation, seed);
        FeedForwardNorm = new LayerNormalization(width);
        FeedForward = new FeedForward(width, outputStandardDeviation, seed + 10);
    }

    [Differentiable]
    public Tensor Forward(Tensor x)
    {
        Tensor h = x + Attention.Forward(AttentionNorm.Forward(x));
        return h + FeedForward.Forward(FeedForwardNorm.Forward(h));
    }
}
