using System;
using Xunit;

namespace Autodiff.Kernels.Tests;

/// <summary>
/// The convolution's table-driven im2col and col2im (<see cref="ConvolutionColumns"/>) and the 2×2
/// max pooling loops (<see cref="MaxPool2x2"/>) against direct loops written from the definitions,
/// on geometries with strides, paddings wider than the kernel's reach, odd and non-square sizes.
/// </summary>
public sealed class ConvolutionKernelTests
{
    public static TheoryData<int, int, int, int, int, int, int, int> Geometries() => new()
    {
        // batch, channels, height, width, kernel height, kernel width, stride, padding
        { 1, 1, 1, 1, 1, 1, 1, 0 },
        { 32, 1, 8, 8, 3, 3, 1, 1 },    // the DigitsCnn's first convolution
        { 32, 32, 4, 4, 3, 3, 1, 1 },   // and its second
        { 3, 2, 7, 5, 3, 2, 2, 0 },     // odd sizes, a non-square kernel, stride 2
        { 2, 3, 5, 6, 2, 3, 3, 2 },     // padding larger than needed: whole rows of zeros
        { 5, 1, 2, 2, 3, 3, 1, 1 },     // a kernel larger than the image
        // Planes of at most 16 floats in and out take vector permutations instead of the tables:
        { 3, 3, 3, 5, 3, 3, 2, 1 },     // planes of 15, stride 2: output planes of 6
        { 2, 2, 4, 4, 2, 2, 1, 0 },     // planes of 16, output planes of 9
        { 2, 2, 2, 8, 3, 3, 1, 1 },     // 2×8 planes, output planes of 16
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Unfold_and_fold_match_the_direct_loops(int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int stride, int padding)
    {
        int outHeight = (height + 2 * padding - kernelHeight) / stride + 1, outWidth = (width + 2 * padding - kernelWidth) / stride + 1;
        var shape = new ConvolutionShape(batch, channels, height, width, 4, kernelHeight, kernelWidth, stride, padding, outHeight, outWidth);
        ConvolutionColumns table = ConvolutionColumns.For(shape);
        float[] images = GemmReference.Random(batch * shape.InputImage, 1);
        float[] columns = new float[shape.ColumnRows * batch * shape.ColumnCount];
        float[] scratch = new float[table.ScratchLength(batch)];
        Array.Fill(scratch, float.NaN); // whatever the scratch held before must not matter
        table.Unfold(batch, images, columns, scratch);
        Assert.Equal(DirectUnfold(shape, images), columns);

        float[] seeds = GemmReference.Random(columns.Length, 2);
        float[] folded = GemmReference.Random(images.Length, 3);
        double[] expected = DirectFold(shape, seeds, folded);
        table.FoldInto(batch, seeds, folded);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - folded[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"pixel {i}: {expected[i]} against {folded[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Fold_sums_in_the_order_of_the_scatter_it_replaced(int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int stride, int padding)
    {
        // col2im gathers each pixel's entries; the scatter it replaced added them in row order into a
        // zeroed scratch and then added that to the gradient. The float results must be the same to the bit.
        int outHeight = (height + 2 * padding - kernelHeight) / stride + 1, outWidth = (width + 2 * padding - kernelWidth) / stride + 1;
        var shape = new ConvolutionShape(batch, channels, height, width, 4, kernelHeight, kernelWidth, stride, padding, outHeight, outWidth);
        float[] seeds = GemmReference.Random(shape.ColumnRows * batch * shape.ColumnCount, 6);
        float[] folded = GemmReference.Random(batch * shape.InputImage, 7);
        folded[0] = -0f; // a pixel no entry reaches keeps its sign only if nothing is added to it
        float[] expected = ScatterFold(shape, seeds, (float[])folded.Clone());
        ConvolutionColumns.For(shape).FoldInto(batch, seeds, folded);
        Assert.Equal(Bits(expected), Bits(folded));
    }

    [Theory]
    [InlineData(1, 2, 2)]
    [InlineData(64, 8, 8)]
    [InlineData(3, 7, 5)]   // odd sizes: the last row and column belong to no window
    [InlineData(2, 6, 19)]  // nine windows a row: two groups of four in vectors, one alone
    [InlineData(1, 2, 8)]   // rows of 2, 4 and 8 with an even height take sixteen floats at a time: exactly one group
    [InlineData(32, 4, 4)]  // the DigitsCnn's second pooling
    [InlineData(3, 2, 4)]   // an odd number of row pairs of four: two windows left over
    [InlineData(5, 2, 2)]   // five windows of rows of two: one left over
    [InlineData(7, 4, 2)]
    [InlineData(2, 4, 8)]
    public void Max_pooling_picks_the_first_largest_element_of_each_window(int planes, int height, int width)
    {
        var random = new Random(planes * 100 + height);
        float[] input = new float[planes * height * width];
        for (int i = 0; i < input.Length; i++)
        {
            // Few distinct values, so that windows often hold ties; some NaNs.
            input[i] = i % 37 == 5 ? float.NaN : random.Next(4);
        }
        int outHeight = height / 2, outWidth = width / 2;
        float[] output = new float[planes * outHeight * outWidth];
        MaxPool2x2.Forward(input, output, planes, height, width);
        float[] seed = GemmReference.Random(output.Length, 4);
        float[] dx = GemmReference.Random(input.Length, 5);
        for (int i = 3; i < dx.Length; i += 7)
        {
            dx[i] = -0f; // an element no window chooses keeps its sign
        }
        float[] expectedDx = (float[])dx.Clone();
        MaxPool2x2.Backward(input, seed, dx, planes, height, width);
        for (int p = 0, o = 0; p < planes; p++)
        {
            for (int i = 0; i < outHeight; i++)
            {
                for (int j = 0; j < outWidth; j++, o++)
                {
                    int best = p * height * width + 2 * i * width + 2 * j;
                    foreach (int candidate in new[] { best + 1, best + width, best + width + 1 })
                    {
                        if (input[candidate] > input[best]) best = candidate;
                    }
                    Assert.Equal(BitConverter.SingleToInt32Bits(input[best]), BitConverter.SingleToInt32Bits(output[o]));
                    expectedDx[best] += seed[o];
                }
            }
        }
        Assert.Equal(Bits(expectedDx), Bits(dx));
    }

    private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);

    /// <summary>col2im as it was: every entry added in row order into a zeroed scratch, then the scratch added to the images.</summary>
    private static float[] ScatterFold(ConvolutionShape s, float[] columns, float[] images)
    {
        int width = s.Batch * s.ColumnCount;
        var scratch = new float[images.Length];
        for (int c = 0, row = 0; c < s.Channels; c++)
        for (int u = 0; u < s.KernelHeight; u++)
        for (int v = 0; v < s.KernelWidth; v++, row++)
        for (int n = 0, k = 0; n < s.Batch; n++)
        for (int i = 0; i < s.OutHeight; i++)
        for (int j = 0; j < s.OutWidth; j++, k++)
        {
            int y = i * s.Stride + u - s.Padding, x = j * s.Stride + v - s.Padding;
            if (y >= 0 && y < s.Height && x >= 0 && x < s.Width)
            {
                scratch[((n * s.Channels + c) * s.Height + y) * s.Width + x] += columns[row * width + k];
            }
        }
        for (int i = 0; i < images.Length; i++)
        {
            images[i] += scratch[i];
        }
        return images;
    }

    private static float[] DirectUnfold(ConvolutionShape s, float[] images)
    {
        int width = s.Batch * s.ColumnCount;
        var columns = new float[s.ColumnRows * width];
        for (int c = 0, row = 0; c < s.Channels; c++)
        for (int u = 0; u < s.KernelHeight; u++)
        for (int v = 0; v < s.KernelWidth; v++, row++)
        for (int n = 0, k = 0; n < s.Batch; n++)
        for (int i = 0; i < s.OutHeight; i++)
        for (int j = 0; j < s.OutWidth; j++, k++)
        {
            int y = i * s.Stride + u - s.Padding, x = j * s.Stride + v - s.Padding;
            bool inside = y >= 0 && y < s.Height && x >= 0 && x < s.Width;
            columns[row * width + k] = inside ? images[((n * s.Channels + c) * s.Height + y) * s.Width + x] : 0f;
        }
        return columns;
    }

    private static double[] DirectFold(ConvolutionShape s, float[] columns, float[] initial)
    {
        int width = s.Batch * s.ColumnCount;
        double[] images = Array.ConvertAll(initial, v => (double)v);
        for (int c = 0, row = 0; c < s.Channels; c++)
        for (int u = 0; u < s.KernelHeight; u++)
        for (int v = 0; v < s.KernelWidth; v++, row++)
        for (int n = 0, k = 0; n < s.Batch; n++)
        for (int i = 0; i < s.OutHeight; i++)
        for (int j = 0; j < s.OutWidth; j++, k++)
        {
            int y = i * s.Stride + u - s.Padding, x = j * s.Stride + v - s.Padding;
            if (y >= 0 && y < s.Height && x >= 0 && x < s.Width)
            {
                images[((n * s.Channels + c) * s.Height + y) * s.Width + x] += columns[row * width + k];
            }
        }
        return images;
    }
}
