using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Autodiff;

/// <summary>
/// The products of a convolution whose columns are few (C·kH·kW ≤ <see cref="MaxDepth"/>: a first
/// layer on one or a few channels), computed straight from the columns instead of on the GEMM.
/// </summary>
/// <remarks>
/// <para>
/// Why: the DigitsCnn's first convolution (one channel, 3×3) multiplies [32 × 9] by [9 × 2 048].
/// With a depth of 9 the GEMM spends as long packing as computing, writes its result channel by
/// channel ([O, N·H'W']) so that it has to be copied into [N, O, H'W'] and the bias added in two
/// more passes, and the weight gradient needs the seed copied the other way first: 28 µs forward
/// and 46 µs backward, where the arithmetic is 0.6 M multiply-adds each way.
/// </para>
/// <para>
/// How: forward, for each image and each run of 16 output positions, every output channel is one
/// vector accumulated over the depth (one fused multiply-add per column row, against the weight
/// broadcast), then the bias added, and stored where the tensor wants it. The sums are the GEMM
/// micro-kernel's (from zero, in depth order, fused) and the bias is added after, as before, so
/// the outputs are the same to the bit. Backward, the weight gradient of each output channel keeps
/// four vector accumulators, one per column row, over all images and positions, then adds their
/// horizontal sums: a different order of summation from the GEMM's, so dW differs from before by
/// rounding only.
/// </para>
/// </remarks>
internal static class ShallowConvolution
{
    /// <summary>The deepest product taken here: above it the GEMM's packing pays for itself.</summary>
    public const int MaxDepth = 16;

    private const int Lanes = 16;

    /// <summary>Floats of columns per block of images in the weight gradient: 16 KB, half of L1.</summary>
    private const int BlockFloats = 4 * 1024;

    /// <summary>Whether <paramref name="shape"/>'s products are taken here.</summary>
    public static bool Fits(in ConvolutionShape shape) => Vector512.IsHardwareAccelerated && shape.ColumnRows <= MaxDepth;

