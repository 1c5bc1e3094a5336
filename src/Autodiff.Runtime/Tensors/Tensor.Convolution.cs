using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Autodiff.Kernels;

namespace Autodiff;

// Two-dimensional convolution and pooling over NCHW batches. A convolution unrolls each image's
// receptive fields into a matrix (im2col) and multiplies it by the weights on the GEMM; its
// backward rule multiplies the other way and folds the columns back (col2im).
public sealed partial class Tensor
{
    /// <summary>
    /// The 2-D convolution of <paramref name="input"/> [N, C, H, W] with <paramref name="weight"/>
    /// [O, C, kH, kW] plus <paramref name="bias"/> [O], shape [N, O, H', W'] with
    /// H' = (H + 2·padding − kH) / stride + 1 (likewise W'): PyTorch's <c>conv2d</c> (cross-correlation,
    /// zero padding, no dilation or groups).
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor bias, int stride = 1, int padding = 0)
    {
        ArgumentNullException.ThrowIfNull(bias);
        ConvolutionShape shape = ConvolutionShape.Of(nameof(Conv2d), input, weight, stride, padding);
        if (bias.Rank != 1 || bias.Length != shape.OutChannels)
        {
            throw new ShapeMismatchException($"Conv2d: the bias must be a vector of one value per output channel ({shape.OutChannels}), got {TensorShape.Format(bias._shape)}.");
        }
        return Convolve(input, weight, bias, shape);
    }

    /// <summary>The 2-D convolution without a bias (<c>conv2d(..., bias=None)</c>).</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, int stride = 1, int padding = 0) =>
        Convolve(input, weight, bias: null, ConvolutionShape.Of(nameof(Conv2d), input, weight, stride, padding));

    private static Tensor Convolve(Tensor input, Tensor weight, Tensor? bias, ConvolutionShape shape)
    {
        // One product for the whole batch: the columns of every image side by side [CkHkW, N·H'W'],
        // so the GEMM sees one large product instead of N small ones; then [O, N, H'W'] → [N, O, H'W'],
        // adding the bias on the way. Shallow products (few column rows) skip the GEMM and the reorder.
        Tensor result = TensorWorkspace.Allocate([shape.Batch, shape.OutChannels, shape.OutHeight, shape.OutWidth], TensorInit.Uninitialized);
        Tensor columns = TensorWorkspace.Allocate([shape.ColumnRows, shape.Batch * shape.ColumnCount], TensorInit.Uninitialized);
        ConvolutionColumns table = ConvolutionColumns.For(shape);
        Tensor scratch = TensorWorkspace.Allocate([table.ScratchLength(shape.Batch)], TensorInit.Uninitialized);
        table.Unfold(shape.Batch, input.Values, columns.Values, scratch.Values);
        ReadOnlySpan<float> b = bias is null ? default : bias.Data;
        if (ShallowConvolution.Fits(shape))
        {
            ShallowConvolution.Forward(shape, weight.Data, columns.Data, b, result.Data);
            return result;
        }
        Tensor channelsFirst = TensorWorkspace.Allocate([shape.OutChannels, shape.Batch * shape.ColumnCount], TensorInit.Uninitialized);
        Gemm.MultiplyArrays(weight.Data, columns.Data, channelsFirst.Data,
            shape.OutChannels, shape.Batch * shape.ColumnCount, shape.ColumnRows, transposeA: false, transposeB: false, accumulate: false);
        shape.Reorder(channelsFirst.Data, result.Data, toBatchFirst: true, b);
        return result;
    }

    /// <summary>
    /// Max pooling over <paramref name="kernel"/>×<paramref name="kernel"/> windows of [N, C, H, W], moved by
    /// <paramref name="stride"/> (the kernel size by default), without padding: <c>max_pool2d</c>. The
    /// gradient goes to the first largest element of each window.
    /// </summary>
    public static Tensor MaxPool2d(Tensor x, int kernel, int stride = 0) => Pool(nameof(MaxPool2d), x, kernel, stride, average: false);

    /// <summary>Average pooling over windows of [N, C, H, W], without padding: <c>avg_pool2d</c>.</summary>
    public static Tensor AvgPool2d(Tensor x, int kernel, int stride = 0) => Pool(nameof(AvgPool2d), x, kernel, stride, average: true);

    private static Tensor Pool(string operation, Tensor x, int kernel, int stride, bool average)
    {
        ArgumentNullException.ThrowIfNull(x);
        PoolingShape shape = PoolingShape.Of(operation, x, kernel, stride);
        Tensor result = TensorWorkspace.Allocate([x._shape[0], x._shape[1], shape.OutHeight, shape.OutWidth], TensorInit.Uninitialized);
        ReadOnlySpan<float> input = x.Data;
        Span<float> output = result.Data;
        int planes = x._shape[0] * x._shape[1];
        if (!average && kernel == 2 && shape.Stride == 2)
        {
            MaxPool2x2.Forward(input, output, planes, shape.Height, shape.Width);
            return result;
        }
        float share = 1f / (kernel * kernel);
        for (int p = 0, target = 0; p < planes; p++)
        {
            ReadOnlySpan<float> plane = input.Slice(p * shape.Height * shape.Width, shape.Height * shape.Width);
            for (int i = 0; i < shape.OutHeight; i++)
            {
                for (int j = 0; j < shape.OutWidth; j++, target++)
                {
                    output[target] = average
                        ? shape.WindowSum(plane, i, j) * share
                        : plane[shape.WindowMax(plane, i, j)];
                }
            }
        }
        return result;
    }
}

