using System;

namespace Autodiff.Benchmarks.ADBench;

/// <summary>
/// ADBench's bundle-adjustment reprojection error of one observation. ADBench measures its
/// 2×15 Jacobian (11 camera parameters, 3 point coordinates, 1 weight): the generator
/// differentiates scalar results, so each residual component is its own scalar function of the
/// same code (<paramref name="component"/> 0 or 1), and the Jacobian is two pullbacks, one row each.
/// </summary>
/// <remarks>
/// <c>cam</c> = [r₁ r₂ r₃ C₁ C₂ C₃ f u₀ v₀ k₁ k₂]: an angle-axis rotation (Rodrigues), the camera
/// centre, the focal length, the principal point and two radial distortion coefficients. The
/// point is rotated into the camera's frame, projected, distorted, scaled and shifted; the residual
/// is w·(projection − feature).
/// </remarks>
public static partial class BundleAdjustment
{
    public const int CameraParams = 11;

    [Differentiable]
    public static double ReprojectionError(double[] cam, double[] point, double w, [NoGrad] double[] feature, int component)
    {
        double[] xo = new double[3];
        for (int i = 0; i < 3; i++)
        {
            xo[i] = point[i] - cam[3 + i];
        }

        // Rodrigues' rotation of xo by the angle-axis vector cam[0..3].
        double[] xcam = new double[3];
        double sqTheta = 0;
        for (int i = 0; i < 3; i++)
        {
            sqTheta += cam[i] * cam[i];
        }
        if (sqTheta != 0)
        {
            double theta = Math.Sqrt(sqTheta);
            double cosTheta = Math.Cos(theta);
            double sinTheta = Math.Sin(theta);
            double[] axis = new double[3];
            for (int i = 0; i < 3; i++)
            {
                axis[i] = cam[i] / theta;
            }
            double[] cross = new double[3];
            cross[0] = axis[1] * xo[2] - axis[2] * xo[1];
            cross[1] = axis[2] * xo[0] - axis[0] * xo[2];
            cross[2] = axis[0] * xo[1] - axis[1] * xo[0];
            double tmp = (axis[0] * xo[0] + axis[1] * xo[1] + axis[2] * xo[2]) * (1 - cosTheta);
            for (int i = 0; i < 3; i++)
            {
                xcam[i] = xo[i] * cosTheta + cross[i] * sinTheta + axis[i] * tmp;
            }
        }
        else
        {
            xcam[0] = xo[0] + cam[1] * xo[2] - cam[2] * xo[1];
            xcam[1] = xo[1] + cam[2] * xo[0] - cam[0] * xo[2];
            xcam[2] = xo[2] + cam[0] * xo[1] - cam[1] * xo[0];
        }

        double[] proj = new double[2];
        proj[0] = xcam[0] / xcam[2];
        proj[1] = xcam[1] / xcam[2];
        double rsq = proj[0] * proj[0] + proj[1] * proj[1];
        double distortion = 1 + cam[9] * rsq + cam[10] * rsq * rsq;
        for (int i = 0; i < 2; i++)
        {
            proj[i] = proj[i] * distortion * cam[6] + cam[7 + i];
        }
        return w * (proj[component] - feature[component]);
    }
}
