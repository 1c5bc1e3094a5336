using System.Linq;
using Autodiff.Gradients.Tests.Harness;
using Xunit;

namespace Autodiff.Gradients.Tests.Tensors;

/// <summary>
/// Hessian-vector products (FHessianVector, reverse mode over forward mode) of the tensor functions
/// of the gradient suite, against differences of their gradients and for symmetry. Every tensor
/// operation's pushforward has a pullback of its own (<c>TensorDerivatives.&lt;Op&gt;TangentBackward</c>).
/// </summary>
public class TensorHessianVectorTests
{
    private const float Step = 1e-2f;

    /// <summary>A step that stays clear of the kinks of ReLU and max pooling along the direction (1e-3 does not, for the CNN); float gradients keep enough digits over it for the tolerance.</summary>
    private const float NearKinks = 1e-4f;

    [Fact]
    public void Recurrent_cell() =>
        TensorHessianChecker.Check(typeof(TensorFunctions), nameof(TensorFunctions.Recurrent), Step,
            Tensor.RandomNormal(1, 0f, 0.5f, 2, 3), Tensor.RandomNormal(2, 0f, 0.5f, 3, 3), Tensor.RandomNormal(3, 0f, 0.5f, 2, 3), Tensor.RandomNormal(4, 0f, 1f, 2, 3), 4);

    [Theory]
    [InlineData(0.8f)]
    [InlineData(1.6f)]
    public void Reassignment_branches_and_scalars_out_of_tensors(float scale) =>
        TensorHessianChecker.Check(typeof(TensorFunctions), nameof(TensorFunctions.Mixed), Step,
            Tensor.RandomNormal(5, 0f, 0.5f, 3, 4), Tensor.RandomNormal(6, 0f, 0.5f, 4, 2), scale);

    [Fact]
    public void Softmax_against_fixed_weights() =>
        TensorHessianChecker.Check(typeof(TensorFunctions), nameof(TensorFunctions.Softmax), Step, Tensor.RandomNormal(7, 0f, 1f, 3, 5), Tensor.RandomNormal(8, 0f, 1f, 3, 5));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Dropout_between_two_products(bool training) =>
        TensorHessianChecker.Check(typeof(TensorFunctions), nameof(TensorFunctions.WithDropout), Step,
            Tensor.RandomNormal(9, 0f, 1f, 4, 3), Tensor.RandomNormal(10, 0f, 0.5f, 3, 5), Tensor.RandomNormal(11, 0f, 0.5f, 5, 2), 17, training);

    [Fact]
    public void Reductions_along_axes() =>
        TensorHessianChecker.Check(typeof(TensorFunctions), nameof(TensorFunctions.Reductions), Step, Tensor.RandomNormal(12, 0f, 1f, 4, 5));

    [Fact]
    public void Pointwise_functions_with_a_float_exponent() =>
        TensorHessianChecker.Check(typeof(TensorFunctions), nameof(TensorFunctions.Pointwise), NearKinks,
            Tensor.RandomNormal(13, 0f, 1f, 3, 4), Tensor.RandomNormal(14, 0f, 0.5f, 4, 5), 1.5f);

    [Fact]
    public void Masked_pooling_with_where() =>
        TensorHessianChecker.Check(typeof(Attention), nameof(Attention.MaskedPooling), Step,
            Tensor.RandomNormal(61, 0f, 1f, 4, 4), Tensor.RandomNormal(62, 0f, 1f, 4, 4),
            Tensor.FromArray([1f, 1f, 0f, 1f, 0f, 1f, 1f, 1f, 1f, 0f, 1f, 0f, 1f, 1f, 1f, 0f]).Reshape(4, 4), Tensor.RandomNormal(63, 0f, 1f, 4, 4));

    [Fact]
    public void Clone_and_square() =>
        TensorHessianChecker.Check(typeof(TensorCopies), nameof(TensorCopies.ClonedSquares), Step, Tensor.RandomNormal(20, 0f, 1f, 3, 2));

