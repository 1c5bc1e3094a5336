using System.Linq;
using Autodiff.Runtime.Tests.Reference;
using Autodiff.Runtime.Tests.Support;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>The accumulation helpers that backward rules and generated code use.</summary>
public sealed class InPlaceTests
{
    [Fact]
    public void AddInPlace_and_AddScaledInPlace_accumulate()
    {
        Tensor destination = Tensor.FromArray([1f, 2f, 3f]);
        Tensor.AddInPlace(destination, Tensor.FromArray([10f, 20f, 30f]));
        Assert.Equal([11f, 22f, 33f], destination.ToArray());
        Tensor.AddScaledInPlace(destination, Tensor.FromArray([1f, 1f, 2f]), -0.5f);
        Assert.Equal([10.5f, 21.5f, 32f], destination.ToArray());
    }

    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 4 })]
    [InlineData(new[] { 3, 4 }, new[] { 3, 1 })]
    [InlineData(new[] { 3, 4 }, new[] { 1, 4 })]
    [InlineData(new[] { 3, 4 }, new int[0])]
    [InlineData(new[] { 2, 3, 4 }, new[] { 3, 1 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 2, 1, 4 })]
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 3, 1, 5 })]
    [InlineData(new[] { 3, 4 }, new[] { 3, 4 })]
    public void AccumulateReduced_sums_over_broadcast_dimensions(int[] gradientShape, int[] destinationShape)
    {
        Tensor gradient = Inputs.Uniform(1, gradientShape);
        Tensor destination = Inputs.Uniform(2, destinationShape);
        DTensor initial = DTensor.From(destination);
        // The reduction is the gradient of broadcasting: ⟨g, broadcast(d)⟩ is linear in d, so its
        // gradient, the sum of g over every position d was repeated to, is an exact reference.
        double[][] expected = FiniteDifferences.Gradient(
            r => Ref.Add(r[0], DTensor.Zeros(gradientShape)), [initial], DTensor.From(gradient));

        Tensor.AccumulateReduced(destination, gradient);

        TensorAssert.Close(initial.WithData(initial.Data.Zip(expected[0], (a, b) => a + b).ToArray()), destination,
            absolute: 1e-5);
    }
}
