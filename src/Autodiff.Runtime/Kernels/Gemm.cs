using System;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Autodiff.Kernels;

/// <summary>Single-precision general matrix multiply on row-major spans.</summary>
/// <remarks>
/// Three routes, by size: tiny products run unpacked loops (<see cref="GemmSmall"/>); others run
/// the packed, cache-blocked product with a register-tiled micro-kernel (AVX-512, else AVX2+FMA,
/// else scalar; <see cref="GemmBlockedProduct"/>); large ones share that work with worker
/// threads: on spans the calling thread packs and the workers compute (<see cref="GemmParallelJob"/>),
/// on arrays (<see cref="MultiplyArrays"/>, the route of tensor operations) every thread packs its
/// own panels and writes its own part of C (<see cref="GemmArrayJob"/>). Safe to call from several
/// threads at once: one threaded product per route runs at a time (the two routes share the
/// workers, and a product whose workers are busy elsewhere runs without them), and the others
/// meanwhile run on their calling threads.
/// </remarks>
public static class Gemm
{
    private static int s_maxThreads = Environment.ProcessorCount;

    /// <summary>
    /// Most threads one product may use, the calling thread included. Defaults to
    /// <see cref="Environment.ProcessorCount"/>, which also caps it (the threads spin while they
    /// wait for each other, which only pays with a core each). Products below a size threshold
    /// always run on the calling thread alone.
    /// </summary>
    public static int MaxThreads
    {
        get => s_maxThreads;
        set => s_maxThreads = value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "Gemm.MaxThreads must be at least 1.");
    }

    /// <summary>
    /// Products with at most this many multiply-adds (m·n·k) skip packing (<see cref="GemmSmall"/>):
    /// measured on Zen 4, the unpacked loops win below about 8–16 K multiply-adds (32×2·2×16 takes
    /// ~100 ns unpacked, ~430 ns packed), the packed product above.
    /// </summary>
    internal static long SmallProductLimit = 8 * 1024;

    /// <summary>
    /// Products at most <see cref="NarrowColumns"/> wide skip packing up to this size: every
    /// packed tile would be at least half padding (128×128·128×8: 4.2 µs unpacked, 7.0 µs packed).
    /// </summary>
    internal static long NarrowProductLimit = 256 * 1024;

    /// <inheritdoc cref="NarrowProductLimit"/>
    internal const int NarrowColumns = 8;

    /// <summary>
    /// Products with fewer multiply-adds than this run on the calling thread alone. Measured on
    /// Zen 4 with two cores: two threads lose below about 100³ (64³: 5.4 µs alone, 5.9–7.7 µs
    /// shared), and win from about 128³ (1.25×; 160³ 1.4×, 256³ 1.9×).
    /// </summary>
    internal static long ParallelProductLimit = 128 * 128 * 128;

    /// <summary>Which micro-kernel the packed path uses; tests force the portable ones.</summary>
    internal static GemmKernelKind Kernel = SelectKernel();

    /// <summary>
    /// C (m×n) = op(A)·op(B), or C += op(A)·op(B) when <paramref name="accumulate"/> is set.
    /// A is stored m×k row-major (k×m when <paramref name="transposeA"/>), B is k×n (n×k when
    /// <paramref name="transposeB"/>).
    /// </summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
        int m, int n, int k, bool transposeA, bool transposeB, bool accumulate)
    {
        Validate(a.Length, b.Length, c.Length, m, n, k, transposeA, transposeB);
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0)
        {
            if (!accumulate)
            {
                c.Slice(0, m * n).Clear();
            }
            return;
        }

        long products = (long)m * n * k;
        if (products <= SmallProductLimit || (n <= NarrowColumns && products <= NarrowProductLimit))
        {
            GemmSmall.Multiply(a, b, c, m, n, k, transposeA, transposeB, accumulate);
            return;
        }

        MultiplyPacked(a, b, c, m, n, k, transposeA, transposeB, accumulate, Threads(products));
    }

    /// <summary>
    /// The same product on matrices held in arrays, each starting at its segment's offset. A
    /// threaded product hands the arrays to its worker threads, which then pack their own operand
    /// panels and write their own units of C (<see cref="GemmArrayJob"/>); with spans the calling
    /// thread must do all of the packing and move the workers' results into C, which limits two
    /// threads to about 1.2× one on products of the size of a dense layer's. Tensor operations
    /// come this way.
    /// </summary>
    internal static void MultiplyArrays(ArraySegment<float> a, ArraySegment<float> b, ArraySegment<float> c,
        int m, int n, int k, bool transposeA, bool transposeB, bool accumulate)
    {
        long products = (long)m * n * k;
        int threads = m >= 0 && n >= 0 && k >= 0 ? Threads(products) : 1;
        if (threads == 1 || products <= SmallProductLimit || (n <= NarrowColumns && products <= NarrowProductLimit))
        {
            // Validates, and takes the route that the span overload would.
            Multiply(a.AsSpan(), b.AsSpan(), c.AsSpan(), m, n, k, transposeA, transposeB, accumulate);
            return;
        }
        Validate(a.Count, b.Count, c.Count, m, n, k, transposeA, transposeB);
        ReserveFallback(m, n, k);
        bool done = Kernel switch
        {
            GemmKernelKind.Vector512 when n <= GemmMicroKernel512Narrow.Columns =>
                GemmArrayJob.TryRun<GemmMicroKernel512Narrow>(a, b, c, m, n, k, transposeA, transposeB, accumulate, threads),
            GemmKernelKind.Vector512 =>
                GemmArrayJob.TryRun<GemmMicroKernel512>(a, b, c, m, n, k, transposeA, transposeB, accumulate, threads),
            GemmKernelKind.Vector256 =>
                GemmArrayJob.TryRun<GemmMicroKernel256>(a, b, c, m, n, k, transposeA, transposeB, accumulate, threads),
            _ =>
                GemmArrayJob.TryRun<GemmMicroKernelScalar>(a, b, c, m, n, k, transposeA, transposeB, accumulate, threads),
        };
        if (!done)
        {
            // Its buffers were reserved by ReserveFallback on an earlier call of this size.
            // Another thread holds the array job, or a worker is still finishing a unit it lost:
            // this product runs on the calling thread rather than wait.
            MultiplyPacked(a, b, c, m, n, k, transposeA, transposeB, accumulate, threads: 1);
        }
    }

    /// <summary>Sizes the calling thread's buffers for running this product alone (see <see cref="GemmBlockedProduct.ReserveOneThread{TKernel}"/>).</summary>
    private static void ReserveFallback(int m, int n, int k)
    {
        switch (Kernel)
        {
            case GemmKernelKind.Vector512 when n <= GemmMicroKernel512Narrow.Columns:
                GemmBlockedProduct.ReserveOneThread<GemmMicroKernel512Narrow>(m, n, k);
                break;
            case GemmKernelKind.Vector512:
                GemmBlockedProduct.ReserveOneThread<GemmMicroKernel512>(m, n, k);
                break;
            case GemmKernelKind.Vector256:
                GemmBlockedProduct.ReserveOneThread<GemmMicroKernel256>(m, n, k);
                break;
            default:
                GemmBlockedProduct.ReserveOneThread<GemmMicroKernelScalar>(m, n, k);
                break;
        }
    }

    /// <summary>The packed product with the selected micro-kernel; the span route to threads is <see cref="GemmParallelJob"/>.</summary>
    private static void MultiplyPacked(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
        int m, int n, int k, bool transposeA, bool transposeB, bool accumulate, int threads)
    {
        switch (Kernel)
        {
            case GemmKernelKind.Vector512 when n <= GemmMicroKernel512Narrow.Columns:
                GemmBlockedProduct.Multiply<GemmMicroKernel512Narrow>(a, b, c, m, n, k, transposeA, transposeB, accumulate, threads);
                break;
            case GemmKernelKind.Vector512:
                GemmBlockedProduct.Multiply<GemmMicroKernel512>(a, b, c, m, n, k, transposeA, transposeB, accumulate, threads);
                break;
            case GemmKernelKind.Vector256:
                GemmBlockedProduct.Multiply<GemmMicroKernel256>(a, b, c, m, n, k, transposeA, transposeB, accumulate, threads);
                break;
            default:
                GemmBlockedProduct.Multiply<GemmMicroKernelScalar>(a, b, c, m, n, k, transposeA, transposeB, accumulate, threads);
                break;
        }
    }

    /// <summary>Threads for a packed product of <paramref name="products"/> multiply-adds.</summary>
    private static int Threads(long products) =>
        products < ParallelProductLimit ? 1 : Math.Min(s_maxThreads, Environment.ProcessorCount);

    /// <summary>
    /// Everything downstream indexes through unchecked references, so this is the one place
    /// that proves every access in bounds: each span holds at least its matrix.
    /// </summary>
    private static void Validate(int aLength, int bLength, int cLength, int m, int n, int k,
        bool transposeA, bool transposeB)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentOutOfRangeException(
                m < 0 ? nameof(m) : n < 0 ? nameof(n) : nameof(k),
                $"Gemm: dimensions must be non-negative, got m={m}, n={n}, k={k}.");
        }
        if (aLength < (long)m * k || bLength < (long)k * n || cLength < (long)m * n)
        {
            ThrowTooShort(aLength, bLength, cLength, m, n, k, transposeA, transposeB);
        }
    }

    /// <summary>Kept apart so that the messages are only formatted on failure.</summary>
    private static void ThrowTooShort(int aLength, int bLength, int cLength, int m, int n, int k,
        bool transposeA, bool transposeB)
    {
        string aShape = transposeA ? $"{k}x{m} (transposed)" : $"{m}x{k}";
        string bShape = transposeB ? $"{n}x{k} (transposed)" : $"{k}x{n}";
        string product = $"C {m}x{n} = A {aShape} · B {bShape}";
        if (aLength < (long)m * k)
        {
            throw new ArgumentException($"Gemm: A has {aLength} elements but needs {(long)m * k} ({product}).", "a");
        }
        if (bLength < (long)k * n)
        {
            throw new ArgumentException($"Gemm: B has {bLength} elements but needs {(long)k * n} ({product}).", "b");
        }
        throw new ArgumentException($"Gemm: C has {cLength} elements but needs {(long)m * n} ({product}).", "c");
    }

    private static GemmKernelKind SelectKernel() =>
        Vector512.IsHardwareAccelerated ? GemmKernelKind.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? GemmKernelKind.Vector256
        : GemmKernelKind.Scalar;
}

/// <summary>The micro-kernels the packed path can run.</summary>
internal enum GemmKernelKind
{
    Scalar,
    Vector256,
    Vector512,
}
