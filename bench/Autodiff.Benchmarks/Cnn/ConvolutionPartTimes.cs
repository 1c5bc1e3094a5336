using System;
using System.Globalization;
using Autodiff.Kernels;

namespace Autodiff.Benchmarks.Cnn;

/// <summary>The pieces of the DigitsCnn's convolutions (im2col, the products, col2im, the reorder), each alone.</summary>
internal static class ConvolutionPartTimes
{
    public static void Run(Func<Action, (double Median, double Best, double Bytes)> time)
    {
        var input = Tensor.RandomNormal(1, 0f, 1f, 32, 32, 4, 4);
        var weight = Tensor.RandomNormal(2, 0f, 1f, 64, 32, 3, 3);
        ConvolutionShape shape = ConvolutionShape.Of("Conv2d", input, weight, 1, 1);
        int width = shape.Batch * shape.ColumnCount;
        float[] columns = new float[shape.ColumnRows * width];
        float[] product = new float[shape.OutChannels * width];
        float[] output = new float[shape.OutChannels * width];
        float[] dW = new float[weight.Length];
        float[] dInput = new float[input.Length];
        ConvolutionColumns table = ConvolutionColumns.For(shape);
        float[] scratch = new float[table.ScratchLength(shape.Batch)];
        var images1 = Tensor.RandomNormal(3, 0f, 1f, 32, 1, 8, 8);
        var weight1 = Tensor.RandomNormal(4, 0f, 1f, 32, 1, 3, 3);
        var bias1 = Tensor.RandomNormal(5, 0f, 1f, 32);
        ConvolutionShape shape1 = ConvolutionShape.Of("Conv2d", images1, weight1, 1, 1);
        ConvolutionColumns table1 = ConvolutionColumns.For(shape1);
        float[] columns1 = new float[shape1.ColumnRows * shape1.Batch * shape1.ColumnCount];
        float[] scratch1 = new float[table1.ScratchLength(shape1.Batch)];
        float[] output1 = new float[shape1.Batch * shape1.OutputImage];
        float[] dWeight1 = new float[weight1.Length];
        var parts = new (string Name, Action Body)[]
        {
            ("conv2 im2col [288, 512]", () => table.Unfold(shape.Batch, input.Values, columns, scratch)),
            ("conv2 product W . columns 64x512x288", () => Gemm.MultiplyArrays(weight.Values, columns, product, 64, width, 288, false, false, false)),
            ("conv2 reorder [O,N,HW] -> [N,O,HW]", () => shape.Reorder(product, output, toBatchFirst: true)),
            ("conv2 product dW += dOut . columnsT 64x288x512", () => Gemm.MultiplyArrays(product, columns, dW, 64, 288, width, false, true, true)),
            ("conv2 product dCols = WT . dOut 288x512x64", () => Gemm.MultiplyArrays(weight.Values, product, columns, 288, width, 64, true, false, false)),
            ("conv2 col2im", () => table.FoldInto(shape.Batch, columns, dInput)),
            ("conv1 im2col [9, 2048]", () => table1.Unfold(shape1.Batch, images1.Values, columns1, scratch1)),
            ("conv1 forward from the columns", () => ShallowConvolution.Forward(shape1, weight1.Values, columns1, bias1.Values, output1)),
            ("conv1 dW from the columns", () => ShallowConvolution.AddWeightGradient(shape1, output1, columns1, dWeight1)),
        };
        foreach ((string name, Action body) in parts)
        {
            (double median, double best, double bytes) = time(body);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-44} median {median,9:F1} us   best {best,9:F1} us   {bytes:F1} bytes/call"));
        }
    }
}
