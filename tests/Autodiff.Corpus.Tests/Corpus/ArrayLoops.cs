using System;
using Autodiff;

namespace Corpus.ArrayLoops;

/// <summary>
/// BLAS level-1 style kernels over whole arrays: axpy, weighted residuals, the careful two-norm,
/// interleaved complex data, in-place work on local copies.
/// </summary>
public static partial class VectorKernels
{
    // expect: clean
    // domain: x len 13; y len 13; a in (-2, 2)
    [Differentiable]
    public static double AxpyNormSquared(double a, double[] x, double[] y)
    {
        int n = x.Length;
        double[] z = new double[n];
        for (int i = 0; i < n; i++)
            z[i] = a * x[i] + y[i];
        double s = 0;
        for (int i = 0; i < n; i++)
            s += z[i] * z[i];
        return s;
    }

    // expect: clean
    // domain: x len 17; w len 17; w in (0.1, 2); c in (-1, 1)
    [Differentiable]
    public static double WeightedSquaredResidual(double[] x, double[] w, double c)
    {
        double sum = 0.0;
        for (int i = 0; i < x.Length; ++i)
        {
            double r = x[i] * w[i] - c;
            sum += r * r;
        }
        return sum / x.Length;
    }

    // The reference BLAS dnrm2: a running scale avoids overflow and destructive underflow.
    // expect: clean
    // domain: x len 11; x in (0.2, 3)
    [Differentiable]
    public static double Nrm2(double[] x)
    {
        double scale = 0.0, ssq = 1.0;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] != 0.0)
            {
                double absxi = Math.Abs(x[i]);
                if (scale < absxi)
                {
                    double ratio = scale / absxi;
                    ssq = 1.0 + ssq * ratio * ratio;
                    scale = absxi;
                }
                else
                {
                    double ratio = absxi / scale;
                    ssq += ratio * ratio;
                }
            }
        }
        return scale * Math.Sqrt(ssq);
    }

    // Complex vectors stored interleaved (re0, im0, re1, im1, ...): |<a, b>|^2 with conj(a).
    // expect: clean
    // domain: a len 16; b len 16; * in (-1, 1)
    [Differentiable]
    public static double InterleavedComplexDotPower(double[] a, double[] b)
    {
        double re = 0, im = 0;
        for (int i = 0; i + 1 < a.Length; i += 2)
        {
            re += a[i] * b[i] + a[i + 1] * b[i + 1];
            im += a[i] * b[i + 1] - a[i + 1] * b[i];
        }
        return re * re + im * im;
    }

    // Normalize a working copy in place, then project w onto it.
    // expect: clean
    // domain: v len 13; w len 13; v in (0.2, 1.5)
    [Differentiable]
    public static double ProjectionOntoDirection(double[] v, double[] w)
    {
        double[] u = new double[v.Length];
        for (int i = 0; i < v.Length; i++)
            u[i] = v[i];
        double norm = 0;
        for (int i = 0; i < u.Length; i++)
            norm += u[i] * u[i];
        norm = Math.Sqrt(norm);
        for (int i = 0; i < u.Length; i++)
            u[i] /= norm;
        double proj = 0;
        for (int i = 0; i < u.Length; i++)
            proj += u[i] * w[i];
        return proj * proj;
    }

    // The same, copying with Array.Copy as most people would: a call without a derivative receives
    // the active array.
    // expect: ADIFF004
    // domain: v len 13; w len 13; v in (0.2, 1.5)
    [Differentiable]
    public static double ProjectionOntoDirectionArrayCopy(double[] v, double[] w)
    {
        double[] u = new double[v.Length];
        Array.Copy(v, u, v.Length);
        double norm = 0;
        for (int i = 0; i < u.Length; i++)
            norm += u[i] * u[i];
        norm = Math.Sqrt(norm);
        double proj = 0;
        for (int i = 0; i < u.Length; i++)
            proj += u[i] / norm * w[i];
        return proj * proj;
    }

    // A ridge-like shrinkage: the factor 1 / (1 + c^2) is the same for every element.
    // expect: clean
    // domain: x len 14; w len 14; c in (-2, 2)
    [Differentiable]
    public static double ShrunkWeightedSum(double[] x, double[] w, double c)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
            s += w[i] * x[i] / (1 + c * c) + Math.Sin(c) * x[i] * x[i];
        return s;
    }
}

