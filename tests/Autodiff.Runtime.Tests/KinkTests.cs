using Autodiff.Derivatives;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>Derivatives at non-differentiable points follow PyTorch's conventions.</summary>
public sealed class KinkTests
{
    private static Tensor ZeroInput() => Tensor.Zeros(3);

    private static Tensor Seed() => Tensor.FromArray([2f, -3f, 0.5f]);

    [Fact]
    public void Relu_has_zero_gradient_at_zero()
    {
        Tensor dx = Tensor.ZerosLike(ZeroInput());
        TensorDerivatives.ReluBackward(ZeroInput(), Seed(), dx);
        Assert.Equal([0f, 0f, 0f], dx.ToArray());
    }

    [Fact]
    public void LeakyRelu_has_the_negative_slope_as_gradient_at_zero()
    {
        Tensor dx = Tensor.ZerosLike(ZeroInput());
        float dSlope = 0f;
        TensorDerivatives.LeakyReluBackward(ZeroInput(), 0.1f, Seed(), dx, ref dSlope);
        Assert.Equal([0.1f * 2f, 0.1f * -3f, 0.1f * 0.5f], dx.ToArray());
        Assert.Equal(0f, dSlope);
    }

    [Fact]
    public void Sqrt_has_infinite_gradient_at_zero()
    {
        Tensor x = ZeroInput();
        Tensor dx = Tensor.ZerosLike(x);
        TensorDerivatives.SqrtBackward(x, Tensor.Sqrt(x), Seed(), dx);
        Assert.Equal([float.PositiveInfinity, float.NegativeInfinity, float.PositiveInfinity], dx.ToArray());
    }

    [Fact]
    public void Relu_forward_passes_positive_values_and_zeroes_the_rest()
    {
        Tensor x = Tensor.FromArray([-2f, 0f, 3f]);
        Assert.Equal([0f, 0f, 3f], Tensor.Relu(x).ToArray());
        Assert.Equal([-0.02f, 0f, 3f], Tensor.LeakyRelu(x).ToArray());
    }

    [Fact]
    public void Relu_gradient_masks_a_long_vector_on_every_vector_path()
    {
        // 37 elements: one 512-bit block, one 256-bit block and a scalar tail.
        var values = new float[37];
        var seed = new float[37];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (i % 3) - 1; // −1, 0, 1, ...
            seed[i] = i + 1;
        }
        Tensor dx = Tensor.Zeros(37);
        TensorDerivatives.ReluBackward(Tensor.FromArray(values), Tensor.FromArray(seed), dx);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(values[i] > 0 ? seed[i] : 0f, dx[i]);
        }
    }
}
