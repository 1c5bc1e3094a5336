using System;
using Autodiff.Kernels;

// Each rule is documented by its DerivativeOf target and the class summary; a summary per rule would repeat them.
#pragma warning disable CS1591

namespace Autodiff.Derivatives;

// Conv2d, MaxPool2d and AvgPool2d. A convolution's rule unfolds each image again (im2col) rather
// than keep its columns: dW += dOut · columnsᵀ, dColumns = Wᵀ · dOut folded back into dInput.
// Convolution and average pooling are linear in each operand, so their tangents are the forward
// operations run on the tangents; max pooling's passes the tangent of the element it picked.
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

    /// <summary>Conv2d(dInput, W) + Conv2d(input, dW) + dBias broadcast over each output channel's plane.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Conv2d), Mode = DerivativeMode.Forward)]
    public static Tensor Conv2dTangent(Tensor input, Tensor weight, Tensor bias, int stride, int padding,
        Tensor? dInput, Tensor? dWeight, Tensor? dBias)
    {
        ArgumentNullException.ThrowIfNull(bias);
        Tensor tangent = ConvolutionTangent(input, weight, stride, padding, dInput, dWeight);
        int channels = tangent.Dim(1);
        if (bias.Rank != 1 || bias.Length != channels)
        {
            throw new ShapeMismatchException(
                $"{nameof(Conv2dTangent)}: the bias must be a vector of one value per output channel ({channels}), got {TensorShape.Format(bias.Shape)}.");
        }
        TensorShape.RequireTangent(nameof(Conv2dTangent), dBias, bias);
        if (dBias is null) return tangent;
        int plane = tangent.Dim(2) * tangent.Dim(3);
        ReadOnlySpan<float> b = dBias.Span;
        Span<float> t = tangent.Span;
        for (int start = 0, channel = 0; start < t.Length; start += plane, channel = (channel + 1) % channels)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(t.Slice(start, plane), b[channel], t.Slice(start, plane));
        }
        return tangent;
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Conv2d))]
    public static void Conv2dBackward(Tensor input, Tensor weight, int stride, int padding, Tensor seed, Tensor? dInput, Tensor? dWeight) =>
        ConvolutionBackward(input, weight, stride, padding, seed, dInput, dWeight);

    /// <summary>Conv2d(dInput, W) + Conv2d(input, dW).</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Conv2d), Mode = DerivativeMode.Forward)]
    public static Tensor Conv2dTangent(Tensor input, Tensor weight, int stride, int padding, Tensor? dInput, Tensor? dWeight) =>
        ConvolutionTangent(input, weight, stride, padding, dInput, dWeight);

    /// <summary>Conv2d(dInput, W) + Conv2d(input, dW) in a fresh tensor (a forward result of its own, or zeros), which the caller may write into.</summary>
    private static Tensor ConvolutionTangent(Tensor input, Tensor weight, int stride, int padding, Tensor? dInput, Tensor? dWeight)
    {
        ConvolutionShape shape = ConvolutionShape.Of(nameof(Conv2dTangent), input, weight, stride, padding);
        TensorShape.RequireTangent(nameof(Conv2dTangent), dInput, input);
        TensorShape.RequireTangent(nameof(Conv2dTangent), dWeight, weight);
        Tensor? throughInput = dInput is null ? null : Tensor.Conv2d(dInput, weight, stride, padding);
        Tensor? throughWeight = dWeight is null ? null : Tensor.Conv2d(input, dWeight, stride, padding);
        if (throughInput is null || throughWeight is null)
        {
            return throughInput ?? throughWeight ?? Tensor.Zeros(shape.Batch, shape.OutChannels, shape.OutHeight, shape.OutWidth);
        }
        Tensor.AddInPlace(throughInput, throughWeight);
        return throughInput;
    }

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

    /// <summary>dx at each window's first largest element of x, the element the pullback sends the seed to.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.MaxPool2d), Mode = DerivativeMode.Forward)]
    public static Tensor MaxPool2dTangent(Tensor x, int kernel, int stride, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        PoolingShape shape = PoolingShape.Of(nameof(MaxPool2dTangent), x, kernel, stride);
        TensorShape.RequireTangent(nameof(MaxPool2dTangent), dx, x);
        Tensor tangent = Tensor.Zeros(x.Dim(0), x.Dim(1), shape.OutHeight, shape.OutWidth);
        if (dx is null) return tangent;
        ReadOnlySpan<float> input = x.Span, d = dx.Span;
        Span<float> t = tangent.Span;
        int planes = x.Dim(0) * x.Dim(1), size = shape.Height * shape.Width;
        for (int p = 0, target = 0; p < planes; p++)
        {
            ReadOnlySpan<float> plane = input.Slice(p * size, size), planeTangent = d.Slice(p * size, size);
            for (int i = 0; i < shape.OutHeight; i++)
            {
                for (int j = 0; j < shape.OutWidth; j++, target++)
                {
                    t[target] = planeTangent[shape.WindowMax(plane, i, j)];
                }
            }
        }
        return tangent;
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.AvgPool2d))]
    public static void AvgPool2dBackward(Tensor x, int kernel, int stride, Tensor seed, Tensor? dx) =>
        PoolBackward(nameof(AvgPool2dBackward), x, kernel, stride, seed, dx, average: true);

    /// <summary>AvgPool2d(dx): an average is linear.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.AvgPool2d), Mode = DerivativeMode.Forward)]
    public static Tensor AvgPool2dTangent(Tensor x, int kernel, int stride, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        PoolingShape shape = PoolingShape.Of(nameof(AvgPool2dTangent), x, kernel, stride);
        TensorShape.RequireTangent(nameof(AvgPool2dTangent), dx, x);
        return dx is null ? Tensor.Zeros(x.Dim(0), x.Dim(1), shape.OutHeight, shape.OutWidth) : Tensor.AvgPool2d(dx, kernel, stride);
    }

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
