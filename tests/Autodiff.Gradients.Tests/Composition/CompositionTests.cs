using System;
using System.Linq;
using Autodiff.Optimizers;
using Xunit;

namespace Autodiff.Gradients.Tests.Composition;

/// <summary>
/// Models that hold models: gradients against central differences and against the same network
/// written flat, parameter names as named_parameters() gives them, and the checks and switches
/// that must reach every sub-model.
/// </summary>
public class CompositionTests
{
    private static readonly int[] Tokens = { 3, 0, 5, 3, 1, 6, 2, 3 };
    private static readonly int[] Labels = { 0, 2, 1, 1, 0, 2, 2, 1 };

    private static BlockStack Stack(int blocks = 2) => new(vocabulary: 7, width: 4, hidden: 6, blocks, classes: 3, seed: 11);

    [Fact]
    public void Composed_gradients_match_central_differences()
    {
        BlockStack model = Stack(blocks: 3);
        model.SetTraining(false); // dropout would change the function between evaluations
        var gradients = new BlockStack.Gradients(model);
        GradCheckResult result = GradCheck.Model(gradients.Parameters, () => model.Loss(Tokens, Labels).Item(),
            () => model.LossGradient(Tokens, Labels, gradients), GradCheckOptions.ForFloat with { AbsoluteTolerance = 2e-3 });
        Assert.True(result.Passed, result.ToString());
        Assert.Equal(7 * 4 + 3 * (4 + 4 + 4 * 6 + 6 + 6 * 4 + 4) + 2 * (4 * 3 + 3), result.Checked);
    }

    /// <summary>
    /// Forward mode through sub-models, an array of blocks and a list of heads: the direction's leaves
    /// (every parameter, by its dotted name) move together, and the tangent is ⟨gradients, direction⟩.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Composed_tangents_equal_the_gradients_along_the_direction(bool indexed)
    {
        BlockStack model = Stack(blocks: 3);
        model.SetTraining(false);
        var direction = new BlockStack.Gradients(model);
        int seed = 40;
        foreach (ParameterGradient leaf in direction.Parameters)
        {
            leaf.Gradient.CopyFrom(Tensor.RandomUniform(seed++, -1f, 1f, leaf.Gradient.Shape));
        }
        var gradients = new BlockStack.Gradients(model);
        float value = indexed ? model.IndexedLossGradient(Tokens, Labels, gradients).Item() : model.LossGradient(Tokens, Labels, gradients).Item();

        (Tensor tangentValue, Tensor tangent) = indexed ? model.IndexedLossTangent(Tokens, Labels, direction) : model.LossTangent(Tokens, Labels, direction);

        Assert.Equal(value, tangentValue.Item());
        double along = 0, magnitude = 0;
        for (int p = 0; p < gradients.Parameters.Count; p++)
        {
            Assert.Equal(gradients.Parameters[p].Name, direction.Parameters[p].Name);
            float[] g = gradients.Parameters[p].Gradient.ToArray(), d = direction.Parameters[p].Gradient.ToArray();
            for (int i = 0; i < g.Length; i++)
            {
                along += (double)g[i] * d[i];
                magnitude += Math.Abs((double)g[i] * d[i]);
            }
        }
        Assert.True(Math.Abs(tangent.Item() - along) <= 1e-4 + 1e-3 * magnitude, $"tangent {tangent.Item()}, ⟨∇, v⟩ {along}");
    }

    [Fact]
    public void Composed_gradients_equal_the_flat_model_s()
    {
        BlockStack model = Stack();
        model.SetTraining(false);
        FlatStack flat = FlatStack.CopyOf(model);
        var composed = new BlockStack.Gradients(model);
        var flatGradients = new FlatStack.Gradients(flat);

        float loss = model.LossGradient(Tokens, Labels, composed).Item();
        float flatLoss = flat.LossGradient(Tokens, Labels, flatGradients).Item();

        Assert.Equal(flatLoss, loss, 6);
        var flatByName = flatGradients.Parameters.ToDictionary(p => p.Name, p => p.Gradient);
        string[] flatNames =
        {
            "Embedding", "Gamma0", "Beta0", "Up0W", "Up0B", "Down0W", "Down0B", "Gamma1", "Beta1", "Up1W", "Up1B", "Down1W", "Down1B",
            "Head0W", "Head0B", "Head1W", "Head1B",
        };
        Assert.Equal(flatNames.Length, composed.Parameters.Count);
        for (int i = 0; i < flatNames.Length; i++)
        {
            float[] expected = flatByName[flatNames[i]].ToArray();
            float[] actual = composed.Parameters[i].Gradient.ToArray();
            for (int j = 0; j < expected.Length; j++)
            {
                Assert.True(Math.Abs(expected[j] - actual[j]) <= 1e-5f + 1e-4f * Math.Abs(expected[j]),
                    $"{composed.Parameters[i].Name}[{j}]: composed {actual[j]}, flat {expected[j]}");
            }
        }
    }

