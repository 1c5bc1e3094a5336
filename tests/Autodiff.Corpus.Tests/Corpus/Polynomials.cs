using System;
using Autodiff;

namespace Corpus.Polynomials;

/// <summary>Polynomial evaluation, orthogonal polynomials by recurrence, rational approximations and roots.</summary>
public static partial class Polynomial
{
    // Coefficients of exp on [-1, 1] to order 8 (Taylor), lowest first.
    private static readonly double[] ExpTaylor = { 1, 1, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320 };

    // Padé [3/3] of exp: numerator and denominator, lowest first.
    private static readonly double[] PadeNumerator = { 1, 0.5, 0.1, 1.0 / 120 };
    private static readonly double[] PadeDenominator = { 1, -0.5, 0.1, -1.0 / 120 };

    // Chebyshev series of some smooth function on [-1, 1].
    private static readonly double[] ChebyshevCoefficients = { 1.2660658777520082, 1.1303182079849700, 0.2714953395340766, 0.0443368498486638, 0.0054742404420937, 0.0005429263119139 };

    // expect: clean
    // domain: coefficients len 6
    [Differentiable]
    public static double Horner(double[] coefficients, double x)
    {
        // Highest degree first.
        double result = 0;
        for (int i = 0; i < coefficients.Length; i++)
            result = result * x + coefficients[i];
        return result;
    }

    // expect: clean
    [Differentiable]
    public static double HornerLowestFirst(double[] c, double x)
    {
        double r = c[c.Length - 1];
        for (int i = c.Length - 2; i >= 0; i--)
            r = r * x + c[i];
        return r;
    }

    // expect: clean
    [Differentiable]
    public static double HornerDerivative(double[] c, double x)
    {
        // p'(x) alongside p(x), the classic two-accumulator Horner.
        double p = c[0], dp = 0;
        for (int i = 1; i < c.Length; i++)
        {
            dp = dp * x + p;
            p = p * x + c[i];
        }
        return dp;
    }

    // expect: clean
    // domain: x in (-1, 1)
    [Differentiable]
    public static double ExpByTable(double x)
    {
        double r = 0;
        for (int i = ExpTaylor.Length - 1; i >= 0; i--)
            r = r * x + ExpTaylor[i];
        return r;
    }

    // expect: clean
    // domain: x in (-1, 1)
    [Differentiable]
    public static double ExpPade(double x) => Evaluate(PadeNumerator, x) / Evaluate(PadeDenominator, x);

    // expect: clean
    [Differentiable]
    private static double Evaluate([NoGrad] double[] lowestFirst, double x)
    {
        double r = 0;
        for (int i = lowestFirst.Length - 1; i >= 0; i--) r = r * x + lowestFirst[i];
        return r;
    }

    // expect: clean
    // domain: x in (-1, 1)
    [Differentiable]
    public static double ChebyshevClenshaw(double x)
    {
        double b1 = 0, b2 = 0;
        for (int k = ChebyshevCoefficients.Length - 1; k >= 1; k--)
        {
            double b0 = 2 * x * b1 - b2 + ChebyshevCoefficients[k];
            b2 = b1;
            b1 = b0;
        }
        return x * b1 - b2 + ChebyshevCoefficients[0];
    }

    // expect: clean
    // domain: x in (-1, 1); n = 5
    [Differentiable]
    public static double ChebyshevT(int n, double x)
    {
        if (n == 0) return 1;
        if (n == 1) return x;
        double t0 = 1, t1 = x;
        for (int k = 2; k <= n; k++)
        {
            double t2 = 2 * x * t1 - t0;
            t0 = t1;
            t1 = t2;
        }
        return t1;
    }

    // expect: clean
    // domain: x in (-1, 1); n = 6
    [Differentiable]
    public static double Legendre(int n, double x)
    {
        double p0 = 1, p1 = x;
        if (n == 0) return p0;
        for (int k = 1; k < n; k++)
        {
            double p2 = ((2 * k + 1) * x * p1 - k * p0) / (k + 1);
            p0 = p1;
            p1 = p2;
        }
        return p1;
    }

