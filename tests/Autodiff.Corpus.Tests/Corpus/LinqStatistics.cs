using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff;

namespace Corpus.Linq;

/// <summary>Statistics written with LINQ, as much application code is.</summary>
public static partial class LinqStatistics
{
    private static readonly double[] Calibration = { 0.5, 1.5, 2.0, 3.5, 4.0 };

    // expect: ADIFF004
    [Differentiable]
    public static double Total(double[] xs) => xs.Sum();

    // expect: ADIFF004
    [Differentiable]
    public static double Mean(double[] xs) => xs.Average();

    // expect: ADIFF004|ADIFF009
    [Differentiable]
    public static double MeanOfSquares(double[] xs) => xs.Select(v => v * v).Average();

    // expect: ADIFF004
    [Differentiable]
    public static double Largest(double[] xs) => xs.Max();

    // expect: ADIFF004
    [Differentiable]
    public static double Variance(double[] xs)
    {
        double mean = xs.Average();
        double ss = 0;
        foreach (double x in xs) ss += (x - mean) * (x - mean);
        return ss / (xs.Length - 1);
    }

    // expect: ADIFF004|ADIFF009
    [Differentiable]
    public static double SumOfPositive(double[] xs) => xs.Where(v => v > 0).Sum();

    // expect: ADIFF004|ADIFF009
    [Differentiable]
    public static double DotByZip(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    // expect: ADIFF004
    [Differentiable]
    public static double SumOfList(double[] xs)
    {
        var list = new List<double>(xs);
        double s = 0;
        for (int i = 0; i < list.Count; i++) s += list[i];
        return s;
    }

    // expect: ADIFF004
    [Differentiable]
    public static double FirstOrDefaultScaled(double[] xs, double scale) => xs.FirstOrDefault() * scale;

    // expect: ADIFF004|ADIFF009
    [Differentiable]
    public static double SortedMiddle(double[] xs)
    {
        double[] sorted = xs.OrderBy(v => v).ToArray();
        return sorted[sorted.Length / 2];
    }

    // expect: ADIFF004
    [Differentiable]
    public static double ArraySum(double[] xs) => Enumerable.Sum(xs) / xs.Length;

    // expect: ADIFF007
    [Differentiable]
    public static double ScaledCalibrationSum(double scale) => Calibration.Select(c => c * scale).Sum();

    // expect: ADIFF007
    [Differentiable]
    public static double ShiftedSquares([NoGrad] double[] data, double shift) => data.Sum(v => (v - shift) * (v - shift));

    // expect: clean
    [Differentiable]
    public static double CalibratedScale(double x) => x * Calibration.Average();

    // expect: clean
    [Differentiable]
    public static double ScaleByDataMax([NoGrad] double[] data, double x) => x * data.Max() + data.Min();

    // expect: ADIFF009
    [Differentiable]
    public static double CountAboveWeighted([NoGrad] double[] data, double x)
    {
        int above = data.Count(v => v > 0);
        return x * above;
    }

    // expect: ADIFF009
    [Differentiable]
    public static double SquaresOfConstantsWithLambda(double x) => x * Calibration.Select(c => c * c).Sum();

    // expect: clean
    // domain: x in (0.5, 3)
    [Differentiable]
    public static double NearestCalibrationDistance(double x)
    {
        double best = double.MaxValue;
        foreach (double c in Calibration)
        {
            double d = Math.Abs(x - c);
            if (d < best) best = d;
        }
        return best;
    }

    // expect: clean
    [Differentiable]
    public static double ManualSum(double[] xs)
    {
        double s = 0;
        for (int i = 0; i < xs.Length; i++) s += xs[i];
        return s;
    }

    // expect: ADIFF004
    [Differentiable]
    public static double SumOfSpan(double[] xs)
    {
        ReadOnlySpan<double> span = xs;
        double s = 0;
        for (int i = 0; i < span.Length; i++) s += span[i];
        return s;
    }

    // expect: clean
    [Differentiable]
    public static double CalibratedDot(double[] xs)
    {
        double s = 0;
        for (int i = 0; i < xs.Length && i < Calibration.Length; i++) s += xs[i] * Calibration[i];
        return s;
    }

    // expect: ADIFF004|ADIFF009
    [Differentiable]
    public static double SumOfSquaresAggregate(double[] xs) => xs.Aggregate(0.0, (acc, v) => acc + v * v);
}
