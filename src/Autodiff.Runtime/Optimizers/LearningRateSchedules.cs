using System;

namespace Autodiff.Optimizers;

/// <summary>
/// A learning rate as a function of the step number (0 for the first step): set the optimiser's
/// <c>LearningRate</c> from <see cref="At"/> before each step. Pure functions of the step, so they
/// allocate nothing and a run can resume anywhere.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate for step <paramref name="step"/> (0, 1, 2, ...).</summary>
    public abstract float At(int step);
}

/// <summary>
/// The base rate multiplied by <see cref="Gamma"/> every <see cref="StepSize"/> steps, as
/// <c>torch.optim.lr_scheduler.StepLR</c>: baseRate · γ^⌊step / stepSize⌋.
/// </summary>
public sealed class StepSchedule : LearningRateSchedule
{
    /// <summary>Multiplies <paramref name="baseRate"/> by <paramref name="gamma"/> every <paramref name="stepSize"/> steps.</summary>
    public StepSchedule(float baseRate, int stepSize, float gamma = 0.1f)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(baseRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        ArgumentOutOfRangeException.ThrowIfNegative(gamma);
        BaseRate = baseRate;
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>The rate of the first steps.</summary>
    public float BaseRate { get; }

    /// <summary>How many steps each rate lasts.</summary>
    public int StepSize { get; }

    /// <summary>The factor applied every <see cref="StepSize"/> steps.</summary>
    public float Gamma { get; }

    /// <inheritdoc/>
    public override float At(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return (float)(BaseRate * Math.Pow(Gamma, step / StepSize));
    }
}

/// <summary>
/// Linear warm-up from 0 to the base rate over <see cref="WarmupSteps"/> steps, then a half cosine
/// down to <see cref="MinimumRate"/> at <see cref="DecaySteps"/>, and the minimum after that: the
/// schedule nanoGPT trains with. For step &lt; warm-up, baseRate · (step + 1) / (warm-up + 1); then,
/// with r = (step − warm-up) / (decay − warm-up), min + ½(1 + cos πr)(base − min).
/// </summary>
public sealed class CosineSchedule : LearningRateSchedule
{
    /// <summary>Warms up over <paramref name="warmupSteps"/> steps, then decays to <paramref name="minimumRate"/> at step <paramref name="decaySteps"/>.</summary>
    public CosineSchedule(float baseRate, int warmupSteps, int decaySteps, float minimumRate = 0f)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(baseRate);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        ArgumentOutOfRangeException.ThrowIfNegative(minimumRate);
        if (decaySteps <= warmupSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(decaySteps), decaySteps, $"CosineSchedule: the decay must end after the warm-up ({warmupSteps} steps).");
        }
        BaseRate = baseRate;
        WarmupSteps = warmupSteps;
        DecaySteps = decaySteps;
        MinimumRate = minimumRate;
    }

    /// <summary>The rate at the end of the warm-up.</summary>
    public float BaseRate { get; }

    /// <summary>Steps of linear warm-up.</summary>
    public int WarmupSteps { get; }

    /// <summary>The step at which the cosine reaches the minimum.</summary>
    public int DecaySteps { get; }

    /// <summary>The rate at the end of the decay and after it.</summary>
    public float MinimumRate { get; }

    /// <inheritdoc/>
    public override float At(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < WarmupSteps)
        {
            return (float)((double)BaseRate * (step + 1) / (WarmupSteps + 1));
        }
        if (step > DecaySteps)
        {
            return MinimumRate;
        }
        double ratio = (double)(step - WarmupSteps) / (DecaySteps - WarmupSteps);
        double coefficient = 0.5 * (1.0 + Math.Cos(Math.PI * ratio));
        return (float)(MinimumRate + coefficient * (BaseRate - MinimumRate));
    }
}
