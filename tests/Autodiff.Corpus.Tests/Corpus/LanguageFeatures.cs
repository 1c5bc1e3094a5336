using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using Autodiff;

namespace Corpus.Language;

/// <summary>Helpers as a utility class grows them: overloads, extension methods, float twins, properties.</summary>
public static partial class MathUtil
{
    public const double TwoPi = 2 * Math.PI;
    private const float HalfF = 0.5f;
    private static readonly double Ln2 = Math.Log(2);
    private static double scale = 1.5;

    private static double Half => 0.5;
    private static double Scale => scale;
    public static double GoldenRatio { get; } = (1 + Math.Sqrt(5)) / 2;

    // expect: clean
    [Differentiable]
    public static double Square(this double x) => x * x;

    // expect: clean
    [Differentiable]
    public static double Cube(this double x) => x * x.Square();

    // expect: clean
    [Differentiable]
    public static double SumOfSquares(double x, double y) => x.Square() + y.Square();

    // expect: clean
    [Differentiable]
    public static double Hypot(double x) => Math.Abs(x);

    // expect: clean
    [Differentiable]
    public static double Hypot(double x, double y)
    {
        double ax = Math.Abs(x), ay = Math.Abs(y);
        double big = Math.Max(ax, ay), small = Math.Min(ax, ay);
        if (big == 0) return 0;
        double r = small / big;
        return big * Math.Sqrt(1 + r * r);
    }

    // expect: clean
    [Differentiable]
    public static double Hypot(double x, double y, double z) => Hypot(Hypot(x, y), z);

    // expect: clean
    [Differentiable]
    public static float Hypot(float x, float y) => MathF.Sqrt(x * x + y * y);

    // expect: clean
    [Differentiable]
    public static double Lerp(double a, double b, double t) => a + (b - a) * t;

    // expect: clean
    [Differentiable]
    public static float Lerp(float a, float b, float t) => a + (b - a) * t;

    // expect: clean
    // domain: x in (-3, 3)
    [Differentiable]
    public static double SmoothStep(double edge0, double edge1, double x)
    {
        double t = Math.Clamp((x - edge0) / (edge1 - edge0), 0.0, 1.0);
        return t * t * (3 - 2 * t);
    }

    // expect: clean
    // domain: edge0 in (-1, -0.5); edge1 in (0.5, 1); x in (-2, 2)
    [Differentiable]
    public static float SmoothStep(float edge0, float edge1, float x)
    {
        float t = Math.Clamp((x - edge0) / (edge1 - edge0), 0f, 1f);
        return t * t * (3f - 2f * t);
    }

