using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using Autodiff;

namespace Corpus.Repros;

// One minimal method per failure class of FINDINGS.md, in its order; AUTODIFF_CORPUS_ONLY=MinimalRepros.cs runs them alone.

public readonly struct P
{
    public P(double x, double y) { X = x; Y = y; }
    public double X { get; }
    public double Y { get; }
    public double Length => Math.Sqrt(X * X + Y * Y);
}

public static partial class R
{
    // expect: ADIFF004
    [Differentiable]
    public static double StructProperty(double x, double y) => new P(x, y).Length;

    // expect: ADIFF004
    [Differentiable]
    public static double StructCtorOnly(double x) => new P(x, 1).X;

    // expect: ADIFF003
    [Differentiable]
    public static double StructParam(P p) => p.X;

    // expect: ADIFF004
    [Differentiable]
    public static double ComplexMagnitude(double x, double y) => new Complex(x, y).Magnitude;

    // expect: ADIFF004
    [Differentiable]
    public static double LinqSum(double[] xs) => xs.Sum();

    // expect: ADIFF004
    [Differentiable]
    public static double ListCopy(double[] xs) => new List<double>(xs)[0];

    // expect: ADIFF004
    [Differentiable]
    public static double CloneCopy(double[] xs) => ((double[])xs.Clone())[0];

    // expect: ADIFF004
    [Differentiable]
    public static double StringRoundTrip(double x) => double.Parse(x.ToString("R", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);

    // expect: ADIFF004
    [Differentiable]
    public static double Bits(double x) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x));

    // expect: ADIFF004
    [Differentiable]
    public static double TupleItem(double x) => Tuple.Create(x).Item1;

    // expect: ADIFF004
    [Differentiable]
    public static double NullableValue(double x)
    {
        double? m = x;
        return m.Value;
    }

    // expect: ADIFF006|ADIFF004
    [Differentiable]
    public static double RefAccumulate(double x)
    {
        double total = 0;
        Add(ref total, x);
        return total;
    }

    private static void Add(ref double t, double v) => t += v;

    // expect: clean
    [Differentiable]
    public static double Sum(params double[] v) => v[0] + v[1];

    // expect: clean
    [Differentiable]
    public static double ParamsCall(double x) => Sum(x, x * x);

    // expect: clean
    [Differentiable]
    public static double ArrayInitializer(double x)
    {
        double[] v = { x, 2 * x };
        return v[0] * v[1];
    }

    // expect: clean
    [Differentiable]
    public static double PostIncrementInCondition(double x)
    {
        int i = 0;
        double y = x;
        while (i++ < 3) y *= x;
        return y;
    }

    // expect: clean
    [Differentiable]
    public static double ChainedAssignment(double x)
    {
        double a, b;
        a = b = x;
        return a * b;
    }

    // expect: clean
    [Differentiable]
    public static double OutVarInactive(double x)
    {
        int q = Math.DivRem(7, 2, out int r);
        return q * x + r;
    }

    // expect: clean
    [Differentiable]
    public static double ForeachConstantList(double x)
    {
        double s = 0;
        foreach (int k in new List<int> { 1, 2 }) s += k * x;
        return s;
    }

    // expect: clean
    [Differentiable]
    public static double CollectionExpression(double x)
    {
        double[] v = [x, 1.0];
        return v[0] * v[1];
    }

    // Found by Simulations.cs (RK4 picking its stage vector with a conditional): written through one
    // name, read through the other, neither name active alone; the gradient was silently zero.
    // expect: ADIFF014
    [Differentiable]
    public static double AliasWrittenThroughReadByOriginal(double x)
    {
        var a = new double[1];
        double[] p = a;
        p[0] = x * x;
        return a[0];
    }

    // expect: ADIFF014
    [Differentiable]
    public static double AliasPickedByConditionWrittenThrough(double x, int pick)
    {
        var a = new double[1];
        var b = new double[1];
        double[] p = pick == 0 ? a : b;
        p[0] = x * x;
        return a[0] + b[0];
    }
}
