using System;
using Autodiff;

namespace Corpus.Probability;

/// <summary>Densities, distribution functions and quantiles, written the way a statistics library writes them.</summary>
public static partial class Distributions
{
    private const double InvSqrtTwoPi = 0.3989422804014327;
    private const double LogSqrtTwoPi = 0.91893853320467274;
    private static readonly double Sqrt2 = Math.Sqrt(2.0);

    private static readonly double[] StirlingTerms = { 1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680 };

    // expect: clean
    // domain: x in (0.5, 10)
    [Differentiable]
    private static double LogGamma(double x)
    {
        double shift = 0;
        while (x < 8)
        {
            shift += Math.Log(x);
            x++;
        }
        double z = 1 / (x * x), series = 0, power = 1 / x;
        foreach (double c in StirlingTerms)
        {
            series += c * power;
            power *= z;
        }
        return (x - 0.5) * Math.Log(x) - x + LogSqrtTwoPi + series - shift;
    }

    // expect: clean
    // domain: x in (-4, 4)
    [Differentiable]
    private static double Erf(double x)
    {
        double t = 1 / (1 + 0.5 * Math.Abs(x));
        // Numerical-Recipes-style Chebyshev fit of erfc, fractional error below 1.2e-7.
        double y = t * Math.Exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
            + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
            + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - y : y - 1;
    }

    // expect: clean
    // domain: x in (-4, 4); mu in (-1, 1); sigma in (0.5, 2)
    [Differentiable]
    public static double NormalPdf(double x, double mu, double sigma)
    {
        double z = (x - mu) / sigma;
        return InvSqrtTwoPi / sigma * Math.Exp(-0.5 * z * z);
    }

    // expect: clean
    // domain: x in (-4, 4)
    [Differentiable]
    public static double NormalPdf(double x) => NormalPdf(x, 0, 1);

    // expect: clean
    // domain: x in (-4, 4); mu in (-1, 1); sigma in (0.5, 2)
    [Differentiable]
    public static double NormalLogPdf(double x, double mu, double sigma)
    {
        double z = (x - mu) / sigma;
        return -LogSqrtTwoPi - Math.Log(sigma) - z * z / 2;
    }

    // expect: clean
    // domain: x in (-4, 4); mu in (-1, 1); sigma in (0.5, 2)
    [Differentiable]
    public static double NormalCdf(double x, double mu, double sigma) => 0.5 * (1 + Erf((x - mu) / (sigma * Sqrt2)));

    // expect: clean
    // domain: x in (-4, 4)
    [Differentiable]
    public static double StandardNormalCdf(double x)
    {
        // Zelen and Severo (Abramowitz and Stegun 26.2.17).
        double z = Math.Abs(x);
        double t = 1 / (1 + 0.2316419 * z);
        double poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
        double tail = InvSqrtTwoPi * Math.Exp(-z * z / 2) * poly;
        return x >= 0 ? 1 - tail : tail;
    }

