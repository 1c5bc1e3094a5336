using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Autodiff;

/// <summary>
/// im2col and col2im for images whose planes and output planes hold at most 16 floats each (the
/// DigitsCnn's second convolution: 4×4 planes in, 4×4 out): one vector permutation per column row
/// and image instead of one table entry per float.
/// </summary>
/// <remarks>
/// <para>
/// Why: through the table, im2col of that layer moves 147 K floats one at a time, 52 µs on one
/// core, and the training step does it twice (forward, and again for the weight gradient); col2im
/// reads as many. Split between the cores, im2col got slower, not faster (see
/// <see cref="ConvolutionColumns"/>).
/// </para>
/// <para>
/// How: every column row (c, u, v) takes, for each image, a fixed pattern of pixels of plane c: the
/// same pattern for every channel, and whole in one vector when the plane is. So each plane is
/// loaded once as a vector (from a copy of it in 16 floats, so that no load leaves the array), and
/// row (c, u, v) of the image is that vector permuted by the pattern of (u, v), with the padding
/// lanes masked to +0: exactly the values the table copies. col2im permutes the other way: each
/// (u, v) sends its entries back to the pixels they came from, masked where no entry does, and the
/// nine vectors are summed in row order from +0 before the sum is added to the plane's gradient. A
/// pixel's partial sum is never −0 (+0 + −0 is +0), so adding the masked +0s changes no bit, and
/// the sums are those of <see cref="ConvolutionColumns"/>' gather, term for term: bitwise the same.
/// </para>
/// </remarks>
internal sealed class PlaneColumns
{
    private const int Lanes = 16;

    private readonly int _channels;
    private readonly int _plane;
    private readonly int _count;
    private readonly int _offsets;

    /// <summary>For kernel offset (u, v): lane t of an image's row takes lane Gather[t] of the plane, where GatherMask is set.</summary>
    private readonly Vector512<int>[] _gather;
    private readonly Vector512<float>[] _gatherMask;

    /// <summary>For kernel offset (u, v): pixel q takes lane Scatter[q] of the image's row, where ScatterMask is set.</summary>
    private readonly Vector512<int>[] _scatter;
    private readonly Vector512<float>[] _scatterMask;

    private PlaneColumns(ConvolutionShape geometry, ReadOnlySpan<int> sources)
    {
        _channels = geometry.Channels;
        _plane = geometry.Height * geometry.Width;
        _count = geometry.ColumnCount;
        _offsets = geometry.KernelHeight * geometry.KernelWidth;
        _gather = new Vector512<int>[_offsets];
        _gatherMask = new Vector512<float>[_offsets];
        _scatter = new Vector512<int>[_offsets];
        _scatterMask = new Vector512<float>[_offsets];
        Span<int> gather = stackalloc int[Lanes], scatter = stackalloc int[Lanes];
        Span<float> gatherMask = stackalloc float[Lanes], scatterMask = stackalloc float[Lanes];
        float set = BitConverter.Int32BitsToSingle(-1);
        for (int offset = 0; offset < _offsets; offset++)
        {
            gather.Clear(); scatter.Clear(); gatherMask.Clear(); scatterMask.Clear();
            // The rows of channel 0 are rows 0 .. kH·kW − 1; their sources are offsets within plane 0
            // (or InputImage, the padding), and channel c's are the same plus c·H·W.
            for (int t = 0; t < _count; t++)
            {
                int source = sources[offset * _count + t];
                if (source < geometry.InputImage)
                {
                    gather[t] = source;
                    gatherMask[t] = set;
                    scatter[source] = t; // one entry per pixel and offset: distinct (i, j) read distinct pixels
                    scatterMask[source] = set;
                }
            }
            _gather[offset] = Vector512.Create<int>(gather);
            _gatherMask[offset] = Vector512.Create<float>(gatherMask);
            _scatter[offset] = Vector512.Create<int>(scatter);
            _scatterMask[offset] = Vector512.Create<float>(scatterMask);
        }
    }