/// <summary>Signal processing: prefix sums, moving averages, convolution, stencils, wavelets, smoothing, quadrature.</summary>
public static partial class Signal
{
    // expect: clean
    // domain: x len 19
    [Differentiable]
    public static double CumulativeSumEnergy(double[] x)
    {
        var prefix = new double[x.Length + 1];
        for (int i = 0; i < x.Length; i++)
            prefix[i + 1] = prefix[i] + x[i];
        double e = 0;
        for (int i = 1; i <= x.Length; i++)
            e += prefix[i] * prefix[i];
        return e / x.Length;
    }

    // Sliding-window mean (add the new sample, drop the oldest), then the roughness of the result.
    // expect: clean
    // domain: x len 20; window = 4
    [Differentiable]
    public static double MovingAverageRoughness(double[] x, int window)
    {
        int m = x.Length - window + 1;
        double[] ma = new double[m];
        double sum = 0;
        for (int i = 0; i < window; i++)
            sum += x[i];
        ma[0] = sum / window;
        for (int i = window; i < x.Length; i++)
        {
            sum += x[i] - x[i - window];
            ma[i - window + 1] = sum / window;
        }
        double rough = 0;
        for (int i = 1; i < m; i++)
        {
            double d = ma[i] - ma[i - 1];
            rough += d * d;
        }
        return rough;
    }

    // numpy.convolve(signal, kernel, "valid"), then the output energy.
    // expect: clean
    // domain: signal len 24; kernel len 9
    [Differentiable]
    public static double ValidConvolutionEnergy(double[] signal, double[] kernel)
    {
        int outLen = signal.Length - kernel.Length + 1;
        double[] output = new double[outLen];
        for (int i = 0; i < outLen; i++)
        {
            double acc = 0;
            for (int k = 0; k < kernel.Length; k++)
                acc += signal[i + k] * kernel[kernel.Length - 1 - k];
            output[i] = acc;
        }
        double energy = 0;
        foreach (double o in output)
            energy += o * o;
        return energy;
    }

    // expect: clean
    // domain: u len 15; h in (0.5, 2)
    [Differentiable]
    public static double CurvaturePenalty(double[] u, double h)
    {
        double inv = 1.0 / (h * h);
        double p = 0;
        for (int i = 1; i < u.Length - 1; i++)
        {
            double d2 = (u[i + 1] - 2 * u[i] + u[i - 1]) * inv;
            p += d2 * d2;
        }
        return p * h;
    }

    // Multi-level orthonormal Haar transform; detail energy weighted by level length.
    // expect: clean
    // domain: x len 16
    [Differentiable]
    public static double HaarDetailEnergy(double[] x)
    {
        int n = x.Length;
        double[] a = new double[n];
        double[] tmp = new double[n];
        for (int i = 0; i < n; i++)
            a[i] = x[i];
        double s = 1.0 / Math.Sqrt(2.0);
        double energy = 0;
        int len = n;
        while (len >= 2)
        {
            for (int i = 0, k = 0; i + 1 < len; i += 2, k++)
            {
                tmp[k] = (a[i] + a[i + 1]) * s;
                double d = (a[i] - a[i + 1]) * s;
                energy += d * d * len;
            }
            len /= 2;
            for (int i = 0; i < len; i++)
                a[i] = tmp[i];
        }
        return energy + a[0] * a[0];
    }

    // Simple exponential smoothing in place on a working copy; sum of one-step-ahead errors.
    // expect: clean
    // domain: x len 18; alpha in (0.1, 0.9)
    [Differentiable]
    public static double ExponentialSmoothingSse(double[] x, double alpha)
    {
        double[] s = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
            s[i] = x[i];
        for (int i = 1; i < s.Length; i++)
            s[i] = alpha * s[i] + (1 - alpha) * s[i - 1];
        double sse = 0;
        for (int i = 1; i < x.Length; i++)
        {
            double e = x[i] - s[i - 1];
            sse += e * e;
        }
        return sse;
    }

