using System;

namespace Autodiff;

// Selecting and joining along an axis (axis 0 by default: rows of a matrix, samples of a batch). Results are copies.
public sealed partial class Tensor
{
    /// <summary>
    /// <paramref name="a"/> followed by <paramref name="b"/> along axis 0; their other dimensions
    /// must agree (PyTorch's <c>cat([a, b], dim=0)</c>).
    /// </summary>
    public static Tensor Concat(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        bool fits = a.Rank >= 1 && a.Rank == b.Rank;
        for (int axis = 1; fits && axis < a.Rank; axis++)
        {
            fits = a._shape[axis] == b._shape[axis];
        }
        if (!fits)
        {
            throw new ShapeMismatchException(
                $"Concat: cannot join {TensorShape.Format(a._shape)} and {TensorShape.Format(b._shape)} along axis 0: all other dimensions must agree.");
        }
        return Concat(a, b, 0);
    }

    /// <summary>
    /// <paramref name="length"/> entries of <paramref name="x"/> along axis 0 starting at
    /// <paramref name="start"/> (PyTorch's <c>x[start:start+length]</c>, but a copy).
    /// </summary>
    public static Tensor Slice(Tensor x, int start, int length)
    {
        ArgumentNullException.ThrowIfNull(x);
        ValidateSlice(nameof(Slice), x, start, length);
        return Slice(x, 0, start, length);
    }

    /// <summary>
    /// <paramref name="a"/> followed by <paramref name="b"/> along <paramref name="axis"/> (negative counts
    /// from the end); their other dimensions must agree (PyTorch's <c>cat([a, b], dim=axis)</c>).
    /// </summary>
    public static Tensor Concat(Tensor a, Tensor b, int axis)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        (AxisLayout left, AxisLayout right) = ConcatLayouts(nameof(Concat), a, b, axis);
        Span<int> shape = stackalloc int[MaxRank];
        a.Shape.CopyTo(shape);
        int joined = axis < 0 ? axis + a.Rank : axis;
        shape[joined] = left.Length + right.Length;
        Tensor result = TensorWorkspace.Allocate(shape[..a.Rank], TensorInit.Uninitialized);
        int leftBlock = left.Length * left.Inner, rightBlock = right.Length * right.Inner;
        for (int o = 0; o < left.Outer; o++)
        {
            a.Data.AsSpan(o * leftBlock, leftBlock).CopyTo(result.Data.AsSpan(o * (leftBlock + rightBlock)));
            b.Data.AsSpan(o * rightBlock, rightBlock).CopyTo(result.Data.AsSpan(o * (leftBlock + rightBlock) + leftBlock));
        }
        return result;
    }

    /// <summary>The layouts of the two operands of a concatenation around its axis, after checking that every other dimension agrees.</summary>
    internal static (AxisLayout Left, AxisLayout Right) ConcatLayouts(string operation, Tensor a, Tensor b, int axis)
    {
        bool fits = a.Rank >= 1 && a.Rank == b.Rank && axis >= -a.Rank && axis < a.Rank;
        int joined = axis < 0 ? axis + a.Rank : axis;
        for (int i = 0; fits && i < a.Rank; i++)
        {
            fits = i == joined || a._shape[i] == b._shape[i];
        }
        if (!fits)
        {
            throw new ShapeMismatchException(
                $"{operation}: cannot join {TensorShape.Format(a._shape)} and {TensorShape.Format(b._shape)} along axis {axis}: the ranks must agree, and so must every other dimension.");
        }
        return (LayoutAround(operation, a, axis), LayoutAround(operation, b, axis));
    }

    /// <summary>
    /// <paramref name="length"/> entries along <paramref name="axis"/> starting at <paramref name="start"/>
    /// (PyTorch's <c>x.narrow(axis, start, length)</c>, but a copy).
    /// </summary>
    public static Tensor Slice(Tensor x, int axis, int start, int length)
    {
        ArgumentNullException.ThrowIfNull(x);
        AxisLayout layout = SliceLayout(nameof(Slice), x, axis, start, length);
        Span<int> shape = stackalloc int[MaxRank];
        x.Shape.CopyTo(shape);
        shape[axis < 0 ? axis + x.Rank : axis] = length;
        Tensor result = TensorWorkspace.Allocate(shape[..x.Rank], TensorInit.Uninitialized);
        int block = layout.Length * layout.Inner, kept = length * layout.Inner;
        for (int o = 0; o < layout.Outer; o++)
        {
            x.Data.AsSpan(o * block + start * layout.Inner, kept).CopyTo(result.Data.AsSpan(o * kept));
        }
        return result;
    }

    internal static AxisLayout SliceLayout(string operation, Tensor x, int axis, int start, int length)
    {
        AxisLayout layout = LayoutAround(operation, x, axis);
        if (start < 0 || length < 0 || start > layout.Length - length)
        {
            throw new ArgumentOutOfRangeException(nameof(start),
                $"{operation}: entries {start} to {start + length - 1} are outside axis {axis} of {TensorShape.Format(x._shape)}, which has {layout.Length}.");
        }
        return layout;
    }

    /// <summary>The entries of <paramref name="x"/> along axis 0 at <paramref name="rows"/>, in that order, repeats allowed (shuffled mini-batches, embedding lookups); its gradient scatter-adds back into those rows.</summary>
    public static Tensor Gather(Tensor x, int[] rows)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rows);
        return Gather(x, rows.AsSpan());
    }

    /// <inheritdoc cref="Gather(Tensor, int[])"/>
    public static Tensor Gather(Tensor x, ReadOnlySpan<int> rows)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0)
        {
            throw new ShapeMismatchException("Gather: expects at least one dimension, got shape [].");
        }
        int available = x._shape[0];
        for (int i = 0; i < rows.Length; i++)
        {
            if ((uint)rows[i] >= (uint)available)
            {
                throw new ArgumentOutOfRangeException(nameof(rows),
                    $"Gather: row {rows[i]} at index {i} is out of range for shape {TensorShape.Format(x._shape)}.");
            }
        }
        Span<int> shape = stackalloc int[MaxRank];
        x.Shape.CopyTo(shape);
        shape[0] = rows.Length;
        Tensor result = TensorWorkspace.Allocate(shape[..x.Rank], TensorInit.Uninitialized);
        int stride = x.Stride0();
        for (int i = 0; i < rows.Length; i++)
        {
            x.Data.AsSpan(rows[i] * stride, stride).CopyTo(result.Data.AsSpan(i * stride, stride));
        }
        return result;
    }

    /// <summary>Checks a slice along axis 0; shared by <see cref="Slice(Tensor, int, int)"/> and its backward rule.</summary>
    internal static void ValidateSlice(string operation, Tensor x, int start, int length)
    {
        if (x.Rank == 0)
        {
            throw new ShapeMismatchException($"{operation}: expects at least one dimension, got shape [].");
        }
        if (start < 0 || length < 0 || start > x._shape[0] - length)
        {
            throw new ArgumentOutOfRangeException(nameof(start),
                $"{operation}: rows {start} to {(long)start + length} (start {start}, length {length}) are out of range for shape {TensorShape.Format(x._shape)}.");
        }
    }

    /// <summary>Elements per entry along axis 0.</summary>
    internal int Stride0() => _shape[0] == 0 ? TensorShape.ElementCountUnchecked(_shape.AsSpan(1)) : Length / _shape[0];
}
