using System.Collections.Generic;

namespace Autodiff.Gradients.Tests.Composition;

/// <summary>x·W + b: the leaf every composed model below is built from.</summary>
public sealed partial class Affine
{
    public Tensor W, B;

    public Affine(int inputs, int outputs, int seed)
    {
        W = Tensor.RandomNormal(seed, 0f, 0.6f, inputs, outputs);
        B = Tensor.RandomNormal(seed + 1, 0f, 0.2f, outputs);
    }

    [Differentiable]
    public Tensor Forward(Tensor x) => Tensor.MatMul(x, W) + B;
}

/// <summary>
/// A pre-norm residual block, as in a transformer: own parameters (the LayerNorm's), two
/// sub-models, and dropout that the Training switch turns off.
/// </summary>
public sealed partial class ResidualBlock
{
    public Tensor Gamma, Beta;
    public Affine Up, Down;
    public bool Training = true;
    public int DropoutSeed;

    public ResidualBlock(int width, int hidden, int seed)
    {
        Gamma = Tensor.RandomNormal(seed, 1f, 0.1f, width);
        Beta = Tensor.RandomNormal(seed + 1, 0f, 0.1f, width);
        Up = new Affine(width, hidden, seed + 2);
        Down = new Affine(hidden, width, seed + 4);
        DropoutSeed = seed;
    }

    [Differentiable]
    public Tensor Forward(Tensor x)
    {
        Tensor normalised = Tensor.LayerNorm(x, Gamma, Beta);
        Tensor hidden = Tensor.Dropout(Tensor.Gelu(Up.Forward(normalised)), 0.25f, DropoutSeed, Training);
        return x + Down.Forward(hidden);
    }
}

/// <summary>
/// Embeddings, an array of blocks walked with foreach, a list of heads read by index, and a
/// parameter of its own: every way a model can hold another.
/// </summary>
public sealed partial class BlockStack
{
    public Tensor Embedding;
    public ResidualBlock[] Blocks;
    public List<Affine> Heads;

    public BlockStack(int vocabulary, int width, int hidden, int blocks, int classes, int seed)
    {
        Embedding = Tensor.RandomNormal(seed, 0f, 1f, vocabulary, width);
        Blocks = new ResidualBlock[blocks];
        for (int i = 0; i < blocks; i++)
        {
            Blocks[i] = new ResidualBlock(width, hidden, seed + 10 * (i + 1));
        }
        Heads = new List<Affine> { new Affine(width, classes, seed + 100), new Affine(width, classes, seed + 200) };
    }

    [Differentiable]
    public Tensor Loss(int[] tokens, int[] labels)
    {
        Tensor h = Tensor.Gather(Embedding, tokens);
        foreach (ResidualBlock block in Blocks)
        {
            h = block.Forward(h);
        }
        Tensor logits = Heads[0].Forward(h) + 0.5f * Heads[1].Forward(Tensor.Tanh(h));
        return Tensor.CrossEntropy(logits, labels);
    }

    /// <summary>The same loss with the blocks walked by index: both loops must give the same gradients.</summary>
    [Differentiable]
    public Tensor IndexedLoss(int[] tokens, int[] labels)
    {
        Tensor h = Tensor.Gather(Embedding, tokens);
        for (int i = 0; i < Blocks.Length; i++)
        {
            h = Blocks[i].Forward(h);
        }
        Tensor logits = Heads[0].Forward(h) + 0.5f * Heads[1].Forward(Tensor.Tanh(h));
        return Tensor.CrossEntropy(logits, labels);
    }
}

/// <summary>
/// <see cref="BlockStack"/> with two blocks written out flat: every parameter a field of one
/// model. Same operations in the same order, so the gradients must agree with the composed
/// model's to rounding.
/// </summary>
public sealed partial class FlatStack
{
    public Tensor Embedding = null!;
    public Tensor Gamma0 = null!, Beta0 = null!, Up0W = null!, Up0B = null!, Down0W = null!, Down0B = null!;
    public Tensor Gamma1 = null!, Beta1 = null!, Up1W = null!, Up1B = null!, Down1W = null!, Down1B = null!;
    public Tensor Head0W = null!, Head0B = null!, Head1W = null!, Head1B = null!;