    // Composite Simpson's rule for exp(-t) sin(freq t) on [a, b].
    // expect: clean
    // domain: a in (0, 1); b in (1.5, 3); freq in (0.5, 2); n = 16
    [Differentiable]
    public static double SimpsonDampedSine(double a, double b, double freq, int n)
    {
        if (n % 2 == 1) n++;
        double h = (b - a) / n;
        double sum = Math.Exp(-a) * Math.Sin(freq * a) + Math.Exp(-b) * Math.Sin(freq * b);
        for (int i = 1; i < n; i += 2)
        {
            double t = a + i * h;
            sum += 4 * Math.Exp(-t) * Math.Sin(freq * t);
        }
        for (int i = 2; i < n; i += 2)
        {
            double t = a + i * h;
            sum += 2 * Math.Exp(-t) * Math.Sin(freq * t);
        }
        return sum * h / 3;
    }
}

/// <summary>Explicit time stepping and small linear solvers of the kind a physics code carries around.</summary>
public static partial class Physics
{
    // FTCS for u_t = alpha u_xx on [0, 1] with zero Dirichlet ends; two buffers, copy back.
    // expect: clean
    // domain: u0 len 16; alpha in (0.2, 1); steps = 12
    [Differentiable]
    public static double HeatEquationFtcs(double[] u0, double alpha, int steps)
    {
        int n = u0.Length;
        double dx = 1.0 / (n - 1);
        double dt = 0.4 * dx * dx;
        double r = alpha * dt / (dx * dx);
        double[] u = new double[n];
        double[] next = new double[n];
        for (int i = 0; i < n; i++)
            u[i] = u0[i];
        for (int t = 0; t < steps; t++)
        {
            next[0] = 0;
            next[n - 1] = 0;
            for (int i = 1; i < n - 1; i++)
                next[i] = u[i] + r * (u[i + 1] - 2 * u[i] + u[i - 1]);
            for (int i = 0; i < n; i++)
                u[i] = next[i];
        }
        double mass = 0;
        for (int i = 0; i < n; i++)
            mass += u[i] * u[i] * dx;
        return mass;
    }

    // The same scheme swapping the two buffers instead of copying (the usual idiom): an active
    // array reassigned.
    // expect: ADIFF014
    // domain: u0 len 16; alpha in (0.2, 1); steps = 12
    [Differentiable]
    public static double HeatEquationSwapBuffers(double[] u0, double alpha, int steps)
    {
        int n = u0.Length;
        double r = 0.4 * alpha;
        double[] u = new double[n];
        double[] next = new double[n];
        for (int i = 0; i < n; i++)
            u[i] = u0[i];
        for (int t = 0; t < steps; t++)
        {
            for (int i = 1; i < n - 1; i++)
                next[i] = u[i] + r * (u[i + 1] - 2 * u[i] + u[i - 1]);
            double[] swap = u;
            u = next;
            next = swap;
        }
        double mass = 0;
        for (int i = 0; i < n; i++)
            mass += u[i] * u[i];
        return mass / (n - 1);
    }

    // Leapfrog for u_tt = c^2 u_xx with three buffers; discrete energy at the end.
    // expect: clean
    // domain: u0 len 18; v0 len 18; courant in (0.2, 0.9); steps = 10; * in (-1, 1)
    [Differentiable]
    public static double WaveEquationLeapfrog(double[] u0, double[] v0, double courant, int steps)
    {
        int n = u0.Length;
        double c2 = courant * courant;
        const double dt = 0.05;
        var prev = new double[n];
        var cur = new double[n];
        var next = new double[n];
        for (int i = 0; i < n; i++)
            prev[i] = u0[i];
        for (int i = 1; i < n - 1; i++)
            cur[i] = u0[i] + dt * v0[i] + 0.5 * c2 * (u0[i + 1] - 2 * u0[i] + u0[i - 1]);
        for (int t = 1; t < steps; t++)
        {
            for (int i = 1; i < n - 1; i++)
                next[i] = 2 * cur[i] - prev[i] + c2 * (cur[i + 1] - 2 * cur[i] + cur[i - 1]);
            for (int i = 0; i < n; i++)
            {
                prev[i] = cur[i];
                cur[i] = next[i];
            }
        }
        double e = 0;
        for (int i = 0; i < n - 1; i++)
        {
            double v = cur[i] - prev[i];
            double g = cur[i + 1] - cur[i];
            e += v * v + c2 * g * g;
        }
        return 0.5 * e;
    }

