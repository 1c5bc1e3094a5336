using System;
using Autodiff;

namespace Corpus.Finance;

/// <summary>Pricing and risk formulas of a small quantitative-finance library.</summary>
public static partial class Pricing
{
    private const double DaysPerYear = 365.0;
    private static readonly double InvSqrt2 = 1 / Math.Sqrt(2);

    // expect: clean
    // domain: x in (-5, 5)
    [Differentiable]
    private static double NormalCdf(double x)
    {
        // Hart's double-precision approximation is overkill here: Abramowitz–Stegun 26.2.17.
        double z = Math.Abs(x);
        double t = 1 / (1 + 0.2316419 * z);
        double poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
        double tail = Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI) * poly;
        return x >= 0 ? 1 - tail : tail;
    }

    // expect: clean
    // domain: s in (80, 120); k in (90, 110); r in (0.01, 0.05); sigma in (0.1, 0.4); t in (0.2, 2)
    [Differentiable]
    public static double BlackScholesCall(double s, double k, double r, double sigma, double t)
    {
        double sqrtT = Math.Sqrt(t);
        double d1 = (Math.Log(s / k) + (r + 0.5 * sigma * sigma) * t) / (sigma * sqrtT);
        double d2 = d1 - sigma * sqrtT;
        return s * NormalCdf(d1) - k * Math.Exp(-r * t) * NormalCdf(d2);
    }

    // expect: clean
    // domain: s in (80, 120); k in (90, 110); r in (0.01, 0.05); sigma in (0.1, 0.4); t in (0.2, 2)
    [Differentiable]
    public static double BlackScholesPut(double s, double k, double r, double sigma, double t) =>
        BlackScholesCall(s, k, r, sigma, t) - s + k * Math.Exp(-r * t);

    // expect: clean
    // domain: s in (80, 120); k in (90, 110); r in (0.01, 0.05); sigma in (0.1, 0.4); t in (0.2, 2)
    [Differentiable]
    public static double CallDelta(double s, double k, double r, double sigma, double t)
    {
        double d1 = (Math.Log(s / k) + (r + sigma * sigma / 2) * t) / (sigma * Math.Sqrt(t));
        return NormalCdf(d1);
    }

    // expect: clean
    // domain: price in (5, 15); s in (95, 105); k in (95, 105); t in (0.5, 1.5)
    [Differentiable]
    public static double ImpliedVolatility(double price, double s, double k, double t)
    {
        const double r = 0.02;
        double sigma = 0.3;
        for (int i = 0; i < 100; i++)
        {
            double diff = BlackScholesCall(s, k, r, sigma, t) - price;
            double d1 = (Math.Log(s / k) + (r + 0.5 * sigma * sigma) * t) / (sigma * Math.Sqrt(t));
            double vega = s * Math.Exp(-0.5 * d1 * d1) / Math.Sqrt(2 * Math.PI) * Math.Sqrt(t);
            double step = diff / vega;
            sigma -= step;
            if (Math.Abs(step) < 1e-14) break;
        }
        return sigma;
    }

    // expect: clean
    // domain: rate in (0.01, 0.1); coupon in (0.02, 0.08); years = 10
    [Differentiable]
    public static double BondPrice(double rate, double coupon, int years)
    {
        double price = 0, discount = 1;
        for (int y = 1; y <= years; y++)
        {
            discount /= 1 + rate;
            price += coupon * 100 * discount;
        }
        return price + 100 * discount;
    }

    // expect: clean
    // domain: rate in (0.01, 0.1); coupon in (0.02, 0.08); years = 10
    [Differentiable]
    public static double MacaulayDuration(double rate, double coupon, int years)
    {
        double weighted = 0, price = 0;
        for (int y = 1; y <= years; y++)
        {
            double cash = y == years ? 100 + 100 * coupon : 100 * coupon;
            double pv = cash / Math.Pow(1 + rate, y);
            weighted += y * pv;
            price += pv;
        }
        return weighted / price;
    }

    // expect: clean
    // domain: price in (85, 115); coupon in (0.02, 0.08); years = 8
    [Differentiable]
    public static double YieldToMaturity(double price, double coupon, int years)
    {
        double y = coupon;
        for (int iteration = 0; iteration < 100; iteration++)
        {
            double f = -price, df = 0;
            for (int t = 1; t <= years; t++)
            {
                double cash = 100 * coupon + (t == years ? 100 : 0);
                f += cash / Math.Pow(1 + y, t);
                df -= t * cash / Math.Pow(1 + y, t + 1);
            }
            double step = f / df;
            y -= step;
            if (Math.Abs(step) < 1e-15) break;
        }
        return y;
    }

    // expect: clean
    // domain: rate in (0.01, 0.1); periods = 12
    [Differentiable]
    public static double AnnuityPresentValue(double payment, double rate, int periods) =>
        rate == 0 ? payment * periods : payment * (1 - Math.Pow(1 + rate, -periods)) / rate;

    // expect: clean
    // domain: principal in (1000, 5000); rate in (0.01, 0.08); periods = 24
    [Differentiable]
    public static double MortgagePayment(double principal, double rate, int periods)
    {
        double monthly = rate / 12;
        return principal * monthly / (1 - Math.Pow(1 + monthly, -periods));
    }

    // expect: clean
    // domain: rate in (0.01, 0.15); flows in (-1, 2)
    [Differentiable]
    public static double NetPresentValue(double rate, double[] flows)
    {
        double npv = 0;
        for (int t = 0; t < flows.Length; t++)
            npv += flows[t] / Math.Pow(1 + rate, t);
        return npv;
    }

    // expect: clean
    // domain: invest in (2, 3); flows in (0.8, 1.2)
    [Differentiable]
    public static double InternalRateOfReturn(double invest, double[] flows)
    {
        double r = 0.1;
        for (int i = 0; i < 100; i++)
        {
            double f = -invest, df = 0, discount = 1;
            for (int t = 0; t < flows.Length; t++)
            {
                discount /= 1 + r;
                f += flows[t] * discount;
                df -= (t + 1) * flows[t] * discount / (1 + r);
            }
            double step = f / df;
            r -= step;
            if (Math.Abs(step) < 1e-15) break;
        }
        return r;
    }

    // expect: clean
    // domain: principal in (100, 1000); rate in (0.01, 0.1); years in (1, 10); n = 12
    [Differentiable]
    public static double CompoundInterest(double principal, double rate, double years, int n) =>
        principal * Math.Pow(1 + rate / n, n * years);

    // expect: clean
    // domain: start in (50, 100); end in (100, 200); years in (2, 10)
    [Differentiable]
    public static double CompoundAnnualGrowthRate(double start, double end, double years) => Math.Pow(end / start, 1 / years) - 1;

    // expect: clean
    // domain: returns in (-0.05, 0.08); returns len 12; riskFree in (0, 0.01)
    [Differentiable]
    public static double SharpeRatio(double[] returns, double riskFree)
    {
        double mean = 0;
        for (int i = 0; i < returns.Length; i++) mean += returns[i] - riskFree;
        mean /= returns.Length;
        double variance = 0;
        for (int i = 0; i < returns.Length; i++)
        {
            double d = returns[i] - riskFree - mean;
            variance += d * d;
        }
        return mean / Math.Sqrt(variance / (returns.Length - 1));
    }

    // expect: clean
    // domain: returns in (-0.05, 0.05); returns len 10
    [Differentiable]
    public static double MaxDrawdown(double[] returns)
    {
        double value = 1, peak = 1, worst = 0;
        foreach (double r in returns)
        {
            value *= 1 + r;
            if (value > peak) peak = value;
            double drawdown = (peak - value) / peak;
            if (drawdown > worst) worst = drawdown;
        }
        return worst;
    }

    // expect: clean
    // domain: p in (0.5, 0.7); b in (1, 3)
    [Differentiable]
    public static double KellyFraction(double p, double b) => p - (1 - p) / b;

    // expect: clean
    // domain: w in (0.1, 0.9); s1 in (0.1, 0.3); s2 in (0.1, 0.3); rho in (-0.5, 0.5)
    [Differentiable]
    public static double PortfolioVolatility(double w, double s1, double s2, double rho) =>
        Math.Sqrt(w * w * s1 * s1 + (1 - w) * (1 - w) * s2 * s2 + 2 * w * (1 - w) * rho * s1 * s2);

    // expect: clean
    // domain: s in (90, 110); k in (95, 105); r in (0.01, 0.05); sigma in (0.1, 0.4); steps = 30
    [Differentiable]
    public static double BinomialTreeAmericanPut(double s, double k, double r, double sigma, int steps)
    {
        const double t = 1.0;
        double dt = t / steps;
        double u = Math.Exp(sigma * Math.Sqrt(dt)), d = 1 / u;
        double p = (Math.Exp(r * dt) - d) / (u - d);
        double disc = Math.Exp(-r * dt);
        double[] values = new double[steps + 1];
        for (int i = 0; i <= steps; i++)
            values[i] = Math.Max(k - s * Math.Pow(u, steps - i) * Math.Pow(d, i), 0);
        for (int step = steps - 1; step >= 0; step--)
        {
            for (int i = 0; i <= step; i++)
            {
                double hold = disc * (p * values[i] + (1 - p) * values[i + 1]);
                double exercise = k - s * Math.Pow(u, step - i) * Math.Pow(d, i);
                values[i] = Math.Max(hold, exercise);
            }
        }
        return values[0];
    }

    // expect: clean
    // domain: days = 90; rate in (0.01, 0.05)
    [Differentiable]
    public static double DiscountFactorActual365(double rate, int days) => Math.Exp(-rate * days / DaysPerYear);

    // expect: ADIFF004
    // domain: price in (90, 110)
    [Differentiable]
    public static double RoundedToCents(double price) => (double)decimal.Round((decimal)price, 2);

    // expect: ADIFF004
    // domain: price in (90, 110)
    [Differentiable]
    public static double ParsedBack(double price)
    {
        string text = price.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        return double.Parse(text, System.Globalization.CultureInfo.InvariantCulture) * 1.01;
    }

    // expect: clean, ADIFF008
    // domain: notional in (1000, 5000)
    [Differentiable]
    public static double LotsTimesPrice(double notional, double price)
    {
        int lots = (int)(notional / 100);
        return lots * price;
    }

    // expect: ADIFF005
    // domain: rate in (0.01, 0.05)
    [Differentiable]
    public static double CachedDiscount(double rate)
    {
        double factor = Math.Exp(-rate);
        lastFactor = factor;
        return factor;
    }

    private static double lastFactor;

    // Not differentiable: void.
    public static void Reset() => lastFactor = 0;

    // expect: clean
    // domain: rate in (0.01, 0.05)
    [Differentiable]
    public static double DiscountWithDetachedCache(double rate)
    {
        double factor = Math.Exp(-rate);
        lastFactor = Grad.Stop(factor);
        return factor * 2;
    }
}
