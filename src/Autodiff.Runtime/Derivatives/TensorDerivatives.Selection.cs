using System;

// Each rule is documented by its DerivativeOf target and the class summary; a summary per rule would repeat them.
#pragma warning disable CS1591

namespace Autodiff.Derivatives;

// Where sends each seed element to the choice it came from; the condition only picks, so its
// gradient is zero (its accumulator is left as it is).
public static partial class TensorDerivatives
{
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Where))]
    public static void WhereBackward(Tensor condition, Tensor a, Tensor b, Tensor seed, Tensor? dCondition, Tensor? da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        Tensor.RequireWhereShapes(nameof(WhereBackward), condition, a, b);
        RequireSeedLike(nameof(WhereBackward), seed, a);
        TensorShape.RequireAccumulator(nameof(WhereBackward), dCondition, condition);
        TensorShape.RequireAccumulator(nameof(WhereBackward), da, a);
        TensorShape.RequireAccumulator(nameof(WhereBackward), db, b);
        RouteSeed(condition.Span, seed.Span, da, db);
    }

    /// <summary>where(condition, da, db): each element's tangent is its choice's; the condition's adds nothing.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Where), Mode = DerivativeMode.Forward)]
    public static Tensor WhereTangent(Tensor condition, Tensor a, Tensor b, Tensor? dCondition, Tensor? da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Tensor.RequireWhereShapes(nameof(WhereTangent), condition, a, b);
        TensorShape.RequireTangent(nameof(WhereTangent), dCondition, condition);
        TensorShape.RequireTangent(nameof(WhereTangent), da, a);
        TensorShape.RequireTangent(nameof(WhereTangent), db, b);
        if (db is null) return da is null ? Tensor.ZerosLike(a) : Tensor.Where(condition, da, 0f);
        return Tensor.Where(condition, da ?? Tensor.ZerosLike(a), db);
    }

    /// <summary>
    /// The pullback of WhereTangent = where(condition, da, db): bDa, bDb as WhereBackward; the tangent does not
    /// read a or b and the condition only picks, so bCondition, ba, bb and bDCondition get nothing.
    /// </summary>
    [DerivativeOf(nameof(WhereTangent))]
    public static void WhereTangentBackward(
        Tensor condition, Tensor a, Tensor b, Tensor? dCondition, Tensor? da, Tensor? db, Tensor seed,
        Tensor? bCondition, Tensor? ba, Tensor? bb, Tensor? bDCondition, Tensor? bDa, Tensor? bDb)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seed);
        Tensor.RequireWhereShapes(nameof(WhereTangentBackward), condition, a, b);
        RequireSeedLike(nameof(WhereTangentBackward), seed, a);
        TensorShape.RequireTangent(nameof(WhereTangentBackward), dCondition, condition);
        TensorShape.RequireTangent(nameof(WhereTangentBackward), da, a);
        TensorShape.RequireTangent(nameof(WhereTangentBackward), db, b);
        TensorShape.RequireAccumulator(nameof(WhereTangentBackward), bCondition, condition);
        TensorShape.RequireAccumulator(nameof(WhereTangentBackward), ba, a);
        TensorShape.RequireAccumulator(nameof(WhereTangentBackward), bb, b);
        TensorShape.RequireAccumulator(nameof(WhereTangentBackward), bDCondition, condition);
        TensorShape.RequireAccumulator(nameof(WhereTangentBackward), bDa, a);
        TensorShape.RequireAccumulator(nameof(WhereTangentBackward), bDb, b);
        WhereBackward(condition, a, b, seed, bDCondition, bDa, bDb);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Where))]
    public static void WhereValueBackward(Tensor condition, Tensor a, float value, Tensor seed, Tensor? dCondition, Tensor? da, ref float dValue)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(seed);
        Tensor.RequireWhereShapes(nameof(WhereValueBackward), condition, a, a);
        RequireSeedLike(nameof(WhereValueBackward), seed, a);
        TensorShape.RequireAccumulator(nameof(WhereValueBackward), dCondition, condition);
        TensorShape.RequireAccumulator(nameof(WhereValueBackward), da, a);
        dValue += (float)RouteSeed(condition.Span, seed.Span, da, null);
    }

    /// <summary>where(condition, da, dValue): each element's tangent is its choice's; the condition's adds nothing.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Where), Mode = DerivativeMode.Forward)]
    public static Tensor WhereValueTangent(Tensor condition, Tensor a, float value, Tensor? dCondition, Tensor? da, float dValue)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(a);
        Tensor.RequireWhereShapes(nameof(WhereValueTangent), condition, a, a);
        TensorShape.RequireTangent(nameof(WhereValueTangent), dCondition, condition);
        TensorShape.RequireTangent(nameof(WhereValueTangent), da, a);
        if (da is null && dValue == 0f) return Tensor.ZerosLike(a);
        return Tensor.Where(condition, da ?? Tensor.ZerosLike(a), dValue);
    }

    /// <summary>
    /// The pullback of WhereValueTangent = where(condition, da, dValue): bDa, bDValue as WhereValueBackward; the tangent
    /// does not read a or value and the condition only picks, so bCondition, ba, bValue and bDCondition get nothing.
    /// </summary>
    [DerivativeOf(nameof(WhereValueTangent))]
    public static void WhereValueTangentBackward(
        Tensor condition, Tensor a, float value, Tensor? dCondition, Tensor? da, float dValue, Tensor seed,
        Tensor? bCondition, Tensor? ba, ref float bValue, Tensor? bDCondition, Tensor? bDa, ref float bDValue)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(seed);
        Tensor.RequireWhereShapes(nameof(WhereValueTangentBackward), condition, a, a);
        RequireSeedLike(nameof(WhereValueTangentBackward), seed, a);
        TensorShape.RequireTangent(nameof(WhereValueTangentBackward), dCondition, condition);
        TensorShape.RequireTangent(nameof(WhereValueTangentBackward), da, a);
        TensorShape.RequireAccumulator(nameof(WhereValueTangentBackward), bCondition, condition);
        TensorShape.RequireAccumulator(nameof(WhereValueTangentBackward), ba, a);
        TensorShape.RequireAccumulator(nameof(WhereValueTangentBackward), bDCondition, condition);
        TensorShape.RequireAccumulator(nameof(WhereValueTangentBackward), bDa, a);
        WhereValueBackward(condition, a, value, seed, bDCondition, bDa, ref bDValue);
    }

    /// <summary>
    /// Adds each seed element into the accumulator of the choice it came from (the condition
    /// repeating over leading axes); returns the sum of the seed that went to the second choice.
    /// </summary>
    private static double RouteSeed(ReadOnlySpan<float> mask, ReadOnlySpan<float> seed, Tensor? first, Tensor? second)
    {
        Span<float> chosen = first is null ? default : first.Span, other = second is null ? default : second.Span;
        double otherSum = 0;
        for (int start = 0; start < seed.Length; start += mask.Length)
        {
            for (int i = 0; i < mask.Length; i++)
            {
                float s = seed[start + i];
                if (mask[i] != 0f)
                {
                    if (first is not null) chosen[start + i] += s;
                }
                else
                {
                    otherSum += s;
                    if (second is not null) other[start + i] += s;
                }
            }
        }
        return otherSum;
    }
}
