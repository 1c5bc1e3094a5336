using System;
using System.Numerics.Tensors;

namespace Autodiff;

/// <summary>
/// NumPy broadcasting for rank ≤ 4: shapes are aligned at their last dimension, and a dimension
/// of size 1 (or a missing leading one) is repeated to match the other operand.
/// </summary>
/// <remarks>
/// Both directions work on whole rows of the last dimension, so the inner work is always a
/// vectorised TensorPrimitives call: element-wise ops combine a row with a row or with one
/// repeated value, and the reduction adds a gradient row into a row or sums it into one value.
/// Shapes are padded to rank 4 with leading ones; a broadcast dimension gets stride 0.
/// </remarks>
internal static class Broadcasting
{
    /// <summary>Writes the broadcast shape of <paramref name="a"/> and <paramref name="b"/> into <paramref name="result"/> and returns its rank.</summary>
    public static int ResultShape(string operation, ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> result)
    {
        int rank = Math.Max(a.Length, b.Length);
        for (int fromEnd = 1; fromEnd <= rank; fromEnd++)
        {
            int sizeA = fromEnd <= a.Length ? a[^fromEnd] : 1;
            int sizeB = fromEnd <= b.Length ? b[^fromEnd] : 1;
            if (sizeA != sizeB && sizeA != 1 && sizeB != 1)
            {
                throw new ShapeMismatchException(
                    $"{operation}: cannot broadcast {TensorShape.Format(a)} with {TensorShape.Format(b)}: " +
                    $"sizes {sizeA} and {sizeB} differ in dimension {-fromEnd} (counting from the last).");
            }
            result[rank - fromEnd] = sizeA == 1 ? sizeB : sizeA;
        }
        return rank;
    }

    /// <summary>result = a ∘ b element-wise, with <paramref name="result"/> already of the broadcast shape.</summary>
    public static void Apply<TOperator>(Tensor a, Tensor b, Tensor result)
        where TOperator : struct, IRowOperator
    {
        ReadOnlySpan<float> x = a.Span;
        ReadOnlySpan<float> y = b.Span;
        Span<float> destination = result.Span;

        // An operand with as many elements as the result has the result's layout, and a
        // one-element operand is a plain scalar: these cover most calls without index arithmetic.
        if (x.Length == destination.Length && y.Length == destination.Length)
        {
            ParallelElementwise.Apply<TOperator>(a.Values, b.Values, result.Values);
            return;
        }
        if (x.Length == destination.Length && y.Length == 1)
        {
            TOperator.Apply(x, y[0], destination);
            return;
        }
        if (y.Length == destination.Length && x.Length == 1)
        {
            TOperator.Apply(x[0], y, destination);
            return;
        }

        Span<int> size = stackalloc int[Tensor.MaxRank];
        Span<int> strideA = stackalloc int[Tensor.MaxRank];
        Span<int> strideB = stackalloc int[Tensor.MaxRank];
        PadToMaxRank(result.Shape, size);
        BroadcastStrides(a.Shape, size, strideA);
        BroadcastStrides(b.Shape, size, strideB);

        int rowLength = size[3];
        int offset = 0;
        for (int i0 = 0; i0 < size[0]; i0++)
        {
            for (int i1 = 0; i1 < size[1]; i1++)
            {
                for (int i2 = 0; i2 < size[2]; i2++, offset += rowLength)
                {
                    int offsetA = i0 * strideA[0] + i1 * strideA[1] + i2 * strideA[2];
                    int offsetB = i0 * strideB[0] + i1 * strideB[1] + i2 * strideB[2];
                    Span<float> row = destination.Slice(offset, rowLength);
                    bool rowA = strideA[3] != 0;
                    bool rowB = strideB[3] != 0;
                    if (rowA && rowB)
                    {
                        TOperator.Apply(x.Slice(offsetA, rowLength), y.Slice(offsetB, rowLength), row);
                    }
                    else if (rowA)
                    {
                        TOperator.Apply(x.Slice(offsetA, rowLength), y[offsetB], row);
                    }
                    else if (rowB)
                    {
                        TOperator.Apply(x[offsetA], y.Slice(offsetB, rowLength), row);
                    }
                    else
                    {
                        row.Fill(TOperator.Apply(x[offsetA], y[offsetB]));
                    }
                }
            }
        }
    }

