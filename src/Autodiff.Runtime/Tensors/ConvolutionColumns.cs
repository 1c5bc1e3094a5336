using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Autodiff.Kernels;

namespace Autodiff;

/// <summary>
/// im2col and col2im through tables: for every column entry of one image, the offset of the pixel
/// it copies, or a zero placed just past the image when the pixel falls in the padding; and for
/// every pixel, the column entries that hold it.
/// </summary>
/// <remarks>
/// <para>
/// The direct loops computed each entry's pixel coordinates and tested them against the image
/// for every entry; on the DigitsCnn's second convolution (32 channels of 4×4, 3×3 kernel,
/// padding 1: 4 608 entries per image, 147 K per batch of 32) that was a third of the training
/// step, more than the product itself. With the table, an entry is one load of its offset, one
/// load of the pixel and one store, with no branch: each image is first copied into a scratch
/// row of <c>InputImage + 1</c> floats whose last one is 0, and padding entries point there.
/// </para>
/// <para>
/// col2im gathers rather than scatters: each pixel sums the entries that hold it, in the order of
/// their rows, and adds the sum to its gradient once. That is the order in which the scatter
/// (into a zeroed scratch, added to the gradient at the end) summed them, so the results are the
/// same to the bit; it needs no scratch and no second pass, and a pixel's sum stays in a register
/// instead of going through memory once per entry (measured on the DigitsCnn's second convolution
/// before its planes moved to <see cref="PlaneColumns"/>: 79 → 61 µs on one core, 37 µs on two).
/// </para>
/// <para>
/// Images are independent in both directions. col2im through the tables runs on the GEMM's threads
/// too (<see cref="ParallelRange"/>, a few images per block): it writes only the images' gradients,
/// a ninth of what it reads. im2col stays on the calling thread: its output is as large as its
/// reads are, and split between the threads it was slower, not faster (52 → 116 µs timed alone),
/// its lines moving between the cores' caches whenever the blocks changed hands.
/// </para>
/// <para>
/// Images whose planes and output planes fit a vector (16 floats) skip the tables and take
/// <see cref="PlaneColumns"/>' permutations, which give the same values to the bit.
/// </para>
/// <para>
/// Tables depend only on the geometry of one image (not on the batch or the output channels);
/// each thread keeps the last few it built.
/// </para>
/// </remarks>
internal sealed class ConvolutionColumns
{
    private const int CachedTables = 8;

    /// <summary>Entries per block of images handed to a thread: about 10 µs of copying.</summary>
    private const int EntriesPerBlock = 32 * 1024;

    [ThreadStatic] private static ConvolutionColumns?[]? t_recent;
    [ThreadStatic] private static int t_nextSlot;

    private readonly ConvolutionShape _geometry;

    /// <summary>Row (c, u, v) of the columns, entry (i, j): the pixel's offset in the image, or <c>InputImage</c> for padding.</summary>
    private readonly int[] _sources;

    /// <summary>Pixel q's entries are <see cref="_holderRows"/>[k] and <see cref="_holderEntries"/>[k] for k in [_holdersStart[q], _holdersStart[q + 1]), rows ascending.</summary>
    private readonly int[] _holdersStart;

    /// <summary>The column row of each holding entry.</summary>
    private readonly int[] _holderRows;

    /// <summary>The entry's position within its row's share of one image (i·W' + j).</summary>
    private readonly int[] _holderEntries;

    /// <summary>The permutations that replace the tables when planes fit a vector; null otherwise.</summary>
    private readonly PlaneColumns? _planes;

