using System;

namespace Autodiff.Benchmarks.ADBench;

/// <summary>
/// ADBench's Gaussian mixture model objective, transcribed from its definition the way a user
/// would write it: plain loops over <c>double[]</c> arrays in ADBench's layout.
/// </summary>
/// <remarks>
/// <para>Layout (row-major, as ADBench): <c>alphas[k]</c> are the unnormalised log mixture weights;
/// <c>means[k·d]</c>; <c>icf[k·d(d+1)/2]</c> holds, per component, the logs of the d diagonal
/// entries of the Cholesky factor Q of its precision matrix, then the strictly lower triangle
/// column by column; <c>x[n·d]</c> the points; a Wishart prior with parameters γ and m.</para>
/// <para>The objective is
/// Σᵢ logsumexpₖ(αₖ + Σⱼ qₖⱼ − ½‖Qₖ(xᵢ − μₖ)‖²) − n·logsumexp(α) + prior − n·d/2·log 2π,
/// with prior = Σₖ [½γ²(‖diag Qₖ‖² + ‖offdiag Qₖ‖²) − m·Σⱼ qₖⱼ] − k·C, where C is a constant of
/// d, γ and m.</para>
/// </remarks>
public static partial class Gmm
{
    /// <summary>Length of one component's slice of <c>icf</c>.</summary>
    public static int IcfSize(int d) => d * (d + 1) / 2;

    [Differentiable]
    public static double Objective(double[] alphas, double[] means, double[] icf, [NoGrad] double[] x,
        [NoGrad] double wishartGamma, int wishartM, int d, int k, int n)
    {
        int icfSize = d * (d + 1) / 2;

        // The diagonals of the Q factors, and the sums of their logs (log det Q).
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

        double[] xCentered = new double[d];
        double[] qx = new double[d];
        double[] mainTerm = new double[k];
        double slse = 0;
        for (int ix = 0; ix < n; ix++)
        {
            for (int ik = 0; ik < k; ik++)
            {
                for (int id = 0; id < d; id++)
                {
                    xCentered[id] = x[ix * d + id] - means[ik * d + id];
                }
                // Q·(x − μ): the diagonal, then the strictly lower triangle column by column.
                for (int id = 0; id < d; id++)
                {
                    qx[id] = qDiags[ik * d + id] * xCentered[id];
                }
                int lIndex = ik * icfSize + d;
                for (int i = 0; i < d; i++)
                {
                    for (int j = i + 1; j < d; j++)
                    {
                        qx[j] += icf[lIndex] * xCentered[i];
                        lIndex++;
                    }
                }
                double sqNorm = 0;
                for (int id = 0; id < d; id++)
                {
                    sqNorm += qx[id] * qx[id];
                }
                mainTerm[ik] = alphas[ik] + sumQs[ik] - 0.5 * sqNorm;
            }
            slse += LogSumExp(mainTerm, k);
        }

        double constant = -n * d * 0.5 * Math.Log(2 * Math.PI);
        double result = constant + slse - n * LogSumExp(alphas, k);

        // The Wishart prior.
        int priorN = d + wishartM + 1;
        double priorC = priorN * d * (Math.Log(wishartGamma) - 0.5 * Math.Log(2)) - LogMultivariateGamma(0.5 * priorN, d);
        double prior = 0;
        for (int ik = 0; ik < k; ik++)
        {
            double frobenius = 0;
            for (int id = 0; id < d; id++)
            {
                frobenius += qDiags[ik * d + id] * qDiags[ik * d + id];
            }
            for (int i = d; i < icfSize; i++)
            {
                frobenius += icf[ik * icfSize + i] * icf[ik * icfSize + i];
            }
            prior += 0.5 * wishartGamma * wishartGamma * frobenius - wishartM * sumQs[ik];
        }
        return result + prior - k * priorC;
    }

    /// <summary>log Σ exp(v[i]) over the first <paramref name="count"/> elements, shifted by the maximum.</summary>
    [Differentiable]
    public static double LogSumExp(double[] v, int count)
    {
        double max = v[0];
        for (int i = 1; i < count; i++)
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

    /// <summary>log Γ_p(a), the multivariate gamma function: a constant of the prior.</summary>
    public static double LogMultivariateGamma(double a, int p)
    {
        double result = 0.25 * p * (p - 1) * Math.Log(Math.PI);
        for (int j = 1; j <= p; j++)
        {
            result += LogGamma(a + 0.5 * (1 - j));
        }
        return result;
    }

    // A static array rather than a span literal, which Debug builds allocate on every call.
    private static readonly double[] LanczosCoefficients =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7,
    ];

    /// <summary>log Γ(x) for x &gt; 0: Lanczos' approximation (g = 7, 9 terms; ~1e-15 relative).</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            // Reflection: Γ(x)Γ(1 − x) = π / sin(πx).
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }
        double[] coefficients = LanczosCoefficients;
        x -= 1;
        double series = coefficients[0];
        for (int i = 1; i < coefficients.Length; i++)
        {
            series += coefficients[i] / (x + i);
        }
        double t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(series);
    }
}
