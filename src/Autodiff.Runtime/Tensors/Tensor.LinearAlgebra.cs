using System;
using System.Numerics.Tensors;
using Autodiff.Kernels;

namespace Autodiff;

// Matrix product, transpose and vector dot product. Every matrix product goes through Gemm.
public sealed partial class Tensor
{
    /// <summary>
    /// The matrix product of <paramref name="a"/> [..., m, k] and <paramref name="b"/> [..., k, n],
    /// shape [..., m, n], as <c>torch.matmul</c> for operands of rank 2 to 4: the leading (batch)
    /// axes broadcast against each other, so [B, H, T, D] · [B, H, D, T] multiplies per batch and
    /// head, and [B, T, C] · [C, C'] applies one matrix to every row (as one product).
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        (int m, int k, int n) = MatMulShape(nameof(MatMul), a, b);
        if (a.Rank == 2 && b.Rank == 2)
        {
            Tensor product = TensorWorkspace.Allocate([m, n], TensorInit.Uninitialized);
            MultiplyInto(a, b, product, m, n, k, transposeA: false, transposeB: false, accumulate: false);
            return product;
        }
        Span<int> shape = stackalloc int[MaxRank];
        int rank = BatchShape(nameof(MatMul), a, b, shape);
        shape[rank - 2] = m;
        shape[rank - 1] = n;
        Tensor result = TensorWorkspace.Allocate(shape[..rank], TensorInit.Uninitialized);
        if (b.Rank == 2)
        {
            // One matrix for every row of every batch: a single product over the stacked rows.
            MultiplyInto(a, b, result, a.Length / k, n, k, transposeA: false, transposeB: false, accumulate: false);
            return result;
        }
        BatchedProducts.Multiply(a, b, result, m, n, k);
        return result;
    }

    /// <summary>(m, k, n) of a batched product, after checking ranks and the inner dimensions.</summary>
    internal static (int M, int K, int N) MatMulShape(string operation, Tensor a, Tensor b)
    {
        if (a.Rank < 2 || b.Rank < 2)
        {
            throw new ShapeMismatchException(
                $"{operation}: expects matrices or batches of matrices (rank 2 to {MaxRank}), got {TensorShape.Format(a._shape)} and {TensorShape.Format(b._shape)}.");
        }
        int k = a._shape[^1];
        if (b._shape[^2] != k)
        {
            throw new ShapeMismatchException(
                $"{operation}: cannot multiply {TensorShape.Format(a._shape)} by {TensorShape.Format(b._shape)}: inner dimensions {k} and {b._shape[^2]} differ.");
        }
        return (a._shape[^2], k, b._shape[^1]);
    }

    /// <summary>The broadcast batch axes of a product into <paramref name="shape"/>, followed by room for m and n; returns the result's rank.</summary>
    internal static int BatchShape(string operation, Tensor a, Tensor b, Span<int> shape)
    {
        ReadOnlySpan<int> batchA = a._shape.AsSpan(0, a.Rank - 2), batchB = b._shape.AsSpan(0, b.Rank - 2);
        int batchRank = Math.Max(batchA.Length, batchB.Length);
        for (int axis = 0; axis < batchRank; axis++)
        {
            int fromA = axis - (batchRank - batchA.Length), fromB = axis - (batchRank - batchB.Length);
            int dimA = fromA >= 0 ? batchA[fromA] : 1, dimB = fromB >= 0 ? batchB[fromB] : 1;
            if (dimA != dimB && dimA != 1 && dimB != 1)
            {
                throw new ShapeMismatchException(
                    $"{operation}: the batch axes of {TensorShape.Format(a._shape)} and {TensorShape.Format(b._shape)} do not broadcast ({dimA} against {dimB}).");
            }
            shape[axis] = Math.Max(dimA, dimB);
        }
        return batchRank + 2;
    }

    /// <summary>Which of the operand's matrices batch <paramref name="index"/> of the result uses (an axis of size 1, or a missing one, repeats its matrix).</summary>
    internal static int BatchOffset(int index, ReadOnlySpan<int> batch, Tensor operand)
    {
        int operandBatchRank = operand.Rank - 2;
        int offset = 0, stride = 1;
        for (int axis = batch.Length - 1; axis >= 0; axis--)
        {
            int position = index % batch[axis];
            index /= batch[axis];
            int operandAxis = axis - (batch.Length - operandBatchRank);
            if (operandAxis < 0)
            {
                continue;
            }
            int dim = operand._shape[operandAxis];
            offset += (dim == 1 ? 0 : position) * stride;
            stride *= dim;
        }
        return offset;
    }

    /// <summary>c (m×n) += op(a)·op(b) on one matrix of each operand, at the given element offsets (a batched product's backward rule).</summary>
    internal static void MultiplySegments(Tensor a, int aOffset, Tensor b, int bOffset, Tensor c, int cOffset, int m, int n, int k,
        bool transposeA, bool transposeB) =>
        Gemm.MultiplyArrays(new ArraySegment<float>(a.Data, aOffset, m * k), new ArraySegment<float>(b.Data, bOffset, k * n),
            new ArraySegment<float>(c.Data, cOffset, m * n), m, n, k, transposeA, transposeB, accumulate: true);

    /// <summary>
    /// c (m×n) = or += op(a)·op(b), for MatMul and its backward rule: through the GEMM entry point
    /// over arrays, whose worker threads can read the operands and write c themselves. The
    /// shapes are the caller's to check; the GEMM checks every array against them.
    /// </summary>
    internal static void MultiplyInto(Tensor a, Tensor b, Tensor c, int m, int n, int k,
        bool transposeA, bool transposeB, bool accumulate) =>
        Gemm.MultiplyArrays(a.Data, b.Data, c.Data, m, n, k, transposeA, transposeB, accumulate);

    /// <summary>
    /// The transpose of a matrix [m, n], shape [n, m], or of each matrix of a batch [..., m, n]
    /// (the last two axes swapped, as PyTorch's <c>x.mT</c>); a copy.
    /// </summary>
    public static Tensor Transpose(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 2)
        {
            throw new ShapeMismatchException($"Transpose: expects a matrix or a batch of matrices (rank 2 to {MaxRank}), got {TensorShape.Format(x._shape)}.");
        }
        int rows = x._shape[^2];
        int columns = x._shape[^1];
        Span<int> shape = stackalloc int[x.Rank];
        x._shape.CopyTo(shape);
        shape[^2] = columns;
        shape[^1] = rows;
        Tensor result = TensorWorkspace.Allocate(shape, TensorInit.Uninitialized);
        int size = rows * columns;
        for (int start = 0; start < x.Length; start += size)
        {
            TransposeInto(x.Data.AsSpan(start, size), result.Data.AsSpan(start, size), rows, columns, accumulate: false);
        }
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
