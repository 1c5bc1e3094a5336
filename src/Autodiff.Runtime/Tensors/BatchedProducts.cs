using System;
using Autodiff.Kernels;

namespace Autodiff;

/// <summary>
/// The matrix products of a batch (attention's per-head products) shared between the cores:
/// each product is too small to split (the CharTransformer's are 64×64·64×32, 131 K multiply-adds,
/// under the GEMM's threading threshold), but 48 of them are not, so whole products go to
/// whichever thread claims them (<see cref="ParallelRange"/>). Each product runs on its thread's
/// own single-threaded GEMM path, so a product's result does not depend on where it ran.
/// </summary>
internal static class BatchedProducts
{
    /// <summary>Products per block: at least this many multiply-adds, so that claiming one costs little next to it.</summary>
    private const long BlockProducts = 64 * 1024;

    /// <summary>result[i] = a[i]·b[i] for every batch i of the result, the operands' batch axes broadcasting.</summary>
    public static void Multiply(Tensor a, Tensor b, Tensor result, int m, int n, int k)
    {
        int batches = result.Length / (m * n);
        ParallelRange.Run(new ForwardBody(a, b, result, m, n, k), batches, Grain(m, n, k));
    }

    /// <summary>
    /// da[i] += seed[i]·b[i]ᵀ and db[i] += a[i]ᵀ·seed[i]. Batches run in parallel only when
    /// neither accumulator is shared between batches (a broadcast operand gathers the sum of
    /// several batches, which two threads must not add into at once); otherwise in order.
    /// </summary>
    public static void Backward(Tensor a, Tensor b, Tensor seed, Tensor? da, Tensor? db, int m, int n, int k)
    {
        int batches = seed.Length / (m * n);
        var body = new BackwardBody(a, b, seed, da, db, m, n, k);
        bool sharedA = da is not null && a.Length / (m * k) != batches;
        bool sharedB = db is not null && b.Length / (k * n) != batches;
        if (sharedA || sharedB)
        {
            body.Run(0, batches);
            return;
        }
        ParallelRange.Run(body, batches, Grain(m, n, k));
    }

    private static int Grain(int m, int n, int k) => (int)Math.Clamp(BlockProducts / Math.Max(1L, (long)m * n * k), 1, int.MaxValue);

    private readonly struct ForwardBody(Tensor a, Tensor b, Tensor result, int m, int n, int k) : IRangeBody
    {
        public void Run(int start, int end)
        {
            ReadOnlySpan<int> batch = result.Shape[..^2];
            float[] aValues = a.Values, bValues = b.Values, cValues = result.Values;
            for (int i = start; i < end; i++)
            {
                Gemm.MultiplyArrays(
                    new ArraySegment<float>(aValues, Tensor.BatchOffset(i, batch, a) * m * k, m * k),
                    new ArraySegment<float>(bValues, Tensor.BatchOffset(i, batch, b) * k * n, k * n),
                    new ArraySegment<float>(cValues, i * m * n, m * n),
                    m, n, k, transposeA: false, transposeB: false, accumulate: false);
            }
        }
    }

    private readonly struct BackwardBody(Tensor a, Tensor b, Tensor seed, Tensor? da, Tensor? db, int m, int n, int k) : IRangeBody
    {
        public void Run(int start, int end)
        {
            ReadOnlySpan<int> batch = seed.Shape[..^2];
            for (int i = start; i < end; i++)
            {
                int aOffset = Tensor.BatchOffset(i, batch, a) * m * k, bOffset = Tensor.BatchOffset(i, batch, b) * k * n;
                if (da is not null)
                {
                    Tensor.MultiplySegments(seed, i * m * n, b, bOffset, da, aOffset, m, k, n, transposeA: false, transposeB: true);
                }
                if (db is not null)
                {
                    Tensor.MultiplySegments(a, aOffset, seed, i * m * n, db, bOffset, k, n, m, transposeA: true, transposeB: false);
                }
            }
        }
    }
}
