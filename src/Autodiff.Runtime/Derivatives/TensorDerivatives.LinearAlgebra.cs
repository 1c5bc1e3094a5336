using System;
using System.Numerics.Tensors;

// Each rule is documented by its DerivativeOf target and the class summary; a summary per rule would repeat them.
#pragma warning disable CS1591

namespace Autodiff.Derivatives;

// Matrix product, transpose and dot product.
public static partial class TensorDerivatives
{
    /// <summary>
    /// da += seed · bᵀ and db += aᵀ · seed, each one Gemm call that reads the transposed operand
    /// in place and accumulates straight into the gradient (no temporary).
    /// </summary>
    /// <summary>
    /// da += seed · bᵀ and db += aᵀ · seed, per batch; a matrix the batch broadcast (an axis of size 1,
    /// or a missing one) gathers the sum over every batch that used it.
    /// </summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.MatMul))]
    public static void MatMulBackward(Tensor a, Tensor b, Tensor seed, Tensor? da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        (int m, int k, int n) = Tensor.MatMulShape(nameof(MatMulBackward), a, b);
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        int rank = a.Rank == 2 && b.Rank == 2 ? 2 : Tensor.BatchShape(nameof(MatMulBackward), a, b, shape);
        shape[rank - 2] = m;
        shape[rank - 1] = n;
        RequireSeedShape(nameof(MatMulBackward), seed, shape[..rank]);
        TensorShape.RequireAccumulator(nameof(MatMulBackward), da, a);
        TensorShape.RequireAccumulator(nameof(MatMulBackward), db, b);
        if (b.Rank == 2)
        {
            // Every row of a met the same b: one product over the stacked rows each way.
            int rows = a.Length / k;
            if (da is not null) Tensor.MultiplyInto(seed, b, da, rows, k, n, transposeA: false, transposeB: true, accumulate: true);
            if (db is not null) Tensor.MultiplyInto(a, seed, db, k, n, rows, transposeA: true, transposeB: false, accumulate: true);
            return;
        }
        BatchedProducts.Backward(a, b, seed, da, db, m, n, k);
    }

    /// <summary>da·b + a·db, batch axes broadcasting as the product's do.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.MatMul), Mode = DerivativeMode.Forward)]
    public static Tensor MatMulTangent(Tensor a, Tensor b, Tensor? da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        (int m, _, int n) = Tensor.MatMulShape(nameof(MatMulTangent), a, b);
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        int rank = a.Rank == 2 && b.Rank == 2 ? 2 : Tensor.BatchShape(nameof(MatMulTangent), a, b, shape);
        shape[rank - 2] = m;
        shape[rank - 1] = n;
        TensorShape.RequireTangent(nameof(MatMulTangent), da, a);
        TensorShape.RequireTangent(nameof(MatMulTangent), db, b);
        if (da is null) return db is null ? Tensor.Zeros(shape[..rank]) : Tensor.MatMul(a, db);
        Tensor tangent = Tensor.MatMul(da, b);
        if (db is not null) TensorPrimitives.Add(tangent.Span, Tensor.MatMul(a, db).Span, tangent.Span);
        return tangent;
    }

