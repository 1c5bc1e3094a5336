using System;

namespace Autodiff;

// Batch normalisation over the channel axis (axis 1) of [N, C] or [N, C, H, W] tensors, as
// torch.nn.BatchNorm1d/2d: in training, each channel is normalised by the batch's statistics and
// the running statistics move towards them; in evaluation, by the running statistics.
public sealed partial class Tensor
{
    /// <summary>
    /// Batch normalisation of <paramref name="x"/> ([N, C, ...]) per channel, as <c>F.batch_norm</c>:
    /// with <paramref name="training"/>, by the batch's mean and biased variance over every axis but
    /// the channel, updating <paramref name="runningMean"/> and <paramref name="runningVariance"/> in
    /// place (by <paramref name="momentum"/>, the variance unbiased, as PyTorch); otherwise by the
    /// running statistics, which are left alone. Then times <paramref name="gamma"/> plus
    /// <paramref name="beta"/>. The statistics are [C] tensors a model keeps as <c>[NoGrad]</c> state.
    /// </summary>
    public static Tensor BatchNorm(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVariance, bool training,
        float momentum = 0.1f, float epsilon = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(gamma);
        ArgumentNullException.ThrowIfNull(beta);
        ArgumentNullException.ThrowIfNull(runningMean);
        ArgumentNullException.ThrowIfNull(runningVariance);
        (int batch, int channels, int spatial) = BatchNormLayout(nameof(BatchNorm), x, gamma, beta, runningMean, runningVariance);
        Tensor result = AllocateLike(x);
        ReadOnlySpan<float> input = x.Data;
        Span<float> output = result.Data;
        for (int c = 0; c < channels; c++)
        {
            (float mean, float variance) = training
                ? ChannelStatistics(input, batch, channels, spatial, c)
                : (runningMean.Data[c], runningVariance.Data[c]);
            float scale = gamma.Data[c] / MathF.Sqrt(variance + epsilon), shift = beta.Data[c] - mean * scale;
            for (int n = 0; n < batch; n++)
            {
                int start = (n * channels + c) * spatial;
                Span<float> into = output.Slice(start, spatial);
                System.Numerics.Tensors.TensorPrimitives.Multiply(input.Slice(start, spatial), scale, into);
                System.Numerics.Tensors.TensorPrimitives.Add(into, shift, into);
            }
            if (training)
            {
                int count = batch * spatial;
                float unbiased = count > 1 ? variance * count / (count - 1) : variance;
                runningMean.Data[c] += momentum * (mean - runningMean.Data[c]);
                runningVariance.Data[c] += momentum * (unbiased - runningVariance.Data[c]);
            }
        }
        return result;
    }

    /// <summary>N, C and the elements per channel and sample; the parameters and statistics must be [C].</summary>
    internal static (int Batch, int Channels, int Spatial) BatchNormLayout(string operation, Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVariance)
    {
        int channels = x.Rank >= 2 ? x._shape[1] : -1;
        foreach (Tensor perChannel in (ReadOnlySpan<Tensor>)[gamma, beta, runningMean, runningVariance])
        {
            if (channels < 0 || perChannel.Rank != 1 || perChannel.Length != channels)
            {
                throw new ShapeMismatchException(
                    $"{operation}: normalises axis 1 of x ([N, C] or [N, C, H, W]), so gamma, beta and the running statistics must be vectors of its length; got x {TensorShape.Format(x._shape)}, gamma {TensorShape.Format(gamma._shape)}, beta {TensorShape.Format(beta._shape)}, running mean {TensorShape.Format(runningMean._shape)}, running variance {TensorShape.Format(runningVariance._shape)}.");
            }
        }
        int spatial = 1;
        for (int axis = 2; axis < x.Rank; axis++)
        {
            spatial *= x._shape[axis];
        }
        return (x._shape[0], channels, spatial);
    }

    /// <summary>One channel's mean and biased variance over the batch and the spatial axes (two passes, accumulated in double).</summary>
    internal static (float Mean, float Variance) ChannelStatistics(ReadOnlySpan<float> input, int batch, int channels, int spatial, int channel)
    {
        double sum = 0;
        for (int n = 0; n < batch; n++)
        {
            sum += System.Numerics.Tensors.TensorPrimitives.Sum(input.Slice((n * channels + channel) * spatial, spatial));
        }
        int count = batch * spatial;
        double mean = sum / count, squares = 0;
        for (int n = 0; n < batch; n++)
        {
            foreach (float v in input.Slice((n * channels + channel) * spatial, spatial))
            {
                squares += (v - mean) * (v - mean);
            }
        }
        return ((float)mean, (float)(squares / count));
    }
}
