using System;
using System.Numerics.Tensors;
using Autodiff.Kernels;

namespace Autodiff;

// Matrix product, transpose and vector dot product. Every matrix product goes through Gemm.
public sealed partial class Tensor
{
    /// <summary>The matrix product of <paramref name="a"/> [m, k] and <paramref name="b"/> [k, n], shape [m, n].</summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank != 2 || b.Rank != 2)
        {
            throw new ShapeMismatchException(
                $"MatMul: expects two matrices (rank 2), got {TensorShape.Format(a._shape)} and {TensorShape.Format(b._shape)}.");
        }
        int m = a._shape[0];
        int k = a._shape[1];
        int n = b._shape[1];
        if (b._shape[0] != k)
        {
            throw new ShapeMismatchException(
                $"MatMul: cannot multiply {TensorShape.Format(a._shape)} by {TensorShape.Format(b._shape)}: inner dimensions {k} and {b._shape[0]} differ.");
        }
        Tensor result = TensorWorkspace.Allocate([m, n], TensorInit.Uninitialized);
        MultiplyInto(a, b, result, m, n, k, transposeA: false, transposeB: false, accumulate: false);
        return result;
    }

    /// <summary>
    /// c (m×n) = or += op(a)·op(b), for MatMul and its backward rule: through the GEMM entry point
    /// over arrays, whose worker threads can read the operands and write c themselves. The
    /// shapes are the caller's to check; the GEMM checks every array against them.
    /// </summary>
    internal static void MultiplyInto(Tensor a, Tensor b, Tensor c, int m, int n, int k,
        bool transposeA, bool transposeB, bool accumulate) =>
        Gemm.MultiplyArrays(a.Data, b.Data, c.Data, m, n, k, transposeA, transposeB, accumulate);

    /// <summary>The transpose of a matrix [m, n], shape [n, m] (a copy).</summary>
    public static Tensor Transpose(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireRank(nameof(Transpose), x, 2, "a matrix");
        int rows = x._shape[0];
        int columns = x._shape[1];
        Tensor result = TensorWorkspace.Allocate([columns, rows], TensorInit.Uninitialized);
        TransposeInto(x.Data, result.Data, rows, columns, accumulate: false);
        return result;
    }

    /// <summary>The dot product of two vectors of equal length, as a rank-0 tensor.</summary>
    public static Tensor Dot(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank != 1 || b.Rank != 1 || a.Length != b.Length)
        {
            throw new ShapeMismatchException(
                $"Dot: expects two vectors of equal length, got {TensorShape.Format(a._shape)} and {TensorShape.Format(b._shape)}.");
        }
        return Scalar(TensorPrimitives.Dot(a.Data, b.Data));
    }

    /// <summary>
    /// destination (columns × rows) = or += source (rows × columns) transposed. It works in
    /// 16 × 16 tiles, reading source rows contiguously and writing down destination columns, so
    /// a tile's 16 destination cache lines stay resident; larger tiles measured slower, as
    /// power-of-two strides then map too many lines to the same cache sets.
    /// </summary>
    internal static void TransposeInto(ReadOnlySpan<float> source, Span<float> destination, int rows, int columns, bool accumulate)
    {
        const int Tile = 16;
        if (source.Length < rows * columns || destination.Length < rows * columns)
        {
            throw new ArgumentException($"Transpose: buffers too short for {rows}x{columns}.");
        }
        for (int rowStart = 0; rowStart < rows; rowStart += Tile)
        {
            int rowEnd = Math.Min(rowStart + Tile, rows);
            for (int columnStart = 0; columnStart < columns; columnStart += Tile)
            {
                int width = Math.Min(Tile, columns - columnStart);
                for (int i = rowStart; i < rowEnd; i++)
                {
                    ReadOnlySpan<float> sourceRow = source.Slice(i * columns + columnStart, width);
                    int target = columnStart * rows + i;
                    if (accumulate)
                    {
                        for (int j = 0; j < sourceRow.Length; j++, target += rows)
                        {
                            destination[target] += sourceRow[j];
                        }
                    }
                    else
                    {
                        for (int j = 0; j < sourceRow.Length; j++, target += rows)
                        {
                            destination[target] = sourceRow[j];
                        }
                    }
                }
            }
        }
    }
}
