using System.Collections.Generic;

namespace Autodiff;

/// <summary>
/// One comparison of a <see cref="GradCheck"/>: where it was made, the gradient's value there, the
/// central difference, and the errors. A result keeps the worst one.
/// </summary>
public sealed class GradCheckElement
{
    internal GradCheckElement(ElementName name, double analytic, double numeric, double allowed)
    {
        Location = name.Text;
        Parameter = name.Parameter;
        Index = name.Index;
        MultiIndex = name.MultiIndex;
        Output = name.Output;
        Direction = name.Direction;
        Analytic = analytic;
        Numeric = numeric;
        AbsoluteError = System.Math.Abs(analytic - numeric);
        RelativeError = AbsoluteError == 0 ? 0 : AbsoluteError / System.Math.Abs(numeric);
        AllowedError = allowed;
    }

    /// <summary>
    /// A readable description: <c>x[3]</c> for a vector, <c>W1[2, 5] (element 37 of 512)</c> for a
    /// tensor parameter, the field's name for a scalar parameter, <c>∂y[1]/∂x[0]</c> for a
    /// Jacobian entry, <c>direction 2</c> in fast mode.
    /// </summary>
    public string Location { get; }

    /// <summary>The parameter's name in a model check; null for a function's input vector and in fast mode.</summary>
    public string? Parameter { get; }

    /// <summary>
    /// The element's index in the input vector, or its row-major index within its
    /// <see cref="Parameter"/>; −1 in fast mode, where no single element is compared.
    /// </summary>
    public int Index { get; }

    /// <summary>The element's index along each axis of its tensor parameter; empty for vectors, scalars and fast mode.</summary>
    public IReadOnlyList<int> MultiIndex { get; }

    /// <summary>The output row of a Jacobian entry (pullback checks in full mode); null otherwise.</summary>
    public int? Output { get; }

    /// <summary>The number of the random direction in fast mode, from 0; null otherwise.</summary>
    public int? Direction { get; }

    /// <summary>The value the gradient (or pullback) gives: an element, a Jacobian entry, or vᵀJu in fast mode.</summary>
    public double Analytic { get; }

    /// <summary>The same quantity from central differences, computed in double.</summary>
    public double Numeric { get; }

    /// <summary>|<see cref="Analytic"/> − <see cref="Numeric"/>|; NaN when either is NaN.</summary>
    public double AbsoluteError { get; }

    /// <summary><see cref="AbsoluteError"/> / |<see cref="Numeric"/>| (infinite when the difference is 0 and the gradient is not).</summary>
    public double RelativeError { get; }

    /// <summary>The error allowed here: absolute tolerance + relative tolerance · |<see cref="Numeric"/>|.</summary>
    public double AllowedError { get; }

    /// <summary>Whether both values are finite numbers.</summary>
    public bool IsFinite => double.IsFinite(Analytic) && double.IsFinite(Numeric);

    /// <summary>Whether the values are finite and agree within <see cref="AllowedError"/>.</summary>
    public bool Passed => IsFinite && AbsoluteError <= AllowedError;

    /// <summary>One line: where, both values, and the errors against the allowed one.</summary>
    public override string ToString() =>
        $"{Location}: analytic {Number(Analytic)}, numeric {Number(Numeric)}, |error| {Error(AbsoluteError)} "
        + $"(relative {Error(RelativeError)}), allowed {Error(AllowedError)}";

    internal static string Number(double value) => value.ToString("G9", System.Globalization.CultureInfo.InvariantCulture);

    internal static string Error(double value) => value.ToString("G3", System.Globalization.CultureInfo.InvariantCulture);
}