    // Chain of unit masses joined by springs, fixed walls; symplectic Euler with a force buffer.
    // expect: clean
    // domain: x0 len 10; v0 len 10; k in (0.5, 2); dt in (0.01, 0.1); steps = 20; * in (-1, 1)
    [Differentiable]
    public static double SpringChainEnergy(double[] x0, double[] v0, double k, double dt, int steps)
    {
        int n = x0.Length;
        double[] x = new double[n], v = new double[n], f = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = x0[i];
            v[i] = v0[i];
        }
        for (int s = 0; s < steps; s++)
        {
            for (int i = 0; i < n; i++)
            {
                double left = i > 0 ? x[i - 1] : 0.0;
                double right = i < n - 1 ? x[i + 1] : 0.0;
                f[i] = k * (left - 2 * x[i] + right);
            }
            for (int i = 0; i < n; i++)
            {
                v[i] += dt * f[i];
                x[i] += dt * v[i];
            }
        }
        double kinetic = 0, potential = 0;
        for (int i = 0; i < n; i++)
            kinetic += 0.5 * v[i] * v[i];
        potential += 0.5 * k * (x[0] * x[0] + x[n - 1] * x[n - 1]);
        for (int i = 0; i < n - 1; i++)
        {
            double stretch = x[i + 1] - x[i];
            potential += 0.5 * k * stretch * stretch;
        }
        return kinetic + potential;
    }

    // Jacobi iteration for (k I - T) u = f, T the 1-D neighbour matrix, until the update is tiny.
    // expect: clean
    // domain: f len 12; k in (2.5, 4)
    [Differentiable]
    public static double JacobiSolveEnergy(double[] f, double k)
    {
        int n = f.Length;
        double[] u = new double[n];
        double[] uNew = new double[n];
        for (int iter = 0; iter < 200; iter++)
        {
            double change = 0;
            for (int i = 0; i < n; i++)
            {
                double left = i > 0 ? u[i - 1] : 0;
                double right = i < n - 1 ? u[i + 1] : 0;
                uNew[i] = (f[i] + left + right) / k;
                change = Math.Max(change, Math.Abs(uNew[i] - u[i]));
            }
            for (int i = 0; i < n; i++)
                u[i] = uNew[i];
            if (change < 1e-13) break;
        }
        double e = 0;
        for (int i = 0; i < n; i++)
            e += f[i] * u[i];
        return e;
    }

    // Thomas algorithm (Numerical Recipes' tridag), then the solution's squared norm.
    // expect: clean
    // domain: sub len 12; diag len 12; sup len 12; rhs len 12; diag in (3, 4); * in (-1, 1)
    [Differentiable]
    public static double TridiagonalSolveNorm(double[] sub, double[] diag, double[] sup, double[] rhs)
    {
        int n = diag.Length;
        double[] cp = new double[n];
        double[] dp = new double[n];
        double[] x = new double[n];
        cp[0] = sup[0] / diag[0];
        dp[0] = rhs[0] / diag[0];
        for (int i = 1; i < n; i++)
        {
            double m = diag[i] - sub[i] * cp[i - 1];
            cp[i] = i < n - 1 ? sup[i] / m : 0.0;
            dp[i] = (rhs[i] - sub[i] * dp[i - 1]) / m;
        }
        x[n - 1] = dp[n - 1];
        for (int i = n - 2; i >= 0; i--)
            x[i] = dp[i] - cp[i] * x[i + 1];
        double s = 0;
        for (int i = 0; i < n; i++)
            s += x[i] * x[i];
        return s;
    }
}

/// <summary>Dense and packed linear algebra on flat arrays, and polynomials over many points.</summary>
public static partial class DenseAlgebra
{
    // 0.5 * ||A x - b||^2 with A row-major in a flat array.
    // expect: clean
    // domain: a len 24; x len 6; b len 4; rows = 4; cols = 6
    [Differentiable]
    public static double LeastSquaresObjective(double[] a, double[] x, double[] b, int rows, int cols)
    {
        double sse = 0;
        for (int i = 0; i < rows; i++)
        {
            double ax = 0;
            for (int j = 0; j < cols; j++)
                ax += a[i * cols + j] * x[j];
            double r = ax - b[i];
            sse += r * r;
        }
        return 0.5 * sse;
    }

