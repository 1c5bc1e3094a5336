using System.Collections.Generic;
using Autodiff.Gradients.Tests.Harness;
using Autodiff.Gradients.Tests.Tensors;
using Autodiff.Optimizers;
using CharTransformer;
using Xunit;

namespace Autodiff.Gradients.Tests.Composition;

/// <summary>
/// Hessian-vector products of models with respect to all their parameters, through sub-models: the
/// direction and the product are Gradients objects, whose sub-models' shares reach the sub-models'
/// own products (torch.autograd.functional.hvp over functional_call). Each against central
/// differences of the gradient along the direction, and for symmetry.
/// </summary>
public class ComposedHessianVectorTests
{
    private static readonly int[] Tokens = { 3, 0, 5, 3, 1, 6, 2, 3 };
    private static readonly int[] Labels = { 0, 2, 1, 1, 0, 2, 2, 1 };

    private static BlockStack Stack()
    {
        var model = new BlockStack(vocabulary: 7, width: 4, hidden: 6, blocks: 3, classes: 3, seed: 11);
        model.SetTraining(false); // dropout would change the function between evaluations
        return model;
    }

    /// <summary>An array of blocks walked by foreach or by index, each holding two sub-models, and a list of heads.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Blocks_of_sub_models(bool indexed)
    {
        BlockStack model = Stack();
        ModelHessianChecker.Check(
            seed => { var d = new BlockStack.Gradients(model); return Random(d, d.Parameters, seed); }, () => new BlockStack.Gradients(model), g => g.Parameters,
            g => _ = indexed ? model.IndexedLossGradient(Tokens, Labels, g) : model.LossGradient(Tokens, Labels, g),
            (u, product) =>
            {
                Tensor value = indexed ? model.IndexedLossHessianVector(Tokens, Labels, u, product) : model.LossHessianVector(Tokens, Labels, u, product);
                Assert.Equal(model.Loss(Tokens, Labels).Item(), value.Item());
            });
    }

    /// <summary>Two levels of sub-models and a float parameter of the outer model's own.</summary>
    [Fact]
    public void A_model_holding_a_model_holding_models()
    {
        var model = new ScaledStack(Stack());
        ModelHessianChecker.Check(
            seed =>
            {
                var direction = new ScaledStack.Gradients(model);
                Random(direction, direction.Parameters, seed);
                direction.Temperature = 0.7f;
                return direction;
            },
            () => new ScaledStack.Gradients(model), g => g.Parameters,
            g => model.LossGradient(Tokens, Labels, g),
            (u, product) => model.LossHessianVector(Tokens, Labels, u, product));
    }

    /// <summary>Batch normalisation in training mode inside the layers: the batch statistics' second derivatives.</summary>
    [Fact]
    public void Batch_normalised_layers()
    {
        var model = new NormalisedNet(seed: 5);
        Tensor x = Tensor.RandomNormal(9, 0f, 1f, 6, 3);
        int[] labels = { 0, 1, 1, 0, 1, 0 };
        ModelHessianChecker.Check(
            seed => { var d = new NormalisedNet.Gradients(model); return Random(d, d.Parameters, seed); }, () => new NormalisedNet.Gradients(model), g => g.Parameters,
            g => model.LossGradient(x, labels, g),
            (u, product) => model.LossHessianVector(x, labels, u, product),
            step: 1e-3f); // a ReLU after the normalisation turns within 1e-2 of the point along u
    }

    /// <summary>Layers walked from an input held still: the running value's tangent is zero until the first layer.</summary>
    [Fact]
    public void Layers_walked_from_an_input_held_still()
    {
        var model = new LayerStack(inputs: 3, width: 4, depth: 3, classes: 2, seed: 8);
        Tensor x = Tensor.RandomNormal(12, 0f, 1f, 5, 3);
        int[] labels = { 0, 1, 1, 0, 1 };
        ModelHessianChecker.Check(
            seed => { var d = new LayerStack.Gradients(model); return Random(d, d.Parameters, seed); }, () => new LayerStack.Gradients(model), g => g.Parameters,
            g => model.LossGradient(x, labels, g),
            (u, product) => model.LossHessianVector(x, labels, u, product));
    }

    /// <summary>A model's method calling another of its own methods.</summary>
    [Fact]
    public void A_call_of_the_model_s_own_method()
    {
        var model = new Mlp(inputs: 4, hidden: 5, outputs: 3, seed: 7);
        Tensor x = Tensor.RandomNormal(11, 0f, 1f, 6, 4);
        int[] labels = { 0, 2, 1, 1, 0, 2 };
        ModelHessianChecker.Check(
            seed => { var d = new Mlp.Gradients(model); return Random(d, d.Parameters, seed); }, () => new Mlp.Gradients(model), g => g.Parameters,
            g => model.LossThroughLogitsGradient(x, labels, g),
            (u, product) => model.LossThroughLogitsHessianVector(x, labels, u, product));
    }

    /// <summary>The CharTransformer sample's GPT, small: embeddings, causal attention, LayerNorm and GELU in blocks of sub-models.</summary>
    [Fact]
    public void Character_level_GPT()
    {
        const int vocabulary = 11, context = 4, width = 8, layers = 2, heads = 2;
        var model = new CharGpt(vocabulary, context, width, layers, heads, seed: 3);
        int seed = 100;
        foreach (ParameterGradient p in new CharGpt.Gradients(model).Parameters)
        {
            p.Parameter.CopyFrom(Tensor.RandomNormal(seed++, p.Name.EndsWith("Gain") ? 1f : 0f, 0.3f, p.Parameter.Shape.ToArray()));
        }
        int[] tokens = { 1, 4, 2, 9, 3, 3, 7, 0 }, targets = { 4, 2, 9, 5, 3, 7, 0, 10 };
        ModelHessianChecker.Check(
            s => { var d = new CharGpt.Gradients(model); return Random(d, d.Parameters, s); }, () => new CharGpt.Gradients(model), g => g.Parameters,
            g => model.LossGradient(tokens, targets, context, g),
            (u, product) => model.LossHessianVector(tokens, targets, context, u, product),
            step: 3e-3f); // weights of 0.3 curve the loss enough that over 1e-2 the differences' own error is 4 %
    }

    /// <summary>Every tensor leaf of the direction uniform in [-1, 1].</summary>
    private static TGradients Random<TGradients>(TGradients direction, IReadOnlyList<ParameterGradient> leaves, int seed)
    {
        foreach (ParameterGradient leaf in leaves)
        {
            if (!leaf.IsScalar)
            {
                leaf.Gradient.CopyFrom(Tensor.RandomUniform(seed++, -1f, 1f, leaf.Gradient.Shape));
            }
        }
        return direction;
    }
}