    // expect: clean
    // domain: x in (-10, 10)
    [Differentiable]
    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    // expect: clean
    // domain: x in (-10, 10)
    [Differentiable]
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    // expect: clean
    [Differentiable]
    public static double Gelu(double x) => Half * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));

    // expect: clean
    [Differentiable]
    public static float GeluF(float x) => HalfF * x * (1f + MathF.Tanh(0.7978845608f * (x + 0.044715f * x * x * x)));

    // expect: clean
    [Differentiable]
    public static double Swish(double x, double beta) => x * Sigmoid(beta * x);

    // expect: clean
    [Differentiable]
    public static double Elu(double x, [NoGrad] double alpha = 1.0) => x > 0 ? x : alpha * (Math.Exp(x) - 1);

    // expect: clean
    [Differentiable]
    public static double ScaledByProperty(double x) => Scale * x + GoldenRatio;

    // expect: clean
    [Differentiable]
    public static double WrapAngle(double angle)
    {
        double a = angle % TwoPi;
        if (a > Math.PI) a -= TwoPi;
        else if (a < -Math.PI) a += TwoPi;
        return a;
    }

    // expect: clean
    // domain: x in (0.1, 10)
    [Differentiable]
    public static double Log2ByLn(double x) => Math.Log(x) / Ln2;

    // expect: clean
    // domain: x in (0.5, 2); n = 7
    [Differentiable]
    public static double PowerBySquaring(double x, int n)
    {
        if (n == 0) return 1;
        if (n < 0) return 1 / PowerBySquaring(x, -n);
        double half = PowerBySquaring(x, n / 2);
        return n % 2 == 0 ? half * half : half * half * x;
    }

    // expect: clean
    // domain: x in (0.5, 2); n = 6
    [Differentiable]
    public static double IsEven(double x, int n) => n == 0 ? 1 : IsOdd(x, n - 1) * x;

    // expect: clean
    // domain: x in (0.5, 2); n = 5
    [Differentiable]
    public static double IsOdd(double x, int n) => n == 0 ? 0.5 : IsEven(x, n - 1) + x;

    // expect: clean
    // domain: values len 4
    [Differentiable]
    public static double SumAll(params double[] values)
    {
        double s = 0;
        foreach (double v in values) s += v;
        return s;
    }

    // expect: clean
    [Differentiable]
    public static double SumOfThree(double a, double b, double c) => SumAll(a, b * 2, c * c);

    // expect: clean
    [Differentiable]
    public static double NamedArguments(double x, double y) => Lerp(t: 0.25, b: y, a: x);

    // expect: clean
    [Differentiable]
    public static double ChainedAssignment(double x)
    {
        double a, b;
        a = b = x * 2;
        a += 1;
        b *= b;
        return a * b;
    }

    // expect: clean
    [Differentiable]
    public static double IncrementDecrement(double x)
    {
        double y = x;
        y++;
        y *= x;
        y--;
        ++y;
        return y;
    }

    // expect: clean
    [Differentiable]
    public static double ArrayElementCompound(double[] xs)
    {
        double[] acc = new double[2];
        for (int i = 0; i < xs.Length; i++)
        {
            acc[i % 2] += xs[i];
            acc[0] *= 0.9;
        }
        acc[1]++;
        return acc[0] * acc[1];
    }

    // expect: clean
    [Differentiable]
    public static double NestedTernary(double x, double y) => x > y ? (x > 0 ? x * y : -x) : (y > 1 ? y * y : x + y);

    // expect: clean
    [Differentiable]
    public static double ShortCircuitGuard(double x, double y)
    {
        if (x > 0 && Math.Sqrt(x) > y || y < -1 && !(x < -1))
            return Math.Sqrt(Math.Abs(x)) + y;
        return x * y;
    }

    // expect: clean
    // domain: x in (0.5, 20)
    [Differentiable]
    public static double WhileTrueWithBreak(double x)
    {
        double y = x;
        int guard = 0;
        while (true)
        {
            y = 0.5 * y + 1;
            if (y < 2.0001 || ++guard > 100) break;
        }
        return y * x;
    }

    // expect: clean
    [Differentiable]
    public static double ContinueInLoop(double[] xs)
    {
        double s = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            if (xs[i] < 0) continue;
            s += xs[i] * xs[i];
        }
        return s;
    }

    // expect: clean
    // domain: x in (0.2, 6)
    [Differentiable]
    public static double LoopBoundFromActiveValue(double x)
    {
        // The trip count depends on x through a comparison only.
        double s = 0;
        for (int i = 0; i < x; i++) s += x / (i + 1);
        return s;
    }

    // expect: clean
    [Differentiable]
    public static double LocalConstAndEarlyReturns(double x)
    {
        const double cutoff = 1.25;
        if (double.IsNaN(x)) return double.NaN;
        if (x > cutoff) return cutoff + Math.Log(x / cutoff);
        if (x < -cutoff) return -cutoff - Math.Log(-x / cutoff);
        return x;
    }

    // expect: clean
    [Differentiable]
    public static double MathConstants(double x) => x * Math.E + Math.PI * Math.Sin(x) + Math.Tau;

    // expect: clean
    [Differentiable]
    public static double SignTimesMagnitude(double x, double y) => Math.Sign(x) * Math.Sqrt(y * y + 1);

    // expect: clean
    [Differentiable]
    public static double FloorAndFraction(double x) => x - Math.Floor(x) + Math.Floor(x) * 0.5;

    // expect: clean
    [Differentiable]
    public static double PowForms(double x) => Math.Pow(x, 2) + Math.Pow(2, x) + Math.Pow(Math.Abs(x) + 1, 0.5);

    // expect: clean
    [Differentiable]
    public static double FusedMultiplyAdd(double a, double b, double c) => Math.FusedMultiplyAdd(a, b, c);

    // expect: clean
    [Differentiable]
    public static double DoubleFromFloatAndBack(double x)
    {
        float f = (float)x;
        double back = f;
        return back * x;
    }

    // expect: clean
    // domain: x in (0.3, 3)
    [Differentiable]
    public static float FloatMathMix(float x, double y) => (float)(Math.Log(x) * y) + MathF.Sqrt(x) * (float)y;

    // expect: clean
    // domain: xs len 6
    [Differentiable]
    public static float FloatArrayNorm(float[] xs)
    {
        float s = 0f;
        for (int i = 0; i < xs.Length; i++) s += xs[i] * xs[i];
        return MathF.Sqrt(s + 1e-6f);
    }

    // expect: clean
    // domain: xs len 6
    [Differentiable]
    public static double FloatArrayToDouble(float[] xs)
    {
        double s = 0;
        foreach (float v in xs) s += (double)v * v;
        return s;
    }

    // expect: clean
    [Differentiable]
    public static double ReadsStaticMutableField(double x) => x * scale;

    // expect: clean
    [Differentiable]
    public static double PrintsIntermediate(double x)
    {
        double y = Math.Exp(x);
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "y = {0:G6}", y));
        System.Diagnostics.Debug.Assert(y > 0, "exp is positive");
        return y * x;
    }

    // expect: clean
    [Differentiable]
    public static double ComparesOnlyWithHelper(double x, double y)
    {
        // A helper with no derivative, used only to decide a branch.
        if (Classify(x) == 1) return x * y;
        return x + y;
    }

    private static int Classify(double v) => v > 0 ? 1 : 0;

    // expect: clean
    [Differentiable]
    public static double StopGradient(double x, double y) => x * y + Grad.Stop(Math.Floor(x));

    // expect: clean, ADIFF008
    [Differentiable]
    public static double IntegerPart(double x) => (int)x + 0.5 * x;

    // expect: clean, ADIFF008
    // domain: x in (0.5, 5)
    [Differentiable]
    public static double RepeatedByCount(double x)
    {
        int n = (int)(2 * x);
        double s = 0;
        for (int i = 0; i < n; i++) s += x;
        return s;
    }

    // expect: clean, ADIFF008
    [Differentiable]
    public static double LongConversion(double x) => (long)(x * 1000) / 1000.0 + x;

    // expect: clean
    [Differentiable]
    public static double ExplicitStop(double x) => (int)Grad.Stop(x) + x * x;

    // expect: ADIFF004
    // domain: x in (0.5, 5)
    [Differentiable]
    public static double FastInverseSqrt(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        bits = 0x5FE6EB50C7B537A9 - (bits >> 1);
        double y = BitConverter.Int64BitsToDouble(bits);
        return y * (1.5 - 0.5 * x * y * y);
    }

    // expect: ADIFF004
    // domain: x in (0.5, 5)
    [Differentiable]
    public static float FastInverseSqrtFloat(float x)
    {
        int i = BitConverter.SingleToInt32Bits(x);
        i = 0x5F3759DF - (i >> 1);
        float y = BitConverter.Int32BitsToSingle(i);
        return y * (1.5f - 0.5f * x * y * y);
    }

    // expect: ADIFF004
    [Differentiable]
    public static double RoundTripThroughString(double x)
    {
        string s = x.ToString("G17", CultureInfo.InvariantCulture);
        return double.Parse(s, CultureInfo.InvariantCulture) * 2;
    }

    // expect: ADIFF004
    [Differentiable]
    public static double CopySign(double x, double y) => Math.CopySign(x, y) * y;

    // expect: ADIFF004
    [Differentiable]
    public static double RemainderFromFramework(double x) => Math.IEEERemainder(x, TwoPi);

    // expect: ADIFF004
    [Differentiable]
    public static double MaxMagnitude(double x, double y) => Math.MaxMagnitude(x, y) * 2;

    // expect: ADIFF004|ADIFF005
    [Differentiable]
    public static double ThroughDictionary(double x)
    {
        var cache = new Dictionary<int, double>();
        cache[0] = x * x;
        return cache[0] + x;
    }

    // expect: ADIFF004
    [Differentiable]
    public static double ThroughUnannotatedHelper(double x) => Smooth(x) * 2;

    private static double Smooth(double v, int unused = 0) => v * v / (1 + v * v) + unused;

    // expect: ADIFF004
    [Differentiable]
    public static double ThroughTuple(double x, double y)
    {
        var pair = Tuple.Create(x, y);
        return pair.Item1 * pair.Item2;
    }

    // expect: ADIFF004
    [Differentiable]
    public static double ThroughNullable(double x)
    {
        double? maybe = x > 100 ? null : x;
        return maybe.GetValueOrDefault() * 3;
    }

    // expect: ADIFF009
    [Differentiable]
    public static double SwitchOnSign(double x)
    {
        switch (Math.Sign(x))
        {
            case -1: return -x;
            case 0: return 0;
            default: return x * x;
        }
    }

    // expect: ADIFF009
    [Differentiable]
    public static double PatternMatching(double x) => x is > 0 and < 1 ? x * x : x;

    // expect: ADIFF009
    [Differentiable]
    public static double TryFinally(double x)
    {
        double y = 0;
        try
        {
            y = Math.Exp(x);
        }
        finally
        {
            Console.WriteLine("done");
        }
        return y;
    }

    // expect: ADIFF009
    [Differentiable]
    public static double LocalFunctionHelper(double x)
    {
        static double Twice(double v) => 2 * v;
        return Twice(x) + x;
    }

    // expect: ADIFF009
    [Differentiable]
    public static double LambdaWithoutCapture(double x)
    {
        Func<double, double> f = t => t * t;
        return f(x);
    }

    // expect: ADIFF007
    [Differentiable]
    public static double LambdaCapturingActive(double x)
    {
        Func<double> g = () => x * 2;
        return g() + 1;
    }

    // expect: ADIFF009
    [Differentiable]
    public static double GotoLoop(double x)
    {
        double y = x;
        int i = 0;
    again:
        y = y * 0.5 + 1;
        if (++i < 5) goto again;
        return y;
    }

    // expect: ADIFF009
    [Differentiable]
    public static double LockedUpdate(double x)
    {
        lock (Gate)
        {
            return x * x;
        }
    }

    private static readonly object Gate = new();

    // expect: ADIFF009
    [Differentiable]
    public static double GenericSum<T>(double x, T tag) => x * x + (tag is null ? 0 : 1);

    // expect: ADIFF006
    [Differentiable]
    public static double SwapByRef(double x, double y)
    {
        Swap(ref x, ref y);
        return x - 2 * y;
    }

    private static void Swap(ref double a, ref double b) => (a, b) = (b, a);

    // expect: ADIFF006|ADIFF004
    [Differentiable]
    public static double AccumulateByRef(double[] xs)
    {
        double total = 0;
        for (int i = 0; i < xs.Length; i++) Accumulate(ref total, xs[i]);
        return total;
    }

    private static void Accumulate(ref double total, double v) => total += v * v;

    // expect: ADIFF003
    [Differentiable]
    public static double RefParameter(ref double x) => x * x;

    // expect: ADIFF003
    [Differentiable]
    public static double InParameter(in double x) => x * x;

    // expect: clean
    [Differentiable]
    public static double JaggedConstantTable([NoGrad] double[][] table, double x) => table.Length * x;

    // expect: clean
    // domain: x in (-2, 2)
    [Differentiable]
    public static double TryParseConstant(double x)
    {
        // An out argument that has nothing to do with the gradient.
        if (!int.TryParse("3", NumberStyles.Integer, CultureInfo.InvariantCulture, out int n))
            n = 1;
        return n * x;
    }

    // expect: clean
    // domain: x in (-2, 2)
    [Differentiable]
    public static double DivRemOnIntegers(double x)
    {
        int q = Math.DivRem(17, 5, out int r);
        return q * x + r;
    }

    // expect: clean
    [Differentiable]
    public static double UncheckedIntegerMix(double x)
    {
        int k = unchecked(7 * 3);
        double[] weights = { 0.25, 0.5, 0.25 };
        return weights[k % 3] * x + weights.Length;
    }

    // expect: clean
    [Differentiable]
    public static double NoInliningHelperCaller(double x) => Inlined(x) + 1;

    // expect: clean
    [Differentiable]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Inlined(double x) => x * x * x;

    // expect: clean
    [Differentiable]
    public static double ThrowsOnInvalid(double x)
    {
        if (double.IsInfinity(x)) throw new ArgumentOutOfRangeException(nameof(x), x, "must be finite");
        return x * Math.Cos(x);
    }

    // expect: clean
    [Differentiable]
    public static double DoWhileIteration(double x)
    {
        double y = 0;
        int k = 0;
        do
        {
            y = y * 0.5 + x;
            k++;
        } while (k < 10);
        return y;
    }

    // expect: clean
    // domain: x in (-2, 2)
    [Differentiable]
    public static double NestedLoopsWithBreak(double x)
    {
        double s = 0;
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 5; j++)
            {
                if (j > i) break;
                s += Math.Sin(x * (i + 1)) / (j + 1);
            }
            if (s > 100) break;
        }
        return s;
    }

    // expect: clean
    [Differentiable]
    public static double ForeachOverConstantList(double x)
    {
        double s = 0;
        foreach (int k in new List<int> { 1, 2, 3 }) s += k * x;
        return s;
    }

    // expect: clean
    [Differentiable]
    public static double StringFormatOnlyForMessage(double x)
    {
        string label = $"x={x}";
        if (label.Length > 1000) throw new InvalidOperationException(label);
        return x * 3;
    }

    // expect: clean
    [Differentiable]
    public static double LocalArrayInitializer(double x, double y)
    {
        double[] v = { x, y, x * y };
        double s = 0;
        for (int i = 0; i < v.Length; i++) s += v[i] * (i + 1);
        return s;
    }

    // expect: clean
    [Differentiable]
    public static double ImplicitlyTypedArray(double x, double y)
    {
        var v = new[] { x, y, 1.0 };
        return v[0] * v[1] + v[2];
    }

    // expect: clean
    [Differentiable]
    public static double ExplicitArrayCreation(double x, double y)
    {
        double[] v = new double[] { x * x, y };
        return v[0] + 3 * v[1];
    }

    // expect: clean
    [Differentiable]
    public static double CollectionExpression(double x, double y)
    {
        double[] v = [x, y, x + y];
        return v[0] * v[2] - v[1];
    }

    // expect: ADIFF004
    [Differentiable]
    public static double FilledByFramework(double x)
    {
        double[] w = new double[3];
        Array.Fill(w, x);
        return w[0] + w[1] * w[2];
    }

    // expect: clean
    [Differentiable]
    public static double SameScalarTwiceToHelper(double x) => Hypot(x, x) + Lerp(x, x, x);

    // expect: clean
    [Differentiable]
    public static double VarDeclarations(double x)
    {
        var a = x * 2;
        var b = a + 1.0;
        var c = b * 0.5f;
        return c * a;
    }

    // expect: clean
    // domain: x in (0.2, 3)
    [Differentiable]
    public static double HelperWithOptionalTolerance(double x) => Root(x);

    // expect: clean
    // domain: a in (0.2, 3)
    [Differentiable]
    private static double Root(double a, [NoGrad] double tolerance = 1e-15)
    {
        double r = a;
        for (int i = 0; i < 100; i++)
        {
            double next = 0.5 * (r + a / r);
            if (Math.Abs(next - r) < tolerance) return next;
            r = next;
        }
        return r;
    }
}
