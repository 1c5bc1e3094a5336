using System;
using System.Numerics.Tensors;

// Each rule is documented by its DerivativeOf target and the class summary; a summary per rule would repeat them.
#pragma warning disable CS1591

namespace Autodiff.Derivatives;

// Operations that only move values: the gradient moves back to where each value came from.
// Reshape, Clone, Item and the indexers are instance members: the receiver is the first parameter.
public static partial class TensorDerivatives
{
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Concat))]
    public static void ConcatBackward(Tensor a, Tensor b, Tensor seed, Tensor? da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        RequireSeedLength(nameof(ConcatBackward), seed, a.Length + b.Length);
        if (seed.Rank != a.Rank || seed.Dim(0) != a.Dim(0) + b.Dim(0))
        {
            throw new ShapeMismatchException(
                $"ConcatBackward: seed of shape {TensorShape.Format(seed.Shape)} is not the concatenation of {TensorShape.Format(a.Shape)} and {TensorShape.Format(b.Shape)}.");
        }
        TensorShape.RequireAccumulator(nameof(ConcatBackward), da, a);
        TensorShape.RequireAccumulator(nameof(ConcatBackward), db, b);
        if (da is not null) AddFrom(da.Span, seed.Span.Slice(0, a.Length));
        if (db is not null) AddFrom(db.Span, seed.Span.Slice(a.Length, b.Length));
    }

    /// <summary>Each part of the seed goes back to the operand it came from.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Concat))]
    public static void ConcatAxisBackward(Tensor a, Tensor b, int axis, Tensor seed, Tensor? da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        (Tensor.AxisLayout left, Tensor.AxisLayout right) = Tensor.ConcatLayouts(nameof(ConcatAxisBackward), a, b, axis);
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        a.Shape.CopyTo(shape);
        shape[axis < 0 ? axis + a.Rank : axis] = left.Length + right.Length;
        RequireSeedShape(nameof(ConcatAxisBackward), seed, shape[..a.Rank]);
        TensorShape.RequireAccumulator(nameof(ConcatAxisBackward), da, a);
        TensorShape.RequireAccumulator(nameof(ConcatAxisBackward), db, b);
        int leftBlock = left.Length * left.Inner, rightBlock = right.Length * right.Inner;
        for (int o = 0; o < left.Outer; o++)
        {
            int start = o * (leftBlock + rightBlock);
            if (da is not null) AddFrom(da.Span.Slice(o * leftBlock, leftBlock), seed.Span.Slice(start, leftBlock));
            if (db is not null) AddFrom(db.Span.Slice(o * rightBlock, rightBlock), seed.Span.Slice(start + leftBlock, rightBlock));
        }
    }

    /// <summary>The seed goes back into the entries that were taken.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Slice))]
    public static void SliceAxisBackward(Tensor x, int axis, int start, int length, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        Tensor.AxisLayout layout = Tensor.SliceLayout(nameof(SliceAxisBackward), x, axis, start, length);
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        x.Shape.CopyTo(shape);
        shape[axis < 0 ? axis + x.Rank : axis] = length;
        RequireSeedShape(nameof(SliceAxisBackward), seed, shape[..x.Rank]);
        TensorShape.RequireAccumulator(nameof(SliceAxisBackward), dx, x);
        if (dx is null) return;
        int block = layout.Length * layout.Inner, kept = length * layout.Inner;
        for (int o = 0; o < layout.Outer; o++)
        {
            AddFrom(dx.Span.Slice(o * block + start * layout.Inner, kept), seed.Span.Slice(o * kept, kept));
        }
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Slice))]
    public static void SliceBackward(Tensor x, int start, int length, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        Tensor.ValidateSlice(nameof(SliceBackward), x, start, length);
        int stride = x.Stride0();
        RequireSeedLength(nameof(SliceBackward), seed, length * stride);
        TensorShape.RequireAccumulator(nameof(SliceBackward), dx, x);
        if (dx is not null) AddFrom(dx.Span.Slice(start * stride, length * stride), seed.Span);
    }

    // Gather copies rows (a row may be taken several times, as in an embedding lookup), so its
    // gradient is a scatter-add: each seed row is added into the gradient of the row it came from.
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Gather))]
    public static void GatherBackward(Tensor x, int[] rows, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(rows);
        GatherBackward(x, rows.AsSpan(), seed, dx);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Gather))]
    public static void GatherBackward(Tensor x, ReadOnlySpan<int> rows, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        if (x.Rank == 0)
        {
            throw new ShapeMismatchException("GatherBackward: expects at least one dimension, got shape [].");
        }
        int stride = x.Stride0();
        RequireSeedLength(nameof(GatherBackward), seed, rows.Length * stride);
        TensorShape.RequireAccumulator(nameof(GatherBackward), dx, x);
        if (dx is null)
        {
            return;
        }
        Span<float> gradient = dx.Span;
        ReadOnlySpan<float> incoming = seed.Span;
        int available = x.Dim(0);
        for (int i = 0; i < rows.Length; i++)
        {
            if ((uint)rows[i] >= (uint)available)
            {
                throw new ArgumentOutOfRangeException(nameof(rows),
                    $"GatherBackward: row {rows[i]} at index {i} is out of range for shape {TensorShape.Format(x.Shape)}.");
            }
            AddFrom(gradient.Slice(rows[i] * stride, stride), incoming.Slice(i * stride, stride));
        }
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Clone))]
    public static void CloneBackward(Tensor x, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireSeedLike(nameof(CloneBackward), seed, x);
        AddFlat(nameof(CloneBackward), x, seed, dx);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Reshape))]
    public static void ReshapeBackward(Tensor x, int[] shape, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(seed);
        AddFlat(nameof(ReshapeBackward), x, seed, dx);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Reshape))]
    public static void ReshapeVectorBackward(Tensor x, int length, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        AddFlat(nameof(ReshapeVectorBackward), x, seed, dx);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Reshape))]
    public static void ReshapeMatrixBackward(Tensor x, int rows, int columns, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        AddFlat(nameof(ReshapeMatrixBackward), x, seed, dx);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Reshape))]
    public static void Reshape3Backward(Tensor x, int d0, int d1, int d2, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        AddFlat(nameof(Reshape3Backward), x, seed, dx);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Reshape))]
    public static void Reshape4Backward(Tensor x, int d0, int d1, int d2, int d3, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        AddFlat(nameof(Reshape4Backward), x, seed, dx);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Item))]
    public static void ItemBackward(Tensor x, float seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireAccumulator(nameof(ItemBackward), dx, x);
        if (dx is not null) dx.Span[0] += seed;
    }

    [DerivativeOf(typeof(Tensor), "get_Element")]
    public static void ElementBackward(Tensor x, int i, float seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireAccumulator(nameof(ElementBackward), dx, x);
        if (dx is not null) dx.Span[x.FlatIndex([i])] += seed;
    }

    [DerivativeOf(typeof(Tensor), "get_Element")]
    public static void ElementMatrixBackward(Tensor x, int i, int j, float seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireAccumulator(nameof(ElementMatrixBackward), dx, x);
        if (dx is not null) dx.Span[x.FlatIndex([i, j])] += seed;
    }

    [DerivativeOf(typeof(Tensor), "get_Element")]
    public static void ElementIndexBackward(Tensor x, int[] index, float seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(index);
        TensorShape.RequireAccumulator(nameof(ElementIndexBackward), dx, x);
        if (dx is not null) dx.Span[x.FlatIndex(index)] += seed;
    }

    private static void AddFlat(string rule, Tensor x, Tensor seed, Tensor? dx)
    {
        RequireSeedLength(rule, seed, x.Length);
        TensorShape.RequireAccumulator(rule, dx, x);
        if (dx is not null) AddFrom(dx.Span, seed.Span);
    }

    private static void AddFrom(Span<float> destination, ReadOnlySpan<float> source) =>
        TensorPrimitives.Add(destination, source, destination);

    private static void RequireSeedLength(string rule, Tensor seed, int length)
    {
        if (seed.Length != length)
        {
            throw new ShapeMismatchException(
                $"{rule}: seed of shape {TensorShape.Format(seed.Shape)} has {seed.Length} elements where the output has {length}.");
        }
    }
}
