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
    [DerivativeOf(typeof(Tensor), nameof(Tensor.MatMul))]
    public static void MatMulBackward(Tensor a, Tensor b, Tensor seed, Tensor? da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        TensorShape.RequireRank(nameof(MatMulBackward), a, 2, "a matrix");
        TensorShape.RequireRank(nameof(MatMulBackward), b, 2, "a matrix");
        int m = a.Dim(0);
        int k = a.Dim(1);
        int n = b.Dim(1);
        if (b.Dim(0) != k)
        {
            throw new ShapeMismatchException(
                $"MatMulBackward: cannot multiply {TensorShape.Format(a.Shape)} by {TensorShape.Format(b.Shape)}: inner dimensions {k} and {b.Dim(0)} differ.");
        }
        RequireSeedShape(nameof(MatMulBackward), seed, [m, n]);
        TensorShape.RequireAccumulator(nameof(MatMulBackward), da, a);
        TensorShape.RequireAccumulator(nameof(MatMulBackward), db, b);
        if (da is not null)
        {
            Tensor.MultiplyInto(seed, b, da, m, k, n, transposeA: false, transposeB: true, accumulate: true);
        }
        if (db is not null)
        {
            Tensor.MultiplyInto(a, seed, db, k, n, m, transposeA: true, transposeB: false, accumulate: true);
        }
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Transpose))]
    public static void TransposeBackward(Tensor x, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        TensorShape.RequireRank(nameof(TransposeBackward), x, 2, "a matrix");
        RequireSeedShape(nameof(TransposeBackward), seed, [x.Dim(1), x.Dim(0)]);
        TensorShape.RequireAccumulator(nameof(TransposeBackward), dx, x);
        if (dx is not null) Tensor.TransposeInto(seed.Span, dx.Span, x.Dim(1), x.Dim(0), accumulate: true);
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
}
