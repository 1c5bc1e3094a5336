using System;

namespace Autodiff;

/// <summary>
/// The two evaluations of a central difference, along one element or along a direction, with
/// the values put back afterwards even when the function throws.
/// </summary>
/// <remarks>
/// Both return the displacement actually taken (x₊ − x₋ after rounding to the storage), which
/// the checks use in place of 2·eps: for double storage it is 2·eps up to one rounding, for float
/// storage it is whatever float spacing allowed, and dividing by it keeps the difference a
/// correct slope.
/// </remarks>
internal static class CentralDifferences
{
    /// <summary>f at x + eps·eᵢ and x − eps·eᵢ, and the width x₊ᵢ − x₋ᵢ.</summary>
    public static (T Plus, T Minus, double Width) AlongElement<T>(CheckedValues values, int index, double eps, Func<T> evaluate)
    {
        double original = values.Get(index);
        try
        {
            double upper = values.Perturb(index, original, eps);
            T plus = evaluate();
            double lower = values.Perturb(index, original, -eps);
            T minus = evaluate();
            return (plus, minus, upper - lower);
        }
        finally
        {
            values.Restore(index, original);
        }
    }

    /// <summary>f at x + eps·u and x − eps·u, and the displacement x₊ − x₋ per element.</summary>
    public static (T Plus, T Minus, double[] Displacement) AlongDirection<T>(CheckedValues values, double[] direction, double eps, Func<T> evaluate)
    {
        var original = new double[values.Count];
        for (int i = 0; i < original.Length; i++)
        {
            original[i] = values.Get(i);
        }
        var displacement = new double[original.Length];
        try
        {
            for (int i = 0; i < original.Length; i++)
            {
                displacement[i] = values.Perturb(i, original[i], eps * direction[i]);
            }
            T plus = evaluate();
            for (int i = 0; i < original.Length; i++)
            {
                displacement[i] -= values.Perturb(i, original[i], -eps * direction[i]);
            }
            T minus = evaluate();
            return (plus, minus, displacement);
        }
        finally
        {
            for (int i = 0; i < original.Length; i++)
            {
                values.Restore(i, original[i]);
            }
        }
    }
}
