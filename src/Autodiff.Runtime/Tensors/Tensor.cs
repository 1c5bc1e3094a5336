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
    private readonly float[] _buffer;

    // Stale-result detection, as PyTorch's version counters detect in-place changes to saved
    // tensors. A workspace slot's buffer carries a counter that it increments each time it hands
    // the buffer out again; a tensor remembers the count it was handed out at, and every access
    // to its values compares the two. The workspace alternates between two tensor objects over
    // one buffer (see Recycle), so the result of the previous pass is a different object from
    // the current one and fails the compare. Tensors outside any workspace share a counter that
    // never moves.
    private readonly BufferVersion _bufferVersion;
    private int _version;

    private Tensor(int[] shape, float[] buffer, BufferVersion bufferVersion, int version)
    {
        _shape = shape;
        _buffer = buffer;
        _bufferVersion = bufferVersion;
        _version = version;
    }

    /// <summary>
    /// Creates a zero-filled tensor on the managed heap, bypassing any workspace. Only
    /// long-lived state such as optimiser moments calls this (and the workspace, through
    /// <see cref="CreateRecyclable"/>).
    /// </summary>
    internal static Tensor CreateUnpooled(ReadOnlySpan<int> shape) =>
        new(shape.ToArray(), new float[TensorShape.ElementCountUnchecked(shape)], BufferVersion.Unshared, 0);

    /// <summary>A zero-filled tensor for a workspace slot: its buffer can be handed out again by <see cref="Recycle"/>.</summary>
    internal static Tensor CreateRecyclable(ReadOnlySpan<int> shape) =>
        new(shape.ToArray(), new float[TensorShape.ElementCountUnchecked(shape)], new BufferVersion(), 1);

    /// <summary>
    /// Hands this workspace tensor's buffer out again: every tensor over it handed out before
    /// becomes stale. Alternates between this object and <paramref name="twin"/> (created on first
    /// need, sharing the buffer), so that a caller still holding the previous pass's tensor holds
    /// a different object from the one returned now, and its next read throws.
    /// </summary>
    internal Tensor Recycle(ref Tensor? twin)
    {
        int version = unchecked(++_bufferVersion.Value);
        Tensor next = (version & 1) == 1 ? this : (twin ??= new Tensor(_shape, _buffer, _bufferVersion, version));
        next._version = version;
        return next;
    }

    /// <summary>The values, after checking that a workspace has not recycled them since this tensor was handed out.</summary>
    private float[] Data
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (_version != _bufferVersion.Value)
            {
                ThrowRecycled();
            }
            return _buffer;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowRecycled() =>
        throw new InvalidOperationException(
            $"Tensor: this tensor (shape {TensorShape.Format(_shape)}) was recycled: it came from a TensorWorkspace, as every tensor a generated method "
            + "(FGradient, FPullback) creates does, and a later call of that method (or a later pass of the workspace) has reused its buffer "
            + "for a new value. A result is valid only until the next call; call Clone() on it before then (outside any workspace scope) to keep a copy.");

    /// <summary>The size of each dimension, outermost first; empty for a rank-0 tensor.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of dimensions (0 for a scalar tensor).</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements (1 for a rank-0 tensor).</summary>
    public int Length => _buffer.Length;

    /// <summary>The values in row-major order, writable in place.</summary>
    public Span<float> Span => Data;

    /// <summary>The values in row-major order, read-only.</summary>
    public ReadOnlySpan<float> AsReadOnlySpan() => Data;

    /// <summary>Copies the values into a new array (row-major).</summary>
    public float[] ToArray() => (float[])Data.Clone();

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
            return Data[CheckedIndex(0, i)];
        }
    }

    /// <summary>The element at row <paramref name="i"/>, column <paramref name="j"/> of a rank-2 tensor.</summary>
    [IndexerName("Element")]
    public float this[int i, int j]
    {
        get
        {
            RequireIndexCount(2);
            return Data[CheckedIndex(0, i) * _shape[1] + CheckedIndex(1, j)];
        }
    }

    /// <summary>The element at a full index (one entry per dimension; none for a rank-0 tensor).</summary>
    [IndexerName("Element")]
    public float this[params int[] index]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(index);
            return Data[FlatIndex(index)];
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
        if (Length != 1)
        {
            throw new InvalidOperationException(
                $"Item: a Tensor with {Length} elements cannot be converted to Scalar (shape {TensorShape.Format(_shape)}).");
        }
        return Data[0];
    }

    /// <summary>Overwrites this tensor's values with those of <paramref name="source"/>, which must have the same shape.</summary>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        TensorShape.RequireSame(nameof(CopyFrom), this, source);
        source.Data.AsSpan().CopyTo(Data);
    }

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public void Fill(float value) => Data.AsSpan().Fill(value);

    /// <summary>
    /// A copy with the same shape and values: from the current workspace inside a scope, from the
    /// heap outside one (the way to keep a generated method's result past its next call).
    /// </summary>
    public Tensor Clone()
    {
        Tensor copy = TensorWorkspace.Allocate(_shape, TensorInit.Uninitialized);
        Data.AsSpan().CopyTo(copy.Data);
        return copy;
    }
}
