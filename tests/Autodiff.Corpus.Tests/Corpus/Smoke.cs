using System;
using Autodiff;

namespace Corpus;

public static partial class Smoke
{
    // expect: clean
    [Differentiable]
    public static double Square(double x) => x * x;

    // expect: ADIFF004
    [Differentiable]
    public static double Asinh(double x) => Math.Asinh(x);
}