    // x' A x with A symmetric in LAPACK-style lower packed storage, row by row.
    // expect: clean
    // domain: ap len 45; x len 9
    [Differentiable]
    public static double PackedSymmetricQuadraticForm(double[] ap, double[] x)
    {
        int n = x.Length;
        double q = 0;
        int k = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < i; j++)
            {
                q += 2 * ap[k] * x[i] * x[j];
                k++;
            }
            q += ap[k] * x[i] * x[i];
            k++;
        }
        return q;
    }

    // Pairwise Gaussian interactions kept in a packed upper-triangle buffer (pdist style).
    // expect: clean
    // domain: x len 12; sigma in (0.5, 2)
    [Differentiable]
    public static double GaussianPairEnergy(double[] x, double sigma)
    {
        int n = x.Length;
        double[] pair = new double[n * (n - 1) / 2];
        double inv = 1.0 / (2 * sigma * sigma);
        int k = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                double d = x[i] - x[j];
                pair[k++] = Math.Exp(-d * d * inv);
            }
        }
        double e = 0;
        for (int p = 0; p < pair.Length; p++)
            e += pair[p];
        return e;
    }

    // Power iteration on a positive matrix, then the Rayleigh quotient.
    // expect: clean
    // domain: a len 16; a in (0.1, 1); n = 4; iterations = 9
    [Differentiable]
    public static double PowerIterationRayleigh(double[] a, int n, int iterations)
    {
        double[] v = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++)
            v[i] = 1.0 / Math.Sqrt(n);
        for (int it = 0; it < iterations; it++)
        {
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int j = 0; j < n; j++)
                    s += a[i * n + j] * v[j];
                y[i] = s;
            }
            double norm = 0;
            for (int i = 0; i < n; i++)
                norm += y[i] * y[i];
            norm = Math.Sqrt(norm);
            for (int i = 0; i < n; i++)
                v[i] = y[i] / norm;
        }
        double rq = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                rq += v[i] * a[i * n + j] * v[j];
        return rq;
    }

    // Horner's rule at many points (coefficients lowest degree first, loop counting down).
    // expect: clean
    // domain: coeffs len 9; xs len 14; xs in (-1, 1)
    [Differentiable]
    public static double PolynomialMeanSquare(double[] coeffs, double[] xs)
    {
        double total = 0;
        foreach (double x in xs)
        {
            double p = coeffs[coeffs.Length - 1];
            for (int k = coeffs.Length - 2; k >= 0; k--)
                p = p * x + coeffs[k];
            total += p * p;
        }
        return total / xs.Length;
    }

}

/// <summary>Small machine-learning and statistics pieces: losses, normalisation, recurrences.</summary>
public static partial class Learning
{
    // expect: clean
    // domain: logits len 10; target = 3
    [Differentiable]
    public static double SoftmaxCrossEntropy(double[] logits, int target)
    {
        double max = double.NegativeInfinity;
        for (int i = 0; i < logits.Length; i++)
            if (logits[i] > max) max = logits[i];
        double sumExp = 0;
        for (int i = 0; i < logits.Length; i++)
            sumExp += Math.Exp(logits[i] - max);
        return Math.Log(sumExp) + max - logits[target];
    }