/// <summary>The sizes of a convolution (its im2col and col2im are <see cref="ConvolutionColumns"/>').</summary>
internal readonly record struct ConvolutionShape(int Batch, int Channels, int Height, int Width, int OutChannels, int KernelHeight, int KernelWidth,
    int Stride, int Padding, int OutHeight, int OutWidth)
{
    public int ColumnRows => Channels * KernelHeight * KernelWidth;

    public int ColumnCount => OutHeight * OutWidth;

    public int InputImage => Channels * Height * Width;

    public int OutputImage => OutChannels * OutHeight * OutWidth;

    public static ConvolutionShape Of(string operation, Tensor input, Tensor weight, int stride, int padding)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (input.Rank != 4 || weight.Rank != 4 || weight.Dim(1) != input.Dim(1))
        {
            throw new ShapeMismatchException(
                $"{operation}: expects input [N, C, H, W] and weight [O, C, kH, kW] with the same C, got {TensorShape.Format(input.Shape)} and {TensorShape.Format(weight.Shape)}.");
        }
        if (stride < 1 || padding < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), $"{operation}: the stride must be at least 1 and the padding at least 0, got stride {stride} and padding {padding}.");
        }
        int outHeight = (input.Dim(2) + 2 * padding - weight.Dim(2)) / stride + 1;
        int outWidth = (input.Dim(3) + 2 * padding - weight.Dim(3)) / stride + 1;
        if (input.Dim(2) + 2 * padding < weight.Dim(2) || input.Dim(3) + 2 * padding < weight.Dim(3))
        {
            throw new ShapeMismatchException(
                $"{operation}: a {weight.Dim(2)}×{weight.Dim(3)} kernel does not fit the {input.Dim(2)}×{input.Dim(3)} image of {TensorShape.Format(input.Shape)} with padding {padding}.");
        }
        return new ConvolutionShape(input.Dim(0), input.Dim(1), input.Dim(2), input.Dim(3), weight.Dim(0), weight.Dim(2), weight.Dim(3),
            stride, padding, outHeight, outWidth);
    }

    /// <summary>
    /// Moves the product's layout [O, N, H'W'] to the tensor's [N, O, H'W'] (<paramref name="toBatchFirst"/>),
    /// or a seed's back the other way; moving to the tensor's, adds <paramref name="bias"/>[o] to channel o
    /// when a bias is given (the same sums as adding it afterwards, without a pass of its own).
    /// </summary>
    public void Reorder(ReadOnlySpan<float> source, Span<float> destination, bool toBatchFirst, ReadOnlySpan<float> bias = default)
    {
        int length = Batch * OutChannels * ColumnCount;
        if (source.Length < length || destination.Length < length || (!bias.IsEmpty && (bias.Length < OutChannels || !toBatchFirst)))
        {
            throw new ArgumentException("Conv2d: a reorder's operands are shorter than the convolution's output, or a bias is added to a seed.");
        }
        // Planes are often a few floats (16 in the DigitsCnn's second layer): a call of CopyTo or of
        // TensorPrimitives.Add per plane cost more than its work, hence one loop over the whole tensor.
        ref float from = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(source);
        ref float to = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(destination);
        // In the order of the writes: written with a stride of O planes (4 KB in that layer), every store
        // fell on the same 4 KB alias as the loads after it and the copy ran at a third of the speed.
        int outer = toBatchFirst ? Batch : OutChannels, inner = toBatchFirst ? OutChannels : Batch;
        for (int a = 0, write = 0; a < outer; a++)
        {
            for (int b = 0; b < inner; b++, write += ColumnCount)
            {
                (int n, int o) = toBatchFirst ? (a, b) : (b, a);
                int read = toBatchFirst ? (o * Batch + n) * ColumnCount : (n * OutChannels + o) * ColumnCount;
                PlaneCopy.Run(ref Unsafe.Add(ref from, read), ref Unsafe.Add(ref to, write), ColumnCount, bias.IsEmpty ? 0f : bias[o], !bias.IsEmpty);
            }
        }
    }
}

