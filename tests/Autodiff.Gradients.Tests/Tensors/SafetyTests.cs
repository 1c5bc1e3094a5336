using System;
using System.Linq;
using System.Threading;
using Xunit;

namespace Autodiff.Gradients.Tests.Tensors;

/// <summary>
/// What users hit when they share a model between threads or keep what a generated method
/// returned: each must either work or fail loudly, never give a silently wrong number.
/// </summary>
public class SafetyTests
{
    [Fact]
    public void Two_threads_training_one_model_each_get_the_single_threaded_results()
    {
        var model = new Mlp(inputs: 6, hidden: 16, outputs: 3, seed: 21);
        Tensor[] inputs = { Tensor.RandomNormal(1, 0f, 1f, 8, 6), Tensor.RandomNormal(2, 0f, 1f, 8, 6) };
        int[][] labels = { new[] { 0, 1, 2, 0, 1, 2, 0, 1 }, new[] { 2, 2, 1, 1, 0, 0, 2, 1 } };
        var expectedLoss = new float[2];
        var expectedGradients = new float[2][][];
        for (int t = 0; t < 2; t++)
        {
            var gradients = new Mlp.Gradients(model);
            expectedLoss[t] = model.LossGradient(inputs[t], labels[t], gradients).Item();
            expectedGradients[t] = gradients.Parameters.Select(p => p.Gradient.ToArray()).ToArray();
        }

        const int iterations = 1000;
        var failures = new string?[2];
        using var start = new Barrier(2);
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            var gradients = new Mlp.Gradients(model);
            start.SignalAndWait();
            try
            {
                for (int i = 0; i < iterations && failures[t] is null; i++)
                {
                    gradients.Zero();
                    Tensor result = model.LossGradient(inputs[t], labels[t], gradients);
                    for (int p = 0; p < gradients.Parameters.Count && failures[t] is null; p++)
                    {
                        if (!gradients.Parameters[p].Gradient.ToArray().SequenceEqual(expectedGradients[t][p]))
                        {
                            failures[t] = $"thread {t}, iteration {i}: gradient of {gradients.Parameters[p].Name} differs";
                        }
                    }
                    // Read after the gradients: the other thread has had time to make its own calls.
                    float loss = result.Item();
                    if (loss != expectedLoss[t] && failures[t] is null)
                    {
                        failures[t] = $"thread {t}, iteration {i}: loss {loss}, expected {expectedLoss[t]}";
                    }
                }
            }
            catch (Exception e)
            {
                failures[t] = $"thread {t}: {e.GetType().Name}: {e.Message}";
            }
        })).ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }
        foreach (Thread thread in threads)
        {
            thread.Join();
        }
        Assert.Equal(new string?[2], failures);
    }

    [Fact]
    public void Keeping_an_earlier_loss_past_the_next_call_throws_instead_of_reading_the_new_one()
    {
        var model = new Mlp(3, 4, 2, seed: 3);
        var gradients = new Mlp.Gradients(model);
        int[] labels = { 0, 1, 1, 0 };
        Tensor first = model.LossGradient(Tensor.RandomNormal(5, 0f, 1f, 4, 3), labels, gradients);
        float firstValue = first.Item();
        Tensor second = model.LossGradient(Tensor.RandomNormal(6, 0f, 1f, 4, 3), labels, gradients);

        var error = Assert.Throws<InvalidOperationException>(() => first.Item());
        Assert.Contains("recycled", error.Message);
        Assert.Contains("Clone()", error.Message);
        Assert.NotEqual(firstValue, second.Item());
    }

    [Fact]
    public void A_cloned_result_survives_later_calls()
    {
        var model = new Mlp(3, 4, 2, seed: 3);
        var gradients = new Mlp.Gradients(model);
        int[] labels = { 0, 1, 1, 0 };
        Tensor x = Tensor.RandomNormal(5, 0f, 1f, 4, 3);
        Tensor kept = model.LossGradient(x, labels, gradients).Clone();
        for (int i = 0; i < 3; i++)
        {
            model.LossGradient(Tensor.RandomNormal(6 + i, 0f, 1f, 4, 3), labels, gradients);
        }
        Assert.Equal(model.Loss(x, labels).Item(), kept.Item());
    }

    [Fact]
    public void Feeding_a_result_back_into_the_method_that_made_it_throws_instead_of_squaring_in_place()
    {
        Tensor x = Tensor.FromArray(new[] { 1f, 2f, 3f });
        Tensor seed = Tensor.Ones(3);
        Tensor squares = VectorValued.SquaresPullback(x, seed, Tensor.Zeros(3));
        Tensor dSquares = Tensor.Zeros(3);

        var error = Assert.Throws<InvalidOperationException>(() => VectorValued.SquaresPullback(squares, seed, dSquares));
        Assert.Contains("recycled", error.Message);

        // With a copy it works: the fourth powers, and 2·x² as the gradient.
        Tensor copy = VectorValued.SquaresPullback(x, seed, Tensor.Zeros(3)).Clone();
        Tensor fourth = VectorValued.SquaresPullback(copy, seed, dSquares);
        Assert.Equal(new[] { 1f, 16f, 81f }, fourth.ToArray());
        Assert.Equal(new[] { 2f, 8f, 18f }, dSquares.ToArray());
    }
}
