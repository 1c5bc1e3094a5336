using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Autodiff;

/// <summary>
/// Max pooling over 2×2 windows moved by 2, the common case, in loops of its own. The general path
/// finds each window's first largest element by offset through the pooling shape, with a branch
/// per comparison; after a ReLU, half the activations are 0 and those branches go either way at
/// random. Here four windows at a time are compared in vectors (the two rows of eight floats
/// split into their even and odd columns), with selections instead of branches. The element chosen
/// is the same: the first largest in row order (strict comparisons, so a NaN is never chosen over
/// an earlier element).
/// </summary>
internal static class MaxPool2x2
{
    // Lanes 0–3: the even columns of a row of eight, lanes 4–7 the odd ones.
    private static readonly Vector256<int> EvenThenOdd = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);

    /// <summary>output[p, i, j] = max of input[p, 2i..2i+1, 2j..2j+1] for each of <paramref name="planes"/> planes.</summary>
    public static void Forward(ReadOnlySpan<float> input, Span<float> output, int planes, int height, int width)
    {
        int outHeight = height / 2, outWidth = width / 2;
        if (MaxPool2x2Narrow.Fits(planes, height, width))
        {
            MaxPool2x2Narrow.Forward(input, output, planes * outHeight, width);
            return;
        }
        for (int p = 0; p < planes; p++)
        {
            ReadOnlySpan<float> plane = input.Slice(p * height * width, height * width);
            Span<float> target = output.Slice(p * outHeight * outWidth, outHeight * outWidth);
            for (int i = 0; i < outHeight; i++)
            {
                ReadOnlySpan<float> top = plane.Slice(2 * i * width, width), bottom = plane.Slice((2 * i + 1) * width, width);
                Span<float> line = target.Slice(i * outWidth, outWidth);
                int j = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; j + 4 <= outWidth; j += 4)
                    {
                        Windows(top.Slice(2 * j, 8), bottom.Slice(2 * j, 8), out Vector128<float> largest, out _);
                        largest.CopyTo(line.Slice(j, 4));
                    }
                }
                for (; j < outWidth; j++)
                {
                    int column = 2 * j;
                    line[j] = Value(Largest(top[column], top[column + 1], bottom[column], bottom[column + 1]),
                        top[column], top[column + 1], bottom[column], bottom[column + 1]);
                }
            }
        }
    }

    /// <summary>dx at each window's first largest element += seed.</summary>
    public static void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> seed, Span<float> dx, int planes, int height, int width)
    {
        int outHeight = height / 2, outWidth = width / 2;
        if (MaxPool2x2Narrow.Fits(planes, height, width))
        {
            MaxPool2x2Narrow.Backward(input, seed, dx, planes * outHeight, width);
            return;
        }
        for (int p = 0; p < planes; p++)
        {
            ReadOnlySpan<float> plane = input.Slice(p * height * width, height * width);
            Span<float> gradient = dx.Slice(p * height * width, height * width);
            ReadOnlySpan<float> seeds = seed.Slice(p * outHeight * outWidth, outHeight * outWidth);
            for (int i = 0; i < outHeight; i++)
            {
                int topRow = 2 * i * width;
                ReadOnlySpan<float> top = plane.Slice(topRow, width), bottom = plane.Slice(topRow + width, width);
                ReadOnlySpan<float> line = seeds.Slice(i * outWidth, outWidth);
                int j = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; j + 4 <= outWidth; j += 4)
                    {
                        Windows(top.Slice(2 * j, 8), bottom.Slice(2 * j, 8), out _, out Vector128<int> which);
                        for (int w = 0; w < 4; w++)
                        {
                            gradient[Offset(which.GetElement(w), topRow, width, 2 * (j + w))] += line[j + w];
                        }
                    }
                }
                for (; j < outWidth; j++)
                {
                    int column = 2 * j;
                    int which = Largest(top[column], top[column + 1], bottom[column], bottom[column + 1]);
                    gradient[Offset(which, topRow, width, column)] += line[j];
                }
            }
        }
    }

    /// <summary>Four windows side by side: their largest values and which element (0–3, row order) each is, the first on ties.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Windows(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, out Vector128<float> largest, out Vector128<int> which)
    {
        Vector256<float> t = Vector256.Shuffle(Vector256.Create(top), EvenThenOdd);
        Vector256<float> b = Vector256.Shuffle(Vector256.Create(bottom), EvenThenOdd);
        Vector128<float> value = t.GetLower();
        which = Vector128<int>.Zero;
        Select(t.GetUpper(), 1, ref value, ref which);
        Select(b.GetLower(), 2, ref value, ref which);
        Select(b.GetUpper(), 3, ref value, ref which);
        largest = value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Select(Vector128<float> candidate, int index, ref Vector128<float> value, ref Vector128<int> which)
    {
        Vector128<float> wins = Vector128.GreaterThan(candidate, value);
        value = Vector128.ConditionalSelect(wins, candidate, value);
        which = Vector128.ConditionalSelect(wins.AsInt32(), Vector128.Create(index), which);
    }

    /// <summary>Which of a window's four elements (row order) is the first largest.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Largest(float a, float b, float c, float d)
    {
        int best = 0;
        float largest = a;
        if (b > largest) { best = 1; largest = b; }
        if (c > largest) { best = 2; largest = c; }
        if (d > largest) { best = 3; }
        return best;
    }

    private static float Value(int which, float a, float b, float c, float d) => which switch { 0 => a, 1 => b, 2 => c, _ => d };

    /// <summary>The plane offset of element <paramref name="which"/> of the window whose top-left element is at (topRow, column).</summary>
    private static int Offset(int which, int topRow, int width, int column) => topRow + (which >> 1) * width + column + (which & 1);
}
