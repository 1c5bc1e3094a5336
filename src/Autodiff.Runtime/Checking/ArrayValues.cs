using System;

namespace Autodiff;

/// <summary>A private double copy of the point of a function check, so the caller's array never changes.</summary>
internal sealed class DoubleArrayValues(double[] point) : CheckedValues
{
    private readonly double[] _values = (double[])point.Clone();

    public override int Count => _values.Length;

    public override double Get(int index) => _values[index];

    public override double Perturb(int index, double original, double delta) => _values[index] = Steps.Double(original, delta);

    public override void Restore(int index, double original) => _values[index] = original;

    public override ElementName Name(int index) => new(null, index, [], $"x[{index}]");

    /// <summary>A fresh copy for the function, which may write into its argument.</summary>
    public double[] Copy() => (double[])_values.Clone();
}

/// <summary>
/// A private float copy of the point of a float function check; given the shape of the tensor it
/// came from, elements are named by their multi-index.
/// </summary>
internal sealed class FloatArrayValues(float[] point, int[]? shape = null) : CheckedValues
{
    private readonly float[] _values = (float[])point.Clone();

    public override int Count => _values.Length;

    public override double Get(int index) => _values[index];

    public override double Perturb(int index, double original, double delta) => _values[index] = Steps.Float((float)original, delta);

    public override void Restore(int index, double original) => _values[index] = (float)original;

    public override ElementName Name(int index)
    {
        if (shape is null || shape.Length == 0)
        {
            return new(null, index, [], shape is null ? $"x[{index}]" : "x");
        }
        int[] multiIndex = RowMajor.MultiIndex(shape, index);
        return new(null, index, multiIndex, $"x[{string.Join(", ", multiIndex)}] (element {index} of {_values.Length})");
    }

    /// <summary>A fresh copy for the function, which may write into its argument.</summary>
    public float[] Copy() => (float[])_values.Clone();
}

/// <summary>Perturbed values that never round back to the original.</summary>
internal static class Steps
{
    /// <summary>
    /// <paramref name="original"/> + <paramref name="delta"/> rounded to float, or the
    /// neighbouring float in the direction of <paramref name="delta"/> when rounding would give
    /// back the original (a step below half a float spacing: 1e-3 at values beyond about 1e4).
    /// </summary>
    public static float Float(float original, double delta)
    {
        float rounded = (float)(original + delta);
        if (rounded == original && delta != 0)
        {
            return delta > 0 ? MathF.BitIncrement(original) : MathF.BitDecrement(original);
        }
        return rounded;
    }

    /// <summary>The same in double, where a step of 1e-6 is swallowed beyond about 1e10.</summary>
    public static double Double(double original, double delta)
    {
        double sum = original + delta;
        if (sum == original && delta != 0)
        {
            return delta > 0 ? Math.BitIncrement(original) : Math.BitDecrement(original);
        }
        return sum;
    }
}

/// <summary>Flat offsets and multi-indices of a row-major tensor.</summary>
internal static class RowMajor
{
    /// <summary>The index along each axis of flat element <paramref name="offset"/> in <paramref name="shape"/>.</summary>
    public static int[] MultiIndex(ReadOnlySpan<int> shape, int offset)
    {
        var index = new int[shape.Length];
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            index[axis] = offset % shape[axis];
            offset /= shape[axis];
        }
        return index;
    }
}