    [Fact]
    public void Foreach_and_indexed_loops_over_sub_models_give_the_same_gradients()
    {
        BlockStack model = Stack(blocks: 3);
        var walked = new BlockStack.Gradients(model);
        var indexed = new BlockStack.Gradients(model);
        model.LossGradient(Tokens, Labels, walked);
        model.IndexedLossGradient(Tokens, Labels, indexed);
        for (int i = 0; i < walked.Parameters.Count; i++)
        {
            Assert.Equal(walked.Parameters[i].Gradient.ToArray(), indexed.Parameters[i].Gradient.ToArray());
        }
        Assert.NotEqual(0f, walked.Blocks[2].Up.W.ToArray().Select(MathF.Abs).Max());
    }

    [Fact]
    public void Parameters_are_named_by_their_path_as_named_parameters_names_them()
    {
        var model = new ScaledStack(Stack());
        var gradients = new ScaledStack.Gradients(model);
        string[] block(int i) =>
            new[] { "Gamma", "Beta", "Up.W", "Up.B", "Down.W", "Down.B" }.Select(n => $"Inner.Blocks[{i}].{n}").ToArray();
        string[] expected = new[] { "Temperature", "Inner.Embedding" }.Concat(block(0)).Concat(block(1))
            .Concat(new[] { "Inner.Heads[0].W", "Inner.Heads[0].B", "Inner.Heads[1].W", "Inner.Heads[1].B" }).ToArray();
        Assert.Equal(expected, gradients.Parameters.Select(p => p.Name));
        Assert.Same(model.Inner.Blocks[1].Down.W, gradients.Parameters.Single(p => p.Name == "Inner.Blocks[1].Down.W").Parameter);
        Assert.Same(gradients.Inner.Blocks[1].Down.W, gradients.Parameters.Single(p => p.Name == "Inner.Blocks[1].Down.W").Gradient);
    }

    [Fact]
    public void A_scalar_parameter_beside_nested_models_gets_its_gradient()
    {
        var model = new ScaledStack(Stack());
        model.SetTraining(false);
        var gradients = new ScaledStack.Gradients(model);
        GradCheckResult result = GradCheck.Model(gradients.Parameters, () => model.Loss(Tokens, Labels).Item(),
            () => model.LossGradient(Tokens, Labels, gradients), GradCheckOptions.ForFloat with { AbsoluteTolerance = 2e-3 });
        Assert.True(result.Passed, result.ToString());
        Assert.Equal(model.Inner.Loss(Tokens, Labels).Item(), gradients.Temperature, 5);
    }

    [Fact]
    public void Zero_clears_every_sub_model_s_gradients()
    {
        BlockStack model = Stack();
        var gradients = new BlockStack.Gradients(model);
        model.LossGradient(Tokens, Labels, gradients);
        Assert.Contains(gradients.Parameters, p => p.Gradient.ToArray().Any(v => v != 0));
        gradients.Zero();
        Assert.All(gradients.Parameters, p => Assert.All(p.Gradient.ToArray(), v => Assert.Equal(0f, v)));
    }

    [Fact]
    public void SetTraining_reaches_every_sub_model_and_eval_turns_dropout_off()
    {
        var model = new ScaledStack(Stack());
        float training = model.Loss(Tokens, Labels).Item();
        model.SetTraining(false);
        Assert.All(model.Inner.Blocks, b => Assert.False(b.Training));
        float evaluated = model.Loss(Tokens, Labels).Item();
        model.SetTraining(true);
        Assert.All(model.Inner.Blocks, b => Assert.True(b.Training));
        Assert.NotEqual(training, evaluated); // dropout at p = 0.25 changed the loss

        // In eval mode the composed model is the flat one, which has no dropout.
        model.SetTraining(false);
        Assert.Equal(FlatStack.CopyOf(model.Inner).Loss(Tokens, Labels).Item() * model.Temperature, model.Loss(Tokens, Labels).Item(), 5);
    }

