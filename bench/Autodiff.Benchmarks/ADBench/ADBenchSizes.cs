using System.Collections.Generic;

namespace Autodiff.Benchmarks.ADBench;

/// <summary>The instances both benchmark modes measure (bench/peers/gmm_torch.py draws the same GMMs).</summary>
public static class ADBenchSizes
{
    /// <summary>n = 1000 points; (d, k) = (2, 5), (10, 25), (20, 50), (64, 200); seed 1, γ = 1, m = 0.</summary>
    public static IEnumerable<GmmInstance> Gmm(int maxD = int.MaxValue)
    {
        foreach (var (d, k) in new[] { (2, 5), (10, 25), (20, 50), (64, 200) })
        {
            if (d <= maxD)
            {
                yield return GmmInstance.Create(d, k, 1000);
            }
        }
    }

    /// <summary>l = 2 layers, b = 14 hidden values, c = 1024 and 4096 characters; seed 2.</summary>
    public static IEnumerable<LstmInstance> Lstm()
    {
        yield return LstmInstance.Create(2, 1024, 14);
        yield return LstmInstance.Create(2, 4096, 14);
    }
}
