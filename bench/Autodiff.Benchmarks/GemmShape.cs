using System;

namespace Autodiff.Benchmarks;

/// <summary>
/// One product C (m×n) = A (m×k) · B (k×n), written the way the layers it comes from are:
/// "64x784·784x128" is a batch of 64 MNIST images through a 784→128 dense layer.
/// </summary>
public sealed record GemmShape(int M, int K, int N)
{
    /// <summary>Multiply-adds of one product.</summary>
    public long MultiplyAdds => (long)M * K * N;

    /// <summary>Floating-point operations of one product, counting a multiply-add as two.</summary>
    public double Flops => 2.0 * MultiplyAdds;

    /// <summary>The operands and result, filled with reproducible values in [−1, 1).</summary>
    public (float[] A, float[] B, float[] C) Allocate(int seed = 42)
    {
        var random = new Random(seed);
        float[] a = new float[M * K], b = new float[K * N];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)(random.NextDouble() * 2 - 1);
        }
        for (int i = 0; i < b.Length; i++)
        {
            b[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return (a, b, new float[M * N]);
    }

    public override string ToString() => $"{M}x{K}·{K}x{N}";
}