    private ConvolutionColumns(ConvolutionShape geometry)
    {
        _geometry = geometry;
        ConvolutionShape s = geometry;
        _sources = new int[s.ColumnRows * s.ColumnCount];
        _holdersStart = new int[s.InputImage + 1];
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
                            int pixel = (c * s.Height + y) * s.Width + x;
                            _sources[entry] = inside ? pixel : s.InputImage;
                            if (inside)
                            {
                                _holdersStart[pixel + 1]++;
                            }
                        }
                    }
                }
            }
        }
        // Counts to starts, then each pixel's holders in the order of the entries (rows ascending).
        for (int q = 0; q < s.InputImage; q++)
        {
            _holdersStart[q + 1] += _holdersStart[q];
        }
        _holderRows = new int[_holdersStart[s.InputImage]];
        _holderEntries = new int[_holderRows.Length];
        int[] next = _holdersStart[..^1];
        for (entry = 0; entry < _sources.Length; entry++)
        {
            int pixel = _sources[entry];
            if (pixel < s.InputImage)
            {
                int k = next[pixel]++;
                _holderRows[k] = entry / s.ColumnCount;
                _holderEntries[k] = entry % s.ColumnCount;
            }
        }
        _planes = PlaneColumns.TryCreate(s, _sources);
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

    /// <summary>Floats of the scratch that <see cref="Unfold"/> needs for a batch of <paramref name="batch"/>.</summary>
    public int ScratchLength(int batch) => Math.Max(batch * (_geometry.InputImage + 1), _planes?.ScratchLength(batch) ?? 0);

    /// <summary>
    /// im2col of the batch: columns[(c, u, v), (n, i, j)] = images[n, c, i·stride + u − padding,
    /// j·stride + v − padding], 0 outside the image, so that row (c, u, v) holds image 0's entries,
    /// then image 1's, and so on; <paramref name="scratch"/> holds <see cref="ScratchLength"/> floats.
    /// </summary>
    public void Unfold(int batch, float[] images, float[] columns, float[] scratch)
    {
        RequireLengths(batch, images, columns);
        if (scratch.Length < ScratchLength(batch))
        {
            throw new ArgumentException($"im2col: the scratch holds {scratch.Length} floats, {ScratchLength(batch)} are needed.", nameof(scratch));
        }
        if (_planes is not null)
        {
            _planes.Unfold(batch, images, columns, scratch);
            return;
        }
        UnfoldRange(0, batch, batch, images, columns, scratch);
    }

    /// <summary>col2im: adds every column entry back into the pixel it came from in <paramref name="images"/> (padding entries are dropped).</summary>
    public void FoldInto(int batch, float[] columns, float[] images)
    {
        RequireLengths(batch, images, columns);
        if (_planes is not null)
        {
            // Permuted, it is bound by reading the columns: on both cores it measured 33-34 µs against
            // 35-37 on one, too little to be worth a worker that may be pre-empted inside its block.
            _planes.Fold(0, batch, batch, columns, images);
            return;
        }
        ParallelRange.Run(new FoldImages(this, batch, columns, images), batch, ImagesPerBlock());
    }

    private int ImagesPerBlock() => Math.Max(1, EntriesPerBlock / Math.Max(1, _sources.Length));

    private void RequireLengths(int batch, float[] images, float[] columns)
    {
        if (images.Length < batch * _geometry.InputImage || columns.Length < _sources.Length * batch)
        {
            throw new ArgumentException(
                $"im2col/col2im: {batch} images need {batch * _geometry.InputImage} pixels and {_sources.Length * batch} column entries, got {images.Length} and {columns.Length}.");
        }
    }

    /// <summary>im2col of images [start, end).</summary>
    private void UnfoldRange(int start, int end, int batch, ReadOnlySpan<float> images, Span<float> columns, Span<float> scratch)
    {
        int image = _geometry.InputImage, padded = image + 1, count = _geometry.ColumnCount;
        for (int n = start; n < end; n++)
        {
            images.Slice(n * image, image).CopyTo(scratch.Slice(n * padded, image));
            scratch[n * padded + image] = 0f;
        }
        int width = batch * count;
        for (int row = 0; row < _geometry.ColumnRows; row++)
        {
            ReadOnlySpan<int> sources = _sources.AsSpan(row * count, count);
            Span<float> line = columns.Slice(row * width, width);
            for (int n = start; n < end; n++)
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

    /// <summary>col2im of images [start, end): each pixel's entries summed in row order, then added to it.</summary>
    private void FoldRange(int start, int end, int batch, ReadOnlySpan<float> columns, Span<float> images)
    {
        int image = _geometry.InputImage, count = _geometry.ColumnCount, width = batch * count;
        ReadOnlySpan<int> holdersStart = _holdersStart, rows = _holderRows, entries = _holderEntries;
        for (int n = start; n < end; n++)
        {
            Span<float> target = images.Slice(n * image, image);
            ReadOnlySpan<float> own = columns.Slice(n * count);
            for (int q = 0; q < target.Length; q++)
            {
                float sum = 0f;
                for (int k = holdersStart[q]; k < holdersStart[q + 1]; k++)
                {
                    sum += own[rows[k] * width + entries[k]];
                }
                target[q] += sum;
            }
        }
    }

    private readonly struct FoldImages(ConvolutionColumns table, int batch, float[] columns, float[] images) : IRangeBody
    {
        public void Run(int start, int end) => table.FoldRange(start, end, batch, columns, images);
    }
}
