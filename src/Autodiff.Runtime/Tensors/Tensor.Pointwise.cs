using System;
using System.Numerics.Tensors;

namespace Autodiff;

// Element-wise functions of the models past an MLP: Abs, Pow, Clamp, Gelu, Softplus. Each has its
// [DerivativeOf] rule in TensorDerivatives.Pointwise, with PyTorch's conventions at kinks.
public sealed partial class Tensor
{
    /// <summary>Element-wise |x|.</summary>
    public static Tensor Abs(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor result = AllocateLike(x);
        TensorPrimitives.Abs(x.Data, result.Data);
        return result;
    }

    /// <summary>Element-wise x^exponent, as <c>torch.pow(x, exponent)</c> (NaN for a negative x and a non-integer exponent).</summary>
    public static Tensor Pow(Tensor x, float exponent)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor result = AllocateLike(x);
        ReadOnlySpan<float> input = x.Data;
        Span<float> output = result.Data;
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = MathF.Pow(input[i], exponent);
        }
        return result;
    }

    /// <summary>Element-wise min(max(x, min), max), as <c>torch.clamp</c>.</summary>
    public static Tensor Clamp(Tensor x, float min, float max)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!(min <= max))
        {
            throw new ArgumentException($"Tensor.Clamp: min ({min}) must not exceed max ({max}).", nameof(min));
        }
        Tensor result = AllocateLike(x);
        TensorPrimitives.Clamp(x.Data, min, max, result.Data);
        return result;
    }

    /// <summary>
    /// Element-wise GELU, x·Φ(x) with Φ the standard normal distribution function: PyTorch's
    /// <c>nn.GELU()</c> (the exact form, not the tanh approximation).
    /// </summary>
    public static Tensor Gelu(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor result = AllocateLike(x);
        ReadOnlySpan<float> input = x.Data;
        Span<float> output = result.Data;
        for (int i = 0; i < input.Length; i++)
        {
            double v = input[i];
            output[i] = (float)(v * NormalDistribution.Cdf(v));
        }
        return result;
    }

    /// <summary>
    /// Element-wise softplus, log(1 + eˣ), computed as max(x, 0) + log(1 + e^−|x|) so that it is finite
    /// for any x; like PyTorch's <c>softplus</c> it returns x itself above <paramref name="threshold"/>.
    /// </summary>
    public static Tensor Softplus(Tensor x, float threshold = 20f)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor result = AllocateLike(x);
        ReadOnlySpan<float> input = x.Data;
        Span<float> output = result.Data;
        for (int i = 0; i < input.Length; i++)
        {
            float v = input[i];
            output[i] = v > threshold ? v : (float)(Math.Max(v, 0.0) + Math.Log(1.0 + Math.Exp(-Math.Abs((double)v))));
        }
        return result;
    }
}

/// <summary>The standard normal distribution's Φ and φ, in double precision, for GELU.</summary>
internal static class NormalDistribution
{
    private const double InverseSqrt2 = 0.70710678118654752440;
    private const double InverseSqrt2Pi = 0.39894228040143267794;

    /// <summary>Φ(x) = (1 + erf(x/√2)) / 2.</summary>
    public static double Cdf(double x) => 0.5 * (1.0 + Erf(x * InverseSqrt2));

    /// <summary>φ(x) = e^(−x²/2) / √(2π).</summary>
    public static double Density(double x) => InverseSqrt2Pi * Math.Exp(-0.5 * x * x);

    /// <summary>
    /// erf to about 1e-15: its Taylor series where it converges fast (|x| &lt; 2.5), else 1 − erfc from
    /// erfc's continued fraction (Lentz's method), which converges fast there.
    /// </summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }
        double a = Math.Abs(x);
        double value;
        if (a < 2.5)
        {
            // erf(x) = 2/√π Σ (−1)ⁿ x^(2n+1) / (n! (2n + 1))
            double term = a, sum = a, square = a * a;
            for (int n = 1; n < 100 && Math.Abs(term) > 1e-17 * Math.Abs(sum); n++)
            {
                term *= -square / n;
                sum += term / (2 * n + 1);
            }
            value = 2.0 / Math.Sqrt(Math.PI) * sum;
        }
        else if (a > 6.0)
        {
            value = 1.0;
        }
        else
        {
            // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
            const double tiny = 1e-300;
            double f = a, c = a, d = 0;
            for (int n = 1; n < 200; n++)
            {
                double k = n * 0.5;
                d = a + k * d;
                d = Math.Abs(d) < tiny ? tiny : d;
                c = a + k / c;
                c = Math.Abs(c) < tiny ? tiny : c;
                d = 1.0 / d;
                double delta = c * d;
                f *= delta;
                if (Math.Abs(delta - 1.0) < 1e-16)
                {
                    break;
                }
            }
            value = 1.0 - Math.Exp(-a * a) / Math.Sqrt(Math.PI) / f;
        }
        return x < 0 ? -value : value;
    }
}