    /// <summary>
    /// The pullback of MatMulTangent = da·b + a·db: ba += seed·dbᵀ, bb += daᵀ·seed, bDa += seed·bᵀ, bDb += aᵀ·seed,
    /// each summed over the batches that shared its matrix.
    /// </summary>
    [DerivativeOf(nameof(MatMulTangent))]
    public static void MatMulTangentBackward(Tensor a, Tensor b, Tensor? da, Tensor? db, Tensor seed, Tensor? ba, Tensor? bb, Tensor? bDa, Tensor? bDb)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        (int m, _, int n) = Tensor.MatMulShape(nameof(MatMulTangentBackward), a, b);
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        int rank = a.Rank == 2 && b.Rank == 2 ? 2 : Tensor.BatchShape(nameof(MatMulTangentBackward), a, b, shape);
        shape[rank - 2] = m;
        shape[rank - 1] = n;
        RequireSeedShape(nameof(MatMulTangentBackward), seed, shape[..rank]);
        TensorShape.RequireTangent(nameof(MatMulTangentBackward), da, a);
        TensorShape.RequireTangent(nameof(MatMulTangentBackward), db, b);
        TensorShape.RequireAccumulator(nameof(MatMulTangentBackward), ba, a);
        TensorShape.RequireAccumulator(nameof(MatMulTangentBackward), bb, b);
        TensorShape.RequireAccumulator(nameof(MatMulTangentBackward), bDa, a);
        TensorShape.RequireAccumulator(nameof(MatMulTangentBackward), bDb, b);
        MatMulBackward(a, b, seed, bDa, bDb);
        // Each term a·db and da·b is the product's own pullback with one factor replaced by its tangent.
        if (ba is not null && db is not null) MatMulBackward(a, db, seed, ba, null);
        if (bb is not null && da is not null) MatMulBackward(da, b, seed, null, bb);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Transpose))]
    public static void TransposeBackward(Tensor x, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        if (x.Rank < 2)
        {
            throw new ShapeMismatchException($"TransposeBackward: expects a matrix or a batch of matrices, got {TensorShape.Format(x.Shape)}.");
        }
        int rows = x.Dim(-2), columns = x.Dim(-1);
        Span<int> transposed = stackalloc int[x.Rank];
        x.Shape.CopyTo(transposed);
        (transposed[^2], transposed[^1]) = (columns, rows);
        RequireSeedShape(nameof(TransposeBackward), seed, transposed);
        TensorShape.RequireAccumulator(nameof(TransposeBackward), dx, x);
        if (dx is null) return;
        int size = rows * columns;
        for (int start = 0; start < x.Length; start += size)
        {
            Tensor.TransposeInto(seed.Span.Slice(start, size), dx.Span.Slice(start, size), columns, rows, accumulate: true);
        }
    }

    /// <summary>dxᵀ, each matrix of a batch transposed.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Transpose), Mode = DerivativeMode.Forward)]
    public static Tensor TransposeTangent(Tensor x, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 2)
        {
            throw new ShapeMismatchException($"TransposeTangent: expects a matrix or a batch of matrices, got {TensorShape.Format(x.Shape)}.");
        }
        TensorShape.RequireTangent(nameof(TransposeTangent), dx, x);
        if (dx is not null) return Tensor.Transpose(dx);
        Span<int> transposed = stackalloc int[x.Rank];
        x.Shape.CopyTo(transposed);
        (transposed[^2], transposed[^1]) = (x.Dim(-1), x.Dim(-2));
        return Tensor.Zeros(transposed);
    }

    /// <summary>The pullback of TransposeTangent = dxᵀ: bDx += seedᵀ; linear, so bx gets nothing.</summary>
    [DerivativeOf(nameof(TransposeTangent))]
    public static void TransposeTangentBackward(Tensor x, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        if (x.Rank < 2)
        {
            throw new ShapeMismatchException($"TransposeTangentBackward: expects a matrix or a batch of matrices, got {TensorShape.Format(x.Shape)}.");
        }
        Span<int> transposed = stackalloc int[x.Rank];
        x.Shape.CopyTo(transposed);
        (transposed[^2], transposed[^1]) = (x.Dim(-1), x.Dim(-2));
        RequireSeedShape(nameof(TransposeTangentBackward), seed, transposed);
        TensorShape.RequireTangent(nameof(TransposeTangentBackward), dx, x);
        TensorShape.RequireAccumulator(nameof(TransposeTangentBackward), bx, x);
        TensorShape.RequireAccumulator(nameof(TransposeTangentBackward), bDx, x);
        TransposeBackward(x, seed, bDx);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Dot))]
    public static void DotBackward(Tensor a, Tensor b, Tensor seed, Tensor? da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        TensorShape.RequireSame(nameof(DotBackward), a, b);
        RequireScalarSeed(nameof(DotBackward), seed);
        TensorShape.RequireAccumulator(nameof(DotBackward), da, a);
        TensorShape.RequireAccumulator(nameof(DotBackward), db, b);
        float s = seed.Span[0];
        if (da is not null) TensorPrimitives.MultiplyAdd(b.Span, s, da.Span, da.Span);
        if (db is not null) TensorPrimitives.MultiplyAdd(a.Span, s, db.Span, db.Span);
    }

    /// <summary>⟨da, b⟩ + ⟨a, db⟩.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Dot), Mode = DerivativeMode.Forward)]
    public static Tensor DotTangent(Tensor a, Tensor b, Tensor? da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        TensorShape.RequireSame(nameof(DotTangent), a, b);
        TensorShape.RequireTangent(nameof(DotTangent), da, a);
        TensorShape.RequireTangent(nameof(DotTangent), db, b);
        float tangent = 0f;
        if (da is not null) tangent += TensorPrimitives.Dot(da.Span, b.Span);
        if (db is not null) tangent += TensorPrimitives.Dot(a.Span, db.Span);
        return Tensor.Scalar(tangent);
    }

    /// <summary>The pullback of DotTangent = ⟨da, b⟩ + ⟨a, db⟩: ba += seed·db, bb += seed·da, bDa += seed·b, bDb += seed·a.</summary>
    [DerivativeOf(nameof(DotTangent))]
    public static void DotTangentBackward(Tensor a, Tensor b, Tensor? da, Tensor? db, Tensor seed, Tensor? ba, Tensor? bb, Tensor? bDa, Tensor? bDb)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        TensorShape.RequireSame(nameof(DotTangentBackward), a, b);
        RequireScalarSeed(nameof(DotTangentBackward), seed);
        TensorShape.RequireTangent(nameof(DotTangentBackward), da, a);
        TensorShape.RequireTangent(nameof(DotTangentBackward), db, b);
        TensorShape.RequireAccumulator(nameof(DotTangentBackward), ba, a);
        TensorShape.RequireAccumulator(nameof(DotTangentBackward), bb, b);
        TensorShape.RequireAccumulator(nameof(DotTangentBackward), bDa, a);
        TensorShape.RequireAccumulator(nameof(DotTangentBackward), bDb, b);
        DotBackward(a, b, seed, bDa, bDb);
        // Each term ⟨a, db⟩ and ⟨da, b⟩ is the dot product's own pullback with one factor replaced by its tangent.
        if (ba is not null && db is not null) DotBackward(a, db, seed, ba, null);
        if (bb is not null && da is not null) DotBackward(da, b, seed, null, bb);
    }
}
