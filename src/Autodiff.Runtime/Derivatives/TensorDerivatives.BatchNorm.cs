using System;

// Each rule is documented by its DerivativeOf target and the class summary; a summary per rule would repeat them.
#pragma warning disable CS1591

namespace Autodiff.Derivatives;

// BatchNorm. In training the batch statistics depend on x, so x's gradient has LayerNorm's form
// taken per channel over the batch and spatial axes, and the running statistics (which only
// received a copy of the statistics) get none. In evaluation the running statistics are inputs
// like any other: x's gradient is seed·γ/√(v + ε), and they get theirs. The momentum never
// changes the result. The tangent applies the same Jacobian forwards; only the forward operation
// moves the running statistics, never the tangent.
public static partial class TensorDerivatives
{
    [DerivativeOf(typeof(Tensor), nameof(Tensor.BatchNorm))]
    public static void BatchNormBackward(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVariance, bool training,
        float momentum, float epsilon, Tensor seed, Tensor? dx, Tensor? dGamma, Tensor? dBeta, Tensor? dRunningMean, Tensor? dRunningVariance,
        ref float dMomentum, ref float dEpsilon)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(gamma);
        ArgumentNullException.ThrowIfNull(beta);
        ArgumentNullException.ThrowIfNull(runningMean);
        ArgumentNullException.ThrowIfNull(runningVariance);
        ArgumentNullException.ThrowIfNull(seed);
        (int batch, int channels, int spatial) = Tensor.BatchNormLayout(nameof(BatchNormBackward), x, gamma, beta, runningMean, runningVariance);
        RequireElementwise(nameof(BatchNormBackward), x, seed, dx);
        TensorShape.RequireAccumulator(nameof(BatchNormBackward), dGamma, gamma);
        TensorShape.RequireAccumulator(nameof(BatchNormBackward), dBeta, beta);
        TensorShape.RequireAccumulator(nameof(BatchNormBackward), dRunningMean, runningMean);
        TensorShape.RequireAccumulator(nameof(BatchNormBackward), dRunningVariance, runningVariance);
        _ = dMomentum;
        ReadOnlySpan<float> input = x.Span, s = seed.Span;
        int count = batch * spatial;
        double epsilonGradient = 0;
        for (int c = 0; c < channels; c++)
        {
            (float mean, float variance) = training
                ? Tensor.ChannelStatistics(input, batch, channels, spatial, c)
                : (runningMean.Span[c], runningVariance.Span[c]);
            double r = 1.0 / Math.Sqrt(variance + epsilon), g = gamma.Span[c];
            // Σ seed, Σ seed·x̂ over the channel.
            double seedSum = 0, seedXHat = 0;
            for (int n = 0; n < batch; n++)
            {
                int start = (n * channels + c) * spatial;
                for (int i = start; i < start + spatial; i++)
                {
                    seedSum += s[i];
                    seedXHat += s[i] * (input[i] - mean) * r;
                }
            }
            if (dGamma is not null) dGamma.Span[c] += (float)seedXHat;
            if (dBeta is not null) dBeta.Span[c] += (float)seedSum;
            // ∂y/∂ε = γ·x̂·(−½)·r², summed against the seed (the batch statistics' own dependence on ε is none).
            epsilonGradient += -0.5 * g * r * r * seedXHat;
            if (!training)
            {
                // y = γ·(x − m)·r + β with m, v inputs: ∂y/∂m = −γr, ∂y/∂v = −½·γ·(x − m)·r³.
                if (dRunningMean is not null) dRunningMean.Span[c] += (float)(-g * r * seedSum);
                if (dRunningVariance is not null) dRunningVariance.Span[c] += (float)(-0.5 * g * r * r * seedXHat);
            }
            if (dx is null) continue;
            Span<float> d = dx.Span;
            double meanG = g * seedSum / count, meanGx = g * seedXHat / count;
            for (int n = 0; n < batch; n++)
            {
                int start = (n * channels + c) * spatial;
                for (int i = start; i < start + spatial; i++)
                {
                    double gi = s[i] * g;
                    d[i] += (float)(training ? r * (gi - meanG - (input[i] - mean) * r * meanGx) : r * gi);
                }
            }
        }
        dEpsilon += (float)epsilonGradient;
    }

    /// <summary>
    /// With x̂ = (x − m)·r and r = 1/√(v + ε) per channel: dy = γ·dx̂ + dγ·x̂ + dβ, where in training
    /// dx̂ = r·(dx − mean(dx) − x̂·mean(x̂·dx)) − ½·x̂·r²·dε, and in evaluation dx̂ = r·(dx − dm) − ½·x̂·r²·(dv + dε).
    /// </summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.BatchNorm), Mode = DerivativeMode.Forward)]
    public static Tensor BatchNormTangent(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVariance, bool training,
        float momentum, float epsilon, Tensor? dx, Tensor? dGamma, Tensor? dBeta, Tensor? dRunningMean, Tensor? dRunningVariance,
        float dMomentum, float dEpsilon)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(gamma);
        ArgumentNullException.ThrowIfNull(beta);
        ArgumentNullException.ThrowIfNull(runningMean);
        ArgumentNullException.ThrowIfNull(runningVariance);
        (int batch, int channels, int spatial) = Tensor.BatchNormLayout(nameof(BatchNormTangent), x, gamma, beta, runningMean, runningVariance);
        TensorShape.RequireTangent(nameof(BatchNormTangent), dx, x);
        TensorShape.RequireTangent(nameof(BatchNormTangent), dGamma, gamma);
        TensorShape.RequireTangent(nameof(BatchNormTangent), dBeta, beta);
        TensorShape.RequireTangent(nameof(BatchNormTangent), dRunningMean, runningMean);
        TensorShape.RequireTangent(nameof(BatchNormTangent), dRunningVariance, runningVariance);
        _ = dMomentum;
        Tensor tangent = TensorWorkspace.Allocate(x.Shape, TensorInit.Uninitialized);
        ReadOnlySpan<float> input = x.Span, inputTangent = dx is null ? default : dx.Span;
        Span<float> t = tangent.Span;
        int count = batch * spatial;
        for (int c = 0; c < channels; c++)
        {
            (float mean, float variance) = training
                ? Tensor.ChannelStatistics(input, batch, channels, spatial, c)
                : (runningMean.Span[c], runningVariance.Span[c]);
            double r = 1.0 / Math.Sqrt(variance + epsilon), g = gamma.Span[c];
            // dx̂ = r·(dx − shift) − x̂·k: in training the batch statistics' own tangents, mean(dx) and
            // 2·mean((x − m)·dx), are the shift and part of k; in evaluation the running statistics' are.
            double shift, k = 0.5 * r * r * dEpsilon;
            if (training)
            {
                double sum = 0, xHatSum = 0;
                if (dx is not null)
                {
                    for (int n = 0; n < batch; n++)
                    {
                        int start = (n * channels + c) * spatial;
                        for (int i = start; i < start + spatial; i++)
                        {
                            sum += inputTangent[i];
                            xHatSum += (input[i] - mean) * r * inputTangent[i];
                        }
                    }
                }
                shift = sum / count;
                k += r * xHatSum / count;
            }
            else
            {
                shift = dRunningMean?.Span[c] ?? 0;
                k += 0.5 * r * r * (dRunningVariance?.Span[c] ?? 0);
            }
            // dy = γr·dx + (dγ − γk)·x̂ + (dβ − γr·shift), one pass over the channel.
            double perInput = g * r, perXHat = (dGamma?.Span[c] ?? 0) - g * k, constant = (dBeta?.Span[c] ?? 0) - g * r * shift;
            for (int n = 0; n < batch; n++)
            {
                int start = (n * channels + c) * spatial;
                for (int i = start; i < start + spatial; i++)
                {
                    double throughInput = dx is null ? 0 : perInput * inputTangent[i];
                    t[i] = (float)(throughInput + perXHat * (input[i] - mean) * r + constant);
                }
            }
        }
        return tangent;
    }
}
