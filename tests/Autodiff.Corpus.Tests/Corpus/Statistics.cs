using System;
using Autodiff;

namespace Corpus.Stats;

/// <summary>Descriptive statistics over arrays, with the loops a statistics package writes.</summary>
public static partial class Statistics
{
    private const double Tolerance = 1e-12;

    // expect: clean
    [Differentiable]
    public static double Sum(double[] values)
    {
        double s = 0;
        foreach (double v in values) s += v;
        return s;
    }

    // expect: clean
    [Differentiable]
    public static double KahanSum(double[] values)
    {
        double sum = 0, compensation = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double y = values[i] - compensation;
            double t = sum + y;
            compensation = (t - sum) - y;
            sum = t;
        }
        return sum;
    }

    // expect: clean
    [Differentiable]
    public static double Mean(double[] values)
    {
        if (values.Length == 0) throw new ArgumentException("empty sample", nameof(values));
        return Sum(values) / values.Length;
    }

    // expect: clean
    [Differentiable]
    public static double VarianceTwoPass(double[] values)
    {
        double m = Mean(values);
        double ss = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double d = values[i] - m;
            ss += d * d;
        }
        return ss / (values.Length - 1);
    }

    // expect: clean
    [Differentiable]
    public static double VarianceWelford(double[] values)
    {
        double mean = 0, m2 = 0;
        int n = 0;
        foreach (double x in values)
        {
            n++;
            double delta = x - mean;
            mean += delta / n;
            m2 += delta * (x - mean);
        }
        return n < 2 ? 0 : m2 / (n - 1);
    }

    // expect: clean
    [Differentiable]
    public static double StandardDeviation(double[] values) => Math.Sqrt(VarianceWelford(values));

    // expect: clean
    [Differentiable]
    public static double StandardError(double[] values) => StandardDeviation(values) / Math.Sqrt(values.Length);

    // expect: clean
    // domain: values in (0.5, 3)
    [Differentiable]
    public static double CoefficientOfVariation(double[] values) => StandardDeviation(values) / Mean(values);

    // expect: clean
    // domain: w in (0.2, 2)
    [Differentiable]
    public static double WeightedMean(double[] x, double[] w)
    {
        double sw = 0, swx = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sw += w[i];
            swx += w[i] * x[i];
        }
        return swx / sw;
    }

    // expect: clean
    // domain: w in (0.2, 2)
    [Differentiable]
    public static double WeightedVariance(double[] x, double[] w)
    {
        double mean = WeightedMean(x, w);
        double sw = 0, acc = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = x[i] - mean;
            acc += w[i] * d * d;
            sw += w[i];
        }
        return acc / sw;
    }

    // expect: clean
    [Differentiable]
    public static double Covariance(double[] x, double[] y)
    {
        if (x.Length != y.Length) throw new ArgumentException("lengths differ");
        double mx = Mean(x), my = Mean(y), s = 0;
        for (int i = 0; i < x.Length; i++) s += (x[i] - mx) * (y[i] - my);
        return s / (x.Length - 1);
    }

    // expect: clean
    [Differentiable]
    public static double Correlation(double[] x, double[] y) =>
        Covariance(x, y) / Math.Sqrt(VarianceTwoPass(x) * VarianceTwoPass(y));

    // expect: clean
    [Differentiable]
    public static double Skewness(double[] values)
    {
        int n = values.Length;
        double m = Mean(values), m2 = 0, m3 = 0;
        for (int i = 0; i < n; i++)
        {
            double d = values[i] - m;
            m2 += d * d;
            m3 += d * d * d;
        }
        m2 /= n;
        m3 /= n;
        return m3 / Math.Pow(m2, 1.5);
    }

    // expect: clean
    [Differentiable]
    public static double ExcessKurtosis(double[] values)
    {
        double m = Mean(values), m2 = 0, m4 = 0;
        foreach (double v in values)
        {
            double d2 = (v - m) * (v - m);
            m2 += d2;
            m4 += d2 * d2;
        }
        int n = values.Length;
        return n * m4 / (m2 * m2) - 3;
    }

    // expect: clean
    [Differentiable]
    public static double LogSumExp(double[] x)
    {
        double max = double.NegativeInfinity;
        for (int i = 0; i < x.Length; i++)
            if (x[i] > max) max = x[i];
        if (double.IsNegativeInfinity(max)) return max;
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += Math.Exp(x[i] - max);
        return max + Math.Log(s);
    }

    // expect: clean
    [Differentiable]
    public static double LogSumExpStreaming(double[] x)
    {
        double m = x[0], s = 1;
        for (int i = 1; i < x.Length; i++)
        {
            if (x[i] <= m)
            {
                s += Math.Exp(x[i] - m);
            }
            else
            {
                s = s * Math.Exp(m - x[i]) + 1;
                m = x[i];
            }
        }
        return m + Math.Log(s);
    }

    // expect: clean
    [Differentiable]
    public static double SoftmaxWeightedSum(double[] logits, double[] values)
    {
        double m = logits[0];
        for (int i = 1; i < logits.Length; i++) m = Math.Max(m, logits[i]);
        double z = 0, acc = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            double e = Math.Exp(logits[i] - m);
            z += e;
            acc += e * values[i];
        }
        return acc / z;
    }

    // expect: clean
    // domain: k = 2
    [Differentiable]
    public static double SoftmaxProbability(double[] logits, int k)
    {
        double[] p = new double[logits.Length];
        double max = logits[0];
        for (int i = 1; i < logits.Length; i++) if (logits[i] > max) max = logits[i];
        double total = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            p[i] = Math.Exp(logits[i] - max);
            total += p[i];
        }
        for (int i = 0; i < p.Length; i++) p[i] /= total;
        return p[k];
    }

    // expect: clean
    // domain: labels = 1,0,2,1,0
    [Differentiable]
    public static double CrossEntropy(double[] logits, int[] labels)
    {
        // logits holds 5 rows of 3 classes? No: one row per label, 3 classes, flattened row-major.
        const int classes = 3;
        int rows = logits.Length / classes;
        double loss = 0;
        for (int r = 0; r < rows; r++)
        {
            double m = double.NegativeInfinity;
            for (int c = 0; c < classes; c++) m = Math.Max(m, logits[r * classes + c]);
            double s = 0;
            for (int c = 0; c < classes; c++) s += Math.Exp(logits[r * classes + c] - m);
            loss += m + Math.Log(s) - logits[r * classes + labels[r]];
        }
        return loss / rows;
    }

    // expect: clean
    // domain: p in (0.1, 0.9); q in (0.1, 0.9)
    [Differentiable]
    public static double KullbackLeibler(double[] p, double[] q)
    {
        double kl = 0;
        for (int i = 0; i < p.Length; i++)
        {
            if (p[i] == 0) continue;
            kl += p[i] * Math.Log(p[i] / q[i]);
        }
        return kl;
    }

    // expect: clean
    // domain: p in (0.05, 1)
    [Differentiable]
    public static double Entropy(double[] p)
    {
        double total = 0;
        for (int i = 0; i < p.Length; i++) total += p[i];
        double h = 0;
        for (int i = 0; i < p.Length; i++)
        {
            double q = p[i] / total;
            if (q > 0) h -= q * Math.Log(q);
        }
        return h;
    }

    // expect: clean
    // domain: x in (0.2, 4)
    [Differentiable]
    public static double GeometricMean(double[] x)
    {
        double logSum = 0;
        for (int i = 0; i < x.Length; i++) logSum += Math.Log(x[i]);
        return Math.Exp(logSum / x.Length);
    }

    // expect: clean
    // domain: x in (0.2, 4)
    [Differentiable]
    public static double HarmonicMean(double[] x)
    {
        double s = 0;
        foreach (var v in x) s += 1 / v;
        return x.Length / s;
    }

    // expect: clean
    // domain: x in (0.2, 4); p in (0.5, 3)
    [Differentiable]
    public static double PowerMean(double[] x, double p)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += Math.Pow(x[i], p);
        return Math.Pow(s / x.Length, 1 / p);
    }

    // expect: clean
    [Differentiable]
    public static double RootMeanSquare(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * x[i];
        return Math.Sqrt(s / x.Length);
    }

    // expect: clean
    [Differentiable]
    public static double MeanAbsoluteDeviation(double[] x)
    {
        double m = Mean(x), s = 0;
        for (int i = 0; i < x.Length; i++) s += Math.Abs(x[i] - m);
        return s / x.Length;
    }

    // expect: clean
    [Differentiable]
    public static double MaxValue(double[] x)
    {
        double best = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            if (x[i] > best) best = x[i];
        }
        return best;
    }

    // expect: clean
    [Differentiable]
    public static double Range(double[] x)
    {
        double lo = x[0], hi = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            lo = Math.Min(lo, x[i]);
            hi = Math.Max(hi, x[i]);
        }
        return hi - lo;
    }

    // Not differentiable: returns an index.
    public static int ArgMax(double[] x)
    {
        int best = 0;
        for (int i = 1; i < x.Length; i++) if (x[i] > x[best]) best = i;
        return best;
    }

    // expect: ADIFF004
    [Differentiable]
    public static double ValueAtArgMaxOfOther(double[] scores, double[] values) => values[ArgMax(scores)] * 2;

    // expect: clean, ADIFF008
    // domain: q in (0.05, 0.95)
    [Differentiable]
    public static double QuantileOfSorted([NoGrad] double[] sorted, double q)
    {
        // Linear interpolation between closest ranks (type 7).
        double h = (sorted.Length - 1) * q;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - Math.Floor(h)) * (sorted[hi] - sorted[lo]);
    }

    // expect: clean, ADIFF008
    // domain: q in (0.05, 0.95)
    [Differentiable]
    public static double QuantileWithCast(double[] sorted, double q)
    {
        double h = (sorted.Length - 1) * q;
        int lo = (int)h;
        double frac = h - lo;
        if (lo + 1 >= sorted.Length) return sorted[lo];
        return sorted[lo] * (1 - frac) + sorted[lo + 1] * frac;
    }

    // expect: ADIFF004
    [Differentiable]
    public static double Median(double[] x)
    {
        double[] copy = new double[x.Length];
        for (int i = 0; i < x.Length; i++) copy[i] = x[i];
        Array.Sort(copy);
        int mid = copy.Length / 2;
        return copy.Length % 2 == 1 ? copy[mid] : 0.5 * (copy[mid - 1] + copy[mid]);
    }

    // expect: clean
    [Differentiable]
    public static double MedianOfFiveBySelection(double[] x)
    {
        // Partial insertion sort of a local copy: comparisons and swaps only.
        double[] a = new double[x.Length];
        for (int i = 0; i < x.Length; i++) a[i] = x[i];
        for (int i = 1; i < a.Length; i++)
        {
            for (int j = i; j > 0 && a[j - 1] > a[j]; j--)
            {
                double t = a[j];
                a[j] = a[j - 1];
                a[j - 1] = t;
            }
        }
        return a[a.Length / 2];
    }

    // expect: clean
    // domain: alpha in (0.1, 0.9)
    [Differentiable]
    public static double ExponentialMovingAverage(double[] x, double alpha)
    {
        double ema = x[0];
        for (int i = 1; i < x.Length; i++) ema = alpha * x[i] + (1 - alpha) * ema;
        return ema;
    }

    // expect: clean
    // domain: x len 8; lag = 2
    [Differentiable]
    public static double Autocorrelation(double[] x, int lag)
    {
        double m = Mean(x), num = 0, den = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = x[i] - m;
            den += d * d;
            if (i + lag < x.Length) num += d * (x[i + lag] - m);
        }
        return num / den;
    }

    // expect: clean
    [Differentiable]
    public static double SimpleRegressionSlope(double[] x, double[] y)
    {
        double mx = Mean(x), my = Mean(y), sxy = 0, sxx = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxy / sxx;
    }

    // expect: clean
    [Differentiable]
    public static double ResidualSumOfSquares(double[] x, double[] y, double slope, double intercept)
    {
        double rss = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double r = y[i] - (slope * x[i] + intercept);
            rss += r * r;
        }
        return rss;
    }

    // expect: clean
    // domain: delta in (0.5, 2)
    [Differentiable]
    public static double HuberLoss(double[] residuals, double delta)
    {
        double loss = 0;
        foreach (double r in residuals)
        {
            double a = Math.Abs(r);
            loss += a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
        }
        return loss / residuals.Length;
    }

    // expect: clean
    // domain: targets in (0.05, 0.95)
    [Differentiable]
    public static double BinaryCrossEntropy(double[] logits, double[] targets)
    {
        double loss = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            double z = logits[i];
            // log(1 + e^-|z|) + max(z, 0) - z t: stable for either sign of z.
            loss += Math.Max(z, 0) - z * targets[i] + Math.Log(1 + Math.Exp(-Math.Abs(z)));
        }
        return loss / logits.Length;
    }

    // expect: clean
    // domain: x len 6; window = 3
    [Differentiable]
    public static double MaxOfMovingAverages(double[] x, int window)
    {
        double best = double.MinValue;
        double running = 0;
        for (int i = 0; i < x.Length; i++)
        {
            running += x[i];
            if (i >= window) running -= x[i - window];
            if (i >= window - 1 && running / window > best) best = running / window;
        }
        return best;
    }

    // expect: clean
    [Differentiable]
    public static double ZScoreOfFirst(double[] x)
    {
        double m = Mean(x);
        double s = StandardDeviation(x);
        if (s < Tolerance) return 0;
        return (x[0] - m) / s;
    }

    // expect: clean
    // domain: x len 4
    [Differentiable]
    public static double PairwiseDistanceSum(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
            for (int j = i + 1; j < x.Length; j++)
                s += Math.Sqrt((x[i] - x[j]) * (x[i] - x[j]) + 1);
        return s;
    }

    // expect: clean
    // domain: bandwidth in (0.3, 2)
    [Differentiable]
    public static double KernelDensity(double[] samples, double at, double bandwidth)
    {
        double s = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            double u = (at - samples[i]) / bandwidth;
            s += Math.Exp(-0.5 * u * u);
        }
        return s / (samples.Length * bandwidth * Math.Sqrt(2 * Math.PI));
    }

    // expect: ADIFF003
    [Differentiable]
    public static double JaggedRowSums(double[][] rows)
    {
        double s = 0;
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < rows[i].Length; j++)
                s += rows[i][j] * rows[i][j];
        return s;
    }

    // expect: ADIFF003
    [Differentiable]
    public static double MatrixTrace(double[,] m)
    {
        double t = 0;
        for (int i = 0; i < m.GetLength(0); i++) t += m[i, i];
        return t;
    }

    // expect: ADIFF004
    [Differentiable]
    public static double SumOfCopy(double[] x)
    {
        double[] copy = (double[])x.Clone();
        double s = 0;
        for (int i = 0; i < copy.Length; i++) s += copy[i];
        return s;
    }

    // expect: ADIFF004
    [Differentiable]
    public static double SumViaArrayCopy(double[] x)
    {
        double[] copy = new double[x.Length];
        Array.Copy(x, copy, x.Length);
        double s = 0;
        for (int i = 0; i < copy.Length; i++) s += copy[i] * copy[i];
        return s;
    }

    // expect: clean
    [Differentiable]
    public static double VarianceAsCovariance(double[] x) => Covariance(x, x);

    // expect: clean
    [Differentiable]
    public static double MeanOfSquaresViaHelper(double[] x)
    {
        double[] squares = new double[x.Length];
        for (int i = 0; i < x.Length; i++) squares[i] = x[i] * x[i];
        return Mean(squares);
    }

    // expect: clean
    // domain: start = 0
    [Differentiable]
    public static double RecursiveSum(double[] x, int start) => start >= x.Length ? 0 : x[start] + RecursiveSum(x, start + 1);

    // expect: clean
    [Differentiable]
    public static double NormalizeInPlaceThenSum(double[] x)
    {
        // Writes into its own argument, as in-place library routines do.
        double total = 0;
        for (int i = 0; i < x.Length; i++) total += x[i] * x[i];
        double norm = Math.Sqrt(total);
        for (int i = 0; i < x.Length; i++) x[i] /= norm;
        return x[0] + 2 * x[1];
    }

    // expect: clean
    [Differentiable]
    public static double PrintedMean(double[] x)
    {
        double m = Mean(x);
        Console.WriteLine("mean = " + m.ToString("F4", System.Globalization.CultureInfo.InvariantCulture));
        return m;
    }
}