    // expect: clean
    // domain: p in (0.02, 0.98)
    [Differentiable]
    public static double NormalQuantile(double p)
    {
        // Acklam's rational approximation, then one Halley step against the cdf.
        double[] a = { -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690, -30.66479806614716, 2.506628277459239 };
        double[] b = { -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572 };
        double[] c = { -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783 };
        double[] d = { 0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416 };
        const double low = 0.02425;
        double x;
        if (p < low)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        else if (p <= 1 - low)
        {
            double q = p - 0.5, r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        }
        else
        {
            double q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        return x;
    }

    // expect: clean
    // domain: x in (0.1, 6); mu in (-0.5, 0.5); sigma in (0.4, 1.5)
    [Differentiable]
    public static double LogNormalPdf(double x, double mu, double sigma)
    {
        if (x <= 0) return 0;
        double z = (Math.Log(x) - mu) / sigma;
        return Math.Exp(-z * z / 2) / (x * sigma * Math.Sqrt(2 * Math.PI));
    }

    // expect: clean
    // domain: x in (0.1, 6); mu in (-0.5, 0.5); sigma in (0.4, 1.5)
    [Differentiable]
    public static double LogNormalCdf(double x, double mu, double sigma) => x <= 0 ? 0 : NormalCdf(Math.Log(x), mu, sigma);

    // expect: clean
    // domain: x in (0.1, 5); lambda in (0.3, 3)
    [Differentiable]
    public static double ExponentialPdf(double x, double lambda) => x < 0 ? 0 : lambda * Math.Exp(-lambda * x);

    // expect: clean
    // domain: x in (0.1, 5); lambda in (0.3, 3)
    [Differentiable]
    public static double ExponentialCdf(double x, double lambda) => x < 0 ? 0 : 1 - Math.Exp(-lambda * x);

    // expect: clean
    // domain: p in (0.05, 0.95); lambda in (0.3, 3)
    [Differentiable]
    public static double ExponentialQuantile(double p, double lambda) => -Math.Log(1 - p) / lambda;

    // expect: clean
    // domain: x in (0.1, 8); shape in (0.8, 5); rate in (0.3, 3)
    [Differentiable]
    public static double GammaLogPdf(double x, double shape, double rate) =>
        shape * Math.Log(rate) + (shape - 1) * Math.Log(x) - rate * x - LogGamma(shape);

    // expect: clean
    // domain: x in (0.1, 8); shape in (0.8, 5); rate in (0.3, 3)
    [Differentiable]
    public static double GammaPdf(double x, double shape, double rate) => Math.Exp(GammaLogPdf(x, shape, rate));

    // expect: clean
    // domain: x in (0.1, 4); shape in (0.8, 4)
    [Differentiable]
    public static double GammaCdfSeries(double x, double shape)
    {
        double term = 1 / shape, sum = term;
        for (int n = 1; n < 300; n++)
        {
            term *= x / (shape + n);
            sum += term;
            if (term < sum * 1e-16) break;
        }
        return sum * Math.Exp(shape * Math.Log(x) - x - LogGamma(shape));
    }

    // expect: clean
    // domain: x in (0.05, 0.95); a in (0.8, 5); b in (0.8, 5)
    [Differentiable]
    public static double BetaLogPdf(double x, double a, double b) =>
        (a - 1) * Math.Log(x) + (b - 1) * Math.Log(1 - x) - (LogGamma(a) + LogGamma(b) - LogGamma(a + b));

    // expect: clean
    // domain: x in (0.05, 0.95); a in (0.8, 5); b in (0.8, 5)
    [Differentiable]
    public static double BetaPdf(double x, double a, double b)
    {
        if (x <= 0 || x >= 1) return 0;
        return Math.Exp(BetaLogPdf(x, a, b));
    }

    // expect: clean
    // domain: x in (-4, 4); nu in (1.5, 12)
    [Differentiable]
    public static double StudentTLogPdf(double x, double nu) =>
        LogGamma((nu + 1) / 2) - LogGamma(nu / 2) - 0.5 * Math.Log(nu * Math.PI) - (nu + 1) / 2 * Math.Log(1 + x * x / nu);

    // expect: clean
    // domain: x in (-4, 4); nu in (1.5, 12)
    [Differentiable]
    public static double StudentTPdf(double x, double nu) => Math.Exp(StudentTLogPdf(x, nu));

    // expect: clean
    // domain: x in (-4, 4); nu = 3
    [Differentiable]
    public static double StudentTCdfOddDof(double x, int nu)
    {
        // Closed form for odd degrees of freedom: θ = atan(t/√ν), sum of cosines.
        double theta = Math.Atan(x / Math.Sqrt(nu));
        double c = Math.Cos(theta), s = Math.Sin(theta);
        double sum = 0, term = c;
        if (nu > 1)
        {
            sum = term;
            for (int k = 3; k < nu; k += 2)
            {
                term *= c * c * (k - 1) / k;
                sum += term;
            }
        }
        return 0.5 + (theta + s * sum) / Math.PI;
    }

    // expect: clean
    // domain: x in (-5, 5); mu in (-1, 1); s in (0.4, 2)
    [Differentiable]
    public static double LogisticPdf(double x, double mu, double s)
    {
        double e = Math.Exp(-(x - mu) / s);
        return e / (s * (1 + e) * (1 + e));
    }

    // expect: clean
    // domain: x in (-5, 5); mu in (-1, 1); s in (0.4, 2)
    [Differentiable]
    public static double LogisticCdf(double x, double mu, double s) => 1 / (1 + Math.Exp(-(x - mu) / s));

    // expect: clean
    // domain: p in (0.05, 0.95); mu in (-1, 1); s in (0.4, 2)
    [Differentiable]
    public static double LogisticQuantile(double p, double mu, double s) => mu + s * Math.Log(p / (1 - p));

    // expect: clean
    // domain: x in (0.1, 4); k in (0.6, 4); lambda in (0.5, 3)
    [Differentiable]
    public static double WeibullPdf(double x, double k, double lambda)
    {
        if (x < 0) return 0;
        double r = x / lambda;
        return k / lambda * Math.Pow(r, k - 1) * Math.Exp(-Math.Pow(r, k));
    }

    // expect: clean
    // domain: x in (0.1, 4); k in (0.6, 4); lambda in (0.5, 3)
    [Differentiable]
    public static double WeibullCdf(double x, double k, double lambda) => x < 0 ? 0 : 1 - Math.Exp(-Math.Pow(x / lambda, k));

    // expect: clean
    // domain: p in (0.05, 0.95); k in (0.6, 4); lambda in (0.5, 3)
    [Differentiable]
    public static double WeibullQuantile(double p, double k, double lambda) => lambda * Math.Pow(-Math.Log(1 - p), 1 / k);

    // expect: clean
    // domain: x in (-4, 4); x0 in (-1, 1); gamma in (0.3, 2)
    [Differentiable]
    public static double CauchyPdf(double x, double x0, double gamma)
    {
        double z = (x - x0) / gamma;
        return 1 / (Math.PI * gamma * (1 + z * z));
    }

    // expect: clean
    // domain: x in (-4, 4); x0 in (-1, 1); gamma in (0.3, 2)
    [Differentiable]
    public static double CauchyCdf(double x, double x0, double gamma) => 0.5 + Math.Atan((x - x0) / gamma) / Math.PI;

    // expect: clean
    // domain: x in (-4, 4); mu in (-1, 1); b in (0.4, 2)
    [Differentiable]
    public static double LaplaceLogPdf(double x, double mu, double b) => -Math.Log(2 * b) - Math.Abs(x - mu) / b;

    // expect: clean
    // domain: x in (-4, 4); mu in (-1, 1); beta in (0.5, 2)
    [Differentiable]
    public static double GumbelCdf(double x, double mu, double beta) => Math.Exp(-Math.Exp(-(x - mu) / beta));

    // expect: clean
    // domain: x in (1.1, 6); xm in (0.5, 1); alpha in (0.5, 4)
    [Differentiable]
    public static double ParetoLogPdf(double x, double xm, double alpha) =>
        x < xm ? double.NegativeInfinity : Math.Log(alpha) + alpha * Math.Log(xm) - (alpha + 1) * Math.Log(x);

    // expect: clean
    // domain: k = 4; lambda in (0.5, 8)
    [Differentiable]
    public static double PoissonLogPmf(int k, double lambda)
    {
        double logFactorial = 0;
        for (int i = 2; i <= k; i++) logFactorial += Math.Log(i);
        return k * Math.Log(lambda) - lambda - logFactorial;
    }

    // expect: clean
    // domain: k = 3; n = 10; p in (0.05, 0.95)
    [Differentiable]
    public static double BinomialPmf(int k, int n, double p)
    {
        double logChoose = LogGamma(n + 1) - LogGamma(k + 1) - LogGamma(n - k + 1);
        return Math.Exp(logChoose + k * Math.Log(p) + (n - k) * Math.Log(1 - p));
    }

    // expect: clean
    // domain: k = 3; r in (0.8, 6); p in (0.1, 0.9)
    [Differentiable]
    public static double NegativeBinomialLogPmf(int k, double r, double p) =>
        LogGamma(k + r) - LogGamma(k + 1) - LogGamma(r) + r * Math.Log(p) + k * Math.Log(1 - p);

    // expect: clean
    // domain: x in (0.1, 10); k in (1, 8)
    [Differentiable]
    public static double ChiSquaredLogPdf(double x, double k) =>
        (k / 2 - 1) * Math.Log(x) - x / 2 - k / 2 * Math.Log(2) - LogGamma(k / 2);

    // expect: clean
    // domain: x in (0.2, 4); a in (0, 0.1); b in (4.5, 6)
    [Differentiable]
    public static double UniformLogPdf(double x, double a, double b) => x < a || x > b ? double.NegativeInfinity : -Math.Log(b - a);

    // expect: clean
    // domain: x in (0.1, 3); a in (0, 0.05); c in (1.5, 2); b in (3.5, 4)
    [Differentiable]
    public static double TriangularPdf(double x, double a, double c, double b)
    {
        if (x < a || x > b) return 0;
        if (x < c) return 2 * (x - a) / ((b - a) * (c - a));
        if (x == c) return 2 / (b - a);
        return 2 * (b - x) / ((b - a) * (b - c));
    }

    // expect: clean
    // domain: x in (-3, 3); mu in (-0.5, 0.5); sigma in (0.5, 2); alpha in (-3, 3)
    [Differentiable]
    public static double SkewNormalLogPdf(double x, double mu, double sigma, double alpha)
    {
        double z = (x - mu) / sigma;
        return Math.Log(2) + NormalLogPdf(z, 0, 1) - Math.Log(sigma) + Math.Log(NormalCdf(alpha * z, 0, 1));
    }

    // expect: clean
    // domain: x in (-3, 3); mu in (-1, 1); kappa in (0.3, 4)
    [Differentiable]
    public static double VonMisesLogPdf(double x, double mu, double kappa)
    {
        double i0 = 1, term = 1, q = kappa * kappa / 4;
        for (int k = 1; k < 40; k++)
        {
            term *= q / (k * k);
            i0 += term;
        }
        return kappa * Math.Cos(x - mu) - Math.Log(2 * Math.PI * i0);
    }

    // expect: clean
    // domain: x in (-3, 3); weight in (0.1, 0.9); mu1 in (-2, -1); mu2 in (1, 2)
    [Differentiable]
    public static double MixtureLogPdf(double x, double weight, double mu1, double mu2)
    {
        double a = Math.Log(weight) + NormalLogPdf(x, mu1, 1);
        double b = Math.Log(1 - weight) + NormalLogPdf(x, mu2, 1);
        double m = Math.Max(a, b);
        return m + Math.Log(Math.Exp(a - m) + Math.Exp(b - m));
    }

    // expect: clean
    // domain: x in (-3, 3); mu in (-1, 1); sigma in (0.5, 2)
    [Differentiable]
    public static double NormalSurvival(double x, double mu, double sigma) => 1 - NormalCdf(x, mu, sigma);

    // expect: clean
    // domain: x in (-3, 3)
    [Differentiable]
    public static double MillsRatio(double x) => (1 - StandardNormalCdf(x)) / NormalPdf(x);

    // expect: clean
    // domain: x in (-2, 2); lo in (-3, -2.5); hi in (2.5, 3)
    [Differentiable]
    public static double TruncatedNormalLogPdf(double x, double lo, double hi)
    {
        if (x < lo || x > hi) return double.NegativeInfinity;
        double mass = StandardNormalCdf(hi) - StandardNormalCdf(lo);
        return NormalLogPdf(x, 0, 1) - Math.Log(mass);
    }

    // expect: clean
    // domain: p in (0.05, 0.95); mu in (-1, 1); sigma in (0.5, 2)
    [Differentiable]
    public static double NormalQuantileScaled(double p, double mu, double sigma) => mu + sigma * NormalQuantile(p);

    // expect: clean
    // domain: p in (0.1, 0.9); shape in (1, 3)
    [Differentiable]
    public static double GammaQuantileByNewton(double p, double shape)
    {
        // Solve P(shape, x) = p by Newton's method from the Wilson–Hilferty start.
        double x = shape;
        for (int i = 0; i < 60; i++)
        {
            double err = GammaCdfSeries(x, shape) - p;
            double density = Math.Exp((shape - 1) * Math.Log(x) - x - LogGamma(shape));
            double step = err / density;
            if (step > x / 2) step = x / 2;
            x -= step;
            if (Math.Abs(step) < 1e-14 * x) break;
        }
        return x;
    }

    // expect: ADIFF004
    // domain: x in (-3, 3)
    [Differentiable]
    public static double ErfFromFramework(double x) => 0.5 * (1 + Erf2(x / Sqrt2));

    // A plain helper without [Differentiable]: the shape of many "utility" methods in the wild.
    private static double Erf2(int k) => k;

    private static double Erf2(double x)
    {
        double t = 1 / (1 + 0.47047 * Math.Abs(x));
        double y = 1 - t * (0.3480242 + t * (-0.0958798 + t * 0.7478556)) * Math.Exp(-x * x);
        return x < 0 ? -y : y;
    }

    // expect: clean
    // domain: x in (-3, 3); mu in (-1, 1)
    [Differentiable]
    public static double NormalLogPdfFixedScale(double x, double mu, [NoGrad] double sigma = 1.5)
    {
        double z = (x - mu) / sigma;
        return -0.5 * z * z - Math.Log(sigma) - LogSqrtTwoPi;
    }

    // expect: ADIFF006
    // domain: x in (-3, 3)
    [Differentiable]
    public static double StandardizeByRef(double x, double mu, double sigma)
    {
        double z = x;
        Standardize(ref z, mu, sigma);
        return z * z;
    }

    private static void Standardize(ref double value, double mu, double sigma) => value = (value - mu) / sigma;

    // expect: ADIFF006|ADIFF004|ADIFF009
    // domain: x in (-3, 3)
    [Differentiable]
    public static double LogPdfAndCdf(double x)
    {
        double logPdf = PdfAndCdf(x, out double cdf);
        return logPdf + cdf;
    }

    // expect: ADIFF006|ADIFF004
    // domain: x in (-3, 3)
    [Differentiable]
    public static double LogPdfAndCdfDeclaredFirst(double x)
    {
        double cdf;
        double logPdf = PdfAndCdf(x, out cdf);
        return logPdf + cdf;
    }

    private static double PdfAndCdf(double x, out double cdf)
    {
        cdf = 0.5 * (1 + Erf2(x / Math.Sqrt(2)));
        return -x * x / 2 - LogSqrtTwoPi;
    }
}
