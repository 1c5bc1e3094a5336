using Autodiff.Gradients.Tests.Harness;
using Xunit;

namespace Autodiff.Gradients.Tests.Tensors;

/// <summary>
/// Forward mode (FTangent) of the tensor functions the gradient tests differentiate: recurrences,
/// branches, scalars out of tensors, reductions, pointwise functions, dropout, attention, a
/// convolutional net and recursion, against central differences and the generated gradients.
/// </summary>
public class TensorTangentTests
{
    [Fact]
    public void Recurrent_cell() =>
        TensorTangentChecker.Check(typeof(TensorFunctions), nameof(TensorFunctions.Recurrent),
            Tensor.RandomNormal(1, 0f, 0.5f, 2, 3), Tensor.RandomNormal(2, 0f, 0.5f, 3, 3), Tensor.RandomNormal(3, 0f, 0.5f, 2, 3), Tensor.RandomNormal(4, 0f, 1f, 2, 3), 4);

    [Theory]
    [InlineData(0.8f)]
    [InlineData(1.6f)]
    public void Reassignment_branches_and_scalars_out_of_tensors(float scale) =>
        TensorTangentChecker.Check(typeof(TensorFunctions), nameof(TensorFunctions.Mixed),
            Tensor.RandomNormal(5, 0f, 0.5f, 3, 4), Tensor.RandomNormal(6, 0f, 0.5f, 4, 2), scale);

    [Fact]
    public void Softmax_against_fixed_weights() =>
        TensorTangentChecker.Check(typeof(TensorFunctions), nameof(TensorFunctions.Softmax), Tensor.RandomNormal(7, 0f, 1f, 3, 5), Tensor.RandomNormal(8, 0f, 1f, 3, 5));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Dropout_between_two_products(bool training) =>
        TensorTangentChecker.Check(typeof(TensorFunctions), nameof(TensorFunctions.WithDropout),
            Tensor.RandomNormal(9, 0f, 1f, 4, 3), Tensor.RandomNormal(10, 0f, 0.5f, 3, 5), Tensor.RandomNormal(11, 0f, 0.5f, 5, 2), 17, training);

    [Fact]
    public void Reductions_along_axes() =>
        TensorTangentChecker.Check(typeof(TensorFunctions), nameof(TensorFunctions.Reductions), Tensor.RandomNormal(12, 0f, 1f, 4, 5));

    [Fact]
    public void Pointwise_functions_with_a_float_exponent() =>
        TensorTangentChecker.Check(typeof(TensorFunctions), nameof(TensorFunctions.Pointwise),
            Tensor.RandomNormal(13, 0f, 1f, 3, 4), Tensor.RandomNormal(14, 0f, 0.5f, 4, 5), 1.5f);

    [Fact]
    public void A_running_value_from_an_input_held_still_through_calls() =>
        TensorTangentChecker.Check(typeof(TensorCalls), nameof(TensorCalls.WalkedFromAFixedInput), Tensor.RandomNormal(18, 0f, 1f, 2, 3), Tensor.RandomNormal(19, 0f, 0.6f, 3, 3), 3);

    [Fact]
    public void Calls_with_a_tensor_argument_held_still() =>
        TensorTangentChecker.Check(typeof(TensorCalls), nameof(TensorCalls.WithFixedArgument), Tensor.RandomNormal(16, 0f, 1f, 2, 3), Tensor.RandomNormal(17, 0f, 1f, 2, 3));

    [Fact]
    public void Recursion() =>
        TensorTangentChecker.Check(typeof(RecursiveTensors), nameof(RecursiveTensors.Nest), Tensor.RandomNormal(15, 0f, 1f, 2, 3), 3);

    [Fact]
    public void Attention_block_with_a_tensor_result() =>
        TensorTangentChecker.Check(typeof(Attention), nameof(Attention.Block), AttentionArguments());

    [Fact]
    public void Attention_loss_through_the_block() =>
        TensorTangentChecker.Check(typeof(Attention), nameof(Attention.Loss), AttentionArguments());

    [Fact]
    public void Masked_pooling_with_where() =>
        TensorTangentChecker.Check(typeof(Attention), nameof(Attention.MaskedPooling),
            Tensor.RandomNormal(61, 0f, 1f, 4, 4), Tensor.RandomNormal(62, 0f, 1f, 4, 4),
            Tensor.FromArray([1f, 1f, 0f, 1f, 0f, 1f, 1f, 1f, 1f, 0f, 1f, 0f, 1f, 1f, 1f, 0f]).Reshape(4, 4), Tensor.RandomNormal(63, 0f, 1f, 4, 4));

    [Fact]
    public void Stop_gives_the_stopped_value_a_zero_tangent() =>
        TensorTangentChecker.Check(typeof(TensorCopies), nameof(TensorCopies.HalfStopped), differences: false, Tensor.RandomNormal(19, 0f, 1f, 3, 2));

    [Fact]
    public void Clone_passes_the_tangent_through() =>
        TensorTangentChecker.Check(typeof(TensorCopies), nameof(TensorCopies.ClonedSquares), Tensor.RandomNormal(20, 0f, 1f, 3, 2));

    [Fact]
    public void Small_convolutional_net() =>
        TensorTangentChecker.CheckNearKinks(typeof(SmallCnn), nameof(SmallCnn.Loss),
            Tensor.RandomNormal(51, 0f, 1f, 3, 1, 8, 8), new[] { 1, 0, 2 },
            Tensor.RandomNormal(52, 0f, 0.5f, 4, 1, 3, 3), Tensor.RandomNormal(53, 0f, 0.1f, 4),
            Tensor.RandomNormal(54, 0f, 0.3f, 5, 4, 3, 3), Tensor.RandomNormal(55, 0f, 0.1f, 5),
            Tensor.RandomNormal(56, 0f, 0.3f, 20, 3), Tensor.RandomNormal(57, 0f, 0.1f, 3));

    private static object[] AttentionArguments() =>
    [
        Tensor.RandomNormal(21, 0f, 1f, 2, 3, 4), Tensor.RandomNormal(22, 1f, 0.1f, 4), Tensor.RandomNormal(23, 0f, 0.1f, 4),
        Tensor.RandomNormal(24, 0f, 0.5f, 4, 4), Tensor.RandomNormal(25, 0f, 0.5f, 4, 4), Tensor.RandomNormal(26, 0f, 0.5f, 4, 4),
        Tensor.RandomNormal(27, 0f, 0.5f, 4, 4), 2,
    ];
}
