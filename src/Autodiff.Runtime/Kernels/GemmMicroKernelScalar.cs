using System.Runtime.CompilerServices;

namespace Autodiff.Kernels;

/// <summary>
/// Portable register tile of 4 × 4 scalars for machines without AVX2+FMA (or with SIMD turned off):
/// sixteen accumulators are what a 16-register scalar file holds comfortably, and the packed
/// layouts still give the loop unit-stride loads. Slow compared with the vector tiles but correct
/// everywhere; its rounding differs from theirs (separate multiply and add).
/// </summary>
internal readonly struct GemmMicroKernelScalar : IGemmMicroKernel
{
    public static int Rows => 4;

    public static int Columns => 4;

    public static void Run(int depth, ref float packedA, ref float packedB, ref float c, nint ldc, bool overwrite)
    {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0;

        ref float a = ref packedA;
        ref float b = ref packedB;
        for (int p = 0; p < depth; p++)
        {
            float b0 = b, b1 = Unsafe.Add(ref b, 1), b2 = Unsafe.Add(ref b, 2), b3 = Unsafe.Add(ref b, 3);
            float a0 = a, a1 = Unsafe.Add(ref a, 1), a2 = Unsafe.Add(ref a, 2), a3 = Unsafe.Add(ref a, 3);
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            a = ref Unsafe.Add(ref a, 4);
            b = ref Unsafe.Add(ref b, 4);
        }

        ref float row = ref c;
        StoreRow(ref row, c00, c01, c02, c03, overwrite); row = ref Unsafe.Add(ref row, ldc);
        StoreRow(ref row, c10, c11, c12, c13, overwrite); row = ref Unsafe.Add(ref row, ldc);
        StoreRow(ref row, c20, c21, c22, c23, overwrite); row = ref Unsafe.Add(ref row, ldc);
        StoreRow(ref row, c30, c31, c32, c33, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(ref float row, float x0, float x1, float x2, float x3, bool overwrite)
    {
        if (overwrite)
        {
            row = x0; Unsafe.Add(ref row, 1) = x1; Unsafe.Add(ref row, 2) = x2; Unsafe.Add(ref row, 3) = x3;
        }
        else
        {
            row += x0; Unsafe.Add(ref row, 1) += x1; Unsafe.Add(ref row, 2) += x2; Unsafe.Add(ref row, 3) += x3;
        }
    }
}
