using System;
using Autodiff.Runtime;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>
/// <see cref="Quotients.Of(double, double, double)"/> stands for two scalar divisions in generated
/// forward-mode code, whose value must stay bit for bit the function's: both lanes are compared bit
/// for bit with the scalar quotients, over random numbers and the special ones.
/// </summary>
public class QuotientsTests
{
    private static readonly double[] Special =
    {
        0.0, -0.0, 1.0, -1.0, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue,
        double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1e-310, 3.0, 1.0 / 3.0,
    };

    [Fact]
    public void Both_quotients_are_the_scalar_quotients_bit_for_bit_in_double()
    {
        var random = new Random(17);
        for (int i = 0; i < 10_000; i++)
        {
            double value = Draw(random), tangent = Draw(random), denominator = Draw(random);
            (double q, double dq) = Quotients.Of(value, tangent, denominator);
            Assert.Equal(BitConverter.DoubleToInt64Bits(value / denominator), BitConverter.DoubleToInt64Bits(q));
            Assert.Equal(BitConverter.DoubleToInt64Bits(tangent / denominator), BitConverter.DoubleToInt64Bits(dq));
        }
    }

    [Fact]
    public void Both_quotients_are_the_scalar_quotients_bit_for_bit_in_float()
    {
        var random = new Random(18);
        for (int i = 0; i < 10_000; i++)
        {
            float value = (float)Draw(random), tangent = (float)Draw(random), denominator = (float)Draw(random);
            (float q, float dq) = Quotients.Of(value, tangent, denominator);
            Assert.Equal(BitConverter.SingleToInt32Bits(value / denominator), BitConverter.SingleToInt32Bits(q));
            Assert.Equal(BitConverter.SingleToInt32Bits(tangent / denominator), BitConverter.SingleToInt32Bits(dq));
        }
    }

    /// <summary>A special number a fifth of the time, otherwise a random one over many magnitudes and both signs.</summary>
    private static double Draw(Random random) => random.Next(5) == 0
        ? Special[random.Next(Special.Length)]
        : (random.NextDouble() * 2 - 1) * Math.Pow(10, random.Next(-300, 300));
}
