using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace Autodiff.Optimizers;

/// <summary>Gradient clipping, as <c>torch.nn.utils.clip_grad_norm_</c>.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales every gradient (tensors and scalars alike) by maxNorm / (‖g‖ + 10⁻⁶) when the global
    /// norm ‖g‖ (the 2-norm of all gradients together, summed in double) exceeds
    /// <paramref name="maxNorm"/>; leaves them as they are otherwise. Returns ‖g‖ before clipping,
    /// for logging. Allocates nothing.
    /// </summary>
    public static double ClipByGlobalNorm(IReadOnlyList<ParameterGradient> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "GradientClipping: the largest norm allowed cannot be negative.");
        }
        double squares = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            ParameterGradient entry = parameters[i];
            if (entry.IsScalar)
            {
                squares += entry.ScalarGradient * entry.ScalarGradient;
                continue;
            }
            ReadOnlySpan<float> gradient = entry.Gradient.Span;
            foreach (float g in gradient)
            {
                squares += (double)g * g;
            }
        }
        double norm = Math.Sqrt(squares);
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1)
        {
            for (int i = 0; i < parameters.Count; i++)
            {
                ParameterGradient entry = parameters[i];
                if (entry.IsScalar)
                {
                    entry.ScaleScalarGradient(coefficient);
                }
                else
                {
                    TensorPrimitives.Multiply(entry.Gradient.Span, (float)coefficient, entry.Gradient.Span);
                }
            }
        }
        return norm;
    }
}
