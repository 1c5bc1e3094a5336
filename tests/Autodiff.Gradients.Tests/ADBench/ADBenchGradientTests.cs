using System;
using System.Linq;
using Autodiff.Benchmarks.ADBench;
using Xunit;

namespace Autodiff.Gradients.Tests.ADBench;

/// <summary>
/// The ADBench objectives of <c>bench/Autodiff.Benchmarks/ADBench</c> (compiled into this project
/// through links in the project file, so the real generator builds their gradients here too):
/// generated gradients and pullbacks, and the hand-derived GMM gradient, against central
/// differences in double on small seeded instances.
/// </summary>
public class ADBenchGradientTests
{
    [Theory]
    [InlineData(2, 3, 5, 1.0, 0)]
    [InlineData(3, 2, 4, 1.3, 2)]
    [InlineData(4, 3, 6, 0.7, 1)]
    public void GmmGeneratedGradientMatchesFiniteDifferences(int d, int k, int n, double gamma, int m)
    {
        GmmInstance g = GmmInstance.Create(d, k, n, seed: (ulong)(11 * d + k), gamma, m);
        GradCheck.Gradient(p => GmmAt(g, p), p =>
        {
            var (alphas, means, icf) = Split(g, p);
            Gmm.ObjectiveGradient(alphas, means, icf, g.X, g.WishartGamma, g.WishartM, g.D, g.K, g.N,
                out double[] dAlphas, out double[] dMeans, out double[] dIcf);
            return [.. dAlphas, .. dMeans, .. dIcf];
        }, Flatten(g)).ThrowIfFailed();
    }

    [Theory]
    [InlineData(2, 3, 5, 1.0, 0)]
    [InlineData(3, 2, 4, 1.3, 2)]
    [InlineData(4, 3, 6, 0.7, 1)]
    public void GmmManualGradientMatchesFiniteDifferences(int d, int k, int n, double gamma, int m)
    {
        GmmInstance g = GmmInstance.Create(d, k, n, seed: (ulong)(11 * d + k), gamma, m);
        GradCheck.Gradient(p => GmmAt(g, p), p =>
        {
            var (alphas, means, icf) = Split(g, p);
            var (dAlphas, dMeans, dIcf) = (new double[alphas.Length], new double[means.Length], new double[icf.Length]);
            GmmManual.Gradient(alphas, means, icf, g.X, g.WishartGamma, g.WishartM, g.D, g.K, g.N, dAlphas, dMeans, dIcf);
            return [.. dAlphas, .. dMeans, .. dIcf];
        }, Flatten(g)).ThrowIfFailed();
    }

    /// <summary>At a benchmark-like size the three routes agree to rounding, and so do the objectives.</summary>
    [Fact]
    public void GmmGeneratedPullbackAndManualGradientAgree()
    {
        GmmInstance g = GmmInstance.Create(10, 5, 40, seed: 7, wishartGamma: 1.2, wishartM: 3);
        double f = Gmm.Objective(g.Alphas, g.Means, g.Icf, g.X, g.WishartGamma, g.WishartM, g.D, g.K, g.N);
        double fGradient = Gmm.ObjectiveGradient(g.Alphas, g.Means, g.Icf, g.X, g.WishartGamma, g.WishartM, g.D, g.K, g.N,
            out double[] dAlphas, out double[] dMeans, out double[] dIcf);

        // The pullback adds seed·∂F into what the accumulators hold.
        double[] pAlphas = Enumerable.Repeat(1.0, g.K).ToArray();
        double[] pMeans = new double[g.Means.Length];
        double[] pIcf = new double[g.Icf.Length];
        double fPullback = Gmm.ObjectivePullback(g.Alphas, g.Means, g.Icf, g.X, g.WishartGamma, g.WishartM, g.D, g.K, g.N,
            2.0, pAlphas, pMeans, pIcf);

        var (mAlphas, mMeans, mIcf) = (new double[g.K], new double[g.Means.Length], new double[g.Icf.Length]);
        double fManual = GmmManual.Gradient(g.Alphas, g.Means, g.Icf, g.X, g.WishartGamma, g.WishartM, g.D, g.K, g.N, mAlphas, mMeans, mIcf);

        Assert.Equal(f, fGradient, 1e-12);
        Assert.Equal(f, fPullback, 1e-12);
        Assert.Equal(f, fManual, 1e-9);
        AssertClose(dAlphas, mAlphas);
        AssertClose(dMeans, mMeans);
        AssertClose(dIcf, mIcf);
        AssertClose(dAlphas.Select(v => 1 + 2 * v).ToArray(), pAlphas);
        AssertClose(dMeans.Select(v => 2 * v).ToArray(), pMeans);
        AssertClose(dIcf.Select(v => 2 * v).ToArray(), pIcf);
    }

