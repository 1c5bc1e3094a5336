using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
        ConvolutionBackward(nameof(Conv2dBackward), input, weight, stride, padding, seed, dInput, dWeight);
        TensorShape.RequireAccumulator(nameof(Conv2dBackward), dBias, bias);
        if (dBias is not null) AddChannelSums(seed, dBias);
    }

    /// <summary>Conv2d(dInput, W) + Conv2d(input, dW) + dBias broadcast over each output channel's plane.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Conv2d), Mode = DerivativeMode.Forward)]
    public static Tensor Conv2dTangent(Tensor input, Tensor weight, Tensor bias, int stride, int padding,
        Tensor? dInput, Tensor? dWeight, Tensor? dBias)
    {
        ArgumentNullException.ThrowIfNull(bias);
        Tensor tangent = ConvolutionTangent(input, weight, stride, padding, dInput, dWeight);
        int channels = tangent.Dim(1);
        RequireConvolutionBias(nameof(Conv2dTangent), bias, channels);
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

    /// <summary>
    /// The pullback of Conv2dTangent = Conv2d(dInput, W) + Conv2d(input, dW) + dBias, bilinear in (input, W):
    /// bInput += Conv2d's input pullback through dW, bWeight += its weight pullback through dInput, and the
    /// tangents get Conv2dBackward; the bias enters only through dBias, so bBias gets nothing.
    /// </summary>
    [DerivativeOf(nameof(Conv2dTangent))]
    public static void Conv2dTangentBackward(Tensor input, Tensor weight, Tensor bias, int stride, int padding,
        Tensor? dInput, Tensor? dWeight, Tensor? dBias, Tensor seed,
        Tensor? bInput, Tensor? bWeight, Tensor? bBias, Tensor? bDInput, Tensor? bDWeight, Tensor? bDBias)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(seed);
        const string rule = nameof(Conv2dTangentBackward);
        // Every shape is checked before anything is added.
        ConvolutionShape shape = ConvolutionShape.Of(rule, input, weight, stride, padding);
        RequireConvolutionBias(rule, bias, shape.OutChannels);
        TensorShape.RequireTangent(rule, dBias, bias);
        TensorShape.RequireAccumulator(rule, bBias, bias);
        TensorShape.RequireAccumulator(rule, bDBias, bias);
        ConvolutionTangentBackward(rule, input, weight, stride, padding, dInput, dWeight, seed, bInput, bWeight, bDInput, bDWeight);
        if (bDBias is not null) AddChannelSums(seed, bDBias);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Conv2d))]
    public static void Conv2dBackward(Tensor input, Tensor weight, int stride, int padding, Tensor seed, Tensor? dInput, Tensor? dWeight) =>
        ConvolutionBackward(nameof(Conv2dBackward), input, weight, stride, padding, seed, dInput, dWeight);

    /// <summary>Conv2d(dInput, W) + Conv2d(input, dW).</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Conv2d), Mode = DerivativeMode.Forward)]
    public static Tensor Conv2dTangent(Tensor input, Tensor weight, int stride, int padding, Tensor? dInput, Tensor? dWeight) =>
        ConvolutionTangent(input, weight, stride, padding, dInput, dWeight);

    /// <summary>The pullback of Conv2dTangent = Conv2d(dInput, W) + Conv2d(input, dW): as with a bias, without one.</summary>
    [DerivativeOf(nameof(Conv2dTangent))]
    public static void Conv2dTangentBackward(Tensor input, Tensor weight, int stride, int padding, Tensor? dInput, Tensor? dWeight, Tensor seed,
        Tensor? bInput, Tensor? bWeight, Tensor? bDInput, Tensor? bDWeight) =>
        ConvolutionTangentBackward(nameof(Conv2dTangentBackward), input, weight, stride, padding, dInput, dWeight, seed, bInput, bWeight, bDInput, bDWeight);

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

    /// <summary>
    /// ⟨seed, Conv2d(dInput, W) + Conv2d(input, dW)⟩ is linear in each of input and W with the other's
    /// tangent in its place: ∂/∂input is Conv2d's input pullback with dW for W, ∂/∂W its weight pullback
    /// with dInput for the input; in the tangents it is Conv2d's pullback itself.
    /// </summary>
    private static void ConvolutionTangentBackward(string rule, Tensor input, Tensor weight, int stride, int padding,
        Tensor? dInput, Tensor? dWeight, Tensor seed, Tensor? bInput, Tensor? bWeight, Tensor? bDInput, Tensor? bDWeight)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ConvolutionShape.Of(rule, input, weight, stride, padding);
        TensorShape.RequireTangent(rule, dInput, input);
        TensorShape.RequireTangent(rule, dWeight, weight);
        TensorShape.RequireAccumulator(rule, bInput, input);
        TensorShape.RequireAccumulator(rule, bWeight, weight);
        ConvolutionBackward(rule, input, weight, stride, padding, seed, bDInput, bDWeight);
        if (dWeight is not null && bInput is not null) ConvolutionBackward(rule, input, dWeight, stride, padding, seed, bInput, null);
        if (dInput is not null && bWeight is not null) ConvolutionBackward(rule, dInput, weight, stride, padding, seed, null, bWeight);
    }

    private static void RequireConvolutionBias(string rule, Tensor bias, int channels)
    {
        if (bias.Rank != 1 || bias.Length != channels)
        {
            throw new ShapeMismatchException(
                $"{rule}: the bias must be a vector of one value per output channel ({channels}), got {TensorShape.Format(bias.Shape)}.");
        }
    }

    /// <summary>Adds each channel's sum of <paramref name="seed"/> [N, O, H', W'] into <paramref name="bias"/> [O].</summary>
    /// <remarks>
    /// Summed plane by plane (one <c>TensorPrimitives.Sum</c> per image and channel), a call cost more than
    /// its work when planes are small (2 048 planes of 16 floats in the DigitsCnn's second layer). Now the
    /// images are first added together element-wise, image after image (a whole image's channels in one
    /// pass, reading the seed in order), and then each channel's plane of that sum is summed: the same
    /// terms in another order, so a bias gradient differs from before by rounding only.
    /// </remarks>
    private static void AddChannelSums(Tensor seed, Tensor bias)
    {
        int plane = seed.Dim(2) * seed.Dim(3), channels = seed.Dim(1), batch = seed.Dim(0), image = channels * plane;
        if (batch == 0) return;
        ReadOnlySpan<float> s = seed.Span;
        Span<float> d = bias.Span;
        Span<float> imageSum = TensorWorkspace.Allocate([image], TensorInit.Uninitialized).Span;
        s.Slice(0, image).CopyTo(imageSum);
        for (int n = 1; n < batch; n++)
        {
            PlaneAdd(ref MemoryMarshal.GetReference(s.Slice(n * image, image)), imageSum);
        }
        for (int channel = 0; channel < channels; channel++)
        {
            d[channel] += TensorPrimitives.Sum(imageSum.Slice(channel * plane, plane));
        }
    }

    /// <summary>sum[i] += from[i], in vectors.</summary>
    private static void PlaneAdd(ref float from, Span<float> sum)
    {
        ref float to = ref MemoryMarshal.GetReference(sum);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= sum.Length; i += 16)
            {
                (Vector512.LoadUnsafe(ref to, (nuint)i) + Vector512.LoadUnsafe(ref from, (nuint)i))
                    .StoreUnsafe(ref to, (nuint)i);
            }
        }
        for (; i < sum.Length; i++)
        {
            Unsafe.Add(ref to, i) += Unsafe.Add(ref from, i);
        }
    }

    private static void ConvolutionBackward(string rule, Tensor input, Tensor weight, int stride, int padding, Tensor seed, Tensor? dInput, Tensor? dWeight)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ConvolutionShape shape = ConvolutionShape.Of(rule, input, weight, stride, padding);
        RequireSeedShape(rule, seed, [shape.Batch, shape.OutChannels, shape.OutHeight, shape.OutWidth]);
        TensorShape.RequireAccumulator(rule, dInput, input);
        TensorShape.RequireAccumulator(rule, dWeight, weight);
        if (dInput is null && dWeight is null) return;
        // The whole batch at once, as the forward pass: the seed as [O, N·H'W'], the columns as [CkHkW, N·H'W'].
        int width = shape.Batch * shape.ColumnCount;
        // Arrays rather than spans for the products: on the GEMM's array route both threads pack and write.
        float[] columns = TensorWorkspace.Allocate([shape.ColumnRows, width], TensorInit.Uninitialized).Values;
        ConvolutionColumns table = ConvolutionColumns.For(shape);
        bool shallow = ShallowConvolution.Fits(shape);
        float[]? seedChannelsFirst = null;
        if (dInput is not null || !shallow)
        {
            seedChannelsFirst = TensorWorkspace.Allocate([shape.OutChannels, width], TensorInit.Uninitialized).Values;
            shape.Reorder(seed.Span, seedChannelsFirst, toBatchFirst: false);
        }
        if (dWeight is not null)
        {
            float[] scratch = TensorWorkspace.Allocate([table.ScratchLength(shape.Batch)], TensorInit.Uninitialized).Values;
            table.Unfold(shape.Batch, input.Values, columns, scratch);
            if (shallow)
            {
                // A few column rows: straight from the seed in its own layout, without the GEMM or the reorder.
                ShallowConvolution.AddWeightGradient(shape, seed.Span, columns, dWeight.Span);
            }
            else
            {
                // dW (O × CkHkW) += dOut (O × N·H'W') · columnsᵀ
                Gemm.MultiplyArrays(seedChannelsFirst!, columns, dWeight.Values, shape.OutChannels, shape.ColumnRows, width,
                    transposeA: false, transposeB: true, accumulate: true);
            }
        }
        if (dInput is not null)
        {
            // dColumns (CkHkW × N·H'W') = Wᵀ · dOut, folded back into the images' gradients.
            Gemm.MultiplyArrays(weight.Values, seedChannelsFirst!, columns, shape.ColumnRows, width, shape.OutChannels,
                transposeA: true, transposeB: false, accumulate: false);
            table.FoldInto(shape.Batch, columns, dInput.Values);
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

    /// <summary>The pullback of MaxPool2dTangent, dx at each window's argmax: bDx += MaxPool2dBackward(seed); bx gets nothing (the argmax is locally constant).</summary>
    [DerivativeOf(nameof(MaxPool2dTangent))]
    public static void MaxPool2dTangentBackward(Tensor x, int kernel, int stride, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        // PyTorch's convention at ties too: the second derivative of max pooling is zero.
        TensorShape.RequireTangent(nameof(MaxPool2dTangentBackward), dx, x);
        TensorShape.RequireAccumulator(nameof(MaxPool2dTangentBackward), bx, x);
        PoolBackward(nameof(MaxPool2dTangentBackward), x, kernel, stride, seed, bDx, average: false);
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

    /// <summary>The pullback of AvgPool2dTangent = AvgPool2d(dx): bDx += AvgPool2dBackward(seed); bx gets nothing (x is not read).</summary>
    [DerivativeOf(nameof(AvgPool2dTangent))]
    public static void AvgPool2dTangentBackward(Tensor x, int kernel, int stride, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        TensorShape.RequireTangent(nameof(AvgPool2dTangentBackward), dx, x);
        TensorShape.RequireAccumulator(nameof(AvgPool2dTangentBackward), bx, x);
        PoolBackward(nameof(AvgPool2dTangentBackward), x, kernel, stride, seed, bDx, average: true);
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
        if (!average && shape.Kernel == 2 && shape.Stride == 2)
        {
            MaxPool2x2.Backward(input, s, d, planes, shape.Height, shape.Width);
            return;
        }
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
