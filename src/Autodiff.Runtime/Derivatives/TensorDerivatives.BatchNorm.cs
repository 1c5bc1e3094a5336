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

    /// <summary>
    /// The pullback of BatchNormTangent = γ·dx̂ + dγ·x̂ + dβ, with per channel dx̂ = r·dc − k·x̂ (dc = dx − shift, as there)
    /// and g = seed·γ: the tangents get BatchNormBackward; dγ·x̂ gives x, the statistics and ε that pullback with dγ for γ;
    /// γ·dx̂ gives, with A = r·⟨g, dc⟩ and G = ⟨g, x̂⟩, bε (and in evaluation bv) += −½·r²·(A − 3kG), and bx += −(r/n)·(A − 3kG)·x̂
    /// − (r²G/n)·dc − r·k·(g − mean(g)) in training, bx += −r·k·g and bm += r·k·Σg in evaluation; bγ += Σ seed·dx̂.
    /// </summary>
    [DerivativeOf(nameof(BatchNormTangent))]
    public static void BatchNormTangentBackward(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVariance, bool training,
        float momentum, float epsilon, Tensor? dx, Tensor? dGamma, Tensor? dBeta, Tensor? dRunningMean, Tensor? dRunningVariance,
        float dMomentum, float dEpsilon, Tensor seed,
        Tensor? bx, Tensor? bGamma, Tensor? bBeta, Tensor? bRunningMean, Tensor? bRunningVariance, ref float bMomentum, ref float bEpsilon,
        Tensor? bDx, Tensor? bDGamma, Tensor? bDBeta, Tensor? bDRunningMean, Tensor? bDRunningVariance, ref float bDMomentum, ref float bDEpsilon)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(gamma);
        ArgumentNullException.ThrowIfNull(beta);
        ArgumentNullException.ThrowIfNull(runningMean);
        ArgumentNullException.ThrowIfNull(runningVariance);
        ArgumentNullException.ThrowIfNull(seed);
        const string rule = nameof(BatchNormTangentBackward);
        (int batch, int channels, int spatial) = Tensor.BatchNormLayout(rule, x, gamma, beta, runningMean, runningVariance);
        RequireElementwise(rule, x, seed, bx);
        TensorShape.RequireTangent(rule, dx, x);
        TensorShape.RequireTangent(rule, dGamma, gamma);
        TensorShape.RequireTangent(rule, dBeta, beta);
        TensorShape.RequireTangent(rule, dRunningMean, runningMean);
        TensorShape.RequireTangent(rule, dRunningVariance, runningVariance);
        TensorShape.RequireAccumulator(rule, bGamma, gamma);
        TensorShape.RequireAccumulator(rule, bBeta, beta);
        TensorShape.RequireAccumulator(rule, bRunningMean, runningMean);
        TensorShape.RequireAccumulator(rule, bRunningVariance, runningVariance);
        TensorShape.RequireAccumulator(rule, bDx, x);
        TensorShape.RequireAccumulator(rule, bDGamma, gamma);
        TensorShape.RequireAccumulator(rule, bDBeta, beta);
        TensorShape.RequireAccumulator(rule, bDRunningMean, runningMean);
        TensorShape.RequireAccumulator(rule, bDRunningVariance, runningVariance);
        _ = dMomentum; // the momentum never changes the result, so neither it nor its tangent gets anything
        // The tangent is BatchNorm's Jacobian applied to the tangents: its transpose is BatchNorm's pullback.
        BatchNormBackward(x, gamma, beta, runningMean, runningVariance, training, momentum, epsilon, seed,
            bDx, bDGamma, bDBeta, bDRunningMean, bDRunningVariance, ref bDMomentum, ref bDEpsilon);
        // dγ·x̂ is BatchNorm's output with dγ for γ and no β, so its derivative in everything else is that pullback's.
        if (dGamma is not null)
        {
            BatchNormBackward(x, dGamma, beta, runningMean, runningVariance, training, momentum, epsilon, seed,
                bx, null, null, bRunningMean, bRunningVariance, ref bMomentum, ref bEpsilon);
        }
        // In training the running statistics' tangents never reach the result; in evaluation they move dx̂ as dx and dε do.
        bool moves = dx is not null || dEpsilon != 0f || (!training && (dRunningMean is not null || dRunningVariance is not null));
        if (!moves) return;
        ReadOnlySpan<float> input = x.Span, s = seed.Span, inputTangent = dx is null ? default : dx.Span;
        int count = batch * spatial;
        double epsilonGradient = 0;
        for (int c = 0; c < channels; c++)
        {
            (float mean, float variance) = training
                ? Tensor.ChannelStatistics(input, batch, channels, spatial, c)
                : (runningMean.Span[c], runningVariance.Span[c]);
            double r = 1.0 / Math.Sqrt(variance + epsilon), g = gamma.Span[c];
            // The channel's sums of seed, x̂, dx and their products, in double.
            double seedSum = 0, xHatSum = 0, tangentSum = 0, seedXHat = 0, seedDx = 0, xHatDx = 0;
            for (int n = 0; n < batch; n++)
            {
                int start = (n * channels + c) * spatial;
                for (int i = start; i < start + spatial; i++)
                {
                    double xHat = (input[i] - mean) * r, d = dx is null ? 0 : inputTangent[i];
                    seedSum += s[i];
                    xHatSum += xHat;
                    tangentSum += d;
                    seedXHat += s[i] * xHat;
                    seedDx += s[i] * d;
                    xHatDx += xHat * d;
                }
            }
            // dx̂ = r·(dx − shift) − k·x̂, with shift and k as BatchNormTangent has them.
            double shift, k = 0.5 * r * r * dEpsilon;
            if (training)
            {
                shift = tangentSum / count;
                k += r * (xHatDx - shift * xHatSum) / count;
            }
            else
            {
                shift = dRunningMean?.Span[c] ?? 0;
                k += 0.5 * r * r * (dRunningVariance?.Span[c] ?? 0);
            }
            double seedDc = seedDx - shift * seedSum;
            if (bGamma is not null) bGamma.Span[c] += (float)(r * seedDc - k * seedXHat);
            // ⟨g, dx̂⟩ = A − k·G moves with r through both terms (k holds r² and, in training, x̂): its r-derivative gives A − 3kG.
            double a = r * g * seedDc, gXHat = g * seedXHat, curvature = a - 3 * k * gXHat;
            double varianceGradient = -0.5 * r * r * curvature;
            epsilonGradient += varianceGradient;
            if (!training)
            {
                // x̂ = (x − m)·r with m and v inputs: ⟨g, dx̂⟩ is −k·r·Σ g·(x − m) in m and x, and moves with v as with ε.
                if (bRunningMean is not null) bRunningMean.Span[c] += (float)(r * k * g * seedSum);
                if (bRunningVariance is not null) bRunningVariance.Span[c] += (float)varianceGradient;
            }
            if (bx is null) continue;
            Span<float> gradient = bx.Span;
            double meanG = g * seedSum / count;
            for (int n = 0; n < batch; n++)
            {
                int start = (n * channels + c) * spatial;
                for (int i = start; i < start + spatial; i++)
                {
                    double xHat = (input[i] - mean) * r, dc = (dx is null ? 0 : inputTangent[i]) - shift, gi = s[i] * g;
                    gradient[i] += (float)(training
                        ? -r / count * curvature * xHat - r * r * gXHat / count * dc - r * k * (gi - meanG)
                        : -r * k * gi);
                }
            }
        }
        bEpsilon += (float)epsilonGradient;
    }
}