    /// <summary>
    /// In the steady state a pullback allocates nothing, although the method itself allocates its
    /// local arrays on every call: save stacks and split-mode residuals are reused, and the local
    /// arrays and their adjoints are taken from ScratchArrays and given back (measured on this
    /// thread, after two warm-up calls).
    /// </summary>
    [Fact]
    public void SteadyStatePullbacksAllocateNothing()
    {
        GmmInstance g = GmmInstance.Create(4, 3, 20, seed: 5);
        double[] dAlphas = new double[g.K], dMeans = new double[g.Means.Length], dIcf = new double[g.Icf.Length];
        long objective = AllocatedInThirdCall(() => Gmm.Objective(g.Alphas, g.Means, g.Icf, g.X, g.WishartGamma, g.WishartM, g.D, g.K, g.N));
        long pullback = AllocatedInThirdCall(() => Gmm.ObjectivePullback(g.Alphas, g.Means, g.Icf, g.X, g.WishartGamma, g.WishartM, g.D, g.K, g.N, 1.0, dAlphas, dMeans, dIcf));
        Assert.True(objective > 0);
        Assert.Equal(0, pullback);

        LstmInstance s = LstmInstance.Create(2, 5, 4);
        double[] dMain = new double[s.MainParams.Length], dExtra = new double[s.ExtraParams.Length];
        long lstmObjective = AllocatedInThirdCall(() => Lstm.Objective(s.MainParams, s.ExtraParams, s.State, s.Sequence, s.L, s.C, s.B));
        long lstmPullback = AllocatedInThirdCall(() => Lstm.ObjectivePullback(s.MainParams, s.ExtraParams, s.State, s.Sequence, s.L, s.C, s.B, 1.0, dMain, dExtra));
        Assert.True(lstmObjective > 0);
        Assert.Equal(0, lstmPullback);
    }

    /// <summary>
    /// What a call allocates once warmed up; the least of three tries, because other test classes call
    /// the same methods at other sizes on other threads meanwhile, and a save stack's remembered
    /// capacity that grows under a call makes that one call take larger storage (once; every call
    /// allocating still fails).
    /// </summary>
    private static long AllocatedInThirdCall(Func<double> call) =>
        Enumerable.Range(0, 3).Min(_ => Harness.Allocations.OfSteadyState(() => call(), warmUp: 2, steps: 1));

    [Fact]
    public void GmmLogGammaMatchesKnownValues()
    {
        Assert.Equal(Math.Log(24), Gmm.LogGamma(5), 1e-13);
        Assert.Equal(0.5 * Math.Log(Math.PI), Gmm.LogGamma(0.5), 1e-13);
        Assert.Equal(-0.12078223763524522, Gmm.LogGamma(1.5), 1e-13);
        Assert.Equal(359.13420536957540, Gmm.LogGamma(100), 1e-10);
    }

    [Theory]
    [InlineData(2, 4, 3)]
    [InlineData(1, 3, 2)]
    [InlineData(3, 3, 4)]
    public void LstmGeneratedGradientMatchesFiniteDifferences(int l, int c, int b)
    {
        LstmInstance s = LstmInstance.Create(l, c, b, seed: (ulong)(100 * l + 10 * c + b));
        int mainLength = s.MainParams.Length;
        double[] point = [.. s.MainParams, .. s.ExtraParams];
        GradCheck.Gradient(p => Lstm.Objective(p[..mainLength], p[mainLength..], s.State, s.Sequence, l, c, b), p =>
        {
            Lstm.ObjectiveGradient(p[..mainLength], p[mainLength..], s.State, s.Sequence, l, c, b, out double[] dMain, out double[] dExtra);
            return [.. dMain, .. dExtra];
        }, point).ThrowIfFailed();
    }

    [Fact]
    public void LstmObjectiveLeavesItsStateAlone()
    {
        LstmInstance s = LstmInstance.Create(2, 5, 4);
        double[] state = (double[])s.State.Clone();
        double first = Lstm.ObjectiveGradient(s.MainParams, s.ExtraParams, s.State, s.Sequence, s.L, s.C, s.B, out _, out _);
        Assert.Equal(state, s.State);
        Assert.Equal(first, Lstm.Objective(s.MainParams, s.ExtraParams, s.State, s.Sequence, s.L, s.C, s.B));
    }

    /// <summary>The 2×15 Jacobian, row by row from the two pullbacks, against differences column by column.</summary>
    [Theory]
    [InlineData(3ul, false)]
    [InlineData(4ul, false)]
    [InlineData(5ul, true)]
    public void BundleAdjustmentJacobianMatchesFiniteDifferences(ulong seed, bool noRotation)
    {
        BaInstance o = BaInstance.Create(seed);
        double[] point = [.. o.Camera, .. o.Point, o.Weight];
        if (noRotation)
        {
            // The branch for a zero rotation (finite differences step off it, where the
            // rotation is the identity plus a cross product to first order, so they agree).
            point[0] = point[1] = point[2] = 0;
        }
        GradCheck.Pullback(p => [Residual(p, o.Feature, 0), Residual(p, o.Feature, 1)], (p, seed) =>
        {
            double[] dCam = new double[BundleAdjustment.CameraParams];
            double[] dPoint = new double[3];
            double dW = 0;
            for (int component = 0; component < 2; component++)
            {
                BundleAdjustment.ReprojectionErrorPullback(p[..11], p[11..14], p[14], o.Feature, component, seed[component], dCam, dPoint, ref dW);
            }
            return [.. dCam, .. dPoint, dW];
        }, point).ThrowIfFailed();
    }

    private static double Residual(double[] p, double[] feature, int component) =>
        BundleAdjustment.ReprojectionError(p[..11], p[11..14], p[14], feature, component);

    private static double[] Flatten(GmmInstance g) => [.. g.Alphas, .. g.Means, .. g.Icf];

    private static (double[] Alphas, double[] Means, double[] Icf) Split(GmmInstance g, double[] p) =>
        (p[..g.K], p[g.K..(g.K + g.Means.Length)], p[(g.K + g.Means.Length)..]);

    private static double GmmAt(GmmInstance g, double[] p)
    {
        var (alphas, means, icf) = Split(g, p);
        return Gmm.Objective(alphas, means, icf, g.X, g.WishartGamma, g.WishartM, g.D, g.K, g.N);
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = 1e-9 * Math.Max(1, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: {expected[i]} against {actual[i]}");
        }
    }
}
