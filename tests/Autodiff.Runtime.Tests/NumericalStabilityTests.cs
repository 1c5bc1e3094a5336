using System.Linq;
using Autodiff.Derivatives;
using Autodiff.Runtime.Tests.Reference;
using Autodiff.Runtime.Tests.Support;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>Logits far outside exp's float range: a naive softmax gives inf/inf = NaN here.</summary>
public sealed class NumericalStabilityTests
{
    private static Tensor LargeLogits() => Tensor.FromArray([1000f, 1001f, 1002f, -1000f, 0f, 1000f], 2, 3);

    [Fact]
    public void Softmax_of_large_logits_is_finite_and_matches_the_reference()
    {
        Tensor logits = LargeLogits();
        TensorAssert.Close(Ref.Softmax(DTensor.From(logits)), Tensor.Softmax(logits));
    }

    [Fact]
    public void LogSoftmax_of_large_logits_is_finite_and_matches_the_reference()
    {
        Tensor logits = LargeLogits();
        TensorAssert.Close(Ref.LogSoftmax(DTensor.From(logits)), Tensor.LogSoftmax(logits), absolute: 1e-4);
    }

    [Fact]
    public void CrossEntropy_of_large_logits_and_its_gradient_are_finite()
    {
        Tensor logits = LargeLogits();
        int[] labels = [0, 2];
        TensorAssert.Close(Ref.CrossEntropy(DTensor.From(logits), labels), Tensor.CrossEntropy(logits, labels), absolute: 1e-4);

        Tensor gradient = Tensor.ZerosLike(logits);
        TensorDerivatives.CrossEntropyBackward(logits, labels, Tensor.Scalar(1f), gradient);

        // (softmax − onehot) / N, from the double reference.
        DTensor softmax = Ref.Softmax(DTensor.From(logits));
        double[] expected = softmax.Data.Select((p, i) => (p - (i % 3 == labels[i / 3] ? 1 : 0)) / 2).ToArray();
        TensorAssert.Close(softmax.WithData(expected), gradient);
    }

    [Fact]
    public void Softmax_rows_sum_to_one()
    {
        Tensor probabilities = Tensor.Softmax(Tensor.RandomNormal(3, 0f, 10f, 8, 50));
        for (int row = 0; row < 8; row++)
        {
            double sum = probabilities.AsReadOnlySpan().Slice(row * 50, 50).ToArray().Sum(v => (double)v);
            Assert.InRange(sum, 1 - 1e-5, 1 + 1e-5);
        }
    }
}
