using System;
using System.Globalization;
using System.Text;

namespace Autodiff;

/// <summary>Validation and formatting of shapes, shared by every tensor operation.</summary>
internal static class TensorShape
{
    /// <summary>
    /// Checks a caller-supplied shape (rank at most <see cref="Tensor.MaxRank"/>, no negative
    /// dimension, element count within <see cref="int"/>) and returns its element count.
    /// </summary>
    public static int ElementCount(string operation, ReadOnlySpan<int> shape)
    {
        if (shape.Length > Tensor.MaxRank)
        {
            throw new ArgumentException($"{operation}: shape {Format(shape)} has rank {shape.Length}; tensors have rank 0 to {Tensor.MaxRank}.");
        }
        long count = 1;
        for (int axis = 0; axis < shape.Length; axis++)
        {
            if (shape[axis] < 0)
            {
                throw new ArgumentException($"{operation}: shape {Format(shape)} has a negative dimension.");
            }
            count *= shape[axis];
            if (count > Array.MaxLength)
            {
                throw new ArgumentException($"{operation}: shape {Format(shape)} has more elements than an array can hold.");
            }
        }
        return (int)count;
    }

    /// <summary>Element count of a shape already known to be valid.</summary>
    public static int ElementCountUnchecked(ReadOnlySpan<int> shape)
    {
        int count = 1;
        for (int axis = 0; axis < shape.Length; axis++)
        {
            count *= shape[axis];
        }
        return count;
    }

    /// <summary>
    /// Maps a possibly negative axis (−1 is the last, as in PyTorch) to its index, or throws
    /// naming the operation and the shape.
    /// </summary>
    public static int NormalizeAxis(string operation, int axis, ReadOnlySpan<int> shape)
    {
        int rank = shape.Length;
        if (axis < -rank || axis >= rank)
        {
            throw new ArgumentOutOfRangeException(nameof(axis),
                $"{operation}: axis {axis} is out of range for shape {Format(shape)} (rank {rank}).");
        }
        return axis < 0 ? axis + rank : axis;
    }

    /// <summary>Formats a shape as <c>[2x3]</c>; a rank-0 shape is <c>[]</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape)
    {
        var text = new StringBuilder("[");
        for (int axis = 0; axis < shape.Length; axis++)
        {
            if (axis > 0)
            {
                text.Append('x');
            }
            text.Append(shape[axis].ToString(CultureInfo.InvariantCulture));
        }
        return text.Append(']').ToString();
    }

    /// <summary>Throws unless both tensors have exactly the same shape.</summary>
    public static void RequireSame(string operation, Tensor first, Tensor second)
    {
        if (!first.Shape.SequenceEqual(second.Shape))
        {
            throw new ShapeMismatchException(
                $"{operation}: shapes {Format(first.Shape)} and {Format(second.Shape)} must be equal.");
        }
    }

    /// <summary>
    /// Throws unless a gradient accumulator has the shape of the operand it belongs to; a
    /// <see langword="null"/> accumulator (no gradient wanted) always passes.
    /// </summary>
    public static void RequireAccumulator(string rule, Tensor? accumulator, Tensor operand)
    {
        if (accumulator is not null && !accumulator.Shape.SequenceEqual(operand.Shape))
        {
            throw new ShapeMismatchException(
                $"{rule}: accumulator of shape {Format(accumulator.Shape)} does not match its operand of shape {Format(operand.Shape)}.");
        }
    }

    /// <summary>Throws unless the tangent is null (a zero direction) or of its operand's shape.</summary>
    public static void RequireTangent(string rule, Tensor? tangent, Tensor operand)
    {
        if (tangent is not null && !tangent.Shape.SequenceEqual(operand.Shape))
        {
            throw new ShapeMismatchException(
                $"{rule}: tangent of shape {Format(tangent.Shape)} does not match its operand of shape {Format(operand.Shape)}.");
        }
    }

    /// <summary>Throws unless a tensor has the given rank.</summary>
    public static void RequireRank(string operation, Tensor tensor, int rank, string what)
    {
        if (tensor.Rank != rank)
        {
            throw new ShapeMismatchException($"{operation}: expects {what} (rank {rank}), got {Format(tensor.Shape)}.");
        }
    }
}
