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

    /// <summary>The pullback of AddTangent = da + db: bDa += seed, bDb += seed, each summed back to its operand; the sum is linear, so ba and bb get nothing.</summary>
    [DerivativeOf(nameof(AddTangent))]
    public static void AddTangentBackward(Tensor a, Tensor b, Tensor? da, Tensor? db, Tensor seed, Tensor? ba, Tensor? bb, Tensor? bDa, Tensor? bDb)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        RequireBroadcastTangentPullback(nameof(AddTangentBackward), a, b, da, db, seed, ba, bb, bDa, bDb, shape);
        AddBackward(a, b, seed, bDa, bDb);
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

    /// <summary>The pullback of AddScalarTangent = da + db: bDa += seed, bDb += Σseed; linear, so ba and bb get nothing.</summary>
    [DerivativeOf(nameof(AddScalarTangent))]
    public static void AddScalarTangentBackward(Tensor a, float b, Tensor? da, float db, Tensor seed, Tensor? ba, ref float bb, Tensor? bDa, ref float bDb)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwiseTangentBackward(nameof(AddScalarTangentBackward), a, da, seed, ba, bDa);
        AddScalarBackward(a, b, seed, bDa, ref bDb);
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

    /// <summary>The pullback of ScalarAddTangent = da + db: bDa += Σseed, bDb += seed; linear, so ba and bb get nothing.</summary>
    [DerivativeOf(nameof(ScalarAddTangent))]
    public static void ScalarAddTangentBackward(float a, Tensor b, float da, Tensor? db, Tensor seed, ref float ba, Tensor? bb, ref float bDa, Tensor? bDb)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwiseTangentBackward(nameof(ScalarAddTangentBackward), b, db, seed, bb, bDb);
        AddScalarBackward(b, a, seed, bDb, ref bDa);
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

    /// <summary>The pullback of SubtractTangent = da − db: bDa += seed, bDb −= seed, each summed back to its operand; linear, so ba and bb get nothing.</summary>
    [DerivativeOf(nameof(SubtractTangent))]
    public static void SubtractTangentBackward(Tensor a, Tensor b, Tensor? da, Tensor? db, Tensor seed, Tensor? ba, Tensor? bb, Tensor? bDa, Tensor? bDb)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        RequireBroadcastTangentPullback(nameof(SubtractTangentBackward), a, b, da, db, seed, ba, bb, bDa, bDb, shape);
        SubtractBackward(a, b, seed, bDa, bDb);
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

    /// <summary>The pullback of SubtractScalarTangent = da − db: bDa += seed, bDb −= Σseed; linear, so ba and bb get nothing.</summary>
    [DerivativeOf(nameof(SubtractScalarTangent))]
    public static void SubtractScalarTangentBackward(Tensor a, float b, Tensor? da, float db, Tensor seed, Tensor? ba, ref float bb, Tensor? bDa, ref float bDb)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwiseTangentBackward(nameof(SubtractScalarTangentBackward), a, da, seed, ba, bDa);
        SubtractScalarBackward(a, b, seed, bDa, ref bDb);
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

    /// <summary>The pullback of ScalarSubtractTangent = da − db: bDa += Σseed, bDb −= seed; linear, so ba and bb get nothing.</summary>
    [DerivativeOf(nameof(ScalarSubtractTangent))]
    public static void ScalarSubtractTangentBackward(float a, Tensor b, float da, Tensor? db, Tensor seed, ref float ba, Tensor? bb, ref float bDa, Tensor? bDb)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwiseTangentBackward(nameof(ScalarSubtractTangentBackward), b, db, seed, bb, bDb);
        ScalarSubtractBackward(a, b, seed, ref bDa, bDb);
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

    /// <summary>The pullback of MultiplyTangent = da·b + a·db: ba += seed·db, bb += seed·da, bDa += seed·b, bDb += seed·a, each summed back to its operand.</summary>
    [DerivativeOf(nameof(MultiplyTangent))]
    public static void MultiplyTangentBackward(Tensor a, Tensor b, Tensor? da, Tensor? db, Tensor seed, Tensor? ba, Tensor? bb, Tensor? bDa, Tensor? bDb)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        RequireBroadcastTangentPullback(nameof(MultiplyTangentBackward), a, b, da, db, seed, ba, bb, bDa, bDb, shape);
        MultiplyBackward(a, b, seed, bDa, bDb);
        // Each product term a·db and da·b is the product's own pullback with one factor replaced by its tangent.
        if (ba is not null && db is not null) MultiplyBackward(a, db, seed, ba, null);
        if (bb is not null && da is not null) MultiplyBackward(da, b, seed, null, bb);
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

    /// <summary>The pullback of MultiplyScalarTangent = da·b + a·db: ba += db·seed, bb += ⟨seed, da⟩, bDa += b·seed, bDb += ⟨seed, a⟩.</summary>
    [DerivativeOf(nameof(MultiplyScalarTangent))]
    public static void MultiplyScalarTangentBackward(Tensor a, float b, Tensor? da, float db, Tensor seed, Tensor? ba, ref float bb, Tensor? bDa, ref float bDb)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwiseTangentBackward(nameof(MultiplyScalarTangentBackward), a, da, seed, ba, bDa);
        MultiplyScalarBackward(a, b, seed, bDa, ref bDb);
        // A zero float tangent is a zero direction: it must not turn an infinite seed into NaN.
        if (ba is not null && db != 0f) TensorPrimitives.MultiplyAdd(seed.Span, db, ba.Span, ba.Span);
        if (da is not null) bb += TensorPrimitives.Dot(seed.Span, da.Span);
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

    /// <summary>The pullback of ScalarMultiplyTangent = da·b + a·db: ba += ⟨seed, db⟩, bb += da·seed, bDa += ⟨seed, b⟩, bDb += a·seed.</summary>
    [DerivativeOf(nameof(ScalarMultiplyTangent))]
    public static void ScalarMultiplyTangentBackward(float a, Tensor b, float da, Tensor? db, Tensor seed, ref float ba, Tensor? bb, ref float bDa, Tensor? bDb)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwiseTangentBackward(nameof(ScalarMultiplyTangentBackward), b, db, seed, bb, bDb);
        MultiplyScalarTangentBackward(b, a, db, da, seed, bb, ref ba, bDb, ref bDa);
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

    /// <summary>
    /// The pullback of DivideTangent = T = da/b − result·db/b, result held fixed: bDa, bDb as DivideBackward;
    /// bResult += −seed·db/b; bb += −seed·T/b (each term of T has one more 1/b); a is not read, so ba gets nothing.
    /// </summary>
    [DerivativeOf(nameof(DivideTangent))]
    public static void DivideTangentBackward(
        Tensor a, Tensor b, Tensor result, Tensor? da, Tensor? db, Tensor seed, Tensor? ba, Tensor? bb, Tensor? bResult, Tensor? bDa, Tensor? bDb)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(seed);
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        shape = shape[..RequireBroadcastTangentPullback(nameof(DivideTangentBackward), a, b, da, db, seed, ba, bb, bDa, bDb, shape)];
        if (!result.HasShape(shape))
        {
            throw new ShapeMismatchException(
                $"DivideTangentBackward: result of shape {TensorShape.Format(result.Shape)} does not match the output shape {TensorShape.Format(shape)}.");
        }
        TensorShape.RequireAccumulator(nameof(DivideTangentBackward), bResult, result);
        DivideBackward(a, b, result, seed, bDa, bDb);
        if (bResult is not null && db is not null)
        {
            // ∂T/∂result = −db/b, repeated over the output as the quotient repeats b.
            Tensor slope = Tensor.Divide(db, b);
            TensorPrimitives.Negate(slope.Span, slope.Span);
            AccumulateProduct(bResult, seed, slope);
        }
        if (bb is not null && (da is not null || db is not null))
        {
            // ∂T/∂b = −T/b: the quotient's own pullback into b, with T in the place of the result.
            DivideBackward(a, b, DivideTangent(a, b, result, da, db), seed, null, bb);
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

    /// <summary>
    /// The pullback of DivideScalarTangent = da/b − a·db/b²: ba += −db/b²·seed, bb += −⟨seed, da⟩/b² + 2·db·⟨seed, a⟩/b³,
    /// bDa += seed/b, bDb += −⟨seed, a⟩/b².
    /// </summary>
    [DerivativeOf(nameof(DivideScalarTangent))]
    public static void DivideScalarTangentBackward(Tensor a, float b, Tensor? da, float db, Tensor seed, Tensor? ba, ref float bb, Tensor? bDa, ref float bDb)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwiseTangentBackward(nameof(DivideScalarTangentBackward), a, da, seed, ba, bDa);
        DivideScalarBackward(a, b, seed, bDa, ref bDb);
        if (da is not null) bb -= TensorPrimitives.Dot(seed.Span, da.Span) / (b * b);
        // A zero float tangent is a zero direction: it must not turn an infinite a or seed into NaN.
        if (db == 0f) return;
        if (ba is not null) TensorPrimitives.MultiplyAdd(seed.Span, -db / (b * b), ba.Span, ba.Span);
        bb += 2f * db * TensorPrimitives.Dot(seed.Span, a.Span) / (b * b * b);
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

    /// <summary>
    /// The pullback of ScalarDivideTangent = T = da/b − result·db/b, result held fixed: bDa, bDb as ScalarDivideBackward;
    /// bResult += −seed·db/b; bb += −seed·T/b; a is not read, so ba gets nothing.
    /// </summary>
    [DerivativeOf(nameof(ScalarDivideTangent))]
    public static void ScalarDivideTangentBackward(
        float a, Tensor b, Tensor result, float da, Tensor? db, Tensor seed, ref float ba, Tensor? bb, Tensor? bResult, ref float bDa, Tensor? bDb)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(seed);
        TensorShape.RequireSame(nameof(ScalarDivideTangentBackward), result, b);
        RequireElementwiseTangentBackward(nameof(ScalarDivideTangentBackward), b, db, seed, bb, bDb);
        TensorShape.RequireAccumulator(nameof(ScalarDivideTangentBackward), bResult, result);
        ScalarDivideBackward(a, b, result, seed, ref bDa, bDb);
        if (bResult is not null && db is not null)
        {
            ElementwiseLoop.Map(new AddScaledProductQuotientKernel(-1f), seed.Span, db.Span, b.Span, bResult.Span, bResult.Span);
        }
        if (bb is not null && (da != 0f || db is not null))
        {
            // ∂T/∂b = −T/b: each term of T has one more 1/b.
            Tensor tangent = ScalarDivideTangent(a, b, result, da, db);
            ElementwiseLoop.Map(new AddScaledProductQuotientKernel(-1f), seed.Span, tangent.Span, b.Span, bb.Span, bb.Span);
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

    /// <summary>−dx.</summary>
    [DerivativeOf(typeof(Tensor), "op_UnaryNegation", Mode = DerivativeMode.Forward)]
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Negate), Mode = DerivativeMode.Forward)]
    public static Tensor NegateTangent(Tensor x, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(NegateTangent), dx, x);
        return dx is null ? Tensor.ZerosLike(x) : Tensor.Negate(dx);
    }

    /// <summary>The pullback of NegateTangent = −dx: bDx −= seed; linear, so bx gets nothing.</summary>
    [DerivativeOf(nameof(NegateTangent))]
    public static void NegateTangentBackward(Tensor x, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwiseTangentBackward(nameof(NegateTangentBackward), x, dx, seed, bx, bDx);
        NegateBackward(x, seed, bDx);
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

    /// <summary>
    /// Checks a broadcasting pushforward's pullback: its tangents, the seed against the broadcast shape (written into
    /// <paramref name="shape"/>, its rank returned) and each accumulator against its operand.
    /// </summary>
    private static int RequireBroadcastTangentPullback(
        string rule, Tensor a, Tensor b, Tensor? da, Tensor? db, Tensor seed, Tensor? ba, Tensor? bb, Tensor? bDa, Tensor? bDb, Span<int> shape)
    {
        int rank = RequireBroadcastTangents(rule, a, b, da, db, shape);
        RequireSeedShape(rule, seed, shape[..rank]);
        TensorShape.RequireAccumulator(rule, ba, a);
        TensorShape.RequireAccumulator(rule, bb, b);
        TensorShape.RequireAccumulator(rule, bDa, a);
        TensorShape.RequireAccumulator(rule, bDb, b);
        return rank;
    }
}
