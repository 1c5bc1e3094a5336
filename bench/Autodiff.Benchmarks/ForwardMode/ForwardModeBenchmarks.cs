using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Autodiff.Benchmarks.ForwardMode;

/// <summary>
/// The derivative of a one-input function by forward mode (FTangent with tangent 1) and by reverse
/// mode (FGradient), against the function itself: the floor of issue 9 is FTangent at most 1.5x F.
/// <c>tangent</c> (<see cref="ForwardModeTimes"/>) prints the same comparison quickly.
/// </summary>
[MemoryDiagnoser, CategoriesColumn, GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class ForwardModeBenchmarks
{
    [Benchmark(Baseline = true), BenchmarkCategory("Logistic")]
    public double LogisticPlain() => OneInputFunctions.Logistic(2.9, 1_000);

    [Benchmark, BenchmarkCategory("Logistic")]
    public double LogisticTangent() => OneInputFunctions.LogisticTangent(2.9, 1_000, 1.0).Tangent;

    [Benchmark, BenchmarkCategory("Logistic")]
    public double LogisticGradient()
    {
        OneInputFunctions.LogisticGradient(2.9, 1_000, out double derivative);
        return derivative;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Oscillator")]
    public double OscillatorPlain() => OneInputFunctions.Oscillator(2.0, 10_000);

    [Benchmark, BenchmarkCategory("Oscillator")]
    public double OscillatorTangent() => OneInputFunctions.OscillatorTangent(2.0, 10_000, 1.0).Tangent;

    [Benchmark, BenchmarkCategory("Oscillator")]
    public double OscillatorGradient()
    {
        OneInputFunctions.OscillatorGradient(2.0, 10_000, out double derivative);
        return derivative;
    }
}
