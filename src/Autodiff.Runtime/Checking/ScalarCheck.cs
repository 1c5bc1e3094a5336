using System;

namespace Autodiff;

/// <summary>
/// Checks the gradient of a scalar function: each element against its central difference, or, in
/// fast mode, the directional derivative ∇f·u along random unit vectors u.
/// </summary>
internal static class ScalarCheck
{
    public static GradCheckResult Run(CheckedValues values, Func<double> evaluate, double[] gradient, GradCheckOptions options, GradCheckPrecision precision)
    {
        var tally = new Tally(options, precision);
        if (!options.FastMode)
        {
            for (int i = 0; i < values.Count; i++)
            {
                (double plus, double minus, double width) = CentralDifferences.AlongElement(values, i, options.Eps, evaluate);
                tally.Add(i, 0, gradient[i], (plus - minus) / width);
            }
            return tally.Result((i, _) => values.Name(i));
        }
        var directions = new RandomDirections(options.Seed);
        for (int k = 0; k < options.Directions; k++)
        {
            double[] direction = directions.Next(values.Count);
            (double plus, double minus, double[] displacement) = CentralDifferences.AlongDirection(values, direction, options.Eps, evaluate);
            // Both sides are divided by 2·eps, so they approximate ∇f·u; the gradient is applied to
            // the displacement actually taken, which rounding to float may have changed.
            tally.Add(k, 0, Dot(gradient, displacement) / (2 * options.Eps), (plus - minus) / (2 * options.Eps));
        }
        return tally.Result((k, _) => Direction(k));
    }

    public static ElementName Direction(int k) => new(null, -1, [], $"direction {k}", Direction: k);

    public static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