/// <summary>Copies of short runs of floats, optionally plus a constant, in the widest vectors that fit.</summary>
internal static class PlaneCopy
{
    /// <summary>
    /// to[i] = from[i] (+ <paramref name="shift"/> when <paramref name="add"/>) for i &lt; <paramref name="length"/>;
    /// the caller guarantees both runs lie inside their arrays.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run(ref float from, ref float to, int length, float shift, bool add)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> offset = Vector512.Create(shift);
            for (; i + 16 <= length; i += 16)
            {
                Vector512<float> v = Vector512.LoadUnsafe(ref from, (nuint)i);
                (add ? v + offset : v).StoreUnsafe(ref to, (nuint)i);
            }
        }
        for (; i < length; i++)
        {
            Unsafe.Add(ref to, i) = add ? Unsafe.Add(ref from, i) + shift : Unsafe.Add(ref from, i);
        }
    }
}

/// <summary>The sizes of a pooling, and where its windows are.</summary>
internal readonly record struct PoolingShape(int Height, int Width, int Kernel, int Stride, int OutHeight, int OutWidth)
{
    public static PoolingShape Of(string operation, Tensor x, int kernel, int stride)
    {
        if (x.Rank != 4)
        {
            throw new ShapeMismatchException($"{operation}: expects [N, C, H, W], got {TensorShape.Format(x.Shape)}.");
        }
        stride = stride == 0 ? kernel : stride;
        if (kernel < 1 || stride < 1 || kernel > x.Dim(2) || kernel > x.Dim(3))
        {
            throw new ArgumentOutOfRangeException(nameof(kernel), $"{operation}: a {kernel}×{kernel} window with stride {stride} does not fit the images of {TensorShape.Format(x.Shape)}.");
        }
        return new PoolingShape(x.Dim(2), x.Dim(3), kernel, stride, (x.Dim(2) - kernel) / stride + 1, (x.Dim(3) - kernel) / stride + 1);
    }

    /// <summary>The offset, within its plane, of the first largest element of window (i, j).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public int WindowMax(ReadOnlySpan<float> plane, int i, int j)
    {
        int origin = i * Stride * Width + j * Stride;
        if (Kernel == 2)
        {
            // The common 2×2 window, without loops: the first largest of four, row by row.
            int best = origin;
            if (plane[origin + 1] > plane[best]) best = origin + 1;
            if (plane[origin + Width] > plane[best]) best = origin + Width;
            if (plane[origin + Width + 1] > plane[best]) best = origin + Width + 1;
            return best;
        }
        int largestAt = origin;
        for (int u = 0, row = origin; u < Kernel; u++, row += Width)
        {
            for (int v = row; v < row + Kernel; v++)
            {
                if (plane[v] > plane[largestAt])
                {
                    largestAt = v;
                }
            }
        }
        return largestAt;
    }

    /// <summary>The sum of window (i, j) of a plane.</summary>
    public float WindowSum(ReadOnlySpan<float> plane, int i, int j)
    {
        int origin = i * Stride * Width + j * Stride;
        float sum = 0;
        for (int u = 0, row = origin; u < Kernel; u++, row += Width)
        {
            ReadOnlySpan<float> line = plane.Slice(row, Kernel);
            for (int v = 0; v < line.Length; v++)
            {
                sum += line[v];
            }
        }
        return sum;
    }
}
