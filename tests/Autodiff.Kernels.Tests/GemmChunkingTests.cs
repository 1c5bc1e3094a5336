using Xunit;

namespace Autodiff.Kernels.Tests;

/// <summary>
/// Products large enough to be cut into several chunks of C (2048 rows or columns on one thread;
/// 1024, or fewer when k is deep, on several) and several depth blocks, so that chunk edges,
/// chunk-local panel numbering and the store-then-add order across depth blocks are exercised.
/// Thin in the other dimensions to keep the reference cheap.
/// </summary>
public sealed class GemmChunkingTests
{
    [Theory]
    [InlineData(2100, 40, 70)]   // two row chunks, one thread
    [InlineData(40, 2100, 70)]   // two column chunks, one thread
    [InlineData(45, 37, 1100)]   // five depth blocks of 220
    public void SingleThreadedChunksMatchReference(int m, int n, int k)
    {
        using var scope = new GemmPathScope(GemmPath.OneThread);
        CheckAllFlags(m, n, k);
    }

    [Theory]
    [InlineData(1100, 70, 300)]  // two row chunks of a threaded product
    [InlineData(70, 1100, 300)]  // two column chunks
    [InlineData(600, 20, 8200)]  // deep k: the packed-size bound (511 rows) makes two row chunks
    public void ThreadedChunksMatchReference(int m, int n, int k)
    {
        using var scope = new GemmPathScope(GemmPath.Threaded);
        CheckAllFlags(m, n, k);
    }

    private static void CheckAllFlags(int m, int n, int k)
    {
        for (int flags = 0; flags < 8; flags++)
        {
            GemmReference.Check(m, n, k,
                transposeA: (flags & 1) != 0, transposeB: (flags & 2) != 0, accumulate: (flags & 4) != 0);
        }
    }
}
