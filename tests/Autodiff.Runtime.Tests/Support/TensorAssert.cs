using System;
using Autodiff.Runtime.Tests.Reference;
using Xunit.Sdk;

namespace Autodiff.Runtime.Tests.Support;

internal static class TensorAssert
{
    /// <summary>
    /// Float32 results against the double reference: the implementation rounds every operation to
    /// float (relative error ~6e-8 each) and uses approximate vector exp/tanh (a few ulp), so a
    /// handful of ulps relative plus a small absolute floor for values near zero.
    /// </summary>
    public const double ForwardAbsolute = 1e-5;
    public const double ForwardRelative = 1e-5;

    public static void Close(DTensor expected, Tensor actual, double absolute = ForwardAbsolute, double relative = ForwardRelative, string what = "")
    {
        if (!actual.Shape.SequenceEqual(expected.Shape))
        {
            throw new XunitException($"{what}: shape {actual} differs from expected [{string.Join("x", expected.Shape)}].");
        }
        ReadOnlySpan<float> values = actual.AsReadOnlySpan();
        for (int i = 0; i < expected.Length; i++)
        {
            Close(expected.Data[i], values[i], absolute, relative, $"{what} element {i}");
        }
    }

    public static void Close(double expected, double actual, double absolute, double relative, string what)
    {
        bool bothNaN = double.IsNaN(expected) && double.IsNaN(actual);
        bool sameInfinity = double.IsInfinity(expected) && expected == actual;
        if (bothNaN || sameInfinity)
        {
            return;
        }
        double tolerance = absolute + relative * Math.Abs(expected);
        if (!(Math.Abs(expected - actual) <= tolerance))
        {
            throw new XunitException($"{what}: expected {expected:R}, got {actual:R} (tolerance {tolerance:G3}).");
        }
    }
}
