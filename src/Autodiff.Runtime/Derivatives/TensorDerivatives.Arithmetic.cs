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

    /// <summary>da + db, each repeated to the result's shape as the sum repeats its operand.</summary>
    [DerivativeOf(typeof(Tensor), "op_Addition", Mode = DerivativeMode.Forward)]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Add), Mode = DerivativeMode.Forward)]
    public static Tensor AddTangent(Tensor a, Tensor b, Tensor? da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        shape = shape[..RequireBroadcastTangents(nameof(AddTangent), a, b, da, db, shape)];
        if (da is not null && db is not null) return Tensor.Add(da, db);
        return BroadcastTangent(da ?? db, 1f, shape);
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

    /// <summary>da + db, the float's tangent added to every element.</summary>
    [DerivativeOf(typeof(Tensor), "op_Addition", Mode = DerivativeMode.Forward)]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Add), Mode = DerivativeMode.Forward)]
    public static Tensor AddScalarTangent(Tensor a, float b, Tensor? da, float db)
    {
        ArgumentNullException.ThrowIfNull(a);
        TensorShape.RequireTangent(nameof(AddScalarTangent), da, a);
        return da is null ? Tensor.Full(db, a.Shape) : Tensor.Add(da, db);
    }

    [DerivativeOf(typeof(Tensor), "op_Addition")]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Add))]
    public static void ScalarAddBackward(float a, Tensor b, Tensor seed, ref float da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        AddScalarBackward(b, a, seed, db, ref da);
    }

    /// <summary>da + db, the float's tangent added to every element.</summary>
    [DerivativeOf(typeof(Tensor), "op_Addition", Mode = DerivativeMode.Forward)]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Add), Mode = DerivativeMode.Forward)]
    public static Tensor ScalarAddTangent(float a, Tensor b, float da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(b);
        return AddScalarTangent(b, a, db, da);
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

    /// <summary>da − db, each repeated to the result's shape as the difference repeats its operand.</summary>
    [DerivativeOf(typeof(Tensor), "op_Subtraction", Mode = DerivativeMode.Forward)]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Subtract), Mode = DerivativeMode.Forward)]
    public static Tensor SubtractTangent(Tensor a, Tensor b, Tensor? da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        shape = shape[..RequireBroadcastTangents(nameof(SubtractTangent), a, b, da, db, shape)];
        if (da is not null && db is not null) return Tensor.Subtract(da, db);
        return da is not null ? BroadcastTangent(da, 1f, shape) : BroadcastTangent(db, -1f, shape);
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

    /// <summary>da − db, the float's tangent taken from every element.</summary>
    [DerivativeOf(typeof(Tensor), "op_Subtraction", Mode = DerivativeMode.Forward)]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Subtract), Mode = DerivativeMode.Forward)]
    public static Tensor SubtractScalarTangent(Tensor a, float b, Tensor? da, float db)
    {
        ArgumentNullException.ThrowIfNull(a);
        TensorShape.RequireTangent(nameof(SubtractScalarTangent), da, a);
        return da is null ? Tensor.Full(-db, a.Shape) : Tensor.Subtract(da, db);
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

    /// <summary>da − db, every element's tangent taken from the float's.</summary>
    [DerivativeOf(typeof(Tensor), "op_Subtraction", Mode = DerivativeMode.Forward)]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Subtract), Mode = DerivativeMode.Forward)]
    public static Tensor ScalarSubtractTangent(float a, Tensor b, float da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(b);
        TensorShape.RequireTangent(nameof(ScalarSubtractTangent), db, b);
        return db is null ? Tensor.Full(da, b.Shape) : Tensor.Subtract(da, db);
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

    /// <summary>da·b + a·db, broadcasting as the product does.</summary>
    [DerivativeOf(typeof(Tensor), "op_Multiply", Mode = DerivativeMode.Forward)]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Multiply), Mode = DerivativeMode.Forward)]
    public static Tensor MultiplyTangent(Tensor a, Tensor b, Tensor? da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        shape = shape[..RequireBroadcastTangents(nameof(MultiplyTangent), a, b, da, db, shape)];
        if (da is null) return db is null ? Tensor.Zeros(shape) : Tensor.Multiply(a, db);
        Tensor tangent = Tensor.Multiply(da, b);
        if (db is null) return tangent;
        if (a.Length == tangent.Length && db.Length == tangent.Length)
        {
            ElementwiseLoop.Map(new AddScaledProductKernel(1f), a.Span, db.Span, tangent.Span, tangent.Span);
        }
        else
        {
            TensorPrimitives.Add(tangent.Span, Tensor.Multiply(a, db).Span, tangent.Span);
        }
        return tangent;
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

    /// <summary>da·b + a·db.</summary>
    [DerivativeOf(typeof(Tensor), "op_Multiply", Mode = DerivativeMode.Forward)]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Multiply), Mode = DerivativeMode.Forward)]
    public static Tensor MultiplyScalarTangent(Tensor a, float b, Tensor? da, float db)
    {
        ArgumentNullException.ThrowIfNull(a);
        TensorShape.RequireTangent(nameof(MultiplyScalarTangent), da, a);
        if (da is null) return db == 0f ? Tensor.ZerosLike(a) : Tensor.Multiply(a, db);
        Tensor tangent = Tensor.Multiply(da, b);
        // A zero float tangent is a zero direction: it must not turn an infinite a into NaN.
        if (db != 0f) TensorPrimitives.MultiplyAdd(a.Span, db, tangent.Span, tangent.Span);
        return tangent;
    }

    [DerivativeOf(typeof(Tensor), "op_Multiply")]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Multiply))]
    public static void ScalarMultiplyBackward(float a, Tensor b, Tensor seed, ref float da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        MultiplyScalarBackward(b, a, seed, db, ref da);
    }

    /// <summary>da·b + a·db.</summary>
    [DerivativeOf(typeof(Tensor), "op_Multiply", Mode = DerivativeMode.Forward)]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Multiply), Mode = DerivativeMode.Forward)]
    public static Tensor ScalarMultiplyTangent(float a, Tensor b, float da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(b);
        return MultiplyScalarTangent(b, a, db, da);
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

    /// <summary>da/b − result·db/b, broadcasting as the quotient does.</summary>
    [DerivativeOf(typeof(Tensor), "op_Division", Mode = DerivativeMode.Forward)]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Divide), Mode = DerivativeMode.Forward)]
    public static Tensor DivideTangent(Tensor a, Tensor b, Tensor result, Tensor? da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(result);
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        shape = shape[..RequireBroadcastTangents(nameof(DivideTangent), a, b, da, db, shape)];
        if (!result.HasShape(shape))
        {
            throw new ShapeMismatchException(
                $"DivideTangent: result of shape {TensorShape.Format(result.Shape)} does not match the output shape {TensorShape.Format(shape)}.");
        }
        Tensor tangent = da is null ? Tensor.Zeros(shape) : Tensor.Divide(da, b);
        if (db is null) return tangent;
        if (db.Length == tangent.Length)
        {
            ElementwiseLoop.Map(new AddScaledProductQuotientKernel(-1f), result.Span, db.Span, b.Span, tangent.Span, tangent.Span);
        }
        else
        {
            Tensor term = Tensor.Multiply(result, db);
            Broadcasting.Apply<DivideRows>(term, b, term);
            TensorPrimitives.Subtract(tangent.Span, term.Span, tangent.Span);
        }
        return tangent;
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

    /// <summary>da/b − a·db/b².</summary>
    [DerivativeOf(typeof(Tensor), "op_Division", Mode = DerivativeMode.Forward)]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Divide), Mode = DerivativeMode.Forward)]
    public static Tensor DivideScalarTangent(Tensor a, float b, Tensor? da, float db)
    {
        ArgumentNullException.ThrowIfNull(a);
        TensorShape.RequireTangent(nameof(DivideScalarTangent), da, a);
        Tensor tangent = da is null ? Tensor.ZerosLike(a) : Tensor.Divide(da, b);
        // A zero float tangent is a zero direction: it must not turn an infinite a into NaN.
        if (db != 0f) TensorPrimitives.MultiplyAdd(a.Span, -db / (b * b), tangent.Span, tangent.Span);
        return tangent;
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

    /// <summary>da/b − result·db/b.</summary>
    [DerivativeOf(typeof(Tensor), "op_Division", Mode = DerivativeMode.Forward)]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Divide), Mode = DerivativeMode.Forward)]
    public static Tensor ScalarDivideTangent(float a, Tensor b, Tensor result, float da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(result);
        TensorShape.RequireTangent(nameof(ScalarDivideTangent), db, b);
        TensorShape.RequireSame(nameof(ScalarDivideTangent), result, b);
        // A zero float tangent is a zero direction: it must not turn a zero b into NaN.
        Tensor tangent = da == 0f ? Tensor.ZerosLike(b) : Tensor.Divide(da, b);
        if (db is not null)
        {
            ElementwiseLoop.Map(new AddScaledProductQuotientKernel(-1f), result.Span, db.Span, b.Span, tangent.Span, tangent.Span);
        }
        return tangent;
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

    /// <summary>−dx.</summary>
    [DerivativeOf(typeof(Tensor), "op_UnaryNegation", Mode = DerivativeMode.Forward)]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Negate), Mode = DerivativeMode.Forward)]
    public static Tensor NegateTangent(Tensor x, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(NegateTangent), dx, x);
        return dx is null ? Tensor.ZerosLike(x) : Tensor.Negate(dx);
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

    /// <summary>
    /// scale·x repeated to <paramref name="shape"/> as broadcasting repeats an operand (zeros for a
    /// missing tangent): one operand's part of the tangent of a broadcasting sum or difference.
    /// </summary>
    private static Tensor BroadcastTangent(Tensor? x, float scale, ReadOnlySpan<int> shape)
    {
        if (x is null) return Tensor.Zeros(shape);
        Tensor tangent = TensorWorkspace.Allocate(shape, TensorInit.Uninitialized);
        Broadcasting.Apply<MultiplyRows>(x, Tensor.Scalar(scale), tangent);
        return tangent;
    }

    /// <summary>Writes the broadcast shape of the operands into <paramref name="shape"/> and returns its rank, after checking each tangent against its operand.</summary>
    private static int RequireBroadcastTangents(string rule, Tensor a, Tensor b, Tensor? da, Tensor? db, Span<int> shape)
    {
        int rank = Broadcasting.ResultShape(rule, a.Shape, b.Shape, shape);
        TensorShape.RequireTangent(rule, da, a);
        TensorShape.RequireTangent(rule, db, b);
        return rank;
    }
}
