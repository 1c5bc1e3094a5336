using System;
using System.Linq;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>Construction, shape queries, indexing, copying and formatting.</summary>
public sealed class TensorBasicsTests
{
    [Fact]
    public void FromArray_copies_the_data_and_keeps_the_shape()
    {
        float[] data = [1, 2, 3, 4, 5, 6];
        Tensor t = Tensor.FromArray(data, 2, 3);
        data[0] = 100;

        Assert.Equal([2, 3], t.Shape.ToArray());
        Assert.Equal(2, t.Rank);
        Assert.Equal(6, t.Length);
        Assert.Equal(3, t.Dim(1));
        Assert.Equal(3, t.Dim(-1));
        Assert.Equal(1f, t[0, 0]);
        Assert.Equal(6f, t[1, 2]);
        Assert.Equal(6f, t[new[] { 1, 2 }]);
    }

    [Fact]
    public void FromArray_without_a_shape_makes_a_vector_and_with_an_empty_shape_a_scalar()
    {
        Assert.Equal([3], Tensor.FromArray([1f, 2f, 3f]).Shape.ToArray());
        Assert.Equal(0, Tensor.FromArray([5f], Array.Empty<int>()).Rank);
        Assert.Equal([2, 2], Tensor.FromSpan([1f, 2f, 3f, 4f], 2, 2).Shape.ToArray());
    }