    // expect: clean
    // domain: z len 12; temperature in (0.5, 2)
    [Differentiable]
    public static double SoftmaxEntropy(double[] z, double temperature)
    {
        int n = z.Length;
        double[] p = new double[n];
        double m = z[0];
        for (int i = 1; i < n; i++)
            m = Math.Max(m, z[i]);
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            p[i] = Math.Exp((z[i] - m) / temperature);
            total += p[i];
        }
        for (int i = 0; i < n; i++)
            p[i] /= total;
        double h = 0;
        for (int i = 0; i < n; i++)
            h -= p[i] * Math.Log(p[i]);
        return h;
    }

    // LayerNorm (biased variance, eps inside the sqrt) followed by a linear read-out.
    // expect: clean
    // domain: x len 16; gamma len 16; beta len 16; w len 16
    [Differentiable]
    public static double LayerNormProjection(double[] x, double[] gamma, double[] beta, double[] w)
    {
        const double Eps = 1e-5;
        int n = x.Length;
        double mean = 0;
        for (int i = 0; i < n; i++)
            mean += x[i];
        mean /= n;
        double variance = 0;
        for (int i = 0; i < n; i++)
        {
            double d = x[i] - mean;
            variance += d * d;
        }
        variance /= n;
        double invStd = 1.0 / Math.Sqrt(variance + Eps);
        double y = 0;
        for (int i = 0; i < n; i++)
            y += w[i] * (gamma[i] * (x[i] - mean) * invStd + beta[i]);
        return y;
    }

    // Mean negative log-likelihood of logistic regression, features row-major n x d, soft labels.
    // expect: clean
    // domain: w len 2; x len 24; y len 12; y in (0, 1); n = 12; d = 2
    [Differentiable]
    public static double LogisticNll(double[] w, double bias, double[] x, double[] y, int n, int d)
    {
        double nll = 0;
        for (int i = 0; i < n; i++)
        {
            double z = bias;
            for (int j = 0; j < d; j++)
                z += w[j] * x[i * d + j];
            double softplus = z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));
            nll += softplus - y[i] * z;
        }
        return nll / n;
    }

    // Elman RNN over a scalar sequence; the new hidden state goes to a scratch buffer each step.
    // expect: clean
    // domain: wh len 16; wx len 4; seq len 12; wh in (-0.5, 0.5); hidden = 4
    [Differentiable]
    public static double ElmanRnnFinalState(double[] wh, double[] wx, double[] seq, int hidden)
    {
        double[] h = new double[hidden];
        double[] hNew = new double[hidden];
        for (int t = 0; t < seq.Length; t++)
        {
            for (int i = 0; i < hidden; i++)
            {
                double a = wx[i] * seq[t];
                for (int j = 0; j < hidden; j++)
                    a += wh[i * hidden + j] * h[j];
                hNew[i] = Math.Tanh(a);
            }
            for (int i = 0; i < hidden; i++)
                h[i] = hNew[i];
        }
        double s = 0;
        for (int i = 0; i < hidden; i++)
            s += h[i] * (i + 1);
        return s;
    }

    // Discounted returns computed backwards in time, then a squared-error value loss.
    // expect: clean
    // domain: rewards len 20; values len 20; gamma in (0.8, 0.99)
    [Differentiable]
    public static double DiscountedReturnValueLoss(double[] rewards, double[] values, double gamma)
    {
        int n = rewards.Length;
        double[] returns = new double[n];
        double g = 0;
        for (int t = n - 1; t >= 0; t--)
        {
            g = rewards[t] + gamma * g;
            returns[t] = g;
        }
        double loss = 0;
        for (int t = 0; t < n; t++)
        {
            double d = returns[t] - values[t];
            loss += d * d;
        }
        return loss / n;
    }

}

/// <summary>Single-precision versions, as game and ML code writes them.</summary>
public static partial class FloatKernels
{
    // Dot product unrolled by four with a remainder loop.
    // expect: clean
    // domain: a len 23; b len 23; * in (-1, 1)
    [Differentiable]
    public static float DotUnrolled(float[] a, float[] b)
    {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int i = 0;
        for (; i + 3 < a.Length; i += 4)
        {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < a.Length; i++)
            s0 += a[i] * b[i];
        return (s0 + s1) + (s2 + s3);
    }

    // RMSNorm with a gain, then a linear read-out.
    // expect: clean
    // domain: x len 16; gain len 16; w len 16; * in (-1, 1)
    [Differentiable]
    public static float RmsNormReadout(float[] x, float[] gain, float[] w)
    {
        float ms = 0f;
        for (int i = 0; i < x.Length; i++)
            ms += x[i] * x[i];
        ms /= x.Length;
        float inv = 1f / MathF.Sqrt(ms + 1e-6f);
        float y = 0f;
        for (int i = 0; i < x.Length; i++)
            y += w[i] * gain[i] * x[i] * inv;
        return y;
    }

    // Explicit diffusion in float with periodic ends and a copy-back buffer.
    // expect: clean
    // domain: u0 len 14; r in (0.05, 0.45); steps = 15; u0 in (-1, 1)
    [Differentiable]
    public static float HeatDiffusionPeriodic(float[] u0, float r, int steps)
    {
        int n = u0.Length;
        float[] u = new float[n];
        float[] next = new float[n];
        for (int i = 0; i < n; i++)
            u[i] = u0[i];
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                float left = u[(i + n - 1) % n];
                float right = u[(i + 1) % n];
                next[i] = u[i] + r * (left - 2f * u[i] + right);
            }
            for (int i = 0; i < n; i++)
                u[i] = next[i];
        }
        float s = 0f;
        for (int i = 0; i < n; i++)
            s += u[i] * u[i] * (1f + 0.1f * i);
        return s;
    }

}
