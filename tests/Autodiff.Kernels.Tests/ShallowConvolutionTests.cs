using System;
using Xunit;

namespace Autodiff.Kernels.Tests;

/// <summary>
/// The products of shallow convolutions (<see cref="ShallowConvolution"/>) against loops in double
/// precision written from the definition of a convolution, on geometries whose output planes are a
/// whole number of vectors or not, with strides and paddings, one image or many.
/// </summary>
public sealed class ShallowConvolutionTests
{
    public static TheoryData<int, int, int, int, int, int, int, int, int> Geometries() => new()
    {
        // batch, channels, height, width, output channels, kernel height, kernel width, stride, padding
        { 32, 1, 8, 8, 32, 3, 3, 1, 1 },  // the DigitsCnn's first convolution: planes of 64, four vectors
        { 1, 1, 8, 8, 32, 3, 3, 1, 1 },   // one image
        { 3, 1, 5, 7, 5, 3, 3, 1, 1 },    // planes of 35: two vectors and three left over
        { 2, 2, 9, 6, 3, 2, 3, 2, 0 },    // two channels, stride 2, a non-square kernel: depth 12, planes of 8
        { 4, 1, 3, 3, 2, 4, 4, 1, 2 },    // padding wider than the kernel's reach, depth 16 (the largest taken)
        { 2, 1, 1, 1, 4, 1, 1, 1, 0 },    // depth 1, planes of 1
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Forward_matches_the_definition(int batch, int channels, int height, int width, int outChannels, int kernelHeight, int kernelWidth, int stride, int padding)
    {
        ConvolutionShape shape = Shape(batch, channels, height, width, outChannels, kernelHeight, kernelWidth, stride, padding);
        Assert.True(shape.ColumnRows <= ShallowConvolution.MaxDepth);
        float[] images = GemmReference.Random(batch * shape.InputImage, 1);
        float[] weight = GemmReference.Random(outChannels * shape.ColumnRows, 2);
        float[] bias = GemmReference.Random(outChannels, 3);
        float[] columns = Unfold(shape, images);
        foreach (bool withBias in new[] { true, false })
        {
            float[] output = new float[batch * shape.OutputImage];
            Array.Fill(output, float.NaN); // every element is written
            ShallowConvolution.Forward(shape, weight, columns, withBias ? bias : default, output);
            double[] expected = Direct(shape, images, weight, withBias ? bias : null);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - output[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"output {i}: {expected[i]} against {output[i]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Weight_gradient_matches_the_definition(int batch, int channels, int height, int width, int outChannels, int kernelHeight, int kernelWidth, int stride, int padding)
    {
        ConvolutionShape shape = Shape(batch, channels, height, width, outChannels, kernelHeight, kernelWidth, stride, padding);
        float[] images = GemmReference.Random(batch * shape.InputImage, 4);
        float[] seed = GemmReference.Random(batch * shape.OutputImage, 5);
        float[] dWeight = GemmReference.Random(outChannels * shape.ColumnRows, 6);
        double[] expected = Array.ConvertAll(dWeight, v => (double)v);
        ShallowConvolution.AddWeightGradient(shape, seed, Unfold(shape, images), dWeight);
        for (int n = 0; n < batch; n++)
        for (int o = 0; o < outChannels; o++)
        for (int i = 0; i < shape.OutHeight; i++)
        for (int j = 0; j < shape.OutWidth; j++)
        {
            double g = seed[((n * outChannels + o) * shape.OutHeight + i) * shape.OutWidth + j];
            for (int c = 0; c < channels; c++)
            for (int u = 0; u < kernelHeight; u++)
            for (int v = 0; v < kernelWidth; v++)
            {
                expected[((o * channels + c) * kernelHeight + u) * kernelWidth + v] += g * Pixel(shape, images, n, c, i * stride + u - padding, j * stride + v - padding);
            }
        }
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - dWeight[i]) <= 1e-4 * (1 + Math.Abs(expected[i])), $"weight {i}: {expected[i]} against {dWeight[i]}");
        }
    }

    [Fact]
    public void A_NaN_reaches_the_outputs_and_weight_gradients_it_touches()
    {
        ConvolutionShape shape = Shape(2, 1, 8, 8, 3, 3, 3, 1, 1);
        float[] images = GemmReference.Random(2 * shape.InputImage, 7);
        images[shape.InputImage + 9] = float.NaN; // image 1, pixel (1, 1)
        float[] weight = GemmReference.Random(3 * 9, 8);
        float[] output = new float[2 * shape.OutputImage];
        float[] columns = Unfold(shape, images);
        ShallowConvolution.Forward(shape, weight, columns, default, output);
        Assert.All(output.AsSpan(0, shape.OutputImage).ToArray(), v => Assert.False(float.IsNaN(v)));
        Assert.True(float.IsNaN(output[shape.OutputImage + 0]));             // channel 0 at (0, 0) reads pixel (1, 1)
        Assert.False(float.IsNaN(output[shape.OutputImage + 7]));            // (0, 7) does not
        float[] dWeight = new float[3 * 9];
        ShallowConvolution.AddWeightGradient(shape, GemmReference.Random(output.Length, 9), columns, dWeight);
        Assert.All(dWeight, v => Assert.True(float.IsNaN(v)));               // every weight meets pixel (1, 1) somewhere
    }

    [Fact]
    public void Forward_sums_as_the_gemm_did_to_the_bit()
    {
        // From zero, in depth order, fused; the bias added after: the packed GEMM's sums, then the old bias pass.
        ConvolutionShape shape = Shape(4, 1, 8, 8, 8, 3, 3, 1, 1);
        float[] images = GemmReference.Random(4 * shape.InputImage, 10);
        float[] weight = GemmReference.Random(8 * 9, 11), bias = GemmReference.Random(8, 12);
        float[] columns = Unfold(shape, images), output = new float[4 * shape.OutputImage];
        ShallowConvolution.Forward(shape, weight, columns, bias, output);
        int width = 4 * shape.ColumnCount;
        for (int n = 0; n < 4; n++)
        for (int o = 0; o < 8; o++)
        for (int p = 0; p < shape.ColumnCount; p++)
        {
            float sum = 0f;
            for (int k = 0; k < 9; k++)
            {
                sum = MathF.FusedMultiplyAdd(weight[o * 9 + k], columns[k * width + n * shape.ColumnCount + p], sum);
            }
            Assert.Equal(BitConverter.SingleToInt32Bits(sum + bias[o]), BitConverter.SingleToInt32Bits(output[(n * 8 + o) * shape.ColumnCount + p]));
        }
    }

    private static ConvolutionShape Shape(int batch, int channels, int height, int width, int outChannels, int kernelHeight, int kernelWidth, int stride, int padding) =>
        new(batch, channels, height, width, outChannels, kernelHeight, kernelWidth, stride, padding,
            (height + 2 * padding - kernelHeight) / stride + 1, (width + 2 * padding - kernelWidth) / stride + 1);

    private static float[] Unfold(ConvolutionShape shape, float[] images)
    {
        ConvolutionColumns table = ConvolutionColumns.For(shape);
        float[] columns = new float[shape.ColumnRows * shape.Batch * shape.ColumnCount];
        table.Unfold(shape.Batch, images, columns, new float[table.ScratchLength(shape.Batch)]);
        return columns;
    }

    private static double Pixel(ConvolutionShape s, float[] images, int n, int c, int y, int x) =>
        y >= 0 && y < s.Height && x >= 0 && x < s.Width ? images[((n * s.Channels + c) * s.Height + y) * s.Width + x] : 0.0;

    private static double[] Direct(ConvolutionShape s, float[] images, float[] weight, float[]? bias)
    {
        var output = new double[s.Batch * s.OutputImage];
        for (int n = 0, k = 0; n < s.Batch; n++)
        for (int o = 0; o < s.OutChannels; o++)
        for (int i = 0; i < s.OutHeight; i++)
        for (int j = 0; j < s.OutWidth; j++, k++)
        {
            double sum = bias is null ? 0.0 : bias[o];
            for (int c = 0; c < s.Channels; c++)
            for (int u = 0; u < s.KernelHeight; u++)
            for (int v = 0; v < s.KernelWidth; v++)
            {
                sum += (double)weight[((o * s.Channels + c) * s.KernelHeight + u) * s.KernelWidth + v] * Pixel(s, images, n, c, i * s.Stride + u - s.Padding, j * s.Stride + v - s.Padding);
            }
            output[k] = sum;
        }
        return output;
    }
}
