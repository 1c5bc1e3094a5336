using System;
using Autodiff;

namespace Corpus.Special;

/// <summary>Special functions from their series, asymptotic expansions and continued fractions.</summary>
public static partial class SpecialFunctions
{
    private const double SqrtTwoPi = 2.5066282746310002;
    private const double HalfLogTwoPi = 0.91893853320467274;
    private const double EulerGamma = 0.57721566490153286;
    private const double Epsilon = 1e-15;
    private const double TinyFloat = 1e-300;
    private const int MaxIterations = 500;

    // Lanczos approximation, g = 7, nine coefficients.
    private static readonly double[] Lanczos =
    {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7,
    };

    // expect: clean
    // domain: x in (0.6, 8)
    [Differentiable]
    public static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            // Reflection: Γ(x)Γ(1-x) = π / sin(πx).
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }
        x -= 1;
        double a = Lanczos[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++)
        {
            a += Lanczos[i] / (x + i);
        }
        return HalfLogTwoPi + (x + 0.5) * Math.Log(t) - t + Math.Log(a);
    }

    // expect: clean
    // domain: x in (0.05, 0.45)
    [Differentiable]
    public static double LogGammaSmall(double x) => LogGamma(x);

    // expect: clean
    // domain: x in (0.5, 6)
    [Differentiable]
    public static double Gamma(double x) => Math.Exp(LogGamma(x));

    // expect: clean
    // domain: x in (0.3, 12)
    [Differentiable]
    public static double LogGammaStirling(double x)
    {
        double shift = 0.0;
        while (x < 7.0)
        {
            shift -= Math.Log(x);
            x += 1.0;
        }
        double inv = 1.0 / x;
        double inv2 = inv * inv;
        double series = inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 / 1680)));
        return shift + (x - 0.5) * Math.Log(x) - x + HalfLogTwoPi + series;
    }

    // expect: clean
    // domain: x in (0.2, 10)
    [Differentiable]
    public static double Digamma(double x)
    {
        double result = 0;
        while (x < 6)
        {
            result -= 1 / x;
            x += 1;
        }
        double f = 1 / (x * x);
        double t = f * (-1.0 / 12 + f * (1.0 / 120 + f * (-1.0 / 252 + f * (1.0 / 240 - f / 132))));
        return result + Math.Log(x) - 0.5 / x + t;
    }

    // expect: clean
    // domain: x in (0.2, 10)
    [Differentiable]
    public static double Trigamma(double x)
    {
        double result = 0.0;
        for (; x < 6.0; x += 1.0)
            result += 1.0 / (x * x);
        double inv = 1.0 / x, inv2 = inv * inv;
        return result + inv + inv2 / 2 + inv * inv2 * (1.0 / 6 - inv2 * (1.0 / 30 - inv2 / 42));
    }

    // expect: clean
    // domain: a in (0.5, 4); b in (0.5, 4)
    [Differentiable]
    public static double LogBeta(double a, double b) => LogGamma(a) + LogGamma(b) - LogGamma(a + b);

    // expect: clean
    // domain: a in (0.5, 4); b in (0.5, 4)
    [Differentiable]
    public static double Beta(double a, double b) => Math.Exp(LogBeta(a, b));

    // expect: clean
    // domain: n in (2, 9); k in (0.5, 2)
    [Differentiable]
    public static double LogBinomial(double n, double k) => LogGamma(n + 1) - LogGamma(k + 1) - LogGamma(n - k + 1);

    // expect: clean
    // domain: x in (-3, 3)
    [Differentiable]
    public static double ErfSeries(double x)
    {
        // erf x = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1)), summed until the terms stop mattering.
        double sum = x, term = x, x2 = x * x;
        for (int n = 1; n < 200; n++)
        {
            term *= -x2 / n;
            double contribution = term / (2 * n + 1);
            sum += contribution;
            if (Math.Abs(contribution) < Epsilon * Math.Abs(sum))
                break;
        }
        return 2.0 / Math.Sqrt(Math.PI) * sum;
    }

    // expect: clean
    // domain: x in (-4, 4)
    [Differentiable]
    public static double ErfApprox(double x)
    {
        // Abramowitz and Stegun 7.1.26, odd extension.
        double sign = 1;
        if (x < 0)
        {
            sign = -1;
            x = -x;
        }
        const double p = 0.3275911;
        double t = 1.0 / (1.0 + p * x);
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return sign * (1 - poly * Math.Exp(-x * x));
    }

    // expect: clean
    // domain: x in (0.5, 6)
    [Differentiable]
    public static double ErfcContinuedFraction(double x)
    {
        // erfc x = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated from the tail.
        double f = x;
        for (int k = 60; k >= 1; k--)
        {
            f = x + k / 2.0 / f;
        }
        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }

    // expect: clean
    // domain: x in (-3, 3)
    [Differentiable]
    public static double Erfc(double x) => x < 0.5 ? 1 - ErfSeries(x) : ErfcContinuedFraction(x);

    // expect: clean
    // domain: a in (0.5, 5); x in (0.1, 3)
    [Differentiable]
    public static double LowerGammaSeries(double a, double x)
    {
        double ap = a;
        double sum = 1.0 / a;
        double del = sum;
        for (int n = 0; n < MaxIterations; n++)
        {
            ap += 1;
            del *= x / ap;
            sum += del;
            if (Math.Abs(del) < Math.Abs(sum) * Epsilon)
                return sum * Math.Exp(-x + a * Math.Log(x) - LogGamma(a));
        }
        return sum * Math.Exp(-x + a * Math.Log(x) - LogGamma(a));
    }

    // expect: clean
    // domain: a in (0.5, 3); x in (4, 9)
    [Differentiable]
    public static double UpperGammaFraction(double a, double x)
    {
        // Legendre's continued fraction by the modified Lentz method.
        double b = x + 1 - a;
        double c = 1 / TinyFloat;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i <= MaxIterations; i++)
        {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.Abs(d) < TinyFloat) d = TinyFloat;
            c = b + an / c;
            if (Math.Abs(c) < TinyFloat) c = TinyFloat;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.Abs(del - 1) < Epsilon) break;
        }
        return Math.Exp(-x + a * Math.Log(x) - LogGamma(a)) * h;
    }

    // expect: clean
    // domain: a in (0.5, 4); x in (0.1, 9)
    [Differentiable]
    public static double RegularizedGammaP(double a, double x)
    {
        if (x <= 0) return 0;
        if (x < a + 1) return LowerGammaSeries(a, x);
        return 1 - UpperGammaFraction(a, x);
    }

    // expect: clean
    // domain: a in (0.5, 4); x in (0.1, 9)
    [Differentiable]
    public static double RegularizedGammaQ(double a, double x) => 1.0 - RegularizedGammaP(a, x);

    // expect: clean
    // domain: a in (0.8, 4); b in (0.8, 4); x in (0.05, 0.95)
    [Differentiable]
    public static double BetaContinuedFraction(double a, double b, double x)
    {
        double qab = a + b, qap = a + 1, qam = a - 1;
        double c = 1, d = 1 - qab * x / qap;
        if (Math.Abs(d) < TinyFloat) d = TinyFloat;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 300; m++)
        {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.Abs(d) < TinyFloat) d = TinyFloat;
            c = 1 + aa / c;
            if (Math.Abs(c) < TinyFloat) c = TinyFloat;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.Abs(d) < TinyFloat) d = TinyFloat;
            c = 1 + aa / c;
            if (Math.Abs(c) < TinyFloat) c = TinyFloat;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.Abs(del - 1) < Epsilon) break;
        }
        return h;
    }

    // expect: clean
    // domain: a in (0.8, 4); b in (0.8, 4); x in (0.05, 0.95)
    [Differentiable]
    public static double RegularizedBeta(double a, double b, double x)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double front = Math.Exp(a * Math.Log(x) + b * Math.Log(1 - x) - LogBeta(a, b));
        if (x < (a + 1) / (a + b + 2))
            return front * BetaContinuedFraction(a, b, x) / a;
        return 1 - front * BetaContinuedFraction(b, a, 1 - x) / b;
    }

    // expect: clean
    // domain: x in (-6, 6)
    [Differentiable]
    public static double BesselJ0(double x)
    {
        double halfSquare = x * x / 4;
        double term = 1, sum = 1;
        for (int k = 1; k < 60; k++)
        {
            term *= -halfSquare / ((double)k * k);
            sum += term;
        }
        return sum;
    }

    // expect: clean
    // domain: x in (-6, 6)
    [Differentiable]
    public static double BesselJ1(double x)
    {
        double halfSquare = x * x / 4;
        double term = x / 2, sum = term;
        for (int k = 1; k < 60; k++)
        {
            term *= -halfSquare / (k * (k + 1.0));
            sum += term;
        }
        return sum;
    }

    // expect: clean
    // domain: x in (-5, 5); n = 3
    [Differentiable]
    public static double BesselJn(int n, double x)
    {
        // J_n(x) = Σ (-1)^k (x/2)^(2k+n) / (k! (k+n)!)
        double term = 1;
        for (int i = 1; i <= n; i++)
            term *= x / 2 / i;
        double sum = term;
        for (int k = 1; k < 60; k++)
        {
            term *= -(x * x / 4) / (k * (double)(k + n));
            sum += term;
        }
        return sum;
    }

    // expect: clean
    // domain: x in (-4, 4)
    [Differentiable]
    public static double BesselI0(double x)
    {
        double sum = 1, term = 1, q = x * x / 4;
        int k = 1;
        do
        {
            term *= q / (k * k);
            sum += term;
            k++;
        } while (term > sum * 1e-17 && k < 200);
        return sum;
    }

    // expect: clean
    // domain: x in (0.1, 4)
    [Differentiable]
    public static double LogBesselI0(double x) => Math.Log(BesselI0(x));

    // expect: clean
    // domain: x in (0.2, 20)
    [Differentiable]
    public static double BesselI0Asymptotic(double x)
    {
        // I0(x) ~ e^x / √(2πx) · Σ ((2k-1)!!)² / (k! (8x)^k), truncated at the smallest term.
        double sum = 1, term = 1;
        for (int k = 1; k < 30; k++)
        {
            double next = term * (2 * k - 1) * (2 * k - 1) / (k * 8 * x);
            if (Math.Abs(next) > Math.Abs(term)) break;
            term = next;
            sum += term;
        }
        return Math.Exp(x) / Math.Sqrt(2 * Math.PI * x) * sum;
    }

    // expect: clean
    // domain: a in (0.5, 3); b in (0.5, 3)
    [Differentiable]
    public static double ArithmeticGeometricMean(double a, double b)
    {
        for (int i = 0; i < 40; i++)
        {
            double next = 0.5 * (a + b);
            b = Math.Sqrt(a * b);
            a = next;
            if (Math.Abs(a - b) < 1e-15 * a) break;
        }
        return 0.5 * (a + b);
    }

    // expect: clean
    // domain: k in (-0.9, 0.9)
    [Differentiable]
    public static double EllipticK(double k) => Math.PI / (2 * ArithmeticGeometricMean(1, Math.Sqrt(1 - k * k)));

    // expect: clean
    // domain: k in (-0.9, 0.9)
    [Differentiable]
    public static double EllipticE(double k)
    {
        double a = 1, g = Math.Sqrt(1 - k * k);
        double sum = k * k / 2, power = 0.5;
        for (int i = 0; i < 30; i++)
        {
            double c = (a - g) / 2;
            double an = (a + g) / 2;
            g = Math.Sqrt(a * g);
            a = an;
            power *= 2;
            sum += power * c * c;
            if (Math.Abs(c) < 1e-16) break;
        }
        return Math.PI / (2 * a) * (1 - sum);
    }

    // expect: clean
    // domain: a in (1, 4); b in (0.5, 0.9)
    [Differentiable]
    public static double EllipsePerimeter(double a, double b)
    {
        double e = Math.Sqrt(1 - b * b / (a * a));
        return 4 * a * EllipticE(e);
    }

    // expect: clean
    // domain: x in (0.05, 3)
    [Differentiable]
    public static double ExponentialIntegralE1(double x)
    {
        double sum = 0, term = 1;
        for (int k = 1; k <= 80; k++)
        {
            term *= -x / k;
            sum += term / k;
        }
        return -EulerGamma - Math.Log(x) - sum;
    }

    // expect: clean
    // domain: s in (1.5, 6)
    [Differentiable]
    public static double RiemannZeta(double s)
    {
        // Direct sum to N plus the Euler–Maclaurin tail.
        const int N = 20;
        double sum = 0;
        for (int n = 1; n < N; n++)
            sum += Math.Pow(n, -s);
        double tail = Math.Pow(N, 1 - s) / (s - 1) + 0.5 * Math.Pow(N, -s) + s * Math.Pow(N, -s - 1) / 12
            - s * (s + 1) * (s + 2) * Math.Pow(N, -s - 3) / 720;
        return sum + tail;
    }

    // expect: clean
    // domain: x in (-0.9, 0.9)
    [Differentiable]
    public static double Dilogarithm(double x)
    {
        double sum = 0, power = 1;
        for (int k = 1; k <= 400; k++)
        {
            power *= x;
            sum += power / ((double)k * k);
            if (Math.Abs(power) < 1e-18) break;
        }
        return sum;
    }

    // expect: clean
    // domain: x in (0.05, 6)
    [Differentiable]
    public static double LambertW(double x)
    {
        // Halley's iteration on w e^w = x from w = log(1 + x).
        double w = Math.Log(1 + x);
        for (int i = 0; i < 30; i++)
        {
            double ew = Math.Exp(w);
            double f = w * ew - x;
            double step = f / (ew * (w + 1) - (w + 2) * f / (2 * w + 2));
            w -= step;
            if (Math.Abs(step) < 1e-15 * (1 + Math.Abs(w))) break;
        }
        return w;
    }

    // expect: clean
    // domain: x in (-3, 3)
    [Differentiable]
    public static double FresnelS(double x)
    {
        // S(x) = Σ (-1)^n (π/2)^(2n+1) x^(4n+3) / ((2n+1)! (4n+3))
        double t = Math.PI / 2 * x * x;
        double term = t * x; // (π/2) x³ ... over 1!
        double sum = term / 3;
        for (int n = 1; n < 40; n++)
        {
            term *= -t * t / ((2 * n) * (2 * n + 1));
            sum += term / (4 * n + 3);
        }
        return sum;
    }

    // expect: clean
    // domain: x in (-3, 3)
    [Differentiable]
    public static double Sinc(double x)
    {
        if (Math.Abs(x) < 1e-4)
            return 1 - x * x / 6 + x * x * x * x / 120;
        return Math.Sin(x) / x;
    }

    // expect: clean
    // domain: x in (-3, 3)
    [Differentiable]
    public static double SineIntegral(double x)
    {
        double sum = 0, term = x;
        for (int n = 0; n < 40; n++)
        {
            sum += term / (2 * n + 1);
            term *= -x * x / ((2 * n + 2) * (2 * n + 3));
        }
        return sum;
    }

    // expect: clean
    // domain: x in (-2.5, 2.5)
    [Differentiable]
    public static double Dawson(double x)
    {
        // F(x) = Σ (-1)^n 2^n x^(2n+1) / (2n+1)!!
        double term = x, sum = x;
        for (int n = 1; n < 80; n++)
        {
            term *= -2 * x * x / (2 * n + 1);
            sum += term;
        }
        return sum;
    }

    // expect: clean
    // domain: x in (-6, 6)
    [Differentiable]
    public static double LogCosh(double x)
    {
        double ax = Math.Abs(x);
        return ax + Math.Log(1 + Math.Exp(-2 * ax)) - Math.Log(2);
    }

    // expect: clean
    // domain: x in (-30, 30)
    [Differentiable]
    public static double Softplus(double x) => x > 20 ? x : x < -20 ? Math.Exp(x) : Math.Log(1 + Math.Exp(x));

    // expect: clean
    // domain: x in (-0.9, 3)
    [Differentiable]
    public static double Log1p(double x)
    {
        double u = 1 + x;
        if (u == 1) return x;
        return Math.Log(u) * x / (u - 1);
    }

    // expect: clean
    // domain: x in (-2, 2)
    [Differentiable]
    public static double Expm1(double x)
    {
        if (Math.Abs(x) < 1e-5)
            return x + x * x / 2 + x * x * x / 6;
        return Math.Exp(x) - 1;
    }

    // expect: ADIFF004
    // domain: x in (-3, 3)
    [Differentiable]
    public static double InverseHyperbolicSine(double x) => Math.Asinh(x) + 0.5 * x;

    // expect: ADIFF004
    // domain: x in (-0.9, 0.9)
    [Differentiable]
    public static double FisherZ(double r) => Math.Atanh(r);

    // expect: clean
    // domain: x in (-3, 3)
    [Differentiable]
    public static double AsinhByLog(double x) => Math.Log(x + Math.Sqrt(x * x + 1));

    // expect: ADIFF004
    [Differentiable]
    public static double ScaleByPowerOfTwo(double x, int exponent) => Math.ScaleB(x, exponent) - x;

    // expect: ADIFF009
    // domain: n = 4
    [Differentiable]
    public static double HermitePolynomialBySwitch(int n, double x)
    {
        switch (n)
        {
            case 0: return 1;
            case 1: return 2 * x;
            case 2: return 4 * x * x - 2;
            default: return 8 * x * x * x - 12 * x;
        }
    }

    // expect: clean
    // domain: x in (0.5, 6)
    [Differentiable]
    public static double GammaRatioCheckedForNaN(double x)
    {
        double r = Gamma(x + 0.5) / Gamma(x);
        if (double.IsNaN(r) || double.IsInfinity(r))
            throw new ArithmeticException("overflow in the gamma ratio");
        return r;
    }

    // Not differentiable: an integer function.
    public static long Factorial(int n)
    {
        long f = 1;
        for (int i = 2; i <= n; i++) f *= i;
        return f;
    }

    // expect: clean
    // domain: x in (-2, 2); n = 6
    [Differentiable]
    public static double ExpTaylor(double x, int n)
    {
        double sum = 0;
        for (int k = 0; k <= n; k++)
            sum += Math.Pow(x, k) / Factorial(k);
        return sum;
    }
}
