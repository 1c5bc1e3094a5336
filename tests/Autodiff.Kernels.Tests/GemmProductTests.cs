using System.Collections.Generic;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Xunit;

namespace Autodiff.Kernels.Tests;

/// <summary>
/// Every route through Gemm against the double-precision reference, for square and rectangular
/// shapes around the tile sizes (8×32, 6×16, 4×4) and block sizes, in all four transpose
/// combinations, storing and accumulating.
/// </summary>
public sealed class GemmProductTests
{
    private static readonly int[] Sizes = [0, 1, 2, 3, 7, 15, 16, 17, 31, 33, 64, 65, 100, 129, 257];

    private static readonly GemmPath[] Paths =
    [
        GemmPath.Default, GemmPath.Small, GemmPath.Packed512, GemmPath.Packed256, GemmPath.PackedScalar, GemmPath.Threaded,
    ];

    public static IEnumerable<object[]> Shapes()
    {
        foreach (GemmPath path in Paths)
        {
            foreach (int size in Sizes)
            {
                yield return [path, size, size, size];
                yield return [path, size, 33, 17];
                yield return [path, 17, size, 65];
                yield return [path, 65, 7, size];
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesReference(GemmPath path, int m, int n, int k)
    {
        if (!IsAccelerated(path))
        {
            return; // software-emulated vectors would be correct but very slow
        }
        using var scope = new GemmPathScope(path);
        for (int flags = 0; flags < 8; flags++)
        {
            GemmReference.Check(m, n, k,
                transposeA: (flags & 1) != 0, transposeB: (flags & 2) != 0, accumulate: (flags & 4) != 0,
                seed: m * 7919 + n * 31 + k + flags);
        }
    }

    [Theory]
    [InlineData(GemmPath.Default)]
    [InlineData(GemmPath.Packed512)]
    [InlineData(GemmPath.Threaded)]
    public void LargeProductMatchesReference(GemmPath path)
    {
        if (!IsAccelerated(path))
        {
            return;
        }
        using var scope = new GemmPathScope(path);
        for (int flags = 0; flags < 8; flags++)
        {
            GemmReference.Check(300, 500, 400,
                transposeA: (flags & 1) != 0, transposeB: (flags & 2) != 0, accumulate: (flags & 4) != 0);
        }
    }

    private static bool IsAccelerated(GemmPath path) => path switch
    {
        GemmPath.Packed512 => Vector512.IsHardwareAccelerated,
        GemmPath.Packed256 => Vector256.IsHardwareAccelerated && Fma.IsSupported,
        _ => true,
    };
}
