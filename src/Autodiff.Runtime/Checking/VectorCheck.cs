using System;

namespace Autodiff;

/// <summary>
/// Checks the pullback (vector-Jacobian product) of a vector function: the whole Jacobian, column
/// by column from central differences and row by row from the pullback with unit seeds; or, in
/// fast mode, vᵀJu for random unit vectors u (inputs) and v (outputs).
/// </summary>
internal static class VectorCheck
{
    /// <param name="values">The point, perturbed in place.</param>
    /// <param name="evaluate">The function at the current values.</param>
    /// <param name="pullback">vᵀJ at the unperturbed point for a seed v; its length is checked by the caller's adapter.</param>
    /// <param name="options">Step, tolerances, mode.</param>
    /// <param name="precision">For the report.</param>
    public static GradCheckResult Run(CheckedValues values, Func<double[]?> evaluate, Func<double[], double[]> pullback, GradCheckOptions options, GradCheckPrecision precision)
    {
        int outputs = Returned.RequireOutputs(evaluate(), null).Length;
        Func<double[]> sameLength = () => Returned.RequireOutputs(evaluate(), outputs);
        var tally = new Tally(options, precision);
        return options.FastMode
            ? Fast(values, sameLength, pullback, outputs, options, tally)
            : Full(values, sameLength, pullback, outputs, options, tally);
    }

    private static GradCheckResult Full(CheckedValues values, Func<double[]> evaluate, Func<double[], double[]> pullback, int outputs, GradCheckOptions options, Tally tally)
    {
        var columns = new double[values.Count][];
        for (int i = 0; i < values.Count; i++)
        {
            (double[] plus, double[] minus, double width) = CentralDifferences.AlongElement(values, i, options.Eps, evaluate);
            columns[i] = new double[outputs];
            for (int j = 0; j < outputs; j++)
            {
                columns[i][j] = (plus[j] - minus[j]) / width;
            }
        }
        for (int j = 0; j < outputs; j++)
        {
            var seed = new double[outputs];
            seed[j] = 1;
            double[] row = pullback(seed);
            for (int i = 0; i < values.Count; i++)
            {
                tally.Add(i, j, row[i], columns[i][j]);
            }
        }
        return tally.Result((i, j) =>
        {
            ElementName input = values.Name(i);
            return input with { Text = $"∂y[{j}]/∂{input.Text}", Output = j };
        });
    }

    private static GradCheckResult Fast(CheckedValues values, Func<double[]> evaluate, Func<double[], double[]> pullback, int outputs, GradCheckOptions options, Tally tally)
    {
        var directions = new RandomDirections(options.Seed);
        for (int k = 0; k < options.Directions; k++)
        {
            double[] u = directions.Next(values.Count);
            double[] v = directions.Next(outputs);
            (double[] plus, double[] minus, double[] displacement) = CentralDifferences.AlongDirection(values, u, options.Eps, evaluate);
            double numeric = 0;
            for (int j = 0; j < outputs; j++)
            {
                numeric += v[j] * (plus[j] - minus[j]);
            }
            double analytic = ScalarCheck.Dot(pullback(v), displacement);
            tally.Add(k, 0, analytic / (2 * options.Eps), numeric / (2 * options.Eps));
        }
        return tally.Result((k, _) => ScalarCheck.Direction(k) with { Text = $"vᵀJu along direction {k}" });
    }
}
