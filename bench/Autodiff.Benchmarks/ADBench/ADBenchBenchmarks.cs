using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace Autodiff.Benchmarks.ADBench;

// BenchmarkDotNet's view of the ADBench objectives: `-- --filter '*ADBench*'`. The objective is
// the baseline of each class, so the Ratio column is gradient / objective. Short jobs: the large
// GMM takes seconds per gradient, and the machine is shared. `adbench` (ADBenchTimes) is the
// quicker table of the same measurements.

/// <summary>GMM at ADBench's n = 1000 sizes: objective, generated gradient and pullback, by hand.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class GmmBenchmarks
{
    private double[] _dAlphas = [], _dMeans = [], _dIcf = [];

    public static IEnumerable<GmmInstance> Instances() => ADBenchSizes.Gmm();

    [ParamsSource(nameof(Instances))]
    public GmmInstance G { get; set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dAlphas = new double[G.Alphas.Length];
        _dMeans = new double[G.Means.Length];
        _dIcf = new double[G.Icf.Length];
    }

    [Benchmark(Baseline = true)]
    public double Objective() => Gmm.Objective(G.Alphas, G.Means, G.Icf, G.X, G.WishartGamma, G.WishartM, G.D, G.K, G.N);

    [Benchmark]
    public double Gradient() =>
        Gmm.ObjectiveGradient(G.Alphas, G.Means, G.Icf, G.X, G.WishartGamma, G.WishartM, G.D, G.K, G.N, out _, out _, out _);

    [Benchmark]
    public double Pullback() =>
        Gmm.ObjectivePullback(G.Alphas, G.Means, G.Icf, G.X, G.WishartGamma, G.WishartM, G.D, G.K, G.N, 1, _dAlphas, _dMeans, _dIcf);

    [Benchmark]
    public double Manual() =>
        GmmManual.Gradient(G.Alphas, G.Means, G.Icf, G.X, G.WishartGamma, G.WishartM, G.D, G.K, G.N, _dAlphas, _dMeans, _dIcf);
}

/// <summary>LSTM, l = 2, b = 14, c = 1024 and 4096: objective, generated gradient and pullback.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class LstmBenchmarks
{
    private double[] _dMain = [], _dExtra = [];

    public static IEnumerable<LstmInstance> Instances() => ADBenchSizes.Lstm();

    [ParamsSource(nameof(Instances))]
    public LstmInstance S { get; set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dMain = new double[S.MainParams.Length];
        _dExtra = new double[S.ExtraParams.Length];
    }

    [Benchmark(Baseline = true)]
    public double Objective() => Lstm.Objective(S.MainParams, S.ExtraParams, S.State, S.Sequence, S.L, S.C, S.B);

    [Benchmark]
    public double Gradient() =>
        Lstm.ObjectiveGradient(S.MainParams, S.ExtraParams, S.State, S.Sequence, S.L, S.C, S.B, out _, out _);

    [Benchmark]
    public double Pullback() =>
        Lstm.ObjectivePullback(S.MainParams, S.ExtraParams, S.State, S.Sequence, S.L, S.C, S.B, 1, _dMain, _dExtra);
}

/// <summary>
/// One BA observation: both residual components (the objective), and the 2×15 Jacobian as two
/// pullbacks or as two gradients.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class BaBenchmarks
{
    private readonly BaInstance _o = BaInstance.Create();
    private readonly BaJacobian _jacobian = new();

    [Benchmark(Baseline = true)]
    public double Objective() => BaJacobian.Residuals(_o);

    [Benchmark]
    public double JacobianByPullbacks() => _jacobian.ByPullbacks(_o);

    [Benchmark]
    public double JacobianByGradients() => _jacobian.ByGradients(_o);
}
