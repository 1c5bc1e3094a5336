using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Autodiff;

/// <summary>
/// im2col and col2im through a table: for every column entry of one image, the offset of the pixel
/// it copies, or a zero placed just past the image when the pixel falls in the padding.
/// </summary>
/// <remarks>
/// The direct loops computed each entry's pixel coordinates and tested them against the image
/// for every entry; on the DigitsCnn's second convolution (32 channels of 4×4, 3×3 kernel,
/// padding 1: 4 608 entries per image, 147 K per batch of 32) that was a third of the training
/// step, more than the product itself. With the table, an entry is one load of its offset, one
/// load of the pixel and one store, with no branch: each image is first copied into a scratch
/// row of <c>InputImage + 1</c> floats whose last one is 0, and padding entries point there.
/// Tables depend only on the geometry of one image (not on the batch or the output channels);
/// each thread keeps the last few it built.
/// </remarks>
internal sealed class ConvolutionColumns
{
    private const int CachedTables = 8;

    [ThreadStatic] private static ConvolutionColumns?[]? t_recent;
    [ThreadStatic] private static int t_nextSlot;

    private readonly ConvolutionShape _geometry;

    /// <summary>Row (c, u, v) of the columns, entry (i, j): the pixel's offset in the image, or <c>InputImage</c> for padding.</summary>
    private readonly int[] _sources;

    private ConvolutionColumns(ConvolutionShape geometry)
    {
        _geometry = geometry;
        ConvolutionShape s = geometry;
        _sources = new int[s.ColumnRows * s.ColumnCount];
        int entry = 0;
        for (int c = 0; c < s.Channels; c++)
        {
            for (int u = 0; u < s.KernelHeight; u++)
            {
                for (int v = 0; v < s.KernelWidth; v++)
                {
                    for (int i = 0; i < s.OutHeight; i++)
                    {
                        int y = i * s.Stride + u - s.Padding;
                        for (int j = 0; j < s.OutWidth; j++, entry++)
                        {
                            int x = j * s.Stride + v - s.Padding;
                            bool inside = (uint)y < (uint)s.Height && (uint)x < (uint)s.Width;
                            _sources[entry] = inside ? (c * s.Height + y) * s.Width + x : s.InputImage;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The table of <paramref name="shape"/>'s image geometry, built on first use on this thread.</summary>
    public static ConvolutionColumns For(in ConvolutionShape shape)
    {
        // Batch and output channels do not change the table; keyed without them, one table serves every batch size.
        ConvolutionShape geometry = shape with { Batch = 1, OutChannels = 1 };
        ConvolutionColumns?[] recent = t_recent ??= new ConvolutionColumns?[CachedTables];
        foreach (ConvolutionColumns? table in recent)
        {
            if (table is not null && table._geometry == geometry)
            {
                return table;
            }
        }
        var built = new ConvolutionColumns(geometry);
        recent[t_nextSlot] = built;
        t_nextSlot = (t_nextSlot + 1) % CachedTables;
        return built;
    }

    /// <summary>Floats of the scratch that <see cref="Unfold"/> and <see cref="FoldInto"/> need for a batch of <paramref name="batch"/>.</summary>
    public int ScratchLength(int batch) => batch * (_geometry.InputImage + 1);

    /// <summary>
    /// im2col of the batch: columns[(c, u, v), (n, i, j)] = images[n, c, i·stride + u − padding,
    /// j·stride + v − padding], 0 outside the image, so that row (c, u, v) holds image 0's entries,
    /// then image 1's, and so on; <paramref name="scratch"/> holds <see cref="ScratchLength"/> floats.
    /// </summary>
    public void Unfold(int batch, ReadOnlySpan<float> images, Span<float> columns, Span<float> scratch)
    {
        int image = _geometry.InputImage, padded = image + 1, count = _geometry.ColumnCount;
        for (int n = 0; n < batch; n++)
        {
            images.Slice(n * image, image).CopyTo(scratch.Slice(n * padded, image));
            scratch[n * padded + image] = 0f;
        }
        int width = batch * count;
        for (int row = 0; row < _geometry.ColumnRows; row++)
        {
            ReadOnlySpan<int> sources = _sources.AsSpan(row * count, count);
            Span<float> line = columns.Slice(row * width, width);
            for (int n = 0; n < batch; n++)
            {
                // Every offset in the table is below `padded` (the constructor writes nothing else), so
                // the reads stay inside this image's scratch row without a check per entry.
                ref float from = ref MemoryMarshal.GetReference(scratch.Slice(n * padded, padded));
                Span<float> to = line.Slice(n * count, count);
                for (int t = 0; t < to.Length; t++)
                {
                    to[t] = Unsafe.Add(ref from, sources[t]);
                }
            }
        }
    }

    /// <summary>col2im: adds every column entry back into the pixel it came from in <paramref name="images"/> (padding entries are dropped).</summary>
    public void FoldInto(int batch, ReadOnlySpan<float> columns, Span<float> images, Span<float> scratch)
    {
        int image = _geometry.InputImage, padded = image + 1, count = _geometry.ColumnCount;
        scratch.Slice(0, batch * padded).Clear();
        int width = batch * count;
        for (int row = 0; row < _geometry.ColumnRows; row++)
        {
            ReadOnlySpan<int> sources = _sources.AsSpan(row * count, count);
            ReadOnlySpan<float> line = columns.Slice(row * width, width);
            for (int n = 0; n < batch; n++)
            {
                ref float to = ref MemoryMarshal.GetReference(scratch.Slice(n * padded, padded)); // as in Unfold
                ReadOnlySpan<float> from = line.Slice(n * count, count);
                for (int t = 0; t < from.Length; t++)
                {
                    Unsafe.Add(ref to, sources[t]) += from[t];
                }
            }
        }
        for (int n = 0; n < batch; n++)
        {
            Span<float> target = images.Slice(n * image, image);
            TensorPrimitives.Add(target, scratch.Slice(n * padded, image), target);
        }
    }
}
