using System;
using System.Linq;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>BatchNorm's running statistics: moved in training as PyTorch moves them, read and left alone in evaluation.</summary>
public class BatchNormTests
{
    [Fact]
    public void Training_moves_the_running_statistics_by_the_momentum_with_the_unbiased_variance()
    {
        Tensor x = Tensor.RandomNormal(3, 2f, 3f, 6, 2, 2, 2);
        Tensor gamma = Tensor.Ones(2), beta = Tensor.Zeros(2);
        Tensor mean = Tensor.FromArray([0.5f, -1f]), variance = Tensor.FromArray([2f, 0.25f]);
        Tensor.BatchNorm(x, gamma, beta, mean, variance, training: true, momentum: 0.2f);
        for (int c = 0; c < 2; c++)
        {
            double[] values = Enumerable.Range(0, 6).SelectMany(n => x.ToArray().Skip((n * 2 + c) * 4).Take(4)).Select(v => (double)v).ToArray();
            double batchMean = values.Average();
            double unbiased = values.Sum(v => (v - batchMean) * (v - batchMean)) / (values.Length - 1);
            double oldMean = c == 0 ? 0.5 : -1, oldVariance = c == 0 ? 2 : 0.25;
            Assert.Equal(0.8 * oldMean + 0.2 * batchMean, mean.ToArray()[c], 4);
            Assert.Equal(0.8 * oldVariance + 0.2 * unbiased, variance.ToArray()[c], 3);
        }
    }

    [Fact]
    public void Training_normalises_each_channel_of_the_batch_to_mean_zero_and_variance_one()
    {
        Tensor x = Tensor.RandomNormal(4, 5f, 2f, 8, 3);
        Tensor y = Tensor.BatchNorm(x, Tensor.Ones(3), Tensor.Zeros(3), Tensor.Zeros(3), Tensor.Ones(3), training: true);
        for (int c = 0; c < 3; c++)
        {
            double[] column = Enumerable.Range(0, 8).Select(n => (double)y[n, c]).ToArray();
            Assert.Equal(0, column.Average(), 4);
            Assert.Equal(1, column.Select(v => v * v).Average(), 3);
        }
    }

    [Fact]
    public void Evaluation_uses_the_running_statistics_and_leaves_them_alone()
    {
        Tensor x = Tensor.FromArray([1f, 2f, 3f, 4f]).Reshape(2, 2);
        Tensor mean = Tensor.FromArray([1f, 2f]), variance = Tensor.FromArray([4f, 1f]);
        Tensor y = Tensor.BatchNorm(x, Tensor.FromArray([2f, 1f]), Tensor.FromArray([0f, 0.5f]), mean, variance, training: false, epsilon: 0f);
        Assert.Equal(new[] { 0f, 0.5f, 2f, 2.5f }, y.ToArray());
        Assert.Equal(new[] { 1f, 2f }, mean.ToArray());
        Assert.Equal(new[] { 4f, 1f }, variance.ToArray());
    }
}
