using System.Text;

namespace Autodiff;

/// <summary>
/// The outcome of a <see cref="GradCheck"/>: whether every comparison passed, how many were made,
/// and the worst one (the furthest past its allowed error), with a <see cref="ToString"/> meant
/// to be read in a test failure.
/// </summary>
public sealed class GradCheckResult
{
    internal GradCheckResult(GradCheckPrecision precision, GradCheckOptions options, int @checked, int failed, int nonFinite, GradCheckElement? worst)
    {
        Precision = precision;
        Options = options;
        Checked = @checked;
        Failed = failed;
        NonFinite = nonFinite;
        Worst = worst;
    }

    /// <summary>Whether every comparison was finite and within tolerance.</summary>
    public bool Passed => Failed == 0;

    /// <summary>The arithmetic that was checked (which chose the default tolerances).</summary>
    public GradCheckPrecision Precision { get; }

    /// <summary>The step, tolerances and mode used.</summary>
    public GradCheckOptions Options { get; }

    /// <summary>How many comparisons were made: elements (or Jacobian entries), or random directions in fast mode.</summary>
    public int Checked { get; }

    /// <summary>How many comparisons failed, the non-finite ones included.</summary>
    public int Failed { get; }

    /// <summary>How many comparisons had a non-finite gradient or difference (NaN or infinity); each counts as failed.</summary>
    public int NonFinite { get; }

    /// <summary>The comparison furthest past its allowed error (when all pass, the closest to failing); null when nothing was compared.</summary>
    public GradCheckElement? Worst { get; }

    /// <summary>Throws a <see cref="GradCheckException"/> carrying this report unless the check passed; returns this result otherwise.</summary>
    /// <exception cref="GradCheckException">A comparison failed.</exception>
    public GradCheckResult ThrowIfFailed() => Passed ? this : throw new GradCheckException(this);

    /// <summary>
    /// The report, for example: <c>GradCheck failed: 1 of 6 elements out of tolerance (double,
    /// eps 1E-06, atol 1E-05, rtol 0.001). Worst: x[2]: analytic 4, numeric 2, |error| 2 (relative 1), allowed 0.00201</c>.
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder("GradCheck ").Append(Passed ? "passed" : "failed").Append(": ");
        string what = Options.FastMode ? "random directions" : "elements";
        text.Append(Passed ? $"{Checked} of {Checked} {what} within tolerance" : $"{Failed} of {Checked} {what} out of tolerance");
        if (NonFinite > 0)
        {
            text.Append($", {NonFinite} not finite");
        }
        text.Append(" (").Append(PrecisionName).Append(Options.FastMode ? $", fast mode, seed {Options.Seed}" : "")
            .Append($", eps {GradCheckElement.Error(Options.Eps)}, atol {GradCheckElement.Error(Options.AbsoluteTolerance)}, rtol {GradCheckElement.Error(Options.RelativeTolerance)})");
        if (Worst is not null)
        {
            text.Append(Passed ? ". Closest to failing: " : ". Worst: ").Append(Worst);
        }
        return text.Append('.').ToString();
    }

    private string PrecisionName => Precision switch
    {
        GradCheckPrecision.Float => "float",
        GradCheckPrecision.FloatGradientDoubleTwin => "float gradient, double twin",
        _ => "double",
    };
}
