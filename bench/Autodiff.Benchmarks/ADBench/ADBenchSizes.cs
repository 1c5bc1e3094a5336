using System;
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

/// <summary>
/// The 2×15 BA Jacobian from the generated code, one row per residual component: the pullback
/// of that component with seed 1, or its gradient.
/// </summary>
public sealed class BaJacobian
{
    public double[][] Camera { get; } = [new double[BundleAdjustment.CameraParams], new double[BundleAdjustment.CameraParams]];

    public double[][] Point { get; } = [new double[3], new double[3]];

    public double[] Weight { get; } = new double[2];

    /// <summary>Both residual components; returns their sum so that nothing is optimised away.</summary>
    public static double Residuals(BaInstance o) =>
        BundleAdjustment.ReprojectionError(o.Camera, o.Point, o.Weight, o.Feature, 0)
        + BundleAdjustment.ReprojectionError(o.Camera, o.Point, o.Weight, o.Feature, 1);

    /// <summary>Fills the rows with two pullbacks (the accumulators are zeroed first); returns the residuals' sum.</summary>
    public double ByPullbacks(BaInstance o)
    {
        double sum = 0;
        for (int row = 0; row < 2; row++)
        {
            Array.Clear(Camera[row]);
            Array.Clear(Point[row]);
            double dW = 0;
            sum += BundleAdjustment.ReprojectionErrorPullback(o.Camera, o.Point, o.Weight, o.Feature, row, 1, Camera[row], Point[row], ref dW);
            Weight[row] = dW;
        }
        return sum;
    }

    /// <summary>Fills the rows with two gradients (which allocate their arrays); returns the residuals' sum.</summary>
    public double ByGradients(BaInstance o)
    {
        double sum = 0;
        for (int row = 0; row < 2; row++)
        {
            sum += BundleAdjustment.ReprojectionErrorGradient(o.Camera, o.Point, o.Weight, o.Feature, row,
                out double[] camera, out double[] point, out double w);
            camera.CopyTo(Camera[row], 0);
            point.CopyTo(Point[row], 0);
            Weight[row] = w;
        }
        return sum;
    }
}
