using System;
using System.Linq;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>Dropout's mask: the right share dropped, the expected value kept, and decided by the seed alone.</summary>
public class DropoutTests
{
    [Fact]
    public void About_p_of_the_elements_are_dropped_and_the_mean_is_kept()
    {
        const int n = 200_000;
        Tensor ones = Tensor.Ones(n);
        float[] dropped = Tensor.Dropout(ones, 0.25f, randomSeed: 3).ToArray();
        double share = dropped.Count(v => v == 0f) / (double)n;
        // Binomial: the standard deviation of the share is √(p(1 − p)/n) ≈ 0.001; allow five of them.
        Assert.InRange(share, 0.25 - 0.005, 0.25 + 0.005);
        Assert.All(dropped.Where(v => v != 0f), v => Assert.Equal(1f / 0.75f, v));
        Assert.InRange(dropped.Average(), 0.99, 1.01);
    }

    [Fact]
    public void The_seed_decides_the_mask()
    {
        Tensor x = Tensor.Ones(1000);
        Assert.Equal(Tensor.Dropout(x, 0.5f, 9).ToArray(), Tensor.Dropout(x, 0.5f, 9).ToArray());
        Assert.NotEqual(Tensor.Dropout(x, 0.5f, 9).ToArray(), Tensor.Dropout(x, 0.5f, 10).ToArray());
    }

    [Fact]
    public void Evaluation_and_a_zero_probability_pass_the_values_through()
    {
        Tensor x = Tensor.RandomUniform(5, -1f, 1f, 40);
        Assert.Equal(x.ToArray(), Tensor.Dropout(x, 0.5f, 1, training: false).ToArray());
        Assert.Equal(x.ToArray(), Tensor.Dropout(x, 0f, 1).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Dropout(x, 1f, 1));
    }
}
