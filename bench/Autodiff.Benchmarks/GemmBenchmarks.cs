using System.Collections.Generic;
using Autodiff.Kernels;
using BenchmarkDotNet.Attributes;

namespace Autodiff.Benchmarks;

/// <summary>
/// <see cref="Gemm.Multiply"/> on the shapes that matter: a tiny MLP layer (where call overhead
/// is everything), MNIST-sized dense layers, and the square sizes BLAS libraries are compared at;
/// on one thread and on two.
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];
    private int _savedMaxThreads;

    public static IEnumerable<GemmShape> Shapes =>
    [
        new(32, 2, 16),        // 2-16-2 MLP, batch 32: first layer
        new(64, 784, 128),     // MNIST dense layer, batch 64
        new(256, 256, 256),
        new(1024, 784, 1024),  // wide dense layer, batch 1024
        new(1024, 1024, 1024),
    ];

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = new(1, 1, 1);

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_a, _b, _c) = Shape.Allocate();
        _savedMaxThreads = Gemm.MaxThreads;
        Gemm.MaxThreads = Threads;
    }

    [GlobalCleanup]
    public void Cleanup() => Gemm.MaxThreads = _savedMaxThreads;

    [Benchmark]
    public void Multiply() =>
        Gemm.Multiply(_a, _b, _c, Shape.M, Shape.N, Shape.K, transposeA: false, transposeB: false, accumulate: false);
}
