using System;
using System.Numerics.Tensors;

namespace Autodiff;

// Element-wise functions, and softmax / log-softmax along the last axis.
public sealed partial class Tensor
{
    /// <summary>Element-wise eˣ.</summary>
    public static Tensor Exp(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor result = AllocateLike(x);
        TensorPrimitives.Exp(x.Data, result.Data);
        return result;
    }

    /// <summary>Element-wise natural logarithm.</summary>
    public static Tensor Log(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor result = AllocateLike(x);
        TensorPrimitives.Log(x.Data, result.Data);
        return result;
    }

    /// <summary>Element-wise square root.</summary>
    public static Tensor Sqrt(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor result = AllocateLike(x);
        TensorPrimitives.Sqrt(x.Data, result.Data);
        return result;
    }

    /// <summary>Element-wise x².</summary>
    public static Tensor Square(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor result = AllocateLike(x);
        TensorPrimitives.Multiply(x.Data, x.Data, result.Data);
        return result;
    }

    /// <summary>Element-wise hyperbolic tangent.</summary>
    public static Tensor Tanh(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor result = AllocateLike(x);
        TensorPrimitives.Tanh(x.Data, result.Data);
        return result;
    }

    /// <summary>Element-wise logistic function 1 / (1 + e⁻ˣ).</summary>
    public static Tensor Sigmoid(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor result = AllocateLike(x);
        TensorPrimitives.Sigmoid(x.Data, result.Data);
        return result;
    }

    /// <summary>Element-wise max(x, 0).</summary>
    public static Tensor Relu(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor result = AllocateLike(x);
        TensorPrimitives.Max(x.Data, 0f, result.Data);
        return result;
    }

    /// <summary>Element-wise x &gt; 0 ? x : <paramref name="negativeSlope"/>·x, as PyTorch's <c>leaky_relu</c>.</summary>
    public static Tensor LeakyRelu(Tensor x, float negativeSlope = 0.01f)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor result = AllocateLike(x);
        ElementwiseLoop.Map(new LeakyReluKernel(negativeSlope), x.Data, result.Data);
        return result;
    }

    /// <summary>
    /// Softmax along the last axis: each row becomes exp(x − max) / Σ exp(x − max). Subtracting
    /// the row's maximum keeps it finite for any logits.
    /// </summary>
    public static Tensor Softmax(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        RequireRankAtLeastOne(nameof(Softmax), x);
        Tensor result = AllocateLike(x);
        int rowLength = x._shape[^1];
        // Rows on both cores: attention's [12, 4, 64, 64] is 3 K rows, 0.8 MB.
        Kernels.ParallelRange.Run(new SoftmaxRows(x.Data, result.Data, rowLength), x.Length / rowLength,
            Math.Max(1, ParallelElementwise.Grain / rowLength));
        return result;
    }

    private readonly struct SoftmaxRows(float[] x, float[] result, int rowLength) : Kernels.IRangeBody
    {
        public void Run(int startRow, int endRow)
        {
            for (int start = startRow * rowLength; start < endRow * rowLength; start += rowLength)
            {
                ReadOnlySpan<float> row = x.AsSpan(start, rowLength);
                Span<float> target = result.AsSpan(start, rowLength);
                ElementwiseLoop.Map(new ExpShiftedKernel(TensorPrimitives.Max(row)), row, target);
                TensorPrimitives.Divide(target, TensorPrimitives.Sum(target), target);
            }
        }
    }

    /// <summary>
    /// Log-softmax along the last axis: x − max − log Σ exp(x − max), finite for any logits
    /// (unlike the log of <see cref="Softmax"/>).
    /// </summary>
    public static Tensor LogSoftmax(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        RequireRankAtLeastOne(nameof(LogSoftmax), x);
        Tensor result = AllocateLike(x);
        int rowLength = x._shape[^1];
        for (int start = 0; start < x.Length; start += rowLength)
        {
            ReadOnlySpan<float> row = x.Data.AsSpan(start, rowLength);
            TensorPrimitives.Subtract(row, LogSumExp(row), result.Data.AsSpan(start, rowLength));
        }
        return result;
    }

    /// <summary>log Σ exp(row), computed as max + log Σ exp(row − max).</summary>
    internal static float LogSumExp(ReadOnlySpan<float> row)
    {
        float max = TensorPrimitives.Max(row);
        return max + MathF.Log(ElementwiseLoop.Sum(new ExpShiftedKernel(max), row));
    }
}