    // expect: clean
    // domain: x in (-2, 2); n = 5
    [Differentiable]
    public static double HermitePhysicists(int n, double x)
    {
        double h0 = 1;
        if (n == 0) return h0;
        double h1 = 2 * x;
        for (int k = 1; k < n; k++)
        {
            double h2 = 2 * x * h1 - 2 * k * h0;
            h0 = h1;
            h1 = h2;
        }
        return h1;
    }

    // expect: clean
    // domain: x in (0, 4); n = 4; alpha in (0, 2)
    [Differentiable]
    public static double Laguerre(int n, double alpha, double x)
    {
        double l0 = 1, l1 = 1 + alpha - x;
        if (n == 0) return l0;
        for (int k = 1; k < n; k++)
        {
            double l2 = ((2 * k + 1 + alpha - x) * l1 - (k + alpha) * l0) / (k + 1);
            l0 = l1;
            l1 = l2;
        }
        return l1;
    }

    // expect: clean
    // domain: t in (0, 1); control len 4
    [Differentiable]
    public static double DeCasteljau(double[] control, double t)
    {
        double[] b = new double[control.Length];
        for (int i = 0; i < b.Length; i++) b[i] = control[i];
        for (int r = 1; r < b.Length; r++)
            for (int i = 0; i < b.Length - r; i++)
                b[i] = (1 - t) * b[i] + t * b[i + 1];
        return b[0];
    }

    // expect: clean
    // domain: t in (0, 1); n = 4; k = 2
    [Differentiable]
    public static double BernsteinBasis(int n, int k, double t)
    {
        double binomial = 1;
        for (int i = 1; i <= k; i++) binomial = binomial * (n - k + i) / i;
        return binomial * Math.Pow(t, k) * Math.Pow(1 - t, n - k);
    }

    // expect: clean
    // domain: a in (0.5, 2); b in (3, 5); c in (0.5, 1.5)
    [Differentiable]
    public static double LargerQuadraticRoot(double a, double b, double c)
    {
        // Citardauq form for the root that would cancel.
        double disc = b * b - 4 * a * c;
        if (disc < 0) return double.NaN;
        double q = -0.5 * (b + Math.Sign(b) * Math.Sqrt(disc));
        double r1 = q / a, r2 = c / q;
        return Math.Max(r1, r2);
    }

    // expect: clean
    // domain: p in (0.5, 3); q in (-2, 2)
    [Differentiable]
    public static double DepressedCubicRoot(double p, double q)
    {
        // Cardano for t³ + p t + q = 0 with p > 0: one real root.
        double d = Math.Sqrt(q * q / 4 + p * p * p / 27);
        return Math.Cbrt(-q / 2 + d) + Math.Cbrt(-q / 2 - d);
    }

    // expect: clean
    // domain: p in (0.5, 3); q in (-2, 2)
    [Differentiable]
    public static double DepressedCubicRootByNewton(double p, double q)
    {
        double t = 0;
        for (int i = 0; i < 100; i++)
        {
            double f = t * t * t + p * t + q;
            double df = 3 * t * t + p;
            double step = f / df;
            t -= step;
            if (Math.Abs(step) < 1e-15) break;
        }
        return t;
    }

    // expect: clean
    // domain: c len 4
    [Differentiable]
    public static double DefiniteIntegral(double[] c, double a, double b)
    {
        // ∫ Σ c_k x^k from a to b, lowest first.
        double fa = 0, fb = 0;
        for (int k = c.Length - 1; k >= 0; k--)
        {
            fa = fa * a + c[k] / (k + 1);
            fb = fb * b + c[k] / (k + 1);
        }
        return fb * b - fa * a;
    }

    private static readonly double[] Nodes = { 0.0, 0.8, 1.9, 3.0 };

