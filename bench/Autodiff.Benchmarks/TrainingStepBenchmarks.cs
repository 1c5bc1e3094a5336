using System.Linq;
using BenchmarkDotNet.Attributes;

namespace Autodiff.Benchmarks;

/// <summary>BenchmarkDotNet view of <see cref="TrainingStep"/>: time and bytes allocated per step.</summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private TrainingStep _step = null!;

    [ParamsSource(nameof(Networks))]
    public string Network { get; set; } = string.Empty;

    public static string[] Networks => TrainingStep.All().Select(s => s.Name).ToArray();

    [GlobalSetup]
    public void Setup() => _step = TrainingStep.All().Single(s => s.Name == Network);

    [Benchmark]
    public void Step() => _step.Run();
}
