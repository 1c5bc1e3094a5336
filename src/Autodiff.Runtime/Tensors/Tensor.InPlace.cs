using System;
using System.Numerics.Tensors;

namespace Autodiff;

// In-place accumulation, used by the backward rules and by generated gradient code to add
// contributions into gradient accumulators.
public sealed partial class Tensor
{
    /// <summary><paramref name="destination"/> += <paramref name="source"/>; both must have the same shape.</summary>
    public static void AddInPlace(Tensor destination, Tensor source)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(source);
        TensorShape.RequireSame(nameof(AddInPlace), destination, source);
        TensorPrimitives.Add(destination.Data, source.Data, destination.Data);
    }

    /// <summary><paramref name="destination"/> += <paramref name="scale"/> · <paramref name="source"/>; both must have the same shape.</summary>
    public static void AddScaledInPlace(Tensor destination, Tensor source, float scale)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(source);
        TensorShape.RequireSame(nameof(AddScaledInPlace), destination, source);
        TensorPrimitives.MultiplyAdd(source.Data, scale, destination.Data, destination.Data);
    }

    /// <summary>
    /// Adds <paramref name="gradient"/> into <paramref name="destination"/> after summing it over
    /// the dimensions in which <paramref name="destination"/>'s shape broadcasts to the gradient's
    /// (missing leading dimensions and dimensions of size 1): the gradient of an operand that a
    /// broadcasting operation repeated. With equal shapes it is a plain add.
    /// </summary>
    public static void AccumulateReduced(Tensor destination, Tensor gradient)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(gradient);
        Broadcasting.AccumulateReduced(nameof(AccumulateReduced), destination, gradient, 1f);
    }
}
