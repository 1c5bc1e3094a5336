namespace Autodiff;

/// <summary>
/// The flat vector of numbers a check perturbs: a private copy of the point for function checks,
/// or a model's parameters, in place, for model checks. Element i is described for the report by
/// <see cref="Name"/>.
/// </summary>
internal abstract class CheckedValues
{
    public abstract int Count { get; }

    public abstract double Get(int index);

    /// <summary>
    /// Stores <paramref name="original"/> + <paramref name="delta"/> at <paramref name="index"/>,
    /// rounded to the storage's precision, and returns what was stored: the differences divide by
    /// the step actually taken, not the one asked for, so float storage costs accuracy but not
    /// correctness. Where rounding would swallow a non-zero step (large values), the nearest
    /// representable neighbour in its direction is stored instead, so a step is always taken.
    /// </summary>
    public abstract double Perturb(int index, double original, double delta);

    /// <summary>Puts back a value read by <see cref="Get"/>.</summary>
    public abstract void Restore(int index, double original);

    public abstract ElementName Name(int index);
}

/// <summary>
/// Where a comparison was made, for the report: a parameter's name (null for a plain vector), the
/// index in it, the multi-index in a tensor, and, for Jacobians and fast mode, the output row or
/// the direction.
/// </summary>
internal readonly record struct ElementName(string? Parameter, int Index, int[] MultiIndex, string Text, int? Output = null, int? Direction = null);
