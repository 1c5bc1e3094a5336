using System;

namespace Autodiff;

// Reshape returns a copy, not a view: every tensor owns its buffer, so a value saved for the
// backward pass can never change because a reshaped alias of it was written, and the workspace
// can hand out each buffer to exactly one tensor.
public sealed partial class Tensor
{
    /// <summary>
    /// A copy with the same values in row-major order and the given shape; one dimension may be
    /// −1, inferred from the element count.
    /// </summary>
    public Tensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return ReshapeCore(shape);
    }

    /// <summary>A rank-1 copy of <paramref name="length"/> elements (−1: all of them).</summary>
    public Tensor Reshape(int length) => ReshapeCore([length]);

    /// <summary>A rank-2 copy [<paramref name="rows"/>, <paramref name="columns"/>]; one of them may be −1.</summary>
    public Tensor Reshape(int rows, int columns) => ReshapeCore([rows, columns]);

    /// <summary>A rank-3 copy; one dimension may be −1. (Fixed-rank overloads take no array, so a training step allocates nothing.)</summary>
    public Tensor Reshape(int d0, int d1, int d2) => ReshapeCore([d0, d1, d2]);

    /// <summary>A rank-4 copy; one dimension may be −1.</summary>
    public Tensor Reshape(int d0, int d1, int d2, int d3) => ReshapeCore([d0, d1, d2, d3]);

    private Tensor ReshapeCore(ReadOnlySpan<int> requested)
    {
        if (requested.Length > MaxRank)
        {
            throw new ArgumentException($"Reshape: shape {TensorShape.Format(requested)} has rank {requested.Length}; tensors have rank 0 to {MaxRank}.");
        }
        Span<int> shape = stackalloc int[MaxRank];
        shape = shape[..requested.Length];
        requested.CopyTo(shape);
        int inferred = -1;
        long known = 1;
        for (int axis = 0; axis < shape.Length; axis++)
        {
            if (shape[axis] == -1 && inferred < 0)
            {
                inferred = axis;
            }
            else if (shape[axis] < 0)
            {
                throw new ArgumentException($"Reshape: shape {TensorShape.Format(requested)} may hold a single −1 and no other negative dimension.");
            }
            else
            {
                known *= shape[axis];
            }
        }
        if (inferred >= 0 && known != 0 && Length % known == 0)
        {
            shape[inferred] = (int)(Length / known);
            known *= shape[inferred];
        }
        if (known != Length || (inferred >= 0 && shape[inferred] < 0))
        {
            throw new ShapeMismatchException(
                $"Reshape: cannot reshape {TensorShape.Format(_shape)} ({Length} elements) to {TensorShape.Format(requested)}.");
        }
        Tensor result = TensorWorkspace.Allocate(shape, TensorInit.Uninitialized);
        Data.AsSpan().CopyTo(result.Data);
        return result;
    }
}
