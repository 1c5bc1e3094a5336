using System;
using Autodiff.Derivatives;
using Xunit;

namespace Autodiff.Kernels.Tests;

/// <summary>
/// Tensor operations that share their work with the GEMM workers (<see cref="ParallelRange"/>):
/// batched products forward and backward (<see cref="BatchedProducts"/>), GELU, same-shape
/// element-wise operators and zero-filled workspace tensors (<see cref="ParallelElementwise"/>).
/// Each gives the same bits on one and two threads, and the products match a double reference.
/// </summary>
public sealed class ParallelTensorOperationTests
{
    public static TheoryData<int[], int[]> BatchedShapes() => new()
    {
        { [3, 5, 17, 9], [3, 5, 9, 13] },   // odd sizes, 15 products
        { [12, 4, 64, 32], [12, 4, 32, 64] }, // the CharTransformer's attention scores
        { [2, 3, 1, 1], [2, 3, 1, 1] },     // products of one element
        { [40, 3, 2], [40, 2, 5] },         // rank 3, many tiny products in a block
        { [2, 3, 7, 5], [1, 3, 5, 6] },     // b broadcast over the first batch axis
        { [1, 3, 7, 5], [4, 3, 5, 6] },     // a broadcast
        { [6, 7, 5], [5, 1, 5, 6] },        // ranks 3 and 4 broadcasting both ways
    };

    [Theory]
    [MemberData(nameof(BatchedShapes))]
    public void Batched_products_and_their_gradients_agree_on_both_thread_counts_and_with_the_reference(int[] aShape, int[] bShape)
    {
        using var scope = new GemmPathScope(GemmPath.Default);
        Tensor a = Tensor.RandomNormal(1, 0f, 1f, aShape), b = Tensor.RandomNormal(2, 0f, 1f, bShape);
        Gemm.MaxThreads = 1;
        Tensor product1 = Tensor.MatMul(a, b);
        Tensor seed = Tensor.RandomNormal(3, 0f, 1f, product1.Shape.ToArray());
        (Tensor da1, Tensor db1) = Gradients(a, b, seed);
        Gemm.MaxThreads = 2;
        for (int repeat = 0; repeat < 5; repeat++)
        {
            Assert.Equal(product1.ToArray(), Tensor.MatMul(a, b).ToArray());
            (Tensor da2, Tensor db2) = Gradients(a, b, seed);
            Assert.Equal(da1.ToArray(), da2.ToArray());
            Assert.Equal(db1.ToArray(), db2.ToArray());
        }
        AssertAgainstReference(a, b, product1, seed, da1, db1);
    }