    [Fact]
    public void Small_convolutional_net() =>
        TensorHessianChecker.Check(typeof(SmallCnn), nameof(SmallCnn.Loss), NearKinks,
            Tensor.RandomNormal(51, 0f, 1f, 3, 1, 8, 8), new[] { 1, 0, 2 },
            Tensor.RandomNormal(52, 0f, 0.5f, 4, 1, 3, 3), Tensor.RandomNormal(53, 0f, 0.1f, 4),
            Tensor.RandomNormal(54, 0f, 0.3f, 5, 4, 3, 3), Tensor.RandomNormal(55, 0f, 0.1f, 5),
            Tensor.RandomNormal(56, 0f, 0.3f, 20, 3), Tensor.RandomNormal(57, 0f, 0.1f, 3));

    [Fact]
    public void A_running_value_from_an_input_held_still_through_calls() =>
        TensorHessianChecker.Check(typeof(TensorCalls), nameof(TensorCalls.WalkedFromAFixedInput), Step, Tensor.RandomNormal(18, 0f, 1f, 2, 3), Tensor.RandomNormal(19, 0f, 0.6f, 3, 3), 3);

    [Fact]
    public void Calls_with_a_tensor_argument_held_still() =>
        TensorHessianChecker.Check(typeof(TensorCalls), nameof(TensorCalls.WithFixedArgument), Step, Tensor.RandomNormal(16, 0f, 1f, 2, 3), Tensor.RandomNormal(17, 0f, 1f, 2, 3));

    [Fact]
    public void Recursion() =>
        TensorHessianChecker.Check(typeof(RecursiveTensors), nameof(RecursiveTensors.Nest), Step, Tensor.RandomNormal(15, 0f, 1f, 2, 3), 3);

    [Fact]
    public void Attention_loss_through_the_block_it_calls() =>
        TensorHessianChecker.Check(typeof(Attention), nameof(Attention.Loss), Step,
            Tensor.RandomNormal(21, 0f, 1f, 2, 3, 4), Tensor.RandomNormal(22, 1f, 0.1f, 4), Tensor.RandomNormal(23, 0f, 0.1f, 4),
            Tensor.RandomNormal(24, 0f, 0.5f, 4, 4), Tensor.RandomNormal(25, 0f, 0.5f, 4, 4), Tensor.RandomNormal(26, 0f, 0.5f, 4, 4),
            Tensor.RandomNormal(27, 0f, 0.5f, 4, 4), 2);

    /// <summary>FHessian of a one-input tensor function: symmetric, and each column is the product along that unit direction.</summary>
    [Fact]
    public void Hessian_of_one_tensor_input_is_symmetric_and_made_of_products()
    {
        Tensor x = Tensor.RandomNormal(12, 0f, 1f, 2, 3);
        Tensor value = TensorFunctions.ReductionsHessian(x, out Tensor hessian);

        Assert.Equal(TensorFunctions.Reductions(x).ToArray(), value.ToArray());
        Assert.Equal(new[] { 6, 6 }, hessian.Shape.ToArray());
        float[] h = hessian.ToArray();
        for (int i = 0; i < 6; i++)
        {
            for (int j = 0; j < i; j++)
            {
                Assert.True(System.Math.Abs(h[i * 6 + j] - h[j * 6 + i]) <= 1e-4 + 1e-3 * System.Math.Abs(h[i * 6 + j]), $"H[{i},{j}] = {h[i * 6 + j]}, H[{j},{i}] = {h[j * 6 + i]}");
            }
        }
        Tensor u = Tensor.RandomUniform(3, -1f, 1f, 2, 3);
        TensorFunctions.ReductionsHessianVector(x, u, out Tensor hu);
        float[] product = hu.ToArray(), direction = u.ToArray();
        for (int i = 0; i < 6; i++)
        {
            double expected = Enumerable.Range(0, 6).Sum(j => (double)h[i * 6 + j] * direction[j]);
            Assert.True(System.Math.Abs(product[i] - expected) <= 1e-4 + 1e-3 * System.Math.Abs(expected), $"(H·u)[{i}] = {product[i]}, H times u = {expected}");
        }
    }
}