    [Fact]
    public void Replacing_a_sub_model_or_a_nested_tensor_after_creating_gradients_throws_naming_it()
    {
        BlockStack model = Stack();
        var gradients = new BlockStack.Gradients(model);
        model.Blocks[1] = new ResidualBlock(4, 6, seed: 99);
        var error = Assert.Throws<InvalidOperationException>(() => gradients.Parameters);
        Assert.Contains("BlockStack.Blocks was replaced", error.Message);
        Assert.Contains("BlockStack.Blocks was replaced", Assert.Throws<InvalidOperationException>(() => model.LossGradient(Tokens, Labels, gradients)).Message);

        BlockStack other = Stack();
        var otherGradients = new BlockStack.Gradients(other);
        other.Heads[0].W = Tensor.Zeros(4, 3);
        Assert.Contains("Affine.W was replaced", Assert.Throws<InvalidOperationException>(() => otherGradients.Parameters).Message);

        BlockStack shrunk = Stack();
        var shrunkGradients = new BlockStack.Gradients(shrunk);
        shrunk.Heads.RemoveAt(1);
        Assert.Contains("BlockStack.Heads was replaced", Assert.Throws<InvalidOperationException>(() => shrunkGradients.Parameters).Message);
    }

    [Fact]
    public void A_null_sub_model_is_named_when_gradients_are_created()
    {
        BlockStack model = Stack();
        model.Blocks[0] = null!;
        var error = Assert.Throws<ArgumentException>(() => new BlockStack.Gradients(model));
        Assert.Contains("BlockStack.Blocks[0] is null", error.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_training_step_of_a_composed_model_allocates_nothing_after_the_first(bool training)
    {
        // Sub-model calls run in split mode, saving tensors on the residuals: those must be reused too.
        var model = new ScaledStack(Stack(blocks: 3));
        model.SetTraining(training);
        var gradients = new ScaledStack.Gradients(model);
        var parameters = gradients.Parameters;
        var optimizer = new AdamW(1e-3f);
        void Step()
        {
            gradients.Zero();
            model.LossGradient(Tokens, Labels, gradients);
            GradientClipping.ClipByGlobalNorm(parameters, 1.0);
            optimizer.Step(parameters);
        }
        long bytes = Harness.Allocations.OfSteadyState(Step);
        Assert.True(bytes == 0, $"ten training steps allocated {bytes} bytes");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchNorm_layers_match_central_differences_in_training_and_evaluation(bool training)
    {
        var model = new NormalisedNet(seed: 5);
        Tensor x = Tensor.RandomNormal(6, 0f, 1f, 7, 3);
        int[] labels = { 0, 1, 1, 0, 1, 0, 0 };
        model.First.RunningMean.CopyFrom(Tensor.RandomNormal(7, 0f, 0.3f, 5));
        model.First.RunningVariance.CopyFrom(Tensor.RandomUniform(8, 0.5f, 2f, 5));
        model.SetTraining(training);
        var gradients = new NormalisedNet.Gradients(model);
        Assert.DoesNotContain(gradients.Parameters, p => p.Name.Contains("Running"));
        GradCheckResult result = GradCheck.Model(gradients.Parameters, () => model.Loss(x, labels).Item(),
            () => model.LossGradient(x, labels, gradients), GradCheckOptions.ForFloat with { AbsoluteTolerance = 2e-3 });
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void A_training_step_moves_the_running_statistics_once_and_evaluation_reads_them()
    {
        var model = new NormalisedNet(seed: 5);
        Tensor x = Tensor.RandomNormal(6, 2f, 1f, 7, 3);
        int[] labels = { 0, 1, 1, 0, 1, 0, 0 };
        var gradients = new NormalisedNet.Gradients(model);
        Tensor hidden = model.First.Linear.Forward(x);
        float batchMean = Enumerable.Range(0, 7).Average(n => hidden[n, 0]);
        model.LossGradient(x, labels, gradients);
        Assert.Equal(0.1f * batchMean, model.First.RunningMean[0], 4);

        model.SetTraining(false);
        float[] before = model.First.RunningMean.ToArray();
        float evaluated = model.Loss(x, labels).Item();
        Assert.Equal(before, model.First.RunningMean.ToArray());
        model.SetTraining(true);
        Assert.NotEqual(evaluated, model.Loss(x, labels).Item());
    }

    [Fact]
    public void AdamW_trains_the_composed_model_through_its_flattened_parameters()
    {
        BlockStack model = Stack();
        var gradients = new BlockStack.Gradients(model);
        var optimizer = new AdamW(0.02f, weightDecay: 0.01f);
        model.SetTraining(false);
        float first = model.Loss(Tokens, Labels).Item();
        Tensor downBefore = model.Blocks[1].Down.W.Clone();
        for (int step = 0; step < 200; step++)
        {
            gradients.Zero();
            model.LossGradient(Tokens, Labels, gradients);
            optimizer.Step(gradients.Parameters);
        }
        Assert.True(model.Loss(Tokens, Labels).Item() < 0.1f * first, $"loss {first} -> {model.Loss(Tokens, Labels).Item()}");
        Assert.NotEqual(downBefore.ToArray(), model.Blocks[1].Down.W.ToArray());
    }
}
