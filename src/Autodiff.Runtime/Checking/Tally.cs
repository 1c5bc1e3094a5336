using System;

namespace Autodiff;

/// <summary>
/// Counts comparisons as a check makes them and keeps the worst, describing only that one (so a
/// check of many elements builds one report entry, not one per element).
/// </summary>
internal sealed class Tally(GradCheckOptions options, GradCheckPrecision precision)
{
    private int _checked, _failed, _nonFinite;
    private double _worstExcess = double.NegativeInfinity;
    private (int Index, int Output, double Analytic, double Numeric) _worst;

    /// <summary>Compares one value; <paramref name="index"/> and <paramref name="output"/> are handed back to name it if it is the worst.</summary>
    public void Add(int index, int output, double analytic, double numeric)
    {
        _checked++;
        bool finite = double.IsFinite(analytic) && double.IsFinite(numeric);
        double error = Math.Abs(analytic - numeric);
        double allowed = options.Allowed(numeric);
        double excess = !finite ? double.PositiveInfinity
            : allowed > 0 ? error / allowed
            : error > 0 ? double.PositiveInfinity : 0;
        if (!finite)
        {
            _nonFinite++;
        }
        if (!finite || error > allowed)
        {
            _failed++;
        }
        // The first of equally bad comparisons is kept, so a report names the earliest culprit.
        if (excess > _worstExcess)
        {
            _worstExcess = excess;
            _worst = (index, output, analytic, numeric);
        }
    }

    public GradCheckResult Result(Func<int, int, ElementName> name)
    {
        GradCheckElement? worst = _checked == 0 ? null
            : new GradCheckElement(name(_worst.Index, _worst.Output), _worst.Analytic, _worst.Numeric, options.Allowed(_worst.Numeric));
        return new GradCheckResult(precision, options, _checked, _failed, _nonFinite, worst);
    }
}
