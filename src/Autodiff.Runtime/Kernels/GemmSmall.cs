using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Autodiff.Kernels;

/// <summary>
/// Products too small to repay the packed path's set-up (the layers of a tiny MLP: 32×2·2×16,
/// 32×16·16×2 and their gradients), computed straight from the caller's spans.
/// </summary>
/// <remarks>
/// <para>
/// Every product is written as a sum of rank-1 updates, Out(x, y) = Σₚ S(x, p) · V(p, y), where
/// V is the operand read as vectors (contiguous along y) and S the one read as broadcast scalars
/// (any strides). Vectors run along the longer side of C: along n with V = B when n is at least
/// a vector wide or at least m; otherwise along m with V = Aᵀ, writing C a column at a time.
/// When V is not stored contiguously along y (B transposed, or A not transposed), it is first
/// transposed into a pooled buffer: at these sizes that copy costs less than strided vectors.
/// </para>
/// <para>
/// Four x-lines share each vector of V, so a depth step is one load and four FMAs on four
/// accumulators that stay in registers for the whole depth. A length that is not a multiple of
/// the vector width ends with a vector overlapping the one before, masked when stored, rather
/// than with a scalar loop (n = 10 would otherwise spend most of its time on 2 columns).
/// Bounds were checked by <see cref="Gemm.Multiply"/>; the loops index through unchecked references.
/// </para>
/// </remarks>
internal static class GemmSmall
{
    private const int Lines = 4;

