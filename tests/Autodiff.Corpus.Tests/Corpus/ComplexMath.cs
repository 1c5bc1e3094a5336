using System;
using System.Numerics;
using Autodiff;

namespace Corpus.ComplexNumbers;

/// <summary>Code that reaches for System.Numerics.Complex, as signal-processing code does.</summary>
public static partial class ComplexMath
{
    private static readonly Complex Rotation = Complex.FromPolarCoordinates(1, Math.PI / 6);

    // expect: ADIFF004
    [Differentiable]
    public static double Modulus(double re, double im) => new Complex(re, im).Magnitude;

    // expect: ADIFF004
    [Differentiable]
    public static double Argument(double re, double im) => Complex.FromPolarCoordinates(1, 0).Phase + new Complex(re, im).Phase;

    // expect: ADIFF004
    [Differentiable]
    public static double RealOfProduct(double a, double b, double c, double d)
    {
        Complex z = new Complex(a, b) * new Complex(c, d);
        return z.Real;
    }

    // expect: ADIFF004
    // domain: x in (0.2, 2)
    [Differentiable]
    public static double MagnitudeOfExp(double x, double y) => Complex.Abs(Complex.Exp(new Complex(x, y)));

    // expect: ADIFF004
    [Differentiable]
    public static double RotatedReal(double x, double y)
    {
        var z = new Complex(x, y) * Rotation;
        return z.Real + z.Imaginary;
    }

    // expect: ADIFF004|ADIFF009
    // domain: x in (-1, 1)
    [Differentiable]
    public static double PolynomialMagnitudeOnCircle(double theta)
    {
        // |1 + 2z + 3z²| at z = e^{iθ}, by Horner in complex arithmetic.
        Complex z = Complex.FromPolarCoordinates(1, theta);
        Complex p = 3;
        p = p * z + 2;
        p = p * z + 1;
        return p.Magnitude;
    }

    // expect: ADIFF004
    // domain: x len 4
    [Differentiable]
    public static double DftPowerAtBin1(double[] x)
    {
        Complex acc = Complex.Zero;
        int n = x.Length;
        for (int k = 0; k < n; k++)
            acc += x[k] * Complex.Exp(new Complex(0, -2 * Math.PI * k / n));
        return acc.Magnitude * acc.Magnitude;
    }

    // expect: clean
    // domain: x len 4
    [Differentiable]
    public static double DftPowerAtBin1ByHand(double[] x)
    {
        double re = 0, im = 0;
        int n = x.Length;
        for (int k = 0; k < n; k++)
        {
            double angle = -2 * Math.PI * k / n;
            re += x[k] * Math.Cos(angle);
            im += x[k] * Math.Sin(angle);
        }
        return re * re + im * im;
    }

    // expect: clean
    [Differentiable]
    public static double ScaledByConstantModulus(double x) => x * new Complex(3, 4).Magnitude;

    // expect: clean
    [Differentiable]
    public static double ScaledByRotationPhase(double x) => x * Rotation.Phase + Rotation.Real;

    // expect: clean
    [Differentiable]
    public static double ComplexUsedOnlyInComparison(double x, double y)
    {
        var z = new Complex(x, y);
        if (z.Magnitude > 1.5) return x - y;
        return x * y;
    }

    // expect: clean
    [Differentiable]
    public static double ComplexOnlyPrinted(double x, double y)
    {
        var z = new Complex(x, y);
        Console.WriteLine(z.ToString());
        return x * x + y;
    }

    // expect: clean
    // domain: omega in (0.1, 5); tau in (0.1, 2)
    [Differentiable]
    public static double LowPassGainByHand(double omega, double tau)
    {
        // |1 / (1 + iωτ)| without complex numbers.
        return 1 / Math.Sqrt(1 + omega * omega * tau * tau);
    }

    // expect: ADIFF004
    // domain: omega in (0.1, 5); tau in (0.1, 2)
    [Differentiable]
    public static double LowPassGain(double omega, double tau) => Complex.Abs(1 / new Complex(1, omega * tau));

    // expect: ADIFF004
    // domain: omega in (0.1, 5); tau in (0.1, 2)
    [Differentiable]
    public static double LowPassPhase(double omega, double tau) => (Complex.One / (Complex.One + Complex.ImaginaryOne * omega * tau)).Phase;

    // expect: ADIFF004
    // domain: x in (0.2, 3)
    [Differentiable]
    public static double ComplexSqrtReal(double x) => Complex.Sqrt(new Complex(-x, 0)).Imaginary;

    // expect: ADIFF004
    [Differentiable]
    public static double ConjugateProductReal(double a, double b)
    {
        Complex z = new(a, b);
        return (z * Complex.Conjugate(z)).Real;
    }

    // expect: ADIFF004
    // domain: r in (0.5, 2); theta in (-1, 1)
    [Differentiable]
    public static double PolarRoundTrip(double r, double theta)
    {
        Complex z = Complex.FromPolarCoordinates(r, theta);
        return z.Real * z.Real + z.Imaginary;
    }

    // expect: clean
    // domain: r in (0.5, 2); theta in (-1, 1)
    [Differentiable]
    public static double PolarRoundTripByHand(double r, double theta)
    {
        double re = r * Math.Cos(theta), im = r * Math.Sin(theta);
        return re * re + im;
    }
}