    /// <summary>A copy of a two-block stack's weights (with dropout off in both).</summary>
    public static FlatStack CopyOf(BlockStack stack) => new()
    {
        Embedding = stack.Embedding.Clone(),
        Gamma0 = stack.Blocks[0].Gamma.Clone(), Beta0 = stack.Blocks[0].Beta.Clone(),
        Up0W = stack.Blocks[0].Up.W.Clone(), Up0B = stack.Blocks[0].Up.B.Clone(),
        Down0W = stack.Blocks[0].Down.W.Clone(), Down0B = stack.Blocks[0].Down.B.Clone(),
        Gamma1 = stack.Blocks[1].Gamma.Clone(), Beta1 = stack.Blocks[1].Beta.Clone(),
        Up1W = stack.Blocks[1].Up.W.Clone(), Up1B = stack.Blocks[1].Up.B.Clone(),
        Down1W = stack.Blocks[1].Down.W.Clone(), Down1B = stack.Blocks[1].Down.B.Clone(),
        Head0W = stack.Heads[0].W.Clone(), Head0B = stack.Heads[0].B.Clone(),
        Head1W = stack.Heads[1].W.Clone(), Head1B = stack.Heads[1].B.Clone(),
    };

    [Differentiable]
    public Tensor Loss(int[] tokens, int[] labels)
    {
        Tensor h = Tensor.Gather(Embedding, tokens);
        h = h + (Tensor.MatMul(Tensor.Gelu(Tensor.MatMul(Tensor.LayerNorm(h, Gamma0, Beta0), Up0W) + Up0B), Down0W) + Down0B);
        h = h + (Tensor.MatMul(Tensor.Gelu(Tensor.MatMul(Tensor.LayerNorm(h, Gamma1, Beta1), Up1W) + Up1B), Down1W) + Down1B);
        Tensor logits = (Tensor.MatMul(h, Head0W) + Head0B) + 0.5f * (Tensor.MatMul(Tensor.Tanh(h), Head1W) + Head1B);
        return Tensor.CrossEntropy(logits, labels);
    }
}

/// <summary>A model two levels up: a sub-model that itself holds sub-models, plus a scalar parameter.</summary>
public sealed partial class ScaledStack
{
    public BlockStack Inner;
    public float Temperature = 1.3f;

    public ScaledStack(BlockStack inner) => Inner = inner;

    [Differentiable]
    public Tensor Loss(int[] tokens, int[] labels) => Inner.Loss(tokens, labels) * Temperature;
}

/// <summary>
/// A normalised layer as a CNN block has it: BatchNorm with its running statistics as [NoGrad]
/// state, which training moves and evaluation reads.
/// </summary>
public sealed partial class NormalisedLayer
{
    public Affine Linear;
    public Tensor Gamma, Beta;
    [NoGrad] public Tensor RunningMean, RunningVariance;
    public bool Training = true;

    public NormalisedLayer(int inputs, int outputs, int seed)
    {
        Linear = new Affine(inputs, outputs, seed);
        Gamma = Tensor.RandomNormal(seed + 2, 1f, 0.1f, outputs);
        Beta = Tensor.RandomNormal(seed + 3, 0f, 0.1f, outputs);
        RunningMean = Tensor.Zeros(outputs);
        RunningVariance = Tensor.Ones(outputs);
    }

    [Differentiable]
    public Tensor Forward(Tensor x) => Tensor.Relu(Tensor.BatchNorm(Linear.Forward(x), Gamma, Beta, RunningMean, RunningVariance, Training));
}

/// <summary>Two normalised layers and a readout, trained on a fixed batch.</summary>
public sealed partial class NormalisedNet
{
    public NormalisedLayer First, Second;
    public Affine Readout;

    public NormalisedNet(int seed)
    {
        First = new NormalisedLayer(3, 5, seed);
        Second = new NormalisedLayer(5, 4, seed + 10);
        Readout = new Affine(4, 2, seed + 20);
    }

    [Differentiable]
    public Tensor Loss([NoGrad] Tensor x, int[] labels) => Tensor.CrossEntropy(Readout.Forward(Second.Forward(First.Forward(x))), labels);
}

/// <summary>
/// Layers walked from an input that is not differentiated: the running value's tangent starts as
/// the input's (zero) and varies from the first layer on, as a PyTorch user's <c>for layer in
/// self.layers: h = layer(h)</c> has it.
/// </summary>
public sealed partial class LayerStack
{
    public Affine[] Layers;
    public Tensor Readout;

    public LayerStack(int inputs, int width, int depth, int classes, int seed)
    {
        Layers = new Affine[depth];
        for (int i = 0; i < depth; i++)
        {
            Layers[i] = new Affine(i == 0 ? inputs : width, width, seed + 10 * i);
        }
        Readout = Tensor.RandomNormal(seed + 99, 0f, 0.5f, width, classes);
    }

    [Differentiable]
    public Tensor Loss([NoGrad] Tensor x, int[] labels)
    {
        Tensor h = x;
        foreach (Affine layer in Layers)
        {
            h = Tensor.Tanh(layer.Forward(h));
        }
        return Tensor.CrossEntropy(Tensor.MatMul(h, Readout), labels);
    }
}
