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
        ReadOnlySpan<float> mask = condition.Span, s = seed.Span;
        Span<float> first = da is null ? default : da.Span, second = db is null ? default : db.Span;
        for (int start = 0; start < s.Length; start += mask.Length)
        {
            for (int i = 0; i < mask.Length; i++)
            {
                if (mask[i] != 0f)
                {
                    if (da is not null) first[start + i] += s[start + i];
                }
                else if (db is not null)
                {
                    second[start + i] += s[start + i];
                }
            }
        }
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
        ReadOnlySpan<float> mask = condition.Span, s = seed.Span;
        Span<float> first = da is null ? default : da.Span;
        double filled = 0;
        for (int start = 0; start < s.Length; start += mask.Length)
        {
            for (int i = 0; i < mask.Length; i++)
            {
                if (mask[i] != 0f)
                {
                    if (da is not null) first[start + i] += s[start + i];
                }
                else
                {
                    filled += s[start + i];
                }
            }
        }
        dValue += (float)filled;
    }
}