    /// <summary>
    /// destination += scale · (gradient summed over the dimensions in which destination was
    /// broadcast): the backward step of every broadcasting operation.
    /// </summary>
    public static void AccumulateReduced(string operation, Tensor destination, Tensor gradient, float scale)
    {
        Span<int> size = stackalloc int[Tensor.MaxRank];
        Span<int> destinationSize = stackalloc int[Tensor.MaxRank];
        PadToMaxRank(gradient.Shape, size);
        bool fits = destination.Rank <= Tensor.MaxRank;
        if (fits)
        {
            PadToMaxRank(destination.Shape, destinationSize);
            for (int axis = 0; axis < Tensor.MaxRank; axis++)
            {
                fits &= destinationSize[axis] == size[axis] || destinationSize[axis] == 1;
            }
        }
        if (!fits)
        {
            throw new ShapeMismatchException(
                $"{operation}: cannot reduce a gradient of shape {TensorShape.Format(gradient.Shape)} " +
                $"to shape {TensorShape.Format(destination.Shape)}: it does not broadcast to the gradient's shape.");
        }

        Span<float> d = destination.Span;
        ReadOnlySpan<float> g = gradient.Span;
        if (d.Length == g.Length && scale == 1f)
        {
            // The residual stream's gradients: whole activations, worth both cores.
            ParallelElementwise.Apply<AddRows>(destination.Values, gradient.Values, destination.Values);
            return;
        }
        if (d.Length == g.Length)
        {
            AddScaled(d, g, scale);
            return;
        }
        if (d.Length == 1)
        {
            d[0] += scale * TensorPrimitives.Sum(g);
            return;
        }

        Span<int> stride = stackalloc int[Tensor.MaxRank];
        BroadcastStrides(destination.Shape, size, stride);
        int rowLength = size[3];
        int offset = 0;
        for (int i0 = 0; i0 < size[0]; i0++)
        {
            for (int i1 = 0; i1 < size[1]; i1++)
            {
                for (int i2 = 0; i2 < size[2]; i2++, offset += rowLength)
                {
                    int target = i0 * stride[0] + i1 * stride[1] + i2 * stride[2];
                    ReadOnlySpan<float> row = g.Slice(offset, rowLength);
                    if (stride[3] != 0)
                    {
                        AddScaled(d.Slice(target, rowLength), row, scale);
                    }
                    else
                    {
                        d[target] += scale * TensorPrimitives.Sum(row);
                    }
                }
            }
        }
    }

    /// <summary>destination += scale · source, with the common scale 1 as a plain add.</summary>
    public static void AddScaled(Span<float> destination, ReadOnlySpan<float> source, float scale)
    {
        if (scale == 1f)
        {
            TensorPrimitives.Add(destination, source, destination);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(source, scale, destination, destination);
        }
    }

    private static void PadToMaxRank(ReadOnlySpan<int> shape, Span<int> padded)
    {
        int missing = Tensor.MaxRank - shape.Length;
        padded[..missing].Fill(1);
        shape.CopyTo(padded[missing..]);
    }

    /// <summary>Row-major strides of <paramref name="shape"/> padded to rank 4, zero where it is broadcast to <paramref name="size"/>.</summary>
    private static void BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> size, Span<int> stride)
    {
        Span<int> own = stackalloc int[Tensor.MaxRank];
        PadToMaxRank(shape, own);
        int step = 1;
        for (int axis = Tensor.MaxRank - 1; axis >= 0; axis--)
        {
            stride[axis] = own[axis] == 1 && size[axis] != 1 ? 0 : step;
            step *= own[axis];
        }
        // A size-1 dimension of the result is never stepped through, so its stride is irrelevant;
        // zero keeps "stride != 0" meaning "this operand varies along the row".
        if (size[3] == 1)
        {
            stride[3] = 0;
        }
    }
}
