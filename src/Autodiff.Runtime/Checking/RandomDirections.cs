using System;

namespace Autodiff;

/// <summary>Seeded random unit vectors for fast mode, the same on every platform.</summary>
internal sealed class RandomDirections(int seed)
{
    private SeededRandom _random = new(seed);

    /// <summary>
    /// A uniformly distributed unit vector of <paramref name="length"/> elements (normal samples,
    /// normalised): every element takes part, so a wrong element anywhere changes the product.
    /// </summary>
    public double[] Next(int length)
    {
        var direction = new double[length];
        double squares = 0;
        for (int i = 0; i < length; i++)
        {
            // Box–Muller; 1 − u lies in (0, 1], so the logarithm is finite.
            double radius = Math.Sqrt(-2.0 * Math.Log(1.0 - _random.NextUnit()));
            direction[i] = radius * Math.Cos(2.0 * Math.PI * _random.NextUnit());
            squares += direction[i] * direction[i];
        }
        double norm = Math.Sqrt(squares);
        for (int i = 0; i < length && norm > 0; i++)
        {
            direction[i] /= norm;
        }
        return direction;
    }
}
