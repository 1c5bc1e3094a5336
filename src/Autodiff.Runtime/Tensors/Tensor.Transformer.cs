using System;
using System.Runtime.Intrinsics;
using System.Numerics.Tensors;

namespace Autodiff;

// The operations attention and transformer blocks need beside the batched MatMul: moving axes
// (heads out of the channels), the causal mask, and layer normalisation.
public sealed partial class Tensor
{
    /// <summary>
    /// The axes reordered, as <c>x.permute(axes)</c>: axis i of the result is axis axes[i] of
    /// <paramref name="x"/> (a copy). [B, T, H, D] → [B, H, T, D] is <c>Permute(x, 0, 2, 1, 3)</c>.
    /// </summary>
    public static Tensor Permute(Tensor x, params int[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        return PermuteCore(x, axes);
    }

    /// <summary>Permute of a rank-3 tensor: result axis i is axis <c>a_i</c> of x. (Fixed-rank overloads take no array, so a training step allocates nothing.)</summary>
    public static Tensor Permute(Tensor x, int a0, int a1, int a2) => PermuteCore(x, [a0, a1, a2]);

    /// <summary>Permute of a rank-4 tensor: result axis i is axis <c>a_i</c> of x (attention's <c>Permute(q, 0, 2, 1, 3)</c>).</summary>
    public static Tensor Permute(Tensor x, int a0, int a1, int a2, int a3) => PermuteCore(x, [a0, a1, a2, a3]);

    private static Tensor PermuteCore(Tensor x, ReadOnlySpan<int> axes)
    {
        ArgumentNullException.ThrowIfNull(x);
        Span<int> shape = stackalloc int[x.Rank];
        Span<int> sourceStrides = stackalloc int[MaxRank];
        PermutedLayout(nameof(Permute), x, axes, shape, sourceStrides);
        Tensor result = TensorWorkspace.Allocate(shape, TensorInit.Uninitialized);
        PermuteInto(x.Data, result.Data, shape, sourceStrides, accumulate: false);
        return result;
    }

    /// <summary>Checks the permutation, and gives the result's shape and, per result axis, the stride of the source axis it reads (padded to rank 4).</summary>
    internal static void PermutedLayout(string operation, Tensor x, ReadOnlySpan<int> axes, Span<int> shape, Span<int> sourceStrides)
    {
        if (axes.Length != x.Rank)
        {
            throw new ArgumentException($"{operation}: {axes.Length} axes given for a tensor of shape {TensorShape.Format(x._shape)}; give each of its {x.Rank} axes once.", nameof(axes));
        }
        Span<int> strides = stackalloc int[x.Rank];
        int step = 1;
        for (int axis = x.Rank - 1; axis >= 0; axis--)
        {
            strides[axis] = step;
            step *= x._shape[axis];
        }
        int seen = 0;
        for (int i = 0; i < axes.Length; i++)
        {
            int axis = axes[i];
            if (axis < 0 || axis >= x.Rank || (seen & (1 << axis)) != 0)
            {
                throw new ArgumentException($"{operation}: axes [{string.Join(", ", axes.ToArray())}] are not a permutation of the {x.Rank} axes of {TensorShape.Format(x._shape)}.", nameof(axes));
            }
            seen |= 1 << axis;
            shape[i] = x._shape[axis];
        }
        sourceStrides.Clear();
        int pad = MaxRank - x.Rank;
        for (int i = 0; i < axes.Length; i++)
        {
            sourceStrides[pad + i] = strides[axes[i]];
        }
    }

    /// <summary>Walks the result in order and reads (or, for the backward rule, adds back) through the source strides.</summary>
    internal static void PermuteInto(ReadOnlySpan<float> source, Span<float> destination, ReadOnlySpan<int> resultShape, ReadOnlySpan<int> sourceStrides, bool accumulate)
    {
        Span<int> dims = stackalloc int[MaxRank];
        dims.Fill(1);
        resultShape.CopyTo(dims[(MaxRank - resultShape.Length)..]);
        int target = 0;
        for (int i0 = 0; i0 < dims[0]; i0++)
        {
            for (int i1 = 0; i1 < dims[1]; i1++)
            {
                for (int i2 = 0; i2 < dims[2]; i2++)
                {
                    int from = i0 * sourceStrides[0] + i1 * sourceStrides[1] + i2 * sourceStrides[2];
                    if (sourceStrides[3] == 1)
                    {
                        // The last axis stays last (attention's [B, T, H, D] ↔ [B, H, T, D]): whole rows move.
                        int length = dims[3];
                        if (accumulate)
                        {
                            Span<float> into = destination.Slice(from, length);
                            System.Numerics.Tensors.TensorPrimitives.Add(into, source.Slice(target, length), into);
                        }
                        else
                        {
                            source.Slice(from, length).CopyTo(destination.Slice(target, length));
                        }
                        target += length;
                        continue;
                    }
                    for (int i3 = 0; i3 < dims[3]; i3++, target++, from += sourceStrides[3])
                    {
                        if (accumulate)
                        {
                            destination[from] += source[target];
                        }
                        else
                        {
                            destination[target] = source[from];
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Attention's causal mask: over the last two axes [..., T, T], every element above the diagonal
    /// (a query at position i looking at a key j &gt; i) becomes −∞, so that a softmax gives it no weight.
    /// As <c>scores.masked_fill(torch.triu(torch.ones(T, T), 1).bool(), float("-inf"))</c>.
    /// </summary>
    public static Tensor CausalMask(Tensor scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        (int rows, int columns) = MaskShape(nameof(CausalMask), scores);
        Tensor result = AllocateLike(scores);
        ReadOnlySpan<float> input = scores.Data;
        Span<float> output = result.Data;
        for (int start = 0; start < input.Length; start += rows * columns)
        {
            for (int i = 0; i < rows; i++)
            {
                int row = start + i * columns;
                int kept = Math.Min(i + 1, columns);
                input.Slice(row, kept).CopyTo(output.Slice(row, kept));
                output.Slice(row + kept, columns - kept).Fill(float.NegativeInfinity);
            }
        }
        return result;
    }

    internal static (int Rows, int Columns) MaskShape(string operation, Tensor scores)
    {
        if (scores.Rank < 2)
        {
            throw new ShapeMismatchException($"{operation}: expects attention scores [..., T, T] (rank 2 to {MaxRank}), got {TensorShape.Format(scores._shape)}.");
        }
        return (scores._shape[^2], scores._shape[^1]);
    }

    /// <summary>
    /// Layer normalisation over the last axis, as <c>nn.LayerNorm(C)</c>: each row is shifted to mean 0
    /// and scaled to variance 1 (the biased variance, plus <paramref name="epsilon"/>), then multiplied
    /// by <paramref name="gamma"/> and shifted by <paramref name="beta"/> (both [C]).
    /// </summary>
    public static Tensor LayerNorm(Tensor x, Tensor gamma, Tensor beta, float epsilon = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(gamma);
        ArgumentNullException.ThrowIfNull(beta);
        int width = LayerNormWidth(nameof(LayerNorm), x, gamma, beta);
        Tensor result = AllocateLike(x);
        ReadOnlySpan<float> input = x.Data, scale = gamma.Data, shift = beta.Data;
        Span<float> output = result.Data;
        for (int start = 0; start < input.Length; start += width)
        {
            ReadOnlySpan<float> row = input.Slice(start, width);
            Span<float> normalised = output.Slice(start, width);
            (float mean, float inverseDeviation) = RowStatistics(row, epsilon);
            // x̂ = (x − mean)·r into the output, then x̂·γ + β in place.
            TensorPrimitives.Add(row, -mean, normalised);
            TensorPrimitives.Multiply(normalised, inverseDeviation, normalised);
            TensorPrimitives.MultiplyAdd(normalised, scale, shift, normalised);
        }
        return result;
    }

    internal static int LayerNormWidth(string operation, Tensor x, Tensor gamma, Tensor beta)
    {
        if (x.Rank < 1 || gamma.Rank != 1 || beta.Rank != 1 || gamma.Length != x._shape[^1] || beta.Length != x._shape[^1])
        {
            throw new ShapeMismatchException(
                $"{operation}: normalises the last axis of x, so gamma and beta must be vectors of its length; got x {TensorShape.Format(x._shape)}, gamma {TensorShape.Format(gamma._shape)}, beta {TensorShape.Format(beta._shape)}.");
        }
        return x._shape[^1];
    }

    /// <summary>
    /// A row's mean and 1/√(variance + ε) (the biased variance, as PyTorch), in float by two
    /// vectorised passes: the mean, then the squared deviations from it, which keeps the variance
    /// accurate where one pass (E[x²] − mean²) would cancel.
    /// </summary>
    internal static (float Mean, float InverseDeviation) RowStatistics(ReadOnlySpan<float> row, float epsilon)
    {
        float mean = TensorPrimitives.Sum(row) / row.Length;
        float squares = SquaredDeviations(row, mean);
        return (mean, 1f / MathF.Sqrt(squares / row.Length + epsilon));
    }

    /// <summary>Σ (x − mean)², vectorised.</summary>
    private static float SquaredDeviations(ReadOnlySpan<float> row, float mean)
    {
        int i = 0;
        float sum = 0f;
        if (Vector256.IsHardwareAccelerated && row.Length >= Vector256<float>.Count)
        {
            Vector256<float> center = Vector256.Create(mean), total = Vector256<float>.Zero;
            for (; i <= row.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> deviation = Vector256.Create(row.Slice(i, Vector256<float>.Count)) - center;
                total += deviation * deviation;
            }
            sum = Vector256.Sum(total);
        }
        for (; i < row.Length; i++)
        {
            float deviation = row[i] - mean;
            sum += deviation * deviation;
        }
        return sum;
    }
}
