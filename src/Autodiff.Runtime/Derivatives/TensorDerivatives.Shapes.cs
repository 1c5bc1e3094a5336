using System;
using System.Numerics.Tensors;

// Each rule is documented by its DerivativeOf target and the class summary; a summary per rule would repeat them.
#pragma warning disable CS1591

namespace Autodiff.Derivatives;

// Operations that only move values: the gradient moves back to where each value came from, and
// the tangent moves forward with the values (each is linear, so its tangent is itself applied to dx).
// The pullback of each tangent is then the operation's own pullback into the tangent's accumulator,
// and nothing into the input's: the second derivative of a linear operation is zero.
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

    /// <summary>The pullback of ConcatTangent = Concat(da, db): ba, bb get nothing (it does not read a or b); bDa, bDb += the seed's parts.</summary>
    [DerivativeOf(nameof(ConcatTangent))]
    public static void ConcatTangentBackward(Tensor a, Tensor b, Tensor? da, Tensor? db, Tensor seed, Tensor? ba, Tensor? bb, Tensor? bDa, Tensor? bDb)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        RequireTangentAccumulators(nameof(ConcatTangentBackward), a, da, ba, bDa);
        RequireTangentAccumulators(nameof(ConcatTangentBackward), b, db, bb, bDb);
        ConcatBackward(a, b, seed, bDa, bDb);
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

    /// <summary>The pullback of ConcatAxisTangent = Concat(da, db, axis): ba, bb get nothing; bDa, bDb += the seed's parts along axis.</summary>
    [DerivativeOf(nameof(ConcatAxisTangent))]
    public static void ConcatAxisTangentBackward(Tensor a, Tensor b, int axis, Tensor? da, Tensor? db, Tensor seed, Tensor? ba, Tensor? bb, Tensor? bDa, Tensor? bDb)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        RequireTangentAccumulators(nameof(ConcatAxisTangentBackward), a, da, ba, bDa);
        RequireTangentAccumulators(nameof(ConcatAxisTangentBackward), b, db, bb, bDb);
        ConcatAxisBackward(a, b, axis, seed, bDa, bDb);
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

    /// <summary>The pullback of SliceAxisTangent = Slice(dx, axis, start, length): bx gets nothing (the tangent is linear in dx and does not read x); bDx += the seed in the entries taken.</summary>
    [DerivativeOf(nameof(SliceAxisTangent))]
    public static void SliceAxisTangentBackward(Tensor x, int axis, int start, int length, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireTangentAccumulators(nameof(SliceAxisTangentBackward), x, dx, bx, bDx);
        SliceAxisBackward(x, axis, start, length, seed, bDx);
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

    /// <summary>The pullback of SliceTangent = Slice(dx, start, length): bx gets nothing (the tangent is linear in dx and does not read x); bDx += the seed in the rows taken.</summary>
    [DerivativeOf(nameof(SliceTangent))]
    public static void SliceTangentBackward(Tensor x, int start, int length, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireTangentAccumulators(nameof(SliceTangentBackward), x, dx, bx, bDx);
        SliceBackward(x, start, length, seed, bDx);
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

    /// <summary>The pullback of GatherTangent = Gather(dx, rows): bx gets nothing (the tangent is linear in dx and does not read x); bDx += each seed row into the row it copies (repeats add up).</summary>
    [DerivativeOf(nameof(GatherTangent))]
    public static void GatherTangentBackward(Tensor x, int[] rows, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(seed);
        RequireTangentAccumulators(nameof(GatherTangentBackward), x, dx, bx, bDx);
        GatherBackward(x, rows, seed, bDx);
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

    /// <summary>The pullback of GatherTangent = Gather(dx, rows): bx gets nothing (the tangent is linear in dx and does not read x); bDx += each seed row into the row it copies (repeats add up).</summary>
    [DerivativeOf(nameof(GatherTangent))]
    public static void GatherTangentBackward(Tensor x, ReadOnlySpan<int> rows, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireTangentAccumulators(nameof(GatherTangentBackward), x, dx, bx, bDx);
        GatherBackward(x, rows, seed, bDx);
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

    /// <summary>The pullback of CloneTangent = dx: bx gets nothing (the tangent is linear in dx and does not read x); bDx += seed.</summary>
    [DerivativeOf(nameof(CloneTangent))]
    public static void CloneTangentBackward(Tensor x, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireTangentAccumulators(nameof(CloneTangentBackward), x, dx, bx, bDx);
        CloneBackward(x, seed, bDx);
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

    /// <summary>The pullback of ReshapeTangent = dx.Reshape(shape): bx gets nothing (the tangent is linear in dx and does not read x); bDx += seed, element by element.</summary>
    [DerivativeOf(nameof(ReshapeTangent))]
    public static void ReshapeTangentBackward(Tensor x, int[] shape, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(seed);
        RequireTangentAccumulators(nameof(ReshapeTangentBackward), x, dx, bx, bDx);
        ReshapeBackward(x, shape, seed, bDx);
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

    /// <summary>The pullback of ReshapeVectorTangent = dx.Reshape(length): bx gets nothing (the tangent is linear in dx and does not read x); bDx += seed, element by element.</summary>
    [DerivativeOf(nameof(ReshapeVectorTangent))]
    public static void ReshapeVectorTangentBackward(Tensor x, int length, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireTangentAccumulators(nameof(ReshapeVectorTangentBackward), x, dx, bx, bDx);
        ReshapeVectorBackward(x, length, seed, bDx);
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

    /// <summary>The pullback of ReshapeMatrixTangent = dx.Reshape(rows, columns): bx gets nothing (the tangent is linear in dx and does not read x); bDx += seed, element by element.</summary>
    [DerivativeOf(nameof(ReshapeMatrixTangent))]
    public static void ReshapeMatrixTangentBackward(Tensor x, int rows, int columns, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireTangentAccumulators(nameof(ReshapeMatrixTangentBackward), x, dx, bx, bDx);
        ReshapeMatrixBackward(x, rows, columns, seed, bDx);
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

    /// <summary>The pullback of Reshape3Tangent = dx.Reshape(d0, d1, d2): bx gets nothing (the tangent is linear in dx and does not read x); bDx += seed, element by element.</summary>
    [DerivativeOf(nameof(Reshape3Tangent))]
    public static void Reshape3TangentBackward(Tensor x, int d0, int d1, int d2, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireTangentAccumulators(nameof(Reshape3TangentBackward), x, dx, bx, bDx);
        Reshape3Backward(x, d0, d1, d2, seed, bDx);
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

    /// <summary>The pullback of Reshape4Tangent = dx.Reshape(d0, d1, d2, d3): bx gets nothing (the tangent is linear in dx and does not read x); bDx += seed, element by element.</summary>
    [DerivativeOf(nameof(Reshape4Tangent))]
    public static void Reshape4TangentBackward(Tensor x, int d0, int d1, int d2, int d3, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireTangentAccumulators(nameof(Reshape4TangentBackward), x, dx, bx, bDx);
        Reshape4Backward(x, d0, d1, d2, d3, seed, bDx);
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

    /// <summary>The pullback of ItemTangent = dx.Item(): bx gets nothing (the tangent is linear in dx and does not read x); bDx += seed at the one element.</summary>
    [DerivativeOf(nameof(ItemTangent))]
    public static void ItemTangentBackward(Tensor x, Tensor? dx, float seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        RequireTangentAccumulators(nameof(ItemTangentBackward), x, dx, bx, bDx);
        ItemBackward(x, seed, bDx);
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

    /// <summary>The pullback of ElementTangent = dx[i]: bx gets nothing (the tangent is linear in dx and does not read x); bDx += seed at [i].</summary>
    [DerivativeOf(nameof(ElementTangent))]
    public static void ElementTangentBackward(Tensor x, int i, Tensor? dx, float seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        RequireTangentAccumulators(nameof(ElementTangentBackward), x, dx, bx, bDx);
        ElementBackward(x, i, seed, bDx);
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

    /// <summary>The pullback of ElementMatrixTangent = dx[i, j]: bx gets nothing (the tangent is linear in dx and does not read x); bDx += seed at [i, j].</summary>
    [DerivativeOf(nameof(ElementMatrixTangent))]
    public static void ElementMatrixTangentBackward(Tensor x, int i, int j, Tensor? dx, float seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        RequireTangentAccumulators(nameof(ElementMatrixTangentBackward), x, dx, bx, bDx);
        ElementMatrixBackward(x, i, j, seed, bDx);
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

    /// <summary>The pullback of ElementIndexTangent = dx[index]: bx gets nothing (the tangent is linear in dx and does not read x); bDx += seed at [index].</summary>
    [DerivativeOf(nameof(ElementIndexTangent))]
    public static void ElementIndexTangentBackward(Tensor x, int[] index, Tensor? dx, float seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(index);
        RequireTangentAccumulators(nameof(ElementIndexTangentBackward), x, dx, bx, bDx);
        ElementIndexBackward(x, index, seed, bDx);
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
        if (dx is not null) ParallelElementwise.Apply<AddRows>(dx.Values, seed.Values, dx.Values);
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
