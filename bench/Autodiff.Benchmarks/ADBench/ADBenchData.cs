using System;

namespace Autodiff.Benchmarks.ADBench;

/// <summary>
/// A 64-bit linear congruential generator (Knuth's MMIX constants) whose doubles are the top 53
/// bits of the state: simple enough to write identically in C# and in Python
/// (<c>bench/peers/gmm_torch.py</c>), so both sides measure the same instance.
/// </summary>
public sealed class Lcg(ulong seed)
{
    private ulong _state = seed;

    /// <summary>A double in [0, 1).</summary>
    public double Next()
    {
        _state = unchecked(_state * 6364136223846793005UL + 1442695040888963407UL);
        return (_state >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>A double in [low, high).</summary>
    public double Uniform(double low, double high) => low + (high - low) * Next();

    public double[] Uniform(int length, double low, double high)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = Uniform(low, high);
        }
        return values;
    }
}

/// <summary>A GMM instance in ADBench's layout.</summary>
public sealed record GmmInstance(int D, int K, int N, double[] Alphas, double[] Means, double[] Icf, double[] X,
    double WishartGamma, int WishartM)
{
    /// <summary>
    /// Drawn in this order from <see cref="Lcg"/>(seed): alphas in [-1, 1), means in [0, 1),
    /// icf in [-0.5, 0.5), x in [0, 1); γ = 1 and m = 0 unless given, as ADBench's instances.
    /// </summary>
    public static GmmInstance Create(int d, int k, int n, ulong seed = 1, double wishartGamma = 1, int wishartM = 0)
    {
        var random = new Lcg(seed);
        double[] alphas = random.Uniform(k, -1, 1);
        double[] means = random.Uniform(k * d, 0, 1);
        double[] icf = random.Uniform(k * Gmm.IcfSize(d), -0.5, 0.5);
        double[] x = random.Uniform(n * d, 0, 1);
        return new GmmInstance(d, k, n, alphas, means, icf, x, wishartGamma, wishartM);
    }

    public int Parameters => Alphas.Length + Means.Length + Icf.Length;

    // Short: BenchmarkDotNet cuts parameter values longer than 20 characters.
    public override string ToString() => $"d={D} k={K} n={N}";
}

/// <summary>An LSTM instance in ADBench's layout.</summary>
public sealed record LstmInstance(int L, int C, int B, double[] MainParams, double[] ExtraParams, double[] State, double[] Sequence)
{
    /// <summary>Drawn in this order from <see cref="Lcg"/>(seed): main, extra, state in [-1, 1), sequence in [0, 1).</summary>
    public static LstmInstance Create(int l, int c, int b, ulong seed = 2)
    {
        var random = new Lcg(seed);
        double[] main = random.Uniform(Lstm.MainParamsLength(l, b), -1, 1);
        double[] extra = random.Uniform(Lstm.ExtraParamsLength(b), -1, 1);
        double[] state = random.Uniform(Lstm.StateLength(l, b), -1, 1);
        double[] sequence = random.Uniform(c * b, 0, 1);
        return new LstmInstance(l, c, b, main, extra, state, sequence);
    }

    public int Parameters => MainParams.Length + ExtraParams.Length;

    public override string ToString() => $"LSTM l={L} c={C} b={B}";
}

/// <summary>One bundle-adjustment observation.</summary>
public sealed record BaInstance(double[] Camera, double[] Point, double Weight, double[] Feature)
{
    /// <summary>
    /// A camera with a small rotation, its centre at the origin, f near 1, a point in front of it
    /// (z ≈ 5) and a feature near its projection, from <see cref="Lcg"/>(seed).
    /// </summary>
    public static BaInstance Create(ulong seed = 3)
    {
        var random = new Lcg(seed);
        double[] camera = new double[BundleAdjustment.CameraParams];
        for (int i = 0; i < 3; i++) camera[i] = random.Uniform(-0.2, 0.2);
        for (int i = 3; i < 6; i++) camera[i] = random.Uniform(-1, 1);
        camera[6] = random.Uniform(0.8, 1.2);
        camera[7] = random.Uniform(-0.1, 0.1);
        camera[8] = random.Uniform(-0.1, 0.1);
        camera[9] = random.Uniform(-0.1, 0.1);
        camera[10] = random.Uniform(-0.01, 0.01);
        double[] point = [random.Uniform(-1, 1), random.Uniform(-1, 1), random.Uniform(4, 6)];
        double weight = random.Uniform(0.5, 1.5);
        double[] feature = [random.Uniform(-0.3, 0.3), random.Uniform(-0.3, 0.3)];
        return new BaInstance(camera, point, weight, feature);
    }

    public override string ToString() => "BA one observation";
}