    // expect: clean
    // domain: ys len 4; x in (0, 3)
    [Differentiable]
    public static double LagrangeInterpolation(double[] ys, double x)
    {
        double sum = 0;
        for (int i = 0; i < Nodes.Length; i++)
        {
            double basis = 1;
            for (int j = 0; j < Nodes.Length; j++)
            {
                if (j == i) continue;
                basis *= (x - Nodes[j]) / (Nodes[i] - Nodes[j]);
            }
            sum += ys[i] * basis;
        }
        return sum;
    }

    // expect: clean
    // domain: ys len 4; x in (0, 3)
    [Differentiable]
    public static double NewtonDividedDifferences(double[] ys, double x)
    {
        // Nodes 0, 1, 2, ...; coefficients computed in place in a local copy.
        int n = ys.Length;
        double[] c = new double[n];
        for (int i = 0; i < n; i++) c[i] = ys[i];
        for (int j = 1; j < n; j++)
            for (int i = n - 1; i >= j; i--)
                c[i] = (c[i] - c[i - 1]) / j;
        double r = c[n - 1];
        for (int i = n - 2; i >= 0; i--) r = r * (x - i) + c[i];
        return r;
    }

    // expect: clean
    // domain: r1 in (-2, -1); r2 in (0, 1); r3 in (1.5, 2.5); x in (-3, 3)
    [Differentiable]
    public static double FromRoots(double r1, double r2, double r3, double x) => (x - r1) * (x - r2) * (x - r3);

    // expect: clean
    // domain: c len 5; x in (-1, 1)
    [Differentiable]
    public static double EvenPolynomial(double[] c, double x)
    {
        double x2 = x * x, r = 0;
        for (int i = c.Length - 1; i >= 0; i--) r = r * x2 + c[i];
        return r;
    }

    // expect: clean
    // domain: x in (-1, 1)
    [Differentiable]
    public static float HornerFloat(float x)
    {
        float r = 0f;
        for (int i = ExpTaylor.Length - 1; i >= 0; i--) r = r * x + (float)ExpTaylor[i];
        return r;
    }

    // expect: clean
    // domain: c len 4
    [Differentiable]
    public static float HornerFloatArray(float[] c, float x)
    {
        float r = 0;
        foreach (float ci in c) r = r * x + ci;
        return r;
    }

    // expect: clean
    // domain: x in (-1, 1); c len 8
    [Differentiable]
    public static double EstrinDegree7(double[] c, double x)
    {
        double x2 = x * x, x4 = x2 * x2;
        double p01 = c[0] + c[1] * x, p23 = c[2] + c[3] * x, p45 = c[4] + c[5] * x, p67 = c[6] + c[7] * x;
        return p01 + p23 * x2 + (p45 + p67 * x2) * x4;
    }

    // expect: clean
    // domain: x in (-1, 1); n = 3
    [Differentiable]
    public static double ChebyshevU(int n, double x)
    {
        double u0 = 1, u1 = 2 * x;
        if (n == 0) return u0;
        while (--n > 0)
        {
            double u2 = 2 * x * u1 - u0;
            u0 = u1;
            u1 = u2;
        }
        return u1;
    }

    // expect: ADIFF009
    // domain: x in (-1, 1); n = 3
    [Differentiable]
    public static double LowOrderLegendre(int n, double x) => n switch
    {
        0 => 1,
        1 => x,
        2 => 0.5 * (3 * x * x - 1),
        _ => 0.5 * (5 * x * x * x - 3 * x),
    };

    // expect: clean
    // domain: a in (0.5, 3)
    [Differentiable]
    public static double PolynomialRootByNewton(double a)
    {
        // Positive root of x^4 - a = 0 by Newton from x = 1.
        double x = 1;
        for (int i = 0; i < 60; i++)
        {
            double next = x - (x * x * x * x - a) / (4 * x * x * x);
            if (Math.Abs(next - x) < 1e-16) { x = next; break; }
            x = next;
        }
        return x;
    }
}
