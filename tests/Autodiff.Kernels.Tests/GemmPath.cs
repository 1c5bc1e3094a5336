using System;
using Autodiff.Kernels;

namespace Autodiff.Kernels.Tests;

/// <summary>The routes through <see cref="Gemm.Multiply"/> that the tests force one by one.</summary>
public enum GemmPath
{
    /// <summary>Whatever Gemm picks on this machine.</summary>
    Default,

    /// <summary>The packed product with this machine's kernel on the calling thread only.</summary>
    OneThread,

    /// <summary>The unpacked loops for tiny products, at every size.</summary>
    Small,

    /// <summary>The packed product with the AVX-512 tiles: 8×32, or 16×16 for products at most 16 wide.</summary>
    Packed512,

    /// <summary>The packed product with the AVX2 + FMA tile.</summary>
    Packed256,

    /// <summary>The packed product with the portable scalar tile.</summary>
    PackedScalar,

    /// <summary>
    /// The packed product on two threads, whatever its size (on a one-core machine Gemm caps it
    /// at one thread, and this is the packed product again).
    /// </summary>
    Threaded,
}

/// <summary>Forces a <see cref="GemmPath"/> for the lifetime of the scope, then restores the settings.</summary>
internal sealed class GemmPathScope : IDisposable
{
    private readonly GemmKernelKind _kernel = Gemm.Kernel;
    private readonly long _smallLimit = Gemm.SmallProductLimit;
    private readonly long _narrowLimit = Gemm.NarrowProductLimit;
    private readonly long _parallelLimit = Gemm.ParallelProductLimit;
    private readonly int _maxThreads = Gemm.MaxThreads;

    public GemmPathScope(GemmPath path)
    {
        switch (path)
        {
            case GemmPath.OneThread:
                ForcePacked(Gemm.Kernel, threads: 1);
                break;
            case GemmPath.Small:
                Gemm.SmallProductLimit = long.MaxValue;
                break;
            case GemmPath.Packed512:
                ForcePacked(GemmKernelKind.Vector512, threads: 1);
                break;
            case GemmPath.Packed256:
                ForcePacked(GemmKernelKind.Vector256, threads: 1);
                break;
            case GemmPath.PackedScalar:
                ForcePacked(GemmKernelKind.Scalar, threads: 1);
                break;
            case GemmPath.Threaded:
                ForcePacked(Gemm.Kernel, threads: 2);
                Gemm.ParallelProductLimit = 0;
                break;
        }
    }

    public void Dispose()
    {
        Gemm.Kernel = _kernel;
        Gemm.SmallProductLimit = _smallLimit;
        Gemm.NarrowProductLimit = _narrowLimit;
        Gemm.ParallelProductLimit = _parallelLimit;
        Gemm.MaxThreads = _maxThreads;
    }

    private static void ForcePacked(GemmKernelKind kernel, int threads)
    {
        Gemm.Kernel = kernel;
        Gemm.SmallProductLimit = 0;
        Gemm.NarrowProductLimit = 0;
        Gemm.MaxThreads = threads;
    }
}
