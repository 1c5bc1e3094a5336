using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Autodiff;

/// <summary>
/// 2×2 max pooling of planes 2, 4 or 8 wide with an even height, sixteen floats at a time.
/// </summary>
/// <remarks>
/// <para>
/// Why: <see cref="MaxPool2x2"/> works a row pair at a time, slicing spans for each, and rows
/// narrower than eight went through its scalar loop with a branch per comparison; the DigitsCnn's
/// poolings are of 8×8 and 4×4 planes, and together they took a tenth of its training step
/// (forward 15 + 33 µs, backward 24 + 38 µs).
/// </para>
/// <para>
/// How: with an even height, the tensor is a plain sequence of row pairs (a row of width W, then
/// the row below it), whatever the plane they belong to. Sixteen consecutive floats hold one, two
/// or four whole row pairs (W = 8, 4, 2), that is four windows, and one permutation sorts them
/// into four vectors: each window's top-left, top-right, bottom-left and bottom-right elements.
/// The comparisons are <see cref="MaxPool2x2"/>'s, in the same order (strict, row order: the first
/// largest is chosen, and a NaN only when it comes first), so the results are the same to the bit.
/// The backward pass puts each seed in the lane of its window's chosen element, permutes back and
/// adds in those lanes only: the other elements of dx are stored back as they were (adding 0 would
/// turn a −0 into +0).
/// </para>
/// </remarks>
internal static class MaxPool2x2Narrow
{
    /// <summary>For W = 2, 4, 8: lane k of the sorted vector takes lane Sorting[k] of the sixteen floats.</summary>
    private static readonly Vector512<int> SortTwo = Vector512.Create(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    private static readonly Vector512<int> SortFour = Vector512.Create(0, 2, 8, 10, 1, 3, 9, 11, 4, 6, 12, 14, 5, 7, 13, 15);
    private static readonly Vector512<int> SortEight = Vector512.Create(0, 2, 4, 6, 1, 3, 5, 7, 8, 10, 12, 14, 9, 11, 13, 15);

    // The inverse permutations: lane Sorting[k] of the result takes lane k.
    private static readonly Vector512<int> UnsortTwo = Vector512.Create(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    private static readonly Vector512<int> UnsortFour = Vector512.Create(0, 4, 1, 5, 8, 12, 9, 13, 2, 6, 3, 7, 10, 14, 11, 15);
    private static readonly Vector512<int> UnsortEight = Vector512.Create(0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15);

    /// <summary>Whether this path takes a tensor of <paramref name="planes"/> planes of <paramref name="height"/>×<paramref name="width"/>.</summary>
    public static bool Fits(int planes, int height, int width) =>
        Vector512.IsHardwareAccelerated && height % 2 == 0 && width is 2 or 4 or 8 && planes * height * width >= 16;

    /// <summary>output[w] = the largest element of window w, for the <paramref name="rowPairs"/> row pairs of width <paramref name="width"/>.</summary>
    public static void Forward(ReadOnlySpan<float> input, Span<float> output, int rowPairs, int width)
    {
        int windows = rowPairs * width / 2;
        Require(input.Length, 4 * windows, output.Length, windows);
        Vector512<int> sort = Sorting(width);
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float y = ref MemoryMarshal.GetReference(output);
        int w = 0;
        for (; w + 4 <= windows; w += 4)
        {
            Windows(Vector512.LoadUnsafe(ref x, (nuint)(4 * w)), sort, out Vector128<float> largest, out _);
            largest.StoreUnsafe(ref y, (nuint)w);
        }
        if (w < windows)
        {
            // The last one to three windows: the final sixteen floats, computed again from their start.
            int last = windows - 4;
            Windows(Vector512.LoadUnsafe(ref x, (nuint)(4 * last)), sort, out Vector128<float> largest, out _);
            largest.StoreUnsafe(ref y, (nuint)last);
        }
    }

    /// <summary>dx at each window's first largest element += seed[window]; every other element of dx keeps its bits.</summary>
    public static void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> seed, Span<float> dx, int rowPairs, int width)
    {
        int windows = rowPairs * width / 2;
        Require(input.Length, 4 * windows, seed.Length, windows);
        Require(dx.Length, 4 * windows, seed.Length, windows);
        Vector512<int> sort = Sorting(width), unsort = Unsorting(width);
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float s = ref MemoryMarshal.GetReference(seed);
        ref float d = ref MemoryMarshal.GetReference(dx);
        int w = 0;
        for (; w + 4 <= windows; w += 4)
        {
            AddSeeds(ref x, ref s, ref d, w, sort, unsort);
        }
        for (; w < windows; w++)
        {
            // At most three windows left (an odd number of row pairs of width 4, or row pairs of width 2 not a multiple of four).
            int half = width / 2;
            int topLeft = w / half * 2 * width + w % half * 2;
            int which = MaxPool2x2.Largest(Unsafe.Add(ref x, topLeft), Unsafe.Add(ref x, topLeft + 1), Unsafe.Add(ref x, topLeft + width), Unsafe.Add(ref x, topLeft + width + 1));
            Unsafe.Add(ref d, topLeft + (which >> 1) * width + (which & 1)) += Unsafe.Add(ref s, w);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddSeeds(ref float x, ref float s, ref float d, int w, Vector512<int> sort, Vector512<int> unsort)
    {
        Windows(Vector512.LoadUnsafe(ref x, (nuint)(4 * w)), sort, out _, out Vector128<int> which);
        Vector128<float> seeds = Vector128.LoadUnsafe(ref s, (nuint)w);
        Vector128<int> first = Vector128.Equals(which, Vector128<int>.Zero), second = Vector128.Equals(which, Vector128.Create(1));
        Vector128<int> third = Vector128.Equals(which, Vector128.Create(2)), fourth = Vector128.Equals(which, Vector128.Create(3));
        Vector512<int> chosen = Vector512.Shuffle(
            Vector512.Create(Vector256.Create(first, second), Vector256.Create(third, fourth)), unsort);
        Vector512<float> spread = Vector512.Shuffle(Vector512.Create(Vector256.Create(seeds, seeds), Vector256.Create(seeds, seeds)), unsort);
        Vector512<float> gradient = Vector512.LoadUnsafe(ref d, (nuint)(4 * w));
        Vector512.ConditionalSelect(chosen.AsSingle(), gradient + spread, gradient).StoreUnsafe(ref d, (nuint)(4 * w));
    }

    /// <summary>Four windows of sixteen floats: their largest values and which element (0–3, row order) each is, the first on ties.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Windows(Vector512<float> sixteen, Vector512<int> sort, out Vector128<float> largest, out Vector128<int> which)
    {
        Vector512<float> sorted = Vector512.Shuffle(sixteen, sort);
        Vector128<float> value = sorted.GetLower().GetLower();
        which = Vector128<int>.Zero;
        MaxPool2x2.Select(sorted.GetLower().GetUpper(), 1, ref value, ref which);
        MaxPool2x2.Select(sorted.GetUpper().GetLower(), 2, ref value, ref which);
        MaxPool2x2.Select(sorted.GetUpper().GetUpper(), 3, ref value, ref which);
        largest = value;
    }

    private static Vector512<int> Sorting(int width) => width switch { 2 => SortTwo, 4 => SortFour, _ => SortEight };

    private static Vector512<int> Unsorting(int width) => width switch { 2 => UnsortTwo, 4 => UnsortFour, _ => UnsortEight };

    private static void Require(int inputs, int neededInputs, int outputs, int neededOutputs)
    {
        if (inputs < neededInputs || outputs < neededOutputs)
        {
            throw new ArgumentException($"MaxPool2x2: {neededInputs} inputs and {neededOutputs} outputs needed, got {inputs} and {outputs}.");
        }
    }
}
