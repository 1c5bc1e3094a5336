using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Autodiff;

/// <summary>
/// eˣ on float vectors, in float. <c>Vector512.Exp</c> on floats widens every lane to double,
/// takes the double exponential and narrows back: accurate, but it was a fifth of GELU's time in
/// the CharTransformer profile (the exponential, the widening and the narrowing together), where
/// GELU's two passes took about 6 ms of a 42 ms step.
/// </summary>
/// <remarks>
/// The usual reduction: x = n·ln 2 + r with n = round(x / ln 2) and |r| ≤ ln 2 / 2, ln 2 split into
/// a part with few significant bits and the rest, so that n·ln2High is exact and r carries no
/// cancellation error; then eʳ by its Taylor series to r⁷ (the first term left out, r⁸/8!, is below
/// 5.3·10⁻⁹ relative at |r| = 0.347, under float's half ulp of 6·10⁻⁸), and 2ⁿ put straight into
/// the exponent bits. Measured against the double exponential over [−87, 88] the result is within
/// 2 ulp (the test checks that). Below −87.33 (where eˣ leaves float's normal range) the result is
/// 0, above 88.72 infinity, and NaN stays NaN.
/// </remarks>
internal static class FloatExponential
{
    private const float Log2E = 1.44269504088896341f;
    // ln 2 = Ln2High + Ln2Low; Ln2High has 13 significant bits, so n·Ln2High is exact for |n| ≤ 2¹¹.
    private const float Ln2High = 0.693145751953125f;
    private const float Ln2Low = 1.42860682030941723212e-6f;
    private const float Lowest = -87.33654f, Highest = 88.72283f;
    private const float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    // Inlined: called, the vector goes through the stack both ways, which cost more than the arithmetic.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        Vector512<float> clamped = Vector512.Min(Vector512.Max(x, Vector512.Create(Lowest)), Vector512.Create(Highest));
        Vector512<float> n = Vector512.Round(clamped * Vector512.Create(Log2E));
        Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2High), clamped);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Low), r);
        Vector512<float> p = Vector512.FusedMultiplyAdd(Vector512.Create(C7), r, Vector512.Create(C6));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C5));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        // 2ⁿ as two factors 2^⌊n/2⌋·2^(n−⌊n/2⌋), each a normal float: n itself runs from −126 to 128.
        Vector512<int> whole = Vector512.ConvertToInt32(n), half = Vector512.ShiftRightArithmetic(whole, 1);
        Vector512<float> result = p * PowerOfTwo(half) * PowerOfTwo(whole - half);
        result = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(Lowest)), Vector512<float>.Zero, result);
        result = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(Highest)), Vector512.Create(float.PositiveInfinity), result);
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        Vector256<float> clamped = Vector256.Min(Vector256.Max(x, Vector256.Create(Lowest)), Vector256.Create(Highest));
        Vector256<float> n = Vector256.Round(clamped * Vector256.Create(Log2E));
        Vector256<float> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2High), clamped);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Low), r);
        Vector256<float> p = Vector256.FusedMultiplyAdd(Vector256.Create(C7), r, Vector256.Create(C6));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C5));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C2));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        Vector256<int> whole = Vector256.ConvertToInt32(n), half = Vector256.ShiftRightArithmetic(whole, 1);
        Vector256<float> result = p * PowerOfTwo(half) * PowerOfTwo(whole - half);
        result = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(Lowest)), Vector256<float>.Zero, result);
        result = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(Highest)), Vector256.Create(float.PositiveInfinity), result);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }

    private static Vector512<float> PowerOfTwo(Vector512<int> n) => Vector512.ShiftLeft(n + Vector512.Create(127), 23).AsSingle();

    private static Vector256<float> PowerOfTwo(Vector256<int> n) => Vector256.ShiftLeft(n + Vector256.Create(127), 23).AsSingle();
}
