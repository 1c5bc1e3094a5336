using System;
using System.Numerics.Tensors;

// Each rule is documented by its DerivativeOf target and the class summary; a summary per rule would repeat them.
#pragma warning disable CS1591

namespace Autodiff.Derivatives;

// Element-wise arithmetic. A tensor–tensor rule reduces the gradient to each operand's shape;
// a float operand's gradient is the sum over every element it touched.
public static partial class TensorDerivatives
{
    [DerivativeOf(typeof(Tensor), "op_Addition")]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Add))]
    public static void AddBackward(Tensor a, Tensor b, Tensor seed, Tensor? da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        RequireBroadcastOperands(nameof(AddBackward), a, b, seed, da, db);
        if (da is not null) Broadcasting.AccumulateReduced(nameof(AddBackward), da, seed, 1f);
        if (db is not null) Broadcasting.AccumulateReduced(nameof(AddBackward), db, seed, 1f);
    }

    [DerivativeOf(typeof(Tensor), "op_Addition")]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Add))]
    public static void AddScalarBackward(Tensor a, float b, Tensor seed, Tensor? da, ref float db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwise(nameof(AddScalarBackward), a, seed, da);
        if (da is not null) TensorPrimitives.Add(da.Span, seed.Span, da.Span);
        db += TensorPrimitives.Sum(seed.Span);
    }

    [DerivativeOf(typeof(Tensor), "op_Addition")]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Add))]
    public static void ScalarAddBackward(float a, Tensor b, Tensor seed, ref float da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        AddScalarBackward(b, a, seed, db, ref da);
    }

    [DerivativeOf(typeof(Tensor), "op_Subtraction")]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Subtract))]
    public static void SubtractBackward(Tensor a, Tensor b, Tensor seed, Tensor? da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        RequireBroadcastOperands(nameof(SubtractBackward), a, b, seed, da, db);
        if (da is not null) Broadcasting.AccumulateReduced(nameof(SubtractBackward), da, seed, 1f);
        if (db is not null) Broadcasting.AccumulateReduced(nameof(SubtractBackward), db, seed, -1f);
    }

    [DerivativeOf(typeof(Tensor), "op_Subtraction")]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Subtract))]
    public static void SubtractScalarBackward(Tensor a, float b, Tensor seed, Tensor? da, ref float db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwise(nameof(SubtractScalarBackward), a, seed, da);
        if (da is not null) TensorPrimitives.Add(da.Span, seed.Span, da.Span);
        db -= TensorPrimitives.Sum(seed.Span);
    }

    [DerivativeOf(typeof(Tensor), "op_Subtraction")]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Subtract))]
    public static void ScalarSubtractBackward(float a, Tensor b, Tensor seed, ref float da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwise(nameof(ScalarSubtractBackward), b, seed, db);
        da += TensorPrimitives.Sum(seed.Span);
        if (db is not null) TensorPrimitives.Subtract(db.Span, seed.Span, db.Span);
    }

    [DerivativeOf(typeof(Tensor), "op_Multiply")]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Multiply))]
    public static void MultiplyBackward(Tensor a, Tensor b, Tensor seed, Tensor? da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        RequireBroadcastOperands(nameof(MultiplyBackward), a, b, seed, da, db);
        if (da is not null) AccumulateProduct(da, seed, b);
        if (db is not null) AccumulateProduct(db, seed, a);
    }

    [DerivativeOf(typeof(Tensor), "op_Multiply")]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Multiply))]
    public static void MultiplyScalarBackward(Tensor a, float b, Tensor seed, Tensor? da, ref float db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwise(nameof(MultiplyScalarBackward), a, seed, da);
        if (da is not null) TensorPrimitives.MultiplyAdd(seed.Span, b, da.Span, da.Span);
        db += TensorPrimitives.Dot(seed.Span, a.Span);
    }

    [DerivativeOf(typeof(Tensor), "op_Multiply")]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Multiply))]
    public static void ScalarMultiplyBackward(float a, Tensor b, Tensor seed, ref float da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        MultiplyScalarBackward(b, a, seed, db, ref da);
    }

    /// <summary>∂(a/b)/∂a = 1/b; ∂(a/b)/∂b = −a/b² = −result/b.</summary>
    [DerivativeOf(typeof(Tensor), "op_Division")]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Divide))]
    public static void DivideBackward(Tensor a, Tensor b, Tensor result, Tensor seed, Tensor? da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(seed);
        RequireBroadcastOperands(nameof(DivideBackward), a, b, seed, da, db);
        RequireSeedLike(nameof(DivideBackward), seed, result);
        if (da is not null)
        {
            if (da.Length == seed.Length && b.Length == seed.Length)
            {
                ElementwiseLoop.Map(new AddScaledQuotientKernel(1f), seed.Span, b.Span, da.Span, da.Span);
            }
            else
            {
                Tensor quotient = Tensor.AllocateLike(seed);
                Broadcasting.Apply<DivideRows>(seed, b, quotient);
                Broadcasting.AccumulateReduced(nameof(DivideBackward), da, quotient, 1f);
            }
        }
        if (db is not null)
        {
            if (db.Length == seed.Length)
            {
                ElementwiseLoop.Map(new AddScaledProductQuotientKernel(-1f), seed.Span, result.Span, b.Span, db.Span, db.Span);
            }
            else
            {
                Tensor term = Tensor.AllocateLike(seed);
                TensorPrimitives.Multiply(seed.Span, result.Span, term.Span);
                Broadcasting.Apply<DivideRows>(term, b, term);
                Broadcasting.AccumulateReduced(nameof(DivideBackward), db, term, -1f);
            }
        }
    }

    [DerivativeOf(typeof(Tensor), "op_Division")]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Divide))]
    public static void DivideScalarBackward(Tensor a, float b, Tensor seed, Tensor? da, ref float db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwise(nameof(DivideScalarBackward), a, seed, da);
        if (da is not null) TensorPrimitives.MultiplyAdd(seed.Span, 1f / b, da.Span, da.Span);
        db -= TensorPrimitives.Dot(seed.Span, a.Span) / (b * b);
    }

    /// <summary>∂(a/b)/∂a = 1/b; ∂(a/b)/∂b = −a/b² = −result/b.</summary>
    [DerivativeOf(typeof(Tensor), "op_Division")]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Divide))]
    public static void ScalarDivideBackward(float a, Tensor b, Tensor result, Tensor seed, ref float da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwise(nameof(ScalarDivideBackward), b, seed, db);
        RequireSeedLike(nameof(ScalarDivideBackward), seed, result);
        da += ElementwiseLoop.Sum(new QuotientKernel(), seed.Span, b.Span);
        if (db is not null)
        {
            ElementwiseLoop.Map(new AddScaledProductQuotientKernel(-1f), seed.Span, result.Span, b.Span, db.Span, db.Span);
        }
    }

    [DerivativeOf(typeof(Tensor), "op_UnaryNegation")]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Negate))]
    public static void NegateBackward(Tensor x, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwise(nameof(NegateBackward), x, seed, dx);
        if (dx is not null) TensorPrimitives.Subtract(dx.Span, seed.Span, dx.Span);
    }

    /// <summary>destination += seed ⊙ other, reduced to destination's shape.</summary>
    private static void AccumulateProduct(Tensor destination, Tensor seed, Tensor other)
    {
        if (destination.Length == seed.Length && other.Length == seed.Length)
        {
            ElementwiseLoop.Map(new AddScaledProductKernel(1f), seed.Span, other.Span, destination.Span, destination.Span);
        }
        else if (destination.Length == seed.Length && other.Length == 1)
        {
            TensorPrimitives.MultiplyAdd(seed.Span, other.Span[0], destination.Span, destination.Span);
        }
        else
        {
            Tensor product = Tensor.AllocateLike(seed);
            Broadcasting.Apply<MultiplyRows>(seed, other, product);
            Broadcasting.AccumulateReduced(nameof(MultiplyBackward), destination, product, 1f);
        }
    }

    /// <summary>Checks the seed against the broadcast shape of the operands, and each accumulator against its operand.</summary>
    private static void RequireBroadcastOperands(string rule, Tensor a, Tensor b, Tensor seed, Tensor? da, Tensor? db)
    {
        System.Span<int> shape = stackalloc int[Tensor.MaxRank];
        int rank = Broadcasting.ResultShape(rule, a.Shape, b.Shape, shape);
        RequireSeedShape(rule, seed, shape[..rank]);
        TensorShape.RequireAccumulator(rule, da, a);
        TensorShape.RequireAccumulator(rule, db, b);
    }

    /// <summary>Checks a shape-preserving operation's seed and accumulator against its operand.</summary>
    private static void RequireElementwise(string rule, Tensor x, Tensor seed, Tensor? dx)
    {
        RequireSeedLike(rule, seed, x);
        TensorShape.RequireAccumulator(rule, dx, x);
    }
}
