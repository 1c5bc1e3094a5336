using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Autodiff.Kernels;

/// <summary>
/// Copies a block of an operand into the micro-panel layout the micro-kernel streams through:
/// panels of <c>width</c> lines (rows of A, or columns of B), each stored depth-major so that one
/// depth step of a panel is <c>width</c> consecutive floats. Short last panels are padded with
/// zeros, which lets the kernel always compute whole tiles (the padding contributes 0·x = 0).
/// </summary>
/// <remarks>
/// One routine serves both operands and all four transpose combinations, because each is a view
/// in which element (line x, depth p) lives at <c>x·lineStride + p·depthStride</c>:
/// A is (x = row, p = k) with strides (k, 1), or (1, m) when transposed;
/// B is (x = column, p = k) with strides (1, n), or (k, 1) when transposed.
/// One of the two strides is always 1. When lines are contiguous (<c>lineStride == 1</c>) packing
/// is a row copy per depth step; otherwise each line is contiguous along depth and packing is a
/// transpose, done in 8×8 register blocks so that both the loads and the stores are vectors.
/// </remarks>
internal static class GemmPacking
{
    /// <summary>
    /// Packs lines [<paramref name="lineStart"/>, +<paramref name="lineCount"/>) × depth
    /// [<paramref name="depthStart"/>, +<paramref name="depth"/>) of <paramref name="source"/>
    /// into <paramref name="destination"/> as ⌈lineCount / width⌉ panels of depth × width floats.
    /// </summary>
    public static void PackPanels(ReadOnlySpan<float> source, int lineStride, int depthStride,
        int lineStart, int lineCount, int depthStart, int depth, int width, Span<float> destination)
    {
        // Slicing checks, once, that every element this block touches is inside both spans; the
        // loops below then use unchecked references within those slices.
        int origin = lineStart * lineStride + depthStart * depthStride;
        int extent = (lineCount - 1) * lineStride + (depth - 1) * depthStride + 1;
        ReadOnlySpan<float> block = source.Slice(origin, extent);
        int panels = (lineCount + width - 1) / width;
        Span<float> packed = destination.Slice(0, panels * width * depth);

        ref float src = ref MemoryMarshal.GetReference(block);
        ref float dst = ref MemoryMarshal.GetReference(packed);
        for (int x0 = 0; x0 < lineCount; x0 += width)
        {
            int lines = Math.Min(width, lineCount - x0);
            ref float panelSource = ref Unsafe.Add(ref src, (nint)x0 * lineStride);
            ref float panelDestination = ref Unsafe.Add(ref dst, (nint)x0 * depth);
            if (lineStride == 1)
            {
                CopyDepthSteps(ref panelSource, depthStride, ref panelDestination, lines, depth, width);
            }
            else
            {
                TransposeLines(ref panelSource, lineStride, ref panelDestination, lines, depth, width);
            }
        }
    }

