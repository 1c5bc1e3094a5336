using System;
using System.Diagnostics.CodeAnalysis;
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

    // Stale-result detection, in the spirit of PyTorch's version counters for saved tensors. A
    // workspace slot hands its buffer out once per pass, alternating between two tensor objects
    // over it (see Recycle), and each hand-out marks the other object recycled. Every access to
    // the values checks the mark: one field of the tensor itself, next to the buffer reference.
    // So the result of the previous pass is a different object from the current one, and reading
    // it throws. Tensors outside any workspace are never marked.
    private bool _recycled;

    private Tensor(int[] shape, float[] buffer)
    {
        _shape = shape;
        _buffer = buffer;
    }

    /// <summary>
    /// Creates a zero-filled tensor on the managed heap, bypassing any workspace. The workspace
    /// (for its slots) and long-lived state such as optimiser moments call this.
    /// </summary>
    internal static Tensor CreateUnpooled(ReadOnlySpan<int> shape) =>
        new(shape.ToArray(), new float[TensorShape.ElementCountUnchecked(shape)]);

    /// <summary>
    /// Hands this workspace tensor's buffer out again, as this object or as <paramref name="twin"/>
    /// (created on first need, sharing the buffer), whichever was not handed out last time; the
    /// other one is marked recycled, so a caller still holding the previous pass's tensor gets an
    /// exception instead of the new values.
    /// </summary>
    internal Tensor Recycle(ref Tensor? twin)
    {
        twin ??= new Tensor(_shape, _buffer) { _recycled = true };
        (Tensor next, Tensor previous) = _recycled ? (this, twin) : (twin, this);
        previous._recycled = true;
        next._recycled = false;
        return next;
    }

    /// <summary>The values, after checking that a workspace has not recycled them since this tensor was handed out.</summary>
    private float[] Data
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (_recycled)
            {
                ThrowRecycled();
            }
            return _buffer;
        }
    }

    // Not NoInlining: the JIT then sees that this never returns, keeps the call out of line, and
    // holds nothing live across it, so the check does not make callers spill registers in loops.
    [DoesNotReturn]
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

    /// <summary>
    /// The values' array itself (checked like <see cref="Span"/>), for kernels that hand it to
    /// worker threads (<see cref="Kernels.ParallelRange"/>), which cannot take spans.
    /// </summary>
    internal float[] Values
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Data;
    }

    /// <summary>The values in row-major order, writable in place.</summary>
    public Span<float> Span
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Data;
    }

    /// <summary>The values in row-major order, read-only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