    [Fact]
    public void Large_element_wise_results_are_the_same_on_both_thread_counts()
    {
        using var scope = new GemmPathScope(GemmPath.Default);
        // 5 blocks and a short one, plus a length under two blocks that stays on one thread.
        foreach (int length in new[] { 5 * ParallelElementwise.Grain + 37, ParallelElementwise.Grain + 1 })
        {
            Tensor x = Tensor.RandomNormal(4, 0f, 2f, length), y = Tensor.RandomNormal(5, 0f, 1f, length);
            Tensor seed = Tensor.RandomNormal(6, 0f, 1f, length);
            Gemm.MaxThreads = 1;
            float[] gelu1 = Tensor.Gelu(x).ToArray(), sum1 = (x + y).ToArray();
            Tensor dx1 = Tensor.Full(0.5f, length);
            TensorDerivatives.GeluBackward(x, seed, dx1);
            Gemm.MaxThreads = 2;
            Assert.Equal(gelu1, Tensor.Gelu(x).ToArray());
            Assert.Equal(sum1, (x + y).ToArray());
            Tensor dx2 = Tensor.Full(0.5f, length);
            TensorDerivatives.GeluBackward(x, seed, dx2);
            Assert.Equal(dx1.ToArray(), dx2.ToArray());
            // Gradients added into same-shape accumulators (a sum's, a reshape's): x + seed, then + seed again.
            Tensor da = x.Clone(), db = x.Clone(), dr = x.Clone();
            TensorDerivatives.AddBackward(x, y, seed, da, db);
            TensorDerivatives.ReshapeBackward(x, [length], seed, dr);
            float[] seeds = seed.ToArray(), xs0 = x.ToArray(), sums = da.ToArray();
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(xs0[i] + seeds[i], sums[i]);
            }
            Assert.Equal(da.ToArray(), db.ToArray());
            Assert.Equal(da.ToArray(), dr.ToArray());
            float[] xs = x.ToArray(), ys = y.ToArray();
            for (int i = 0; i < length; i += 997)
            {
                Assert.Equal(xs[i] + ys[i], sum1[i]);
            }
        }
    }

    [Theory]
    [InlineData(new[] { 12, 4, 64, 64 })]   // attention probabilities: many short rows per block
    [InlineData(new[] { 5, 20_001 })]       // rows longer than a block: one row per block
    [InlineData(new[] { 3, 7 })]            // too small to share
    public void Softmax_and_its_gradient_are_the_same_on_both_thread_counts(int[] shape)
    {
        using var scope = new GemmPathScope(GemmPath.Default);
        Tensor x = Tensor.RandomNormal(7, 0f, 3f, shape), seed = Tensor.RandomNormal(8, 0f, 1f, shape);
        Gemm.MaxThreads = 1;
        Tensor y1 = Tensor.Softmax(x), dx1 = Tensor.Full(0.125f, shape);
        TensorDerivatives.SoftmaxBackward(x, y1, seed, dx1);
        Gemm.MaxThreads = 2;
        Tensor y2 = Tensor.Softmax(x), dx2 = Tensor.Full(0.125f, shape);
        TensorDerivatives.SoftmaxBackward(x, y2, seed, dx2);
        Assert.Equal(y1.ToArray(), y2.ToArray());
        Assert.Equal(dx1.ToArray(), dx2.ToArray());
        // Each row sums to 1.
        float[] y = y1.ToArray();
        int row = shape[^1];
        for (int start = 0; start < y.Length; start += row)
        {
            double sum = 0;
            for (int j = 0; j < row; j++) sum += y[start + j];
            Assert.Equal(1.0, sum, 4);
        }
    }

    [Fact]
    public void Zero_filled_workspace_tensors_are_zero_every_pass()
    {
        using var scope = new GemmPathScope(GemmPath.Default);
        Gemm.MaxThreads = 2;
        var workspace = new TensorWorkspace();
        for (int pass = 0; pass < 3; pass++)
        {
            using TensorWorkspace.Scope pass_ = workspace.Enter();
            Tensor zeros = Tensor.Zeros(3 * ParallelElementwise.Grain + 5);
            Assert.All(zeros.ToArray(), v => Assert.Equal(0f, v));
            zeros.Span.Fill(pass + 1f); // dirty the buffer for the next pass
        }
    }

    private static (Tensor Da, Tensor Db) Gradients(Tensor a, Tensor b, Tensor seed)
    {
        Tensor da = Tensor.Full(0.25f, a.Shape.ToArray()), db = Tensor.Full(-0.5f, b.Shape.ToArray());
        TensorDerivatives.MatMulBackward(a, b, seed, da, db);
        return (da, db);
    }

    /// <summary>The product and both gradients (accumulated onto their starting values) from double loops over broadcast indices.</summary>
    private static void AssertAgainstReference(Tensor a, Tensor b, Tensor product, Tensor seed, Tensor da, Tensor db)
    {
        int m = a.Dim(-2), k = a.Dim(-1), n = b.Dim(-1);
        int batches = product.Length / (m * n);
        var expectedProduct = new double[product.Length];
        var expectedDa = new double[a.Length];
        var expectedDb = new double[b.Length];
        Array.Fill(expectedDa, 0.25);
        Array.Fill(expectedDb, -0.5);
        ReadOnlySpan<int> batch = product.Shape[..^2];
        float[] av = a.ToArray(), bv = b.ToArray(), sv = seed.ToArray();
        for (int i = 0; i < batches; i++)
        {
            int aBase = Tensor.BatchOffset(i, batch, a) * m * k, bBase = Tensor.BatchOffset(i, batch, b) * k * n, cBase = i * m * n;
            for (int r = 0; r < m; r++)
            {
                for (int c = 0; c < n; c++)
                {
                    double s = sv[cBase + r * n + c];
                    for (int p = 0; p < k; p++)
                    {
                        expectedProduct[cBase + r * n + c] += (double)av[aBase + r * k + p] * bv[bBase + p * n + c];
                        expectedDa[aBase + r * k + p] += s * bv[bBase + p * n + c];
                        expectedDb[bBase + p * n + c] += s * av[aBase + r * k + p];
                    }
                }
            }
        }
        AssertClose(expectedProduct, product);
        AssertClose(expectedDa, da);
        AssertClose(expectedDb, db);
    }

    private static void AssertClose(double[] expected, Tensor tensor)
    {
        float[] actual = tensor.ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * (1 + Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
    [Theory]
    [InlineData(32, 1, 8, 8, 32)]   // the DigitsCnn's first convolution: shallow products
    [InlineData(32, 32, 4, 4, 64)]  // its second: planes in vectors, products on both cores
    [InlineData(9, 3, 7, 5, 4)]     // the tables' col2im on both cores
    public void Convolutions_and_their_gradients_are_the_same_on_both_thread_counts(int batch, int channels, int size, int width, int outChannels)
    {
        using var scope = new GemmPathScope(GemmPath.Default);
        Tensor input = Tensor.RandomNormal(1, 0f, 1f, batch, channels, size, width);
        Tensor weight = Tensor.RandomNormal(2, 0f, 0.3f, outChannels, channels, 3, 3), bias = Tensor.RandomNormal(3, 0f, 1f, outChannels);
        Gemm.MaxThreads = 1;
        Tensor output1 = Tensor.Conv2d(input, weight, bias, padding: 1);
        Tensor seed = Tensor.RandomNormal(4, 0f, 1f, output1.Shape.ToArray());
        Tensor dInput1 = Tensor.ZerosLike(input), dWeight1 = Tensor.ZerosLike(weight), dBias1 = Tensor.ZerosLike(bias);
        TensorDerivatives.Conv2dBackward(input, weight, bias, 1, 1, seed, dInput1, dWeight1, dBias1);
        Gemm.MaxThreads = 2;
        for (int repeat = 0; repeat < 3; repeat++)
        {
            Assert.Equal(output1.ToArray(), Tensor.Conv2d(input, weight, bias, padding: 1).ToArray());
            Tensor dInput2 = Tensor.ZerosLike(input), dWeight2 = Tensor.ZerosLike(weight), dBias2 = Tensor.ZerosLike(bias);
            TensorDerivatives.Conv2dBackward(input, weight, bias, 1, 1, seed, dInput2, dWeight2, dBias2);
            Assert.Equal(dInput1.ToArray(), dInput2.ToArray());
            Assert.Equal(dWeight1.ToArray(), dWeight2.ToArray());
            Assert.Equal(dBias1.ToArray(), dBias2.ToArray());
        }
    }
}
