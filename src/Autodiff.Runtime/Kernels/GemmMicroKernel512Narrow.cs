using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Autodiff.Kernels;

/// <summary>
/// AVX-512 register tile of 16 rows × 16 columns, for products at most 16 columns wide (an
/// output layer with 10 classes, the gradient of a 16-unit hidden layer): the 32-column tile
/// would compute half or more of every tile into padding. Sixteen accumulators, one B vector
/// and one broadcast per depth step: as many independent FMA chains as the 8×32 tile.
/// </summary>
internal readonly struct GemmMicroKernel512Narrow : IGemmMicroKernel
{
    public static int Rows => 16;

    public static int Columns => 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int depth, ref float packedA, ref float packedB, ref float c, nint ldc, bool overwrite)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        Vector512<float> c4 = default, c5 = default, c6 = default, c7 = default;
        Vector512<float> c8 = default, c9 = default, ca = default, cb = default;
        Vector512<float> cc = default, cd = default, ce = default, cf = default;

        ref float a = ref packedA;
        ref float b = ref packedB;
        for (int p = 0; p < depth; p++)
        {
            Vector512<float> bp = Vector512.LoadUnsafe(ref b);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a), bp, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, 1)), bp, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, 2)), bp, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, 3)), bp, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, 4)), bp, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, 5)), bp, c5);
            c6 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, 6)), bp, c6);
            c7 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, 7)), bp, c7);
            c8 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, 8)), bp, c8);
            c9 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, 9)), bp, c9);
            ca = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, 10)), bp, ca);
            cb = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, 11)), bp, cb);
            cc = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, 12)), bp, cc);
            cd = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, 13)), bp, cd);
            ce = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, 14)), bp, ce);
            cf = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, 15)), bp, cf);
            a = ref Unsafe.Add(ref a, 16);
            b = ref Unsafe.Add(ref b, 16);
        }

        StoreRow(ref c, 0, ldc, c0, overwrite);
        StoreRow(ref c, 1, ldc, c1, overwrite);
        StoreRow(ref c, 2, ldc, c2, overwrite);
        StoreRow(ref c, 3, ldc, c3, overwrite);
        StoreRow(ref c, 4, ldc, c4, overwrite);
        StoreRow(ref c, 5, ldc, c5, overwrite);
        StoreRow(ref c, 6, ldc, c6, overwrite);
        StoreRow(ref c, 7, ldc, c7, overwrite);
        StoreRow(ref c, 8, ldc, c8, overwrite);
        StoreRow(ref c, 9, ldc, c9, overwrite);
        StoreRow(ref c, 10, ldc, ca, overwrite);
        StoreRow(ref c, 11, ldc, cb, overwrite);
        StoreRow(ref c, 12, ldc, cc, overwrite);
        StoreRow(ref c, 13, ldc, cd, overwrite);
        StoreRow(ref c, 14, ldc, ce, overwrite);
        StoreRow(ref c, 15, ldc, cf, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(ref float c, nint row, nint ldc, Vector512<float> sum, bool overwrite)
    {
        ref float target = ref Unsafe.Add(ref c, row * ldc);
        if (!overwrite)
        {
            sum += Vector512.LoadUnsafe(ref target);
        }
        sum.StoreUnsafe(ref target);
    }
}
