using System;
using Xunit;

namespace Autodiff.Kernels.Tests;

/// <summary>
/// The entry point is what makes the unchecked indexing inside the kernels safe: spans shorter
/// than their shapes are refused with a message naming the shapes, and nothing past m·n of C is
/// written.
/// </summary>
public sealed class GemmValidationTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void ShortAIsRefusedWithItsShape(bool transposeA, bool transposeB)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(new float[3 * 4 - 1], new float[4 * 5], new float[3 * 5], 3, 5, 4, transposeA, transposeB, false));
        Assert.Equal("a", error.ParamName);
        Assert.Contains(transposeA ? "4x3 (transposed)" : "3x4", error.Message);
        Assert.Contains("needs 12", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ShortBIsRefusedWithItsShape(bool transposeB)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(new float[3 * 4], new float[4 * 5 - 1], new float[3 * 5], 3, 5, 4, false, transposeB, false));
        Assert.Equal("b", error.ParamName);
        Assert.Contains(transposeB ? "5x4 (transposed)" : "4x5", error.Message);
        Assert.Contains("needs 20", error.Message);
    }

    [Fact]
    public void ShortCIsRefusedWithItsShape()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(new float[3 * 4], new float[4 * 5], new float[3 * 5 - 1], 3, 5, 4, false, false, true));
        Assert.Equal("c", error.ParamName);
        Assert.Contains("3x5", error.Message);
        Assert.Contains("needs 15", error.Message);
    }

    [Fact]
    public void LargeShortSpanIsRefusedBeforeAnyWork()
    {
        // Big enough for the packed and threaded paths: validation must come first.
        var c = new float[400 * 400];
        Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(new float[400 * 400], new float[400 * 399], c, 400, 400, 400, false, false, false));
        Assert.All(c, value => Assert.Equal(0f, value));
    }

    [Theory]
    [InlineData(-1, 2, 3, "m")]
    [InlineData(1, -2, 3, "n")]
    [InlineData(1, 2, -3, "k")]
    public void NegativeDimensionsAreRefused(int m, int n, int k, string name)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Gemm.Multiply(new float[64], new float[64], new float[64], m, n, k, false, false, false));
        Assert.Equal(name, error.ParamName);
    }

    [Theory]
    [InlineData(GemmPath.Small)]
    [InlineData(GemmPath.OneThread)]
    [InlineData(GemmPath.Threaded)]
    public void LongerSpansAreUsedOnlyUpToTheirShapes(GemmPath path)
    {
        using var scope = new GemmPathScope(path);
        const int m = 37, n = 45, k = 29, extra = 100;
        float[] a = GemmReference.Random(m * k + extra, 1);
        float[] b = GemmReference.Random(k * n + extra, 2);
        float[] c = GemmReference.Filled(m * n + extra, 7f);
        Gemm.Multiply(a, b, c, m, n, k, false, false, false);
        for (int i = m * n; i < c.Length; i++)
        {
            Assert.Equal(7f, c[i]);
        }
        GemmReference.AssertProduct(a, b, new float[m * n], c, m, n, k, false, false, false);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EmptyDepthStoresZerosOrLeavesC(bool accumulate)
    {
        float[] c = GemmReference.Filled(6, 5f);
        Gemm.Multiply([], [], c, 2, 3, 0, false, false, accumulate);
        Assert.All(c, value => Assert.Equal(accumulate ? 5f : 0f, value));
    }

    [Fact]
    public void EmptyResultTouchesNothing()
    {
        Gemm.Multiply([], new float[12], [], 0, 3, 4, false, false, false);
        Gemm.Multiply(new float[12], [], [], 3, 0, 4, false, false, false);
    }

    [Fact]
    public void MaxThreadsBelowOneIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MaxThreads = 0);
    }
}