    /// <summary>Lines contiguous: each depth step is one short row copy, padded to the width.</summary>
    private static void CopyDepthSteps(ref float source, int depthStride, ref float destination,
        int lines, int depth, int width)
    {
        for (int p = 0; p < depth; p++)
        {
            ref float from = ref Unsafe.Add(ref source, (nint)p * depthStride);
            ref float to = ref Unsafe.Add(ref destination, (nint)p * width);
            int x = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; x + 16 <= lines; x += 16)
                {
                    Vector512.LoadUnsafe(ref from, (nuint)x).StoreUnsafe(ref to, (nuint)x);
                }
            }
            if (Vector256.IsHardwareAccelerated)
            {
                for (; x + 8 <= lines; x += 8)
                {
                    Vector256.LoadUnsafe(ref from, (nuint)x).StoreUnsafe(ref to, (nuint)x);
                }
            }
            for (; x < lines; x++)
            {
                Unsafe.Add(ref to, x) = Unsafe.Add(ref from, x);
            }
            for (; x < width; x++)
            {
                Unsafe.Add(ref to, x) = 0f;
            }
        }
    }

    /// <summary>
    /// Lines contiguous along depth: a transpose. Eight lines × eight depth steps are loaded as
    /// eight vectors, transposed in registers and stored as eight vectors; what does not fill
    /// an 8×8 block is moved one float at a time.
    /// </summary>
    private static void TransposeLines(ref float source, int lineStride, ref float destination,
        int lines, int depth, int width)
    {
        int x = 0;
        if (Avx.IsSupported)
        {
            for (; x + 8 <= lines; x += 8)
            {
                ref float lineSource = ref Unsafe.Add(ref source, (nint)x * lineStride);
                int p = 0;
                for (; p + 8 <= depth; p += 8)
                {
                    Transpose8x8(ref Unsafe.Add(ref lineSource, p), lineStride,
                        ref Unsafe.Add(ref destination, (nint)p * width + x), width);
                }
                for (; p < depth; p++)
                {
                    for (int l = 0; l < 8; l++)
                    {
                        Unsafe.Add(ref destination, (nint)p * width + x + l) =
                            Unsafe.Add(ref lineSource, (nint)l * lineStride + p);
                    }
                }
            }
        }
        for (; x < lines; x++)
        {
            ref float line = ref Unsafe.Add(ref source, (nint)x * lineStride);
            for (int p = 0; p < depth; p++)
            {
                Unsafe.Add(ref destination, (nint)p * width + x) = Unsafe.Add(ref line, p);
            }
        }
        for (; x < width; x++)
        {
            for (int p = 0; p < depth; p++)
            {
                Unsafe.Add(ref destination, (nint)p * width + x) = 0f;
            }
        }
    }

    /// <summary>
    /// Reads an 8×8 block (8 lines of 8 consecutive floats, <paramref name="sourceStride"/> apart)
    /// and writes its transpose (8 depth steps of 8 floats, <paramref name="destinationStride"/> apart).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(ref float source, int sourceStride, ref float destination, int destinationStride)
    {
        Vector256<float> r0 = Vector256.LoadUnsafe(ref source);
        Vector256<float> r1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, (nint)sourceStride));
        Vector256<float> r2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, (nint)sourceStride * 2));
        Vector256<float> r3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, (nint)sourceStride * 3));
        Vector256<float> r4 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, (nint)sourceStride * 4));
        Vector256<float> r5 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, (nint)sourceStride * 5));
        Vector256<float> r6 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, (nint)sourceStride * 6));
        Vector256<float> r7 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, (nint)sourceStride * 7));

        // Within each 128-bit half: interleave single floats of line pairs, then pairs of floats
        // of pair pairs; u0 then holds depth step 0 of lines 0-3 (low half) and step 4 (high half).
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);

        // Joining the halves of lines 0-3 and 4-7 gives whole depth steps.

        ref float d = ref destination;
        nint s = destinationStride;
        Vector256.Create(u0.GetLower(), u4.GetLower()).StoreUnsafe(ref d);
        Vector256.Create(u1.GetLower(), u5.GetLower()).StoreUnsafe(ref Unsafe.Add(ref d, s));
        Vector256.Create(u2.GetLower(), u6.GetLower()).StoreUnsafe(ref Unsafe.Add(ref d, s * 2));
        Vector256.Create(u3.GetLower(), u7.GetLower()).StoreUnsafe(ref Unsafe.Add(ref d, s * 3));
        Vector256.Create(u0.GetUpper(), u4.GetUpper()).StoreUnsafe(ref Unsafe.Add(ref d, s * 4));
        Vector256.Create(u1.GetUpper(), u5.GetUpper()).StoreUnsafe(ref Unsafe.Add(ref d, s * 5));
        Vector256.Create(u2.GetUpper(), u6.GetUpper()).StoreUnsafe(ref Unsafe.Add(ref d, s * 6));
        Vector256.Create(u3.GetUpper(), u7.GetUpper()).StoreUnsafe(ref Unsafe.Add(ref d, s * 7));
    }
}
