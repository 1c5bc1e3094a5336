using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Autodiff.Kernels;

/// <summary>
/// Products too small to repay packing (a layer of a tiny MLP: 32×2·2×16): loops straight over
/// the caller's spans, in the order that makes the innermost loop unit-stride for each
/// transpose combination. Bounds were checked by <see cref="Gemm.Multiply"/>.
/// </summary>
internal static class GemmSmall
{
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
        int m, int n, int k, bool transposeA, bool transposeB, bool accumulate)
    {
        ref float a0 = ref MemoryMarshal.GetReference(a);
        ref float b0 = ref MemoryMarshal.GetReference(b);
        ref float c0 = ref MemoryMarshal.GetReference(c);
        if (!transposeB)
        {
            // Row i of C is a combination of the rows of B: axpy along n.
            nint aRowStride = transposeA ? 1 : k, aDepthStride = transposeA ? m : 1;
            for (int i = 0; i < m; i++)
            {
                ref float cRow = ref Unsafe.Add(ref c0, (nint)i * n);
                if (!accumulate)
                {
                    MemoryMarshal.CreateSpan(ref cRow, n).Clear();
                }
                ref float aRow = ref Unsafe.Add(ref a0, i * aRowStride);
                for (int p = 0; p < k; p++)
                {
                    MultiplyAdd(Unsafe.Add(ref aRow, p * aDepthStride), ref Unsafe.Add(ref b0, (nint)p * n), ref cRow, n);
                }
            }
        }
        else if (!transposeA)
        {
            // Rows of A and rows of the stored B are both contiguous along k: dot products.
            for (int i = 0; i < m; i++)
            {
                ref float aRow = ref Unsafe.Add(ref a0, (nint)i * k);
                ref float cRow = ref Unsafe.Add(ref c0, (nint)i * n);
                for (int j = 0; j < n; j++)
                {
                    float dot = Dot(ref aRow, ref Unsafe.Add(ref b0, (nint)j * k), k);
                    Unsafe.Add(ref cRow, j) = accumulate ? Unsafe.Add(ref cRow, j) + dot : dot;
                }
            }
        }
        else
        {
            // Both transposed: C = Aᵀ·Bᵀ, A's column i and B's row j. Column i of A is strided;
            // B's row is contiguous, so the inner loop walks it.
            for (int i = 0; i < m; i++)
            {
                ref float cRow = ref Unsafe.Add(ref c0, (nint)i * n);
                for (int j = 0; j < n; j++)
                {
                    ref float bRow = ref Unsafe.Add(ref b0, (nint)j * k);
                    float sum = 0;
                    for (int p = 0; p < k; p++)
                    {
                        sum += Unsafe.Add(ref a0, (nint)p * m + i) * Unsafe.Add(ref bRow, p);
                    }
                    Unsafe.Add(ref cRow, j) = accumulate ? Unsafe.Add(ref cRow, j) + sum : sum;
                }
            }
        }
    }

    /// <summary>y[0..length) += alpha · x[0..length).</summary>
    private static void MultiplyAdd(float alpha, ref float x, ref float y, int length)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated && length >= 8)
        {
            Vector256<float> scale = Vector256.Create(alpha);
            for (; j + 8 <= length; j += 8)
            {
                (Vector256.LoadUnsafe(ref y, (nuint)j) + scale * Vector256.LoadUnsafe(ref x, (nuint)j))
                    .StoreUnsafe(ref y, (nuint)j);
            }
        }
        for (; j < length; j++)
        {
            Unsafe.Add(ref y, j) += alpha * Unsafe.Add(ref x, j);
        }
    }

    /// <summary>Σ x[p]·y[p] over p in [0, length).</summary>
    private static float Dot(ref float x, ref float y, int length)
    {
        int p = 0;
        float sum = 0;
        if (Vector256.IsHardwareAccelerated && length >= 8)
        {
            Vector256<float> partial = Vector256<float>.Zero;
            for (; p + 8 <= length; p += 8)
            {
                partial += Vector256.LoadUnsafe(ref x, (nuint)p) * Vector256.LoadUnsafe(ref y, (nuint)p);
            }
            sum = Vector256.Sum(partial);
        }
        for (; p < length; p++)
        {
            sum += Unsafe.Add(ref x, p) * Unsafe.Add(ref y, p);
        }
        return sum;
    }
}