    /// <summary>
    /// output[n, o, p] = Σ_k weight[o, k] · columns[k, n·P + p], plus bias[o] when a bias is given
    /// (P = H'·W', depth K = C·kH·kW, columns as <see cref="ConvolutionColumns.Unfold"/> writes them).
    /// </summary>
    public static void Forward(in ConvolutionShape shape, ReadOnlySpan<float> weight, ReadOnlySpan<float> columns, ReadOnlySpan<float> bias, Span<float> output)
    {
        int batch = shape.Batch, channels = shape.OutChannels, depth = shape.ColumnRows, count = shape.ColumnCount, width = batch * count;
        Require(weight.Length >= channels * depth && columns.Length >= depth * width && output.Length >= batch * channels * count
            && (bias.IsEmpty || bias.Length >= channels));
        bool hasBias = !bias.IsEmpty;
        ref float w = ref MemoryMarshal.GetReference(weight);
        ref float b = ref MemoryMarshal.GetReference(bias);
        ref float x = ref MemoryMarshal.GetReference(columns);
        ref float y = ref MemoryMarshal.GetReference(output);
        int vectorEnd = count - count % Lanes;
        for (int n = 0; n < batch; n++)
        {
            for (int p = 0; p < vectorEnd; p += Lanes)
            {
                ref float run = ref Unsafe.Add(ref x, n * count + p);
                ref float target = ref Unsafe.Add(ref y, n * channels * count + p);
                int o = 0;
                // Four channels at a time: four independent sums, so that the fused multiply-adds overlap
                // instead of each waiting for the one before it.
                for (; o + 4 <= channels; o += 4)
                {
                    ref float row = ref Unsafe.Add(ref w, o * depth);
                    Vector512<float> s0 = Vector512<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
                    for (int k = 0; k < depth; k++)
                    {
                        Vector512<float> column = Vector512.LoadUnsafe(ref run, (nuint)(k * width));
                        s0 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref row, k)), column, s0);
                        s1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref row, depth + k)), column, s1);
                        s2 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref row, 2 * depth + k)), column, s2);
                        s3 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref row, 3 * depth + k)), column, s3);
                    }
                    Store(s0, ref target, o, count, ref b, hasBias);
                    Store(s1, ref target, o + 1, count, ref b, hasBias);
                    Store(s2, ref target, o + 2, count, ref b, hasBias);
                    Store(s3, ref target, o + 3, count, ref b, hasBias);
                }
                for (; o < channels; o++)
                {
                    ref float row = ref Unsafe.Add(ref w, o * depth);
                    Vector512<float> sum = Vector512<float>.Zero;
                    for (int k = 0; k < depth; k++)
                    {
                        sum = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref row, k)), Vector512.LoadUnsafe(ref run, (nuint)(k * width)), sum);
                    }
                    Store(sum, ref target, o, count, ref b, hasBias);
                }
            }
            for (int p = vectorEnd; p < count; p++)
            {
                ref float entry = ref Unsafe.Add(ref x, n * count + p);
                for (int o = 0; o < channels; o++)
                {
                    ref float row = ref Unsafe.Add(ref w, o * depth);
                    float sum = 0f;
                    for (int k = 0; k < depth; k++)
                    {
                        sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref row, k), Unsafe.Add(ref entry, k * width), sum);
                    }
                    Unsafe.Add(ref y, (n * channels + o) * count + p) = hasBias ? sum + Unsafe.Add(ref b, o) : sum;
                }
            }
        }
    }

    /// <summary>Stores channel <paramref name="o"/>'s sums, plus its bias when there is one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector512<float> sum, ref float target, int o, int count, ref float bias, bool hasBias)
    {
        if (hasBias)
        {
            sum += Vector512.Create(Unsafe.Add(ref bias, o));
        }
        sum.StoreUnsafe(ref target, (nuint)(o * count));
    }

    /// <summary>dWeight[o, k] += Σ_{n, p} seed[n, o, p] · columns[k, n·P + p].</summary>
    public static void AddWeightGradient(in ConvolutionShape shape, ReadOnlySpan<float> seed, ReadOnlySpan<float> columns, Span<float> dWeight)
    {
        int batch = shape.Batch, channels = shape.OutChannels, depth = shape.ColumnRows, count = shape.ColumnCount, width = batch * count;
        Require(seed.Length >= batch * channels * count && columns.Length >= depth * width && dWeight.Length >= channels * depth);
        ref float s = ref MemoryMarshal.GetReference(seed);
        ref float x = ref MemoryMarshal.GetReference(columns);
        ref float d = ref MemoryMarshal.GetReference(dWeight);
        // A block of images at a time, whose columns stay in L1 while every output channel reads them:
        // channel by channel over the whole batch, the columns came from L2 once per channel and the
        // loop waited on them (36 µs for the DigitsCnn's first layer against 12 µs blocked).
        int imagesPerBlock = Math.Max(1, BlockFloats / Math.Max(1, depth * count));
        for (int first = 0; first < batch; first += imagesPerBlock)
        {
            int last = Math.Min(batch, first + imagesPerBlock);
            for (int o = 0; o < channels; o++)
            {
                int k = 0;
                for (; k + 4 <= depth; k += 4)
                {
                    AddFourRows(ref s, ref x, ref Unsafe.Add(ref d, o * depth + k), o, k, first, last, channels, count, width);
                }
                for (; k < depth; k++)
                {
                    Unsafe.Add(ref d, o * depth + k) += Dot(ref s, ref x, o, k, first, last, channels, count, width);
                }
            }
        }
    }

    /// <summary>The gradients of weights (o, k) to (o, k + 3) from images [first, last): four accumulators over the same seeds.</summary>
    private static void AddFourRows(ref float s, ref float x, ref float target, int o, int k, int first, int last, int channels, int count, int width)
    {
        Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        float t0 = 0f, t1 = 0f, t2 = 0f, t3 = 0f;
        int vectorEnd = count - count % Lanes;
        for (int n = first; n < last; n++)
        {
            ref float seeds = ref Unsafe.Add(ref s, (n * channels + o) * count);
            ref float row0 = ref Unsafe.Add(ref x, k * width + n * count);
            ref float row1 = ref Unsafe.Add(ref row0, width), row2 = ref Unsafe.Add(ref row0, 2 * width), row3 = ref Unsafe.Add(ref row0, 3 * width);
            int p = 0;
            for (; p < vectorEnd; p += Lanes)
            {
                Vector512<float> g = Vector512.LoadUnsafe(ref seeds, (nuint)p);
                a0 = Vector512.FusedMultiplyAdd(g, Vector512.LoadUnsafe(ref row0, (nuint)p), a0);
                a1 = Vector512.FusedMultiplyAdd(g, Vector512.LoadUnsafe(ref row1, (nuint)p), a1);
                a2 = Vector512.FusedMultiplyAdd(g, Vector512.LoadUnsafe(ref row2, (nuint)p), a2);
                a3 = Vector512.FusedMultiplyAdd(g, Vector512.LoadUnsafe(ref row3, (nuint)p), a3);
            }
            for (; p < count; p++)
            {
                float g = Unsafe.Add(ref seeds, p);
                t0 = MathF.FusedMultiplyAdd(g, Unsafe.Add(ref row0, p), t0);
                t1 = MathF.FusedMultiplyAdd(g, Unsafe.Add(ref row1, p), t1);
                t2 = MathF.FusedMultiplyAdd(g, Unsafe.Add(ref row2, p), t2);
                t3 = MathF.FusedMultiplyAdd(g, Unsafe.Add(ref row3, p), t3);
            }
        }
        target += Vector512.Sum(a0) + t0;
        Unsafe.Add(ref target, 1) += Vector512.Sum(a1) + t1;
        Unsafe.Add(ref target, 2) += Vector512.Sum(a2) + t2;
        Unsafe.Add(ref target, 3) += Vector512.Sum(a3) + t3;
    }

    /// <summary>The gradient of weight (o, k) alone, from images [first, last).</summary>
    private static float Dot(ref float s, ref float x, int o, int k, int first, int last, int channels, int count, int width)
    {
        Vector512<float> a = Vector512<float>.Zero;
        float t = 0f;
        int vectorEnd = count - count % Lanes;
        for (int n = first; n < last; n++)
        {
            ref float seeds = ref Unsafe.Add(ref s, (n * channels + o) * count);
            ref float row = ref Unsafe.Add(ref x, k * width + n * count);
            int p = 0;
            for (; p < vectorEnd; p += Lanes)
            {
                a = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref seeds, (nuint)p), Vector512.LoadUnsafe(ref row, (nuint)p), a);
            }
            for (; p < count; p++)
            {
                t = MathF.FusedMultiplyAdd(Unsafe.Add(ref seeds, p), Unsafe.Add(ref row, p), t);
            }
        }
        return Vector512.Sum(a) + t;
    }

    private static void Require(bool lengthsSuffice)
    {
        if (!lengthsSuffice)
        {
            throw new ArgumentException("ShallowConvolution: an operand is shorter than its shape needs.");
        }
    }
}
