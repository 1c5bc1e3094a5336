using BenchmarkDotNet.Attributes;

namespace Autodiff.Benchmarks;

/// <summary>
/// The generated gradient of straight-line scalar code against the same gradient written by hand
/// (the floor: at most 1.2x) and against the plain function (the cheap-gradient bound: at most 4x).
/// Inputs come from fields so that nothing is constant-folded away.
/// </summary>
[MemoryDiagnoser]
public class ScalarGradientBenchmarks
{
    private double _a = 2, _w1 = 3, _w2 = 4, _w3 = 5, _w4 = 6;
    private double _x = -1.2, _y = 1.1;
    private double _t = 0.3;

    [Benchmark(Baseline = true), BenchmarkCategory("Seed")]
    public double SeedPlain() => ScalarFunctions.Seed(_a, _w1, _w2, _w3, _w4);

    [Benchmark, BenchmarkCategory("Seed")]
    public double SeedByHand() =>
        ScalarFunctions.SeedByHand(_a, _w1, _w2, _w3, _w4, out double a, out double b, out double c, out double d, out double e) + a + b + c + d + e;

    [Benchmark, BenchmarkCategory("Seed")]
    public double SeedGenerated() =>
        ScalarFunctions.SeedGradient(_a, _w1, _w2, _w3, _w4, out double a, out double b, out double c, out double d, out double e) + a + b + c + d + e;

    [Benchmark, BenchmarkCategory("Rosenbrock")]
    public double RosenbrockPlain() => ScalarFunctions.Rosenbrock(_x, _y);

    [Benchmark, BenchmarkCategory("Rosenbrock")]
    public double RosenbrockByHand() => ScalarFunctions.RosenbrockByHand(_x, _y, out double dx, out double dy) + dx + dy;

    [Benchmark, BenchmarkCategory("Rosenbrock")]
    public double RosenbrockGenerated() => ScalarFunctions.RosenbrockGradient(_x, _y, out double dx, out double dy) + dx + dy;

    [Benchmark, BenchmarkCategory("Neuron")]
    public double NeuronPlain() => ScalarFunctions.Neuron(_x, _y, _t, _a * 0.1, _w1 * 0.1, _w2 * 0.1, _w3 * 0.1, _w4 * 0.1, _t);

    [Benchmark, BenchmarkCategory("Neuron")]
    public double NeuronByHand() => ScalarFunctions.NeuronByHand(_x, _y, _t, _a * 0.1, _w1 * 0.1, _w2 * 0.1, _w3 * 0.1, _w4 * 0.1, _t,
        out double d1, out double d2, out double d3, out double d4, out double d5, out double d6, out double d7, out double d8, out double d9)
        + d1 + d2 + d3 + d4 + d5 + d6 + d7 + d8 + d9;

    [Benchmark, BenchmarkCategory("Neuron")]
    public double NeuronGenerated() => ScalarFunctions.NeuronGradient(_x, _y, _t, _a * 0.1, _w1 * 0.1, _w2 * 0.1, _w3 * 0.1, _w4 * 0.1, _t,
        out double d1, out double d2, out double d3, out double d4, out double d5, out double d6, out double d7, out double d8, out double d9)
        + d1 + d2 + d3 + d4 + d5 + d6 + d7 + d8 + d9;
}
