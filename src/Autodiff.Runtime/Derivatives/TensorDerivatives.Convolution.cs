using System;
using Autodiff.Kernels;

// Each rule is documented by its DerivativeOf target and the class summary; a summary per rule would repeat them.
#pragma warning disable CS1591

namespace Autodiff.Derivatives;

// Conv2d, MaxPool2d and AvgPool2d. A convolution's rule unfolds each image again (im2col) rather
// than keep its columns: dW += dOut · columnsᵀ, dColumns = Wᵀ · dOut folded back into dInput.
public static partial class TensorDerivatives
{
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Conv2d))]
    public static void Conv2dBackward(Tensor input, Tensor weight, Tensor bias, int stride, int padding, Tensor seed,
        Tensor? dInput, Tensor? dWeight, Tensor? dBias)
    {
        ArgumentNullException.ThrowIfNull(bias);
        ConvolutionBackward(input, weight, stride, padding, seed, dInput, dWeight);
        TensorShape.RequireAccumulator(nameof(Conv2dBackward), dBias, bias);
        if (dBias is null) return;
        int plane = seed.Dim(2) * seed.Dim(3), channels = seed.Dim(1);
        ReadOnlySpan<float> s = seed.Span;
        Span<float> d = dBias.Span;
        for (int start = 0, channel = 0; start < s.Length; start += plane, channel = (channel + 1) % channels)
        {
            d[channel] += System.Numerics.Tensors.TensorPrimitives.Sum(s.Slice(start, plane));
        }
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Conv2d))]
    public static void Conv2dBackward(Tensor input, Tensor weight, int stride, int padding, Tensor seed, Tensor? dInput, Tensor? dWeight) =>
        ConvolutionBackward(input, weight, stride, padding, seed, dInput, dWeight);

    private static void ConvolutionBackward(Tensor input, Tensor weight, int stride, int padding, Tensor seed, Tensor? dInput, Tensor? dWeight)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ConvolutionShape shape = ConvolutionShape.Of(nameof(Conv2dBackward), input, weight, stride, padding);
        RequireSeedShape(nameof(Conv2dBackward), seed, [shape.Batch, shape.OutChannels, shape.OutHeight, shape.OutWidth]);
        TensorShape.RequireAccumulator(nameof(Conv2dBackward), dInput, input);
        TensorShape.RequireAccumulator(nameof(Conv2dBackward), dWeight, weight);
        if (dInput is null && dWeight is null) return;
        // The whole batch at once, as the forward pass: the seed as [O, N·H'W'], the columns as [CkHkW, N·H'W'].
        int width = shape.Batch * shape.ColumnCount;
        Span<float> seedChannelsFirst = TensorWorkspace.Allocate([shape.OutChannels, width], TensorInit.Uninitialized).Span;
        Span<float> columns = TensorWorkspace.Allocate([shape.ColumnRows, width], TensorInit.Uninitialized).Span;
        shape.Reorder(seed.Span, seedChannelsFirst, toBatchFirst: false);
        if (dWeight is not null)
        {
            shape.UnfoldBatch(input.Span, columns);
            // dW (O × CkHkW) += dOut (O × N·H'W') · columnsᵀ
            Gemm.Multiply(seedChannelsFirst, columns, dWeight.Span, shape.OutChannels, shape.ColumnRows, width,
                transposeA: false, transposeB: true, accumulate: true);
        }
        if (dInput is not null)
        {
            // dColumns (CkHkW × N·H'W') = Wᵀ · dOut, folded back into the images' gradients.
            Gemm.Multiply(weight.Span, seedChannelsFirst, columns, shape.ColumnRows, width, shape.OutChannels,
                transposeA: true, transposeB: false, accumulate: false);
            shape.FoldBatchInto(columns, dInput.Span);
        }
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.MaxPool2d))]
    public static void MaxPool2dBackward(Tensor x, int kernel, int stride, Tensor seed, Tensor? dx) =>
        PoolBackward(nameof(MaxPool2dBackward), x, kernel, stride, seed, dx, average: false);

    [DerivativeOf(typeof(Tensor), nameof(Tensor.AvgPool2d))]
    public static void AvgPool2dBackward(Tensor x, int kernel, int stride, Tensor seed, Tensor? dx) =>
        PoolBackward(nameof(AvgPool2dBackward), x, kernel, stride, seed, dx, average: true);

    /// <summary>Each seed element goes to its window's first largest element, or evenly to all of its elements for an average.</summary>
    private static void PoolBackward(string rule, Tensor x, int kernel, int stride, Tensor seed, Tensor? dx, bool average)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        PoolingShape shape = PoolingShape.Of(rule, x, kernel, stride);
        RequireSeedShape(rule, seed, [x.Dim(0), x.Dim(1), shape.OutHeight, shape.OutWidth]);
        TensorShape.RequireAccumulator(rule, dx, x);
        if (dx is null) return;
        ReadOnlySpan<float> input = x.Span, s = seed.Span;
        Span<float> d = dx.Span;
        int planes = x.Dim(0) * x.Dim(1), size = shape.Height * shape.Width;
        float share = 1f / (shape.Kernel * shape.Kernel);
        for (int p = 0, source = 0; p < planes; p++)
        {
            ReadOnlySpan<float> plane = input.Slice(p * size, size);
            Span<float> gradient = d.Slice(p * size, size);
            for (int i = 0; i < shape.OutHeight; i++)
            {
                for (int j = 0; j < shape.OutWidth; j++, source++)
                {
                    if (!average)
                    {
                        gradient[shape.WindowMax(plane, i, j)] += s[source];
                        continue;
                    }
                    int origin = i * shape.Stride * shape.Width + j * shape.Stride;
                    for (int u = 0, row = origin; u < shape.Kernel; u++, row += shape.Width)
                    {
                        Span<float> line = gradient.Slice(row, shape.Kernel);
                        for (int v = 0; v < line.Length; v++)
                        {
                            line[v] += s[source] * share;
                        }
                    }
                }
            }
        }
    }
}
