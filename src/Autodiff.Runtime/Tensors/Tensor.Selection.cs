using System;

namespace Autodiff;

// Where: element-wise choice between two tensors by a condition tensor (torch.where), and its
// masked-fill form with a constant. A condition is true where it is nonzero, as a bool tensor
// converted from floats is in PyTorch; it may repeat over leading axes (a [T, T] mask against
// [B, H, T, T] scores).
public sealed partial class Tensor
{
    /// <summary>
    /// <paramref name="a"/> where <paramref name="condition"/> is nonzero, <paramref name="b"/>
    /// elsewhere (<c>torch.where(condition, a, b)</c>). <paramref name="a"/> and <paramref name="b"/>
    /// have one shape; <paramref name="condition"/> has that shape or its trailing axes (repeated
    /// over the leading ones). The condition carries no gradient (it only picks).
    /// </summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        RequireWhereShapes(nameof(Where), condition, a, b);
        Tensor result = AllocateLike(a);
        ReadOnlySpan<float> mask = condition.Data, first = a.Data, second = b.Data;
        Span<float> output = result.Data;
        for (int start = 0; start < output.Length; start += mask.Length)
        {
            for (int i = 0; i < mask.Length; i++)
            {
                output[start + i] = mask[i] != 0f ? first[start + i] : second[start + i];
            }
        }
        return result;
    }

    /// <summary>
    /// <paramref name="a"/> where <paramref name="condition"/> is nonzero, <paramref name="value"/>
    /// elsewhere (<c>torch.where(condition, a, value)</c>; <c>a.masked_fill(~condition, value)</c>).
    /// </summary>
    public static Tensor Where(Tensor condition, Tensor a, float value)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(a);
        RequireWhereShapes(nameof(Where), condition, a, a);
        Tensor result = AllocateLike(a);
        ReadOnlySpan<float> mask = condition.Data, first = a.Data;
        Span<float> output = result.Data;
        for (int start = 0; start < output.Length; start += mask.Length)
        {
            for (int i = 0; i < mask.Length; i++)
            {
                output[start + i] = mask[i] != 0f ? first[start + i] : value;
            }
        }
        return result;
    }

    /// <summary>a and b of one shape; the condition that shape or its trailing axes (leading ones of size 1 allowed).</summary>
    internal static void RequireWhereShapes(string operation, Tensor condition, Tensor a, Tensor b)
    {
        bool same = a._shape.AsSpan().SequenceEqual(b._shape);
        ReadOnlySpan<int> mask = condition._shape;
        while (mask.Length > 0 && mask[0] == 1)
        {
            mask = mask[1..];
        }
        bool trailing = mask.Length <= a.Rank && a._shape.AsSpan(a.Rank - mask.Length).SequenceEqual(mask);
        if (!same || !trailing || condition.Length == 0 && a.Length != 0)
        {
            throw new ShapeMismatchException(
                $"{operation}: the two choices must have one shape and the condition that shape or its trailing axes; got condition {TensorShape.Format(condition._shape)}, a {TensorShape.Format(a._shape)}, b {TensorShape.Format(b._shape)}.");
        }
    }
}
