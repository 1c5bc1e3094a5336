using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Autodiff.Runtime;

/// <summary>Checks and accumulation for the gradient arrays of generated pullbacks.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GradientArrays
{
    // Every generated pullback checks its arrays on entry, so the checks are a compare inlined at the
    // call and the message is built out of line, only when it throws.

    /// <summary>Throws unless the accumulator is null (no gradient wanted) or as long as its array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckLength<T>(string method, T[]? accumulator, string accumulatorName, T[] array, string arrayName)
    {
        if (accumulator is not null && accumulator.Length != array.Length)
        {
            ThrowLengthMismatch(method, accumulator.Length, accumulatorName, array.Length, arrayName, "gradient");
        }
    }

    /// <summary>Throws unless the tangent is null (a zero direction) or as long as its array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckTangentLength<T>(string method, T[]? tangent, string tangentName, T[] array, string arrayName)
    {
        if (tangent is not null && tangent.Length != array.Length)
        {
            ThrowLengthMismatch(method, tangent.Length, tangentName, array.Length, arrayName, "tangent");
        }
    }

    /// <summary>Throws unless the tangent is null (a zero direction) or of its tensor's shape.</summary>
    public static void CheckTangentShape(string method, Tensor? tangent, string tangentName, Tensor? tensor, string tensorName)
    {
        if (tangent is not null && tensor is not null && !tangent.Shape.SequenceEqual(tensor.Shape))
        {
            throw new ShapeMismatchException(
                $"{method}: the tangent {tangentName} has shape {TensorShape.Format(tangent.Shape)} but {tensorName} has shape {TensorShape.Format(tensor.Shape)}; they must match.");
        }
    }

    [DoesNotReturn]
    private static void ThrowLengthMismatch(string method, int length, string accumulatorName, int arrayLength, string arrayName, string role) =>
        throw new ArgumentException(
            $"{method}: the {role} array {accumulatorName} has length {length} but {arrayName} has length {arrayLength}; they must match.",
            accumulatorName);

    /// <summary>
    /// The adjoint of an array result at the start of a pullback: a copy of the caller's seed (the
    /// backward pass consumes its adjoints, and the caller's seed must stay as it was), checked to be
    /// as long as the result.
    /// </summary>
    public static T[] Seed<T>(string method, T[] seed, string seedName, T[] result)
    {
        CheckSeed(method, seed, seedName, result);
        return (T[])seed.Clone();
    }

    /// <summary>Throws unless the seed of an array result is as long as the result.</summary>
    public static void CheckSeed(string method, Array seed, string seedName, Array? result)
    {
        ArgumentNullException.ThrowIfNull(seed, seedName);
        if (result is null)
        {
            throw new InvalidOperationException($"{method}: the method returned null, which has no gradient; return an array.");
        }
        if (seed.Length != result.Length)
        {
            throw new ArgumentException(
                $"{method}: the seed array {seedName} has length {seed.Length} but the result has length {result.Length}; they must match.",
                seedName);
        }
    }

    /// <summary>
    /// The length of an array the forward pass may not have allocated (it is allocated in a branch
    /// that did not run): 0 then. A call, so the compiler's null analysis of the array is left alone.
    /// </summary>
    public static int LengthOrZero(Array? array) => array?.Length ?? 0;

    /// <summary>destination += source, element by element (nothing when destination is null).</summary>
    public static void AddInto(double[]? destination, double[] source)
    {
        if (destination is null)
        {
            return;
        }
        System.Numerics.Tensors.TensorPrimitives.Add(destination, source, destination);
    }

    /// <inheritdoc cref="AddInto(double[], double[])"/>
    public static void AddInto(float[]? destination, float[] source)
    {
        if (destination is null)
        {
            return;
        }
        System.Numerics.Tensors.TensorPrimitives.Add(destination, source, destination);
    }
}