    /// <summary>The permutations of <paramref name="geometry"/>, or null when its planes do not fit a vector.</summary>
    public static PlaneColumns? TryCreate(in ConvolutionShape geometry, ReadOnlySpan<int> sources) =>
        Vector512.IsHardwareAccelerated && geometry.Height * geometry.Width <= Lanes && geometry.ColumnCount <= Lanes
            ? new PlaneColumns(geometry, sources)
            : null;

    /// <summary>Floats of scratch for <paramref name="batch"/> images: each plane copied into 16 floats.</summary>
    public int ScratchLength(int batch) => batch * _channels * Lanes;

    /// <summary>im2col, as <see cref="ConvolutionColumns.Unfold"/> (lengths checked there).</summary>
    public void Unfold(int batch, ReadOnlySpan<float> images, Span<float> columns, Span<float> scratch)
    {
        int planes = batch * _channels, width = batch * _count;
        Span<float> planeCopies = scratch.Slice(0, planes * Lanes);
        for (int p = 0; p < planes; p++)
        {
            images.Slice(p * _plane, _plane).CopyTo(planeCopies.Slice(p * Lanes, _plane));
        }
        ref float copies = ref MemoryMarshal.GetReference(planeCopies);
        Span<float> spill = stackalloc float[Lanes];
        for (int c = 0; c < _channels; c++)
        {
            for (int n = 0; n < batch; n++)
            {
                // Each plane loaded once for its kH·kW rows.
                Vector512<float> plane = Vector512.LoadUnsafe(ref copies, (nuint)((n * _channels + c) * Lanes));
                for (int offset = 0, row = c * _offsets; offset < _offsets; offset++, row++)
                {
                    Store(Vector512.Shuffle(plane, _gather[offset]) & _gatherMask[offset], columns.Slice(row * width + n * _count, _count), spill);
                }
            }
        }
    }

    /// <summary>col2im, as <see cref="ConvolutionColumns.FoldInto"/> (lengths checked there), of images [start, end).</summary>
    public void Fold(int start, int end, int batch, ReadOnlySpan<float> columns, Span<float> images)
    {
        int width = batch * _count;
        Span<float> spill = stackalloc float[Lanes];
        for (int n = start; n < end; n++)
        {
            for (int c = 0; c < _channels; c++)
            {
                Vector512<float> sum = Vector512<float>.Zero;
                for (int offset = 0; offset < _offsets; offset++)
                {
                    Vector512<float> entries = Load(columns.Slice((c * _offsets + offset) * width + n * _count), spill);
                    sum += Vector512.Shuffle(entries, _scatter[offset]) & _scatterMask[offset];
                }
                Span<float> target = images.Slice((n * _channels + c) * _plane, _plane);
                if (_plane == Lanes)
                {
                    (Vector512.Create<float>(target) + sum).CopyTo(target);
                }
                else
                {
                    sum.CopyTo(spill);
                    for (int q = 0; q < target.Length; q++)
                    {
                        target[q] += spill[q];
                    }
                }
            }
        }
    }

    /// <summary>The first <c>to.Length</c> lanes (at most 16) into <paramref name="to"/>, without writing past it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector512<float> value, Span<float> to, Span<float> spill)
    {
        if (to.Length == Lanes)
        {
            value.CopyTo(to);
            return;
        }
        value.CopyTo(spill);
        spill.Slice(0, to.Length).CopyTo(to);
    }

    /// <summary>Sixteen floats from <paramref name="from"/>; lanes past its end (when it is shorter) are 0 and never chosen.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Load(ReadOnlySpan<float> from, Span<float> spill)
    {
        if (from.Length >= Lanes)
        {
            return Vector512.Create<float>(from);
        }
        spill.Clear();
        from.CopyTo(spill);
        return Vector512.Create<float>(spill);
    }
}