    [Fact]
    public void Factories_fill_as_named()
    {
        Assert.All(Tensor.Zeros(2, 3).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(Tensor.Ones(4).ToArray(), v => Assert.Equal(1f, v));
        Assert.All(Tensor.Full(2.5f, 2, 2, 2).ToArray(), v => Assert.Equal(2.5f, v));
        Assert.Equal([2, 2, 2], Tensor.Full(2.5f, 2, 2, 2).Shape.ToArray());
        Tensor scalar = Tensor.Scalar(3.5f);
        Assert.Equal(0, scalar.Rank);
        Assert.Equal(3.5f, scalar.Item());
        Tensor like = Tensor.ZerosLike(Tensor.Ones(3, 1));
        Assert.Equal([3, 1], like.Shape.ToArray());
        Assert.All(like.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Random_tensors_are_deterministic_per_seed_and_have_the_requested_distribution()
    {
        Assert.Equal(Tensor.RandomNormal(7, 0f, 1f, 100).ToArray(), Tensor.RandomNormal(7, 0f, 1f, 100).ToArray());
        Assert.NotEqual(Tensor.RandomNormal(7, 0f, 1f, 100).ToArray(), Tensor.RandomNormal(8, 0f, 1f, 100).ToArray());

        float[] normal = Tensor.RandomNormal(1, 2f, 3f, 20000).ToArray();
        double mean = normal.Average(v => (double)v);
        double std = Math.Sqrt(normal.Average(v => (v - mean) * (v - mean)));
        // Standard errors: 3/√20000 ≈ 0.02 for the mean, ≈ 0.015 for the deviation.
        Assert.InRange(mean, 2 - 0.1, 2 + 0.1);
        Assert.InRange(std, 3 - 0.1, 3 + 0.1);

        float[] uniform = Tensor.RandomUniform(1, -2f, 5f, 20000).ToArray();
        Assert.All(uniform, v => Assert.InRange(v, -2f, 5f));
        Assert.InRange(uniform.Average(v => (double)v), 1.5 - 0.1, 1.5 + 0.1);
        Assert.True(uniform.Min() < -1.9f && uniform.Max() > 4.9f);
    }

    [Fact]
    public void Reshape_copies_and_infers_one_dimension()
    {
        Tensor t = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        Tensor r = t.Reshape(3, -1);
        Assert.Equal([3, 2], r.Shape.ToArray());
        Assert.Equal(t.ToArray(), r.ToArray());
        r.Span[0] = 42;
        Assert.Equal(1f, t[0, 0]);
        Assert.Equal([6], t.Reshape(-1).Shape.ToArray());
        Assert.Equal([1, 2, 3], t.Reshape(new[] { 1, -1, 3 }).Shape.ToArray());
    }

    [Fact]
    public void Item_returns_the_only_element_and_otherwise_throws_like_PyTorch()
    {
        Assert.Equal(4f, Tensor.FromArray([4f], 1, 1).Item());
        var error = Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(2, 3).Item());
        Assert.Contains("a Tensor with 6 elements cannot be converted to Scalar", error.Message);
    }

    [Fact]
    public void Indexers_check_bounds_and_rank_naming_the_shape()
    {
        Tensor t = Tensor.Zeros(2, 3);
        var outOfRange = Assert.ThrowsAny<ArgumentException>(() => t[2, 0]);
        Assert.Contains("[2x3]", outOfRange.Message);
        var wrongRank = Assert.ThrowsAny<ArgumentException>(() => t[1]);
        Assert.Contains("[2x3]", wrongRank.Message);
        Assert.ThrowsAny<ArgumentException>(() => t[0, -1]);
        Assert.ThrowsAny<ArgumentException>(() => t[new[] { 0, 0, 0 }]);
    }

    [Fact]
    public void CopyFrom_Fill_and_Clone_are_independent_copies()
    {
        Tensor a = Tensor.FromArray([1f, 2f, 3f]);
        Tensor b = Tensor.Zeros(3);
        b.CopyFrom(a);
        Assert.Equal(a.ToArray(), b.ToArray());

        Tensor c = a.Clone();
        a.Fill(9f);
        Assert.Equal([1f, 2f, 3f], c.ToArray());
        Assert.Equal([9f, 9f, 9f], a.ToArray());
    }

    [Fact]
    public void ToString_shows_shape_and_values_in_invariant_culture()
    {
        Assert.Equal("Tensor [2x2] [[1.5, -2], [0.25, 4]]", Tensor.FromArray([1.5f, -2f, 0.25f, 4f], 2, 2).ToString());
        Assert.Equal("Tensor [] 3", Tensor.Scalar(3f).ToString());
    }

    [Fact]
    public void ToString_summarises_long_dimensions()
    {
        string text = Tensor.FromArray(Enumerable.Range(0, 100).Select(i => (float)i).ToArray()).ToString();
        Assert.Equal("Tensor [100] [0, 1, 2, ..., 97, 98, 99]", text);
    }

    [Fact]
    public void Gather_picks_rows_in_the_given_order()
    {
        Tensor t = Tensor.FromArray([0, 1, 10, 11, 20, 21], 3, 2);
        Tensor g = Tensor.Gather(t, [2, 0, 2]);
        Assert.Equal([3, 2], g.Shape.ToArray());
        Assert.Equal([20f, 21f, 0f, 1f, 20f, 21f], g.ToArray());
        Assert.Equal([11f, 10f], Tensor.Gather(Tensor.FromArray([10f, 11f]), new[] { 1, 0 }).ToArray());
    }

    [Fact]
    public void ArgMax_returns_the_first_largest_index_per_row()
    {
        Tensor t = Tensor.FromArray([0.1f, 0.7f, 0.2f, 5f, 5f, -1f], 2, 3);
        Assert.Equal([1, 0], Tensor.ArgMax(t));
        Span<int> destination = stackalloc int[2];
        Tensor.ArgMax(t, destination);
        Assert.Equal([1, 0], destination.ToArray());
    }

    [Fact]
    public void Operators_and_named_methods_agree()
    {
        Tensor a = Tensor.RandomUniform(1, -1f, 1f, 3, 4);
        Tensor b = Tensor.RandomUniform(2, 0.5f, 2f, 4);
        Assert.Equal(Tensor.Add(a, b).ToArray(), (a + b).ToArray());
        Assert.Equal(Tensor.Subtract(a, b).ToArray(), (a - b).ToArray());
        Assert.Equal(Tensor.Multiply(a, b).ToArray(), (a * b).ToArray());
        Assert.Equal(Tensor.Divide(a, b).ToArray(), (a / b).ToArray());
        Assert.Equal(Tensor.Multiply(2f, a).ToArray(), (a * 2f).ToArray());
        Assert.Equal(Tensor.Negate(a).ToArray(), (-a).ToArray());
        Assert.Equal(Tensor.Subtract(1f, a).ToArray(), (1f - a).ToArray());
        Assert.Equal(Tensor.Divide(1f, b).ToArray(), (1f / b).ToArray());
    }
}
