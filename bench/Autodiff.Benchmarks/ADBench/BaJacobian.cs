using System;

namespace Autodiff.Benchmarks.ADBench;

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
