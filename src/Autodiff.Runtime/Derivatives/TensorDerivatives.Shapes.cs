using System;
using System.Numerics.Tensors;

// Each rule is documented by its DerivativeOf target and the class summary; a summary per rule would repeat them.
#pragma warning disable CS1591

namespace Autodiff.Derivatives;

// Operations that only move values: the gradient moves back to where each value came from, and
// the tangent moves forward with the values (each is linear, so its tangent is itself applied to dx).
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

    /// <summary>Concat(da, db): the tangent of a concatenation is the concatenation of the tangents (zeros for a null one).</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Concat), Mode = DerivativeMode.Forward)]
    public static Tensor ConcatTangent(Tensor a, Tensor b, Tensor? da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        TensorShape.RequireTangent(nameof(ConcatTangent), da, a);
        TensorShape.RequireTangent(nameof(ConcatTangent), db, b);
        return Tensor.Concat(da ?? Tensor.ZerosLike(a), db ?? Tensor.ZerosLike(b));
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

    /// <summary>Concat(da, db, axis), with zeros for a null tangent.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Concat), Mode = DerivativeMode.Forward)]
    public static Tensor ConcatAxisTangent(Tensor a, Tensor b, int axis, Tensor? da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        TensorShape.RequireTangent(nameof(ConcatAxisTangent), da, a);
        TensorShape.RequireTangent(nameof(ConcatAxisTangent), db, b);
        return Tensor.Concat(da ?? Tensor.ZerosLike(a), db ?? Tensor.ZerosLike(b), axis);
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

    /// <summary>Slice(dx, axis, start, length).</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Slice), Mode = DerivativeMode.Forward)]
    public static Tensor SliceAxisTangent(Tensor x, int axis, int start, int length, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(SliceAxisTangent), dx, x);
        return dx is null ? ClearedStandIn(Tensor.Slice(x, axis, start, length)) : Tensor.Slice(dx, axis, start, length);
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

    /// <summary>Slice(dx, start, length).</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Slice), Mode = DerivativeMode.Forward)]
    public static Tensor SliceTangent(Tensor x, int start, int length, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(SliceTangent), dx, x);
        return dx is null ? ClearedStandIn(Tensor.Slice(x, start, length)) : Tensor.Slice(dx, start, length);
    }

    // Gather copies rows (a row may be taken several times, as in an embedding lookup), so its
    // gradient is a scatter-add: each seed row is added into the gradient of the row it came from.
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Gather))]
    public static void GatherBackward(Tensor x, int[] rows, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(rows);
        GatherBackward(x, rows.AsSpan(), seed, dx);
    }

    /// <summary>Gather(dx, rows): each row of the tangent is the tangent of the row it copies.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Gather), Mode = DerivativeMode.Forward)]
    public static Tensor GatherTangent(Tensor x, int[] rows, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return GatherTangent(x, rows.AsSpan(), dx);
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

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Gather), Mode = DerivativeMode.Forward)]
    public static Tensor GatherTangent(Tensor x, ReadOnlySpan<int> rows, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(GatherTangent), dx, x);
        return dx is null ? ClearedStandIn(Tensor.Gather(x, rows)) : Tensor.Gather(dx, rows);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Clone))]
    public static void CloneBackward(Tensor x, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireSeedLike(nameof(CloneBackward), seed, x);
        AddFlat(nameof(CloneBackward), x, seed, dx);
    }

    /// <summary>dx, copied: the caller may write into the result, and must not write into dx through it.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Clone), Mode = DerivativeMode.Forward)]
    public static Tensor CloneTangent(Tensor x, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(CloneTangent), dx, x);
        return dx is null ? Tensor.ZerosLike(x) : dx.Clone();
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Reshape))]
    public static void ReshapeBackward(Tensor x, int[] shape, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(seed);
        AddFlat(nameof(ReshapeBackward), x, seed, dx);
    }

    /// <summary>dx.Reshape(shape): a copy, as Reshape itself returns one.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Reshape), Mode = DerivativeMode.Forward)]
    public static Tensor ReshapeTangent(Tensor x, int[] shape, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(shape);
        TensorShape.RequireTangent(nameof(ReshapeTangent), dx, x);
        return dx is null ? ClearedStandIn(x.Reshape(shape)) : dx.Reshape(shape);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Reshape))]
    public static void ReshapeVectorBackward(Tensor x, int length, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        AddFlat(nameof(ReshapeVectorBackward), x, seed, dx);
    }

    /// <summary>dx.Reshape(length).</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Reshape), Mode = DerivativeMode.Forward)]
    public static Tensor ReshapeVectorTangent(Tensor x, int length, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(ReshapeVectorTangent), dx, x);
        return dx is null ? ClearedStandIn(x.Reshape(length)) : dx.Reshape(length);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Reshape))]
    public static void ReshapeMatrixBackward(Tensor x, int rows, int columns, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        AddFlat(nameof(ReshapeMatrixBackward), x, seed, dx);
    }

    /// <summary>dx.Reshape(rows, columns).</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Reshape), Mode = DerivativeMode.Forward)]
    public static Tensor ReshapeMatrixTangent(Tensor x, int rows, int columns, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(ReshapeMatrixTangent), dx, x);
        return dx is null ? ClearedStandIn(x.Reshape(rows, columns)) : dx.Reshape(rows, columns);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Reshape))]
    public static void Reshape3Backward(Tensor x, int d0, int d1, int d2, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        AddFlat(nameof(Reshape3Backward), x, seed, dx);
    }

    /// <summary>dx.Reshape(d0, d1, d2).</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Reshape), Mode = DerivativeMode.Forward)]
    public static Tensor Reshape3Tangent(Tensor x, int d0, int d1, int d2, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(Reshape3Tangent), dx, x);
        return dx is null ? ClearedStandIn(x.Reshape(d0, d1, d2)) : dx.Reshape(d0, d1, d2);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Reshape))]
    public static void Reshape4Backward(Tensor x, int d0, int d1, int d2, int d3, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        AddFlat(nameof(Reshape4Backward), x, seed, dx);
    }

    /// <summary>dx.Reshape(d0, d1, d2, d3).</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Reshape), Mode = DerivativeMode.Forward)]
    public static Tensor Reshape4Tangent(Tensor x, int d0, int d1, int d2, int d3, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(Reshape4Tangent), dx, x);
        return dx is null ? ClearedStandIn(x.Reshape(d0, d1, d2, d3)) : dx.Reshape(d0, d1, d2, d3);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Item))]
    public static void ItemBackward(Tensor x, float seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireAccumulator(nameof(ItemBackward), dx, x);
        if (dx is not null) dx.Span[0] += seed;
    }

    /// <summary>dx.Item(): 0 when x does not vary.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Item), Mode = DerivativeMode.Forward)]
    public static float ItemTangent(Tensor x, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(ItemTangent), dx, x);
        return dx is null ? 0f : dx.Item();
    }

    [DerivativeOf(typeof(Tensor), "get_Element")]
    public static void ElementBackward(Tensor x, int i, float seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireAccumulator(nameof(ElementBackward), dx, x);
        if (dx is not null) dx.Span[x.FlatIndex([i])] += seed;
    }

    /// <summary>dx[i]: 0 when x does not vary.</summary>
    [DerivativeOf(typeof(Tensor), "get_Element", Mode = DerivativeMode.Forward)]
    public static float ElementTangent(Tensor x, int i, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(ElementTangent), dx, x);
        return dx is null ? 0f : dx[i];
    }

    [DerivativeOf(typeof(Tensor), "get_Element")]
    public static void ElementMatrixBackward(Tensor x, int i, int j, float seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireAccumulator(nameof(ElementMatrixBackward), dx, x);
        if (dx is not null) dx.Span[x.FlatIndex([i, j])] += seed;
    }

    /// <summary>dx[i, j]: 0 when x does not vary.</summary>
    [DerivativeOf(typeof(Tensor), "get_Element", Mode = DerivativeMode.Forward)]
    public static float ElementMatrixTangent(Tensor x, int i, int j, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(ElementMatrixTangent), dx, x);
        return dx is null ? 0f : dx[i, j];
    }

    [DerivativeOf(typeof(Tensor), "get_Element")]
    public static void ElementIndexBackward(Tensor x, int[] index, float seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(index);
        TensorShape.RequireAccumulator(nameof(ElementIndexBackward), dx, x);
        if (dx is not null) dx.Span[x.FlatIndex(index)] += seed;
    }

    /// <summary>dx[index]: 0 when x does not vary.</summary>
    [DerivativeOf(typeof(Tensor), "get_Element", Mode = DerivativeMode.Forward)]
    public static float ElementIndexTangent(Tensor x, int[] index, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(index);
        TensorShape.RequireTangent(nameof(ElementIndexTangent), dx, x);
        return dx is null ? 0f : dx[index];
    }

    /// <summary>
    /// Zeroes and returns <paramref name="standIn"/>, the forward operation run on x when there is no
    /// tangent: the operation's own checks run and give the result's shape, and the zero tangent
    /// costs the result's size, where the operation run on ZerosLike(x) would cost the input's too
    /// (a few rows gathered from a large embedding table).
    /// </summary>
    private static Tensor ClearedStandIn(Tensor standIn)
    {
        standIn.Fill(0f);
        return standIn;
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
