using System;
using Autodiff;

namespace Digits;

/// <summary>
/// Shifts and scales each pixel to zero mean and unit variance, with statistics from the training
/// images only, so nothing about the test images leaks into training. Standardised inputs let one
/// learning rate suit every weight.
/// </summary>
public sealed class Standardiser
{
    // Some border pixels are blank in nearly every training image; dividing by their tiny spread
    // would turn the odd stroke in a test image into a huge input. One pixel count is the floor.
    private const float MinimumSpread = 1f;

    private readonly Tensor _mean;
    private readonly Tensor _spread;

    private Standardiser(Tensor mean, Tensor spread)
    {
        _mean = mean;
        _spread = spread;
    }

    /// <summary>Per-pixel mean and standard deviation of <paramref name="pixels"/> [N, 64].</summary>
    public static Standardiser Fit(Tensor pixels)
    {
        Tensor mean = Tensor.Mean(pixels, 0);
        Tensor spread = Tensor.Sqrt(Tensor.Mean(Tensor.Square(pixels - mean), 0));
        Span<float> values = spread.Span;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = MathF.Max(values[i], MinimumSpread);
        }
        return new Standardiser(mean, spread);
    }

    public LabelledImages Apply(LabelledImages images) => images with { Pixels = (images.Pixels - _mean) / _spread };
}
