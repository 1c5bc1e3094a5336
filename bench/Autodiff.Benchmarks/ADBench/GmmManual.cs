using System;

namespace Autodiff.Benchmarks.ADBench;

/// <summary>
/// The gradient of <see cref="Gmm.Objective"/> derived by hand in reverse mode, as ADBench's
/// "Manual" tool does: the reference the generated gradient is measured against.
/// </summary>
/// <remarks>
/// <para>Per point i and component k, with x̃ = xᵢ − μₖ, z = Qₖx̃ and
/// βᵢₖ = αₖ + Σⱼ qₖⱼ − ½‖z‖², the objective has Σᵢ logsumexpₖ βᵢₖ. Its adjoint is the softmax
/// wᵢₖ = exp(βᵢₖ − lseᵢ), so that:</para>
/// <list type="bullet">
/// <item>∂/∂αₖ = Σᵢ wᵢₖ − n·softmax(α)ₖ, and every log-diagonal entry qₖⱼ gets Σᵢ wᵢₖ − m
/// (from Σⱼ qₖⱼ in β and in the prior);</item>
/// <item>∂/∂z = −wᵢₖ·z; the diagonal entry Qⱼⱼ = exp(qₖⱼ) gets ∂zⱼ·x̃ⱼ and the lower entry Lⱼₗ
/// gets ∂zⱼ·x̃ₗ; ∂/∂x̃ = Qᵀ∂z and ∂/∂μₖ = −∂x̃;</item>
/// <item>the prior ½γ²(Σ Qⱼⱼ² + Σ Lⱼₗ²) adds γ²Qⱼⱼ² to ∂qₖⱼ (through Qⱼⱼ = exp q) and γ²Lⱼₗ to ∂Lⱼₗ.</item>
/// </list>
/// <para>One pass over the points computes the forward values of all k components, their
/// log-sum-exp and then the adjoints, so nothing is stored per point; the gradients of the
/// diagonals are summed as ∂Qⱼⱼ and multiplied by exp(qₖⱼ) once at the end.</para>
/// </remarks>
public static class GmmManual
{
    /// <summary>Returns the objective and overwrites the three gradient arrays with its gradient.</summary>
    public static double Gradient(double[] alphas, double[] means, double[] icf, double[] x,
        double wishartGamma, int wishartM, int d, int k, int n,
        double[] dAlphas, double[] dMeans, double[] dIcf)
    {
        int icfSize = Gmm.IcfSize(d);
        // Plain loops, not Array.Clear: with Array.Clear here, the tier-1 code of this method ran
        // 6-8x slower at d = 2 on this machine (0.4 ms -> 2.4-3.4 ms per call; the same with
        // DOTNET_TieredPGO=0, not with DOTNET_EnableHWIntrinsic=0 or DOTNET_TieredCompilation=0).
        // The cause was not pinned down; see bench/README.md, "ADBench".
        ZeroFill(dAlphas);
        ZeroFill(dMeans);
        ZeroFill(dIcf);

        double[] qDiags = new double[k * d];
        double[] sumQs = new double[k];
        for (int ik = 0; ik < k; ik++)
        {
            double sum = 0;
            for (int id = 0; id < d; id++)
            {
                double q = icf[ik * icfSize + id];
                sum += q;
                qDiags[ik * d + id] = Math.Exp(q);
            }
            sumQs[ik] = sum;
        }

        double[] xCentered = new double[k * d];
        double[] z = new double[k * d];
        double[] beta = new double[k];
        double[] dz = new double[d];
        double[] dxCentered = new double[d];
        double[] weightSums = new double[k];
        double[] dQDiags = new double[k * d];
        double slse = 0;
        for (int ix = 0; ix < n; ix++)
        {
            // Forward: β for every component, keeping x̃ and z for the adjoints below.
            double max = double.NegativeInfinity;
            for (int ik = 0; ik < k; ik++)
            {
                int o = ik * d;
                for (int id = 0; id < d; id++)
                {
                    xCentered[o + id] = x[ix * d + id] - means[o + id];
                    z[o + id] = qDiags[o + id] * xCentered[o + id];
                }
                int l = ik * icfSize + d;
                for (int i = 0; i < d; i++)
                {
                    double xi = xCentered[o + i];
                    for (int j = i + 1; j < d; j++)
                    {
                        z[o + j] += icf[l++] * xi;
                    }
                }
                double sqNorm = 0;
                for (int id = 0; id < d; id++)
                {
                    sqNorm += z[o + id] * z[o + id];
                }
                beta[ik] = alphas[ik] + sumQs[ik] - 0.5 * sqNorm;
                max = Math.Max(max, beta[ik]);
            }
            double sumExp = 0;
            for (int ik = 0; ik < k; ik++)
            {
                sumExp += Math.Exp(beta[ik] - max);
            }
            double lse = Math.Log(sumExp) + max;
            slse += lse;

            // Backward: w = softmax(β), ∂z = −w·z, ∂x̃ = Qᵀ∂z.
            for (int ik = 0; ik < k; ik++)
            {
                int o = ik * d;
                double w = Math.Exp(beta[ik] - lse);
                weightSums[ik] += w;
                for (int id = 0; id < d; id++)
                {
                    dz[id] = -w * z[o + id];
                    dQDiags[o + id] += dz[id] * xCentered[o + id];
                    dxCentered[id] = qDiags[o + id] * dz[id];
                }
                int l = ik * icfSize + d;
                for (int i = 0; i < d; i++)
                {
                    double xi = xCentered[o + i];
                    double dxi = 0;
                    for (int j = i + 1; j < d; j++)
                    {
                        dIcf[l] += dz[j] * xi;
                        dxi += icf[l] * dz[j];
                        l++;
                    }
                    dxCentered[i] += dxi;
                }
                for (int id = 0; id < d; id++)
                {
                    dMeans[o + id] -= dxCentered[id];
                }
            }
        }

        double lseAlphas = LogSumExp(alphas, k);
        for (int ik = 0; ik < k; ik++)
        {
            dAlphas[ik] = weightSums[ik] - n * Math.Exp(alphas[ik] - lseAlphas);
        }

        // The Wishart prior, and the diagonals' gradients through Q = exp(q).
        double gammaSquared = wishartGamma * wishartGamma;
        int priorN = d + wishartM + 1;
        double priorC = priorN * d * (Math.Log(wishartGamma) - 0.5 * Math.Log(2)) - Gmm.LogMultivariateGamma(0.5 * priorN, d);
        double prior = 0;
        for (int ik = 0; ik < k; ik++)
        {
            double frobenius = 0;
            for (int id = 0; id < d; id++)
            {
                double qDiag = qDiags[ik * d + id];
                frobenius += qDiag * qDiag;
                dIcf[ik * icfSize + id] = weightSums[ik] - wishartM + (dQDiags[ik * d + id] + gammaSquared * qDiag) * qDiag;
            }
            for (int i = ik * icfSize + d; i < (ik + 1) * icfSize; i++)
            {
                frobenius += icf[i] * icf[i];
                dIcf[i] += gammaSquared * icf[i];
            }
            prior += 0.5 * gammaSquared * frobenius - wishartM * sumQs[ik];
        }

        double constant = -n * d * 0.5 * Math.Log(2 * Math.PI);
        return constant + slse - n * lseAlphas + prior - k * priorC;
    }

    private static void ZeroFill(double[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = 0;
        }
    }

    private static double LogSumExp(double[] v, int count)
    {
        double max = double.NegativeInfinity;
        for (int i = 0; i < count; i++)
        {
            max = Math.Max(max, v[i]);
        }
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += Math.Exp(v[i] - max);
        }
        return Math.Log(sum) + max;
    }
}
