using System;
using BenchmarkDotNet.Attributes;

namespace Autodiff.Benchmarks;

/// <summary>
/// The generated gradient of straight-line scalar code against the same gradient written by hand
/// (the floor: at most 1.2x) and against the plain function (the cheap-gradient bound: at most 4x).
/// Each invocation evaluates 1024 different points, so that per-call times of a nanosecond are
/// measured as throughput rather than as loop overhead, and nothing is constant-folded.
/// </summary>
[MemoryDiagnoser]
public class ScalarGradientBenchmarks
{
    private const int Points = 1024;
    private readonly double[] _u = new double[Points];
    private readonly double[] _v = new double[Points];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        for (int i = 0; i < Points; i++)
        {
            _u[i] = random.NextDouble() * 2 - 1;
            _v[i] = random.NextDouble() * 2 - 1;
        }
    }

    [Benchmark(OperationsPerInvoke = Points), BenchmarkCategory("Seed")]
    public double SeedPlain()
    {
        double sum = 0;
        for (int i = 0; i < Points; i++)
            sum += ScalarFunctions.Seed(_u[i], _v[i], 4, 5, 6);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points), BenchmarkCategory("Seed")]
    public double SeedByHand()
    {
        double sum = 0;
        for (int i = 0; i < Points; i++)
            sum += ScalarFunctions.SeedByHand(_u[i], _v[i], 4, 5, 6, out double a, out double b, out double c, out double d, out double e) + a + b + c + d + e;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points), BenchmarkCategory("Seed")]
    public double SeedGenerated()
    {
        double sum = 0;
        for (int i = 0; i < Points; i++)
            sum += ScalarFunctions.SeedGradient(_u[i], _v[i], 4, 5, 6, out double a, out double b, out double c, out double d, out double e) + a + b + c + d + e;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points), BenchmarkCategory("Rosenbrock")]
    public double RosenbrockPlain()
    {
        double sum = 0;
        for (int i = 0; i < Points; i++)
            sum += ScalarFunctions.Rosenbrock(_u[i], _v[i]);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points), BenchmarkCategory("Rosenbrock")]
    public double RosenbrockByHand()
    {
        double sum = 0;
        for (int i = 0; i < Points; i++)
            sum += ScalarFunctions.RosenbrockByHand(_u[i], _v[i], out double dx, out double dy) + dx + dy;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points), BenchmarkCategory("Rosenbrock")]
    public double RosenbrockGenerated()
    {
        double sum = 0;
        for (int i = 0; i < Points; i++)
            sum += ScalarFunctions.RosenbrockGradient(_u[i], _v[i], out double dx, out double dy) + dx + dy;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points), BenchmarkCategory("Neuron")]
    public double NeuronPlain()
    {
        double sum = 0;
        for (int i = 0; i < Points; i++)
            sum += ScalarFunctions.Neuron(_u[i], _v[i], 0.3, -0.2, 0.4, 0.1, 0.5, -0.6, 0.25);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points), BenchmarkCategory("Neuron")]
    public double NeuronByHand()
    {
        double sum = 0;
        for (int i = 0; i < Points; i++)
            sum += ScalarFunctions.NeuronByHand(_u[i], _v[i], 0.3, -0.2, 0.4, 0.1, 0.5, -0.6, 0.25,
                out double d1, out double d2, out double d3, out double d4, out double d5, out double d6, out double d7, out double d8, out double d9)
                + d1 + d2 + d3 + d4 + d5 + d6 + d7 + d8 + d9;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points), BenchmarkCategory("Neuron")]
    public double NeuronGenerated()
    {
        double sum = 0;
        for (int i = 0; i < Points; i++)
            sum += ScalarFunctions.NeuronGradient(_u[i], _v[i], 0.3, -0.2, 0.4, 0.1, 0.5, -0.6, 0.25,
                out double d1, out double d2, out double d3, out double d4, out double d5, out double d6, out double d7, out double d8, out double d9)
                + d1 + d2 + d3 + d4 + d5 + d6 + d7 + d8 + d9;
        return sum;
    }
}
