using System;
using System.Numerics.Tensors;

namespace Autodiff;

// Sums, means and arg-max. An axis may be negative, counting from the end as in PyTorch.
public sealed partial class Tensor
{
    /// <summary>The sum of all elements, as a rank-0 tensor.</summary>
    public static Tensor Sum(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Scalar(TensorPrimitives.Sum(x.Data));
    }

    /// <summary>The sum along <paramref name="axis"/>, which is removed from the shape (PyTorch's <c>sum(dim)</c>).</summary>
    public static Tensor Sum(Tensor x, int axis) => Sum(x, axis, keepDim: false);

    /// <summary>The mean of all elements, as a rank-0 tensor (NaN for an empty tensor, as in PyTorch).</summary>
    public static Tensor Mean(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Scalar(TensorPrimitives.Sum(x.Data) / x.Length);
    }

    /// <summary>The mean along <paramref name="axis"/>, which is removed from the shape.</summary>
    public static Tensor Mean(Tensor x, int axis) => Mean(x, axis, keepDim: false);

    /// <summary>The sum along <paramref name="axis"/>, kept as an axis of length 1 when <paramref name="keepDim"/> is set (PyTorch's <c>sum(dim, keepdim)</c>).</summary>
    public static Tensor Sum(Tensor x, int axis, bool keepDim)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor result = AllocateAlongAxis(nameof(Sum), x, axis, keepDim, out AxisLayout layout);
        SumAlongAxis(x.Data, result.Data, layout);
        return result;
    }

    /// <summary>The mean along <paramref name="axis"/>, kept as an axis of length 1 when <paramref name="keepDim"/> is set.</summary>
    public static Tensor Mean(Tensor x, int axis, bool keepDim)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor result = AllocateAlongAxis(nameof(Mean), x, axis, keepDim, out AxisLayout layout);
        SumAlongAxis(x.Data, result.Data, layout);
        TensorPrimitives.Divide(result.Data, layout.Length, result.Data);
        return result;
    }

    /// <summary>
    /// The largest element along <paramref name="axis"/> (removed, or kept with length 1), as the
    /// values of PyTorch's <c>max(dim, keepdim)</c>; the gradient goes to the first largest element.
    /// </summary>
    public static Tensor Max(Tensor x, int axis, bool keepDim = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor result = AllocateAlongAxis(nameof(Max), x, axis, keepDim, out AxisLayout layout);
        if (layout.Length == 0)
        {
            throw new ArgumentException($"Max: axis {axis} of {TensorShape.Format(x._shape)} is empty, so it has no largest element.", nameof(axis));
        }
        ReadOnlySpan<float> input = x.Data;
        Span<float> output = result.Data;
        (int outer, int length, int inner) = layout;
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                output[o * inner + i] = input[MaxIndex(input, layout, o, i)];
            }
        }
        return result;
    }

    /// <summary>The offset of the first largest element of line (o, ·, i) along the axis.</summary>
    internal static int MaxIndex(ReadOnlySpan<float> x, AxisLayout layout, int o, int i)
    {
        (int _, int length, int inner) = layout;
        int best = o * length * inner + i;
        for (int k = 1, offset = best + inner; k < length; k++, offset += inner)
        {
            if (x[offset] > x[best])
            {
                best = offset;
            }
        }
        return best;
    }

    /// <summary>
    /// The index of the largest element of each row along the last axis (the first on ties), e.g.
    /// the predicted class of each row of logits. Allocates the array; see
    /// <see cref="ArgMax(Tensor, Span{int})"/> for a caller-provided one.
    /// </summary>
    public static int[] ArgMax(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        RequireRankAtLeastOne(nameof(ArgMax), x);
        int[] indices = new int[x.RowCount()];
        ArgMax(x, indices);
        return indices;
    }

    /// <summary>Writes the index of the largest element of each last-axis row into <paramref name="destination"/> (one entry per row).</summary>
    public static void ArgMax(Tensor x, Span<int> destination)
    {
        ArgumentNullException.ThrowIfNull(x);
        RequireRankAtLeastOne(nameof(ArgMax), x);
        int rows = x.RowCount();
        if (destination.Length != rows)
        {
            throw new ArgumentException(
                $"ArgMax: a tensor of shape {TensorShape.Format(x._shape)} has {rows} rows but the destination holds {destination.Length}.");
        }
        int rowLength = x._shape[^1];
        for (int row = 0; row < rows; row++)
        {
            destination[row] = TensorPrimitives.IndexOfMax(x.Data.AsSpan(row * rowLength, rowLength));
        }
    }

    /// <summary>How a tensor divides around an axis: <c>Outer</c> blocks of <c>Length</c> slices of <c>Inner</c> contiguous elements.</summary>
    internal readonly record struct AxisLayout(int Outer, int Length, int Inner);

    internal static AxisLayout LayoutAround(string operation, Tensor x, int axis)
    {
        int normalized = TensorShape.NormalizeAxis(operation, axis, x._shape);
        int outer = 1;
        int inner = 1;
        for (int i = 0; i < normalized; i++)
        {
            outer *= x._shape[i];
        }
        for (int i = normalized + 1; i < x._shape.Length; i++)
        {
            inner *= x._shape[i];
        }
        return new AxisLayout(outer, x._shape[normalized], inner);
    }

    /// <summary>A result of x's shape without the axis, or with it of length 1: the same elements in the same order either way.</summary>
    private static Tensor AllocateAlongAxis(string operation, Tensor x, int axis, bool keepDim, out AxisLayout layout)
    {
        layout = LayoutAround(operation, x, axis);
        Span<int> shape = stackalloc int[MaxRank];
        int rank = ReducedShape(x._shape, axis, keepDim, shape);
        return TensorWorkspace.Allocate(shape[..rank], TensorInit.Uninitialized);
    }

    /// <summary>The shape of a reduction along <paramref name="axis"/> into <paramref name="shape"/>; returns its rank.</summary>
    internal static int ReducedShape(ReadOnlySpan<int> input, int axis, bool keepDim, Span<int> shape)
    {
        int reduced = axis < 0 ? axis + input.Length : axis;
        int rank = 0;
        for (int i = 0; i < input.Length; i++)
        {
            if (i != reduced)
            {
                shape[rank++] = input[i];
            }
            else if (keepDim)
            {
                shape[rank++] = 1;
            }
        }
        return rank;
    }

    private static void SumAlongAxis(ReadOnlySpan<float> x, Span<float> result, AxisLayout layout)
    {
        (int outer, int length, int inner) = layout;
        for (int o = 0; o < outer; o++)
        {
            Span<float> target = result.Slice(o * inner, inner);
            if (inner == 1)
            {
                target[0] = TensorPrimitives.Sum(x.Slice(o * length, length));
                continue;
            }
            // Summing over a middle axis adds whole contiguous slices, which vectorises.
            if (length == 0)
            {
                target.Clear();
                continue;
            }
            int block = o * length * inner;
            x.Slice(block, inner).CopyTo(target);
            for (int k = 1; k < length; k++)
            {
                TensorPrimitives.Add(target, x.Slice(block + k * inner, inner), target);
            }
        }
    }

    /// <summary>The number of rows along the last axis (elements / last dimension).</summary>
    internal int RowCount() => _shape[^1] == 0 ? 0 : Length / _shape[^1];

    private static void RequireRankAtLeastOne(string operation, Tensor x)
    {
        if (x.Rank == 0)
        {
            throw new ShapeMismatchException($"{operation}: expects at least one dimension, got shape [].");
        }
    }
}
