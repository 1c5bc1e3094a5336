using System;
using System.Runtime.CompilerServices;

namespace Autodiff;

/// <summary>
/// A dense float32 tensor of rank 0 to 4, stored contiguously in row-major order, like a
/// contiguous <c>torch.Tensor</c> of dtype float32 on the CPU.
/// </summary>
/// <remarks>
/// <para>
/// Operations are static methods and operators that return a new tensor (the element-wise ones
/// broadcast like NumPy). Every tensor an operation or factory creates comes from
/// <see cref="TensorWorkspace.Current"/> when a workspace scope is open, so a training step
/// repeated inside a scope reuses its buffers instead of allocating.
/// </para>
/// <para>
/// The shape never changes after creation; the values are mutable through <see cref="Span"/>.
/// A tensor is not thread-safe.
/// </para>
/// </remarks>
public sealed partial class Tensor
{
    /// <summary>The largest supported rank.</summary>
    public const int MaxRank = 4;

    private readonly int[] _shape;
    private readonly float[] _data;

    private Tensor(int[] shape, float[] data)
    {
        _shape = shape;
        _data = data;
    }

    /// <summary>
    /// Creates a zero-filled tensor on the managed heap, bypassing any workspace. Only the
    /// workspace (for its slots) and long-lived state such as optimiser moments call this.
    /// </summary>
    internal static Tensor CreateUnpooled(ReadOnlySpan<int> shape) =>
        new(shape.ToArray(), new float[TensorShape.ElementCountUnchecked(shape)]);

    /// <summary>The size of each dimension, outermost first; empty for a rank-0 tensor.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of dimensions (0 for a scalar tensor).</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements (1 for a rank-0 tensor).</summary>
    public int Length => _data.Length;

    /// <summary>The values in row-major order, writable in place.</summary>
    public Span<float> Span => _data;

    /// <summary>The values in row-major order, read-only.</summary>
    public ReadOnlySpan<float> AsReadOnlySpan() => _data;

    /// <summary>Copies the values into a new array (row-major).</summary>
    public float[] ToArray() => (float[])_data.Clone();

    /// <summary>The size of dimension <paramref name="axis"/>; a negative axis counts from the end (−1 is the last).</summary>
    public int Dim(int axis) => _shape[TensorShape.NormalizeAxis(nameof(Dim), axis, _shape)];

    /// <summary>Whether this tensor's shape equals <paramref name="shape"/> (rank and every dimension).</summary>
    public bool HasShape(ReadOnlySpan<int> shape) => shape.SequenceEqual(_shape);

    // The indexers are named Element in metadata (get_Element) because Item is the method below.

    /// <summary>The element at <paramref name="i"/> of a rank-1 tensor.</summary>
    [IndexerName("Element")]
    public float this[int i]
    {
        get
        {
            RequireIndexCount(1);
            return _data[CheckedIndex(0, i)];
        }
    }

    /// <summary>The element at row <paramref name="i"/>, column <paramref name="j"/> of a rank-2 tensor.</summary>
    [IndexerName("Element")]
    public float this[int i, int j]
    {
        get
        {
            RequireIndexCount(2);
            return _data[CheckedIndex(0, i) * _shape[1] + CheckedIndex(1, j)];
        }
    }

    /// <summary>The element at a full index (one entry per dimension; none for a rank-0 tensor).</summary>
    [IndexerName("Element")]
    public float this[params int[] index]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(index);
            return _data[FlatIndex(index)];
        }
    }

    /// <summary>
    /// Row-major offset of a full index, checked against the shape. Used by the indexers and by
    /// their backward rules.
    /// </summary>
    internal int FlatIndex(ReadOnlySpan<int> index)
    {
        RequireIndexCount(index.Length);
        int offset = 0;
        for (int axis = 0; axis < index.Length; axis++)
        {
            offset = offset * _shape[axis] + CheckedIndex(axis, index[axis]);
        }
        return offset;
    }

    private void RequireIndexCount(int count)
    {
        if (count != _shape.Length)
        {
            throw new ArgumentException(
                $"Indexer: a tensor of shape {TensorShape.Format(_shape)} takes {_shape.Length} indices, got {count}.");
        }
    }

    private int CheckedIndex(int axis, int index)
    {
        if ((uint)index >= (uint)_shape[axis])
        {
            throw new ArgumentOutOfRangeException(nameof(index),
                $"Indexer: index {index} is out of range for axis {axis} of a tensor of shape {TensorShape.Format(_shape)}.");
        }
        return index;
    }

    /// <summary>
    /// The single value of a one-element tensor (any rank), like PyTorch's <c>item()</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tensor does not have exactly one element.</exception>
    public float Item()
    {
        if (_data.Length != 1)
        {
            throw new InvalidOperationException(
                $"Item: a Tensor with {_data.Length} elements cannot be converted to Scalar (shape {TensorShape.Format(_shape)}).");
        }
        return _data[0];
    }

    /// <summary>Overwrites this tensor's values with those of <paramref name="source"/>, which must have the same shape.</summary>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        TensorShape.RequireSame(nameof(CopyFrom), this, source);
        source._data.AsSpan().CopyTo(_data);
    }

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public void Fill(float value) => _data.AsSpan().Fill(value);

    /// <summary>A copy with the same shape and values (from the current workspace, if any).</summary>
    public Tensor Clone()
    {
        Tensor copy = TensorWorkspace.Allocate(_shape, TensorInit.Uninitialized);
        _data.AsSpan().CopyTo(copy._data);
        return copy;
    }
}
