using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Autodiff.Kernels;

/// <summary>
/// AVX-512 register tile of 8 rows × 32 columns: 16 accumulators of 16 floats, two registers for
/// the B row and one for the broadcast A element. Zen 4 runs one 512-bit FMA per cycle (two
/// 256-bit pipes, double-pumped) with 4 cycles of latency, so 16 independent chains keep it
/// busy, and a depth step needs 2 vector loads and 8 broadcasts for its 16 FMAs.
/// </summary>
/// <remarks>
/// Measured against 12×32, 14×32, 10×32, 6×64, 8×48, 4×64, 16×16 and 24×16 tiles: all reach the
/// core's FMA peak (~116 GFLOP/s) when their panels sit in L1, but in whole products 8×32 was
/// fastest, because its A micro-panel (8·KC floats, 8 KiB) stays in L1 while B micro-panels
/// stream past it, and because 8 divides the batch sizes of training (32, 64, ...) where 12 or
/// 14 leave a mostly empty edge tile (64 rows = 5 × 12 + 4). Unrolling the depth loop by two
/// made no measurable difference, so it is not unrolled.
/// </remarks>
internal readonly struct GemmMicroKernel512 : IGemmMicroKernel
{
    public static int Rows => 8;

    public static int Columns => 32;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int depth, ref float packedA, ref float packedB, ref float c, nint ldc, bool overwrite)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;

        ref float a = ref packedA;
        ref float b = ref packedB;
        for (int p = 0; p < depth; p++)
        {
            Vector512<float> b0 = Vector512.LoadUnsafe(ref b);
            Vector512<float> b1 = Vector512.LoadUnsafe(ref b, 16);
            Vector512<float> ai;
            ai = Vector512.Create(a);
            c00 = Vector512.FusedMultiplyAdd(ai, b0, c00); c01 = Vector512.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector512.Create(Unsafe.Add(ref a, 1));
            c10 = Vector512.FusedMultiplyAdd(ai, b0, c10); c11 = Vector512.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector512.Create(Unsafe.Add(ref a, 2));
            c20 = Vector512.FusedMultiplyAdd(ai, b0, c20); c21 = Vector512.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector512.Create(Unsafe.Add(ref a, 3));
            c30 = Vector512.FusedMultiplyAdd(ai, b0, c30); c31 = Vector512.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector512.Create(Unsafe.Add(ref a, 4));
            c40 = Vector512.FusedMultiplyAdd(ai, b0, c40); c41 = Vector512.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector512.Create(Unsafe.Add(ref a, 5));
            c50 = Vector512.FusedMultiplyAdd(ai, b0, c50); c51 = Vector512.FusedMultiplyAdd(ai, b1, c51);
            ai = Vector512.Create(Unsafe.Add(ref a, 6));
            c60 = Vector512.FusedMultiplyAdd(ai, b0, c60); c61 = Vector512.FusedMultiplyAdd(ai, b1, c61);
            ai = Vector512.Create(Unsafe.Add(ref a, 7));
            c70 = Vector512.FusedMultiplyAdd(ai, b0, c70); c71 = Vector512.FusedMultiplyAdd(ai, b1, c71);
            a = ref Unsafe.Add(ref a, 8);
            b = ref Unsafe.Add(ref b, 32);
        }

        ref float row = ref c;
        StoreRow(ref row, c00, c01, overwrite); row = ref Unsafe.Add(ref row, ldc);
        StoreRow(ref row, c10, c11, overwrite); row = ref Unsafe.Add(ref row, ldc);
        StoreRow(ref row, c20, c21, overwrite); row = ref Unsafe.Add(ref row, ldc);
        StoreRow(ref row, c30, c31, overwrite); row = ref Unsafe.Add(ref row, ldc);
        StoreRow(ref row, c40, c41, overwrite); row = ref Unsafe.Add(ref row, ldc);
        StoreRow(ref row, c50, c51, overwrite); row = ref Unsafe.Add(ref row, ldc);
        StoreRow(ref row, c60, c61, overwrite); row = ref Unsafe.Add(ref row, ldc);
        StoreRow(ref row, c70, c71, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(ref float row, Vector512<float> left, Vector512<float> right, bool overwrite)
    {
        if (!overwrite)
        {
            left += Vector512.LoadUnsafe(ref row);
            right += Vector512.LoadUnsafe(ref row, 16);
        }
        left.StoreUnsafe(ref row);
        right.StoreUnsafe(ref row, 16);
    }
}