    /// <summary>A transposed operand repacked, kept by the thread (the shared pool drops its arrays when memory is collected).</summary>
    [ThreadStatic] private static GemmBuffer? t_vector;

    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
        int m, int n, int k, bool transposeA, bool transposeB, bool accumulate)
    {
        int width = Vector256.IsHardwareAccelerated ? Vector256<float>.Count : 1;
        bool alongColumns = n >= width || n >= m;
        // Along n: V = B (k×n), S = A; C(x = i, y = j) at i·n + j.
        // Along m: V = Aᵀ (k×m), S = Bᵀ; C(x = j, y = i) at i·n + j.
        ReadOnlySpan<float> vector = alongColumns ? b : a;
        int vectorLength = alongColumns ? n : m;
        bool vectorTransposed = alongColumns ? transposeB : !transposeA;
        float[]? rented = null;
        if (vectorTransposed)
        {
            // Stored as vectorLength lines contiguous along k; one packed panel as wide as all
            // of them is exactly V, row-major k × vectorLength.
            GemmBuffer buffer = t_vector ??= new GemmBuffer();
            buffer.Acquire(k * vectorLength, keep: (long)k * vectorLength <= GemmBuffer.KeptFloats);
            rented = buffer.Array;
            GemmPacking.PackPanels(vector, lineStride: k, depthStride: 1,
                lineStart: 0, lineCount: vectorLength, depthStart: 0, depth: k, width: vectorLength, rented);
            vector = rented;
        }

        var update = new RankUpdate
        {
            Depth = k,
            VectorLength = vectorLength,
            ScalarLines = alongColumns ? m : n,
            ScalarLineStride = alongColumns ? (transposeA ? 1 : k) : (transposeB ? k : 1),
            ScalarDepthStride = alongColumns ? (transposeA ? m : 1) : (transposeB ? 1 : n),
            OutLineStride = alongColumns ? n : 1,
            OutVectorStride = alongColumns ? 1 : n,
            Accumulate = accumulate,
        };
        update.Run(
            ref MemoryMarshal.GetReference(vector),
            ref MemoryMarshal.GetReference(alongColumns ? a : b),
            ref MemoryMarshal.GetReference(c), width);

        if (rented is not null)
        {
            t_vector!.Release();
        }
    }

    /// <summary>Out(x, y) (+)= Σₚ S(x, p) · V(p, y), V contiguous along y with row stride VectorLength.</summary>
    private struct RankUpdate
    {
        public int Depth;
        public int VectorLength;
        public int ScalarLines;
        public int ScalarLineStride;
        public int ScalarDepthStride;
        public int OutLineStride;
        public int OutVectorStride;
        public bool Accumulate;

        public readonly void Run(ref float vector, ref float scalar, ref float output, int width)
        {
            if (width == 1 || VectorLength < width)
            {
                Scalar(ref vector, ref scalar, ref output);
                return;
            }
            for (int y = 0; ; y += width)
            {
                // A ragged end is covered by one more vector that overlaps the previous one; its
                // first lanes, already written, are masked off when storing.
                int firstLane = 0;
                if (y + width > VectorLength)
                {
                    if (y == VectorLength)
                    {
                        break;
                    }
                    firstLane = y - (VectorLength - width);
                    y = VectorLength - width;
                }
                int x = 0;
                for (; x + Lines <= ScalarLines; x += Lines)
                {
                    FourLines(ref Unsafe.Add(ref vector, y), ref Unsafe.Add(ref scalar, (nint)x * ScalarLineStride),
                        ref Unsafe.Add(ref output, (nint)x * OutLineStride + (nint)y * OutVectorStride), firstLane);
                }
                for (; x < ScalarLines; x++)
                {
                    OneLine(ref Unsafe.Add(ref vector, y), ref Unsafe.Add(ref scalar, (nint)x * ScalarLineStride),
                        ref Unsafe.Add(ref output, (nint)x * OutLineStride + (nint)y * OutVectorStride), firstLane);
                }
                if (firstLane != 0)
                {
                    break;
                }
            }
        }

        /// <summary>No vector fits (or none is accelerated): one dot product per element.</summary>
        private readonly void Scalar(ref float vector, ref float scalar, ref float output)
        {
            for (int y = 0; y < VectorLength; y++)
            {
                for (int x = 0; x < ScalarLines; x++)
                {
                    ref float s = ref Unsafe.Add(ref scalar, (nint)x * ScalarLineStride);
                    float sum = 0;
                    for (int p = 0; p < Depth; p++)
                    {
                        sum += Unsafe.Add(ref s, (nint)p * ScalarDepthStride) * Unsafe.Add(ref vector, (nint)p * VectorLength + y);
                    }
                    ref float o = ref Unsafe.Add(ref output, (nint)x * OutLineStride + (nint)y * OutVectorStride);
                    o = Accumulate ? o + sum : sum;
                }
            }
        }

        private readonly void FourLines(ref float vector, ref float scalar, ref float output, int firstLane)
        {
            Vector256<float> sum0 = default, sum1 = default, sum2 = default, sum3 = default;
            nint lineStride = ScalarLineStride;
            for (int p = 0; p < Depth; p++)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref Unsafe.Add(ref vector, (nint)p * VectorLength));
                ref float s = ref Unsafe.Add(ref scalar, (nint)p * ScalarDepthStride);
                sum0 = MultiplyAdd(s, v, sum0);
                sum1 = MultiplyAdd(Unsafe.Add(ref s, lineStride), v, sum1);
                sum2 = MultiplyAdd(Unsafe.Add(ref s, 2 * lineStride), v, sum2);
                sum3 = MultiplyAdd(Unsafe.Add(ref s, 3 * lineStride), v, sum3);
            }
            Store(sum0, ref output, firstLane);
            Store(sum1, ref Unsafe.Add(ref output, (nint)OutLineStride), firstLane);
            Store(sum2, ref Unsafe.Add(ref output, 2 * (nint)OutLineStride), firstLane);
            Store(sum3, ref Unsafe.Add(ref output, 3 * (nint)OutLineStride), firstLane);
        }

        private readonly void OneLine(ref float vector, ref float scalar, ref float output, int firstLane)
        {
            Vector256<float> sum = default;
            for (int p = 0; p < Depth; p++)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref Unsafe.Add(ref vector, (nint)p * VectorLength));
                sum = MultiplyAdd(Unsafe.Add(ref scalar, (nint)p * ScalarDepthStride), v, sum);
            }
            Store(sum, ref output, firstLane);
        }

        /// <summary>
        /// Writes lanes [<paramref name="firstLane"/>, 8) of one vector of results: contiguous
        /// along y, or one element per row of C.
        /// </summary>
        private readonly void Store(Vector256<float> sum, ref float output, int firstLane)
        {
            if (OutVectorStride != 1)
            {
                for (int lane = firstLane; lane < Vector256<float>.Count; lane++)
                {
                    ref float o = ref Unsafe.Add(ref output, (nint)lane * OutVectorStride);
                    o = Accumulate ? o + sum.GetElement(lane) : sum.GetElement(lane);
                }
                return;
            }
            Vector256<float> current = Vector256.LoadUnsafe(ref output);
            Vector256<float> result = Accumulate ? current + sum : sum;
            if (firstLane != 0)
            {
                Vector256<int> lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
                result = Vector256.ConditionalSelect(
                    Vector256.GreaterThanOrEqual(lanes, Vector256.Create(firstLane)).AsSingle(), result, current);
            }
            result.StoreUnsafe(ref output);
        }

        /// <summary>One FMA where the processor has it; a multiply and an add (not emulated FMA) elsewhere.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> MultiplyAdd(float scalar, Vector256<float> vector, Vector256<float> sum) =>
            Fma.IsSupported
                ? Vector256.FusedMultiplyAdd(Vector256.Create(scalar), vector, sum)
                : sum + Vector256.Create(scalar) * vector;
    }
}
