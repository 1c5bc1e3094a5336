using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Autodiff.Kernels;

/// <summary>
/// The packed, cache-blocked product (the scheme of GotoBLAS and BLIS), on the calling thread,
/// and the two building blocks that the threaded product (<see cref="GemmParallelJob"/>) shares.
/// </summary>
/// <remarks>
/// <para>
/// The arithmetic happens in a micro-kernel that keeps an MR×NR tile of C in registers and, per
/// depth step, multiplies MR floats of A by NR floats of B (8×32 with AVX-512). For that loop to
/// run at the rate of the FMA units, its operands must arrive as unit-stride streams from near
/// caches, so both are first copied ("packed") into micro-panels: A as MR-row panels, B as
/// NR-column panels, each depth-major (<see cref="GemmPacking"/>). Packing also absorbs the
/// transpose flags, so the kernels see one layout, and pads edges with zeros, so they only ever
/// compute whole tiles; a tile that overhangs C is computed into a side buffer and clipped.
/// </para>
/// <para>
/// Blocking. k is cut into depth blocks of KC (256), and C into chunks that bound the packing
/// buffers. One step packs a chunk's rows of A and columns of B over one depth block, then:
/// for each NC-wide (512) block of B columns, for each A micro-panel, for each B micro-panel of
/// the block, run the kernel. The A micro-panel (MR·KC floats, 8 KiB) is reused against every B
/// micro-panel of the block, so it stays in L1; the B block (KC·NC floats, 512 KiB) is reused
/// against every A micro-panel, so it stays in L2 while A streams through; the packed chunk of A
/// is read once per B block from L3. This is BLIS's arrangement mirrored, because C is
/// row-major here: the operand that is broadcast (A) sits in L1 and the one read as vectors (B)
/// streams from L2. The other order (B micro-panel in L1, an MC×KC block of A in L2) measured
/// about 4 % slower at 1024³ on Zen 4, whose 32 KiB L1 cannot hold a 32-wide B micro-panel of
/// useful depth next to the A stream.
/// </para>
/// <para>
/// The first depth block of a chunk stores into C (unless accumulating), later ones add to it,
/// so each element of C is loaded and stored once per KC multiply-adds.
/// </para>
/// </remarks>
internal static class GemmBlockedProduct
{
    public static void Multiply<TKernel>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
        int m, int n, int k, bool transposeA, bool transposeB, bool accumulate, int threads)
        where TKernel : struct, IGemmMicroKernel
    {
        if (threads > 1 && GemmParallelJob.TryRun<TKernel>(a, b, c, m, n, k, transposeA, transposeB, accumulate, threads))
        {
            return;
        }

        var plan = new GemmPlan(m, n, k, TKernel.Rows, TKernel.Columns, GemmBlocking.ChunkRows, GemmBlocking.ChunkColumns);
        // Kept by the thread while small (the shared pool drops its arrays when memory is collected).
        bool keep = (long)plan.PackedALength + plan.PackedBLength <= GemmBuffer.KeptFloats;
        GemmBuffer bufferA = t_packedA ??= new GemmBuffer(), bufferB = t_packedB ??= new GemmBuffer();
        bufferA.Acquire(plan.PackedALength, keep);
        bufferB.Acquire(plan.PackedBLength, keep);
        float[] packedA = bufferA.Array, packedB = bufferB.Array;
        for (int s = 0; s < plan.StepCount; s++)
        {
            GemmStep step = plan.Step(s);
            Pack<TKernel>(a, b, plan, transposeA, transposeB, step, packedA, packedB);
            ComputeShare<TKernel>(packedA, packedB, step.Depth,
                0, step.Rows, 0, step.Columns,
                c.Slice(step.Row * n + step.Column), n,
                overwrite: step.IsFirstOfChunk && !accumulate);
        }
        bufferB.Release();
        bufferA.Release();
    }

    [ThreadStatic] private static GemmBuffer? t_packedA, t_packedB;

    /// <summary>
    /// Grows the calling thread's kept buffers to what <see cref="Multiply{TKernel}"/> would need for
    /// this product on one thread. A threaded product on arrays runs that way when it finds a worker
    /// still finishing the previous one, which happens at random (more often on a loaded machine);
    /// without this, the first such fallback for each new size grew the buffers then, and a
    /// training loop allocated in a step long after its first (up to 0.8 MB at step 258 of 300).
    /// </summary>
    public static void ReserveOneThread<TKernel>(int m, int n, int k)
        where TKernel : struct, IGemmMicroKernel
    {
        var plan = new GemmPlan(m, n, k, TKernel.Rows, TKernel.Columns, GemmBlocking.ChunkRows, GemmBlocking.ChunkColumns);
        if ((long)plan.PackedALength + plan.PackedBLength <= GemmBuffer.KeptFloats)
        {
            (t_packedA ??= new GemmBuffer()).Reserve(plan.PackedALength);
            (t_packedB ??= new GemmBuffer()).Reserve(plan.PackedBLength);
        }
    }

    /// <summary>Packs the A rows and B columns of one step into micro-panels.</summary>
    public static void Pack<TKernel>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, in GemmPlan plan,
        bool transposeA, bool transposeB, in GemmStep step, Span<float> packedA, Span<float> packedB)
        where TKernel : struct, IGemmMicroKernel
    {
        // Strides of the (line, depth) views described in GemmPacking.
        int m = plan.M, n = plan.N, k = plan.K;
        GemmPacking.PackPanels(a, transposeA ? 1 : k, transposeA ? m : 1,
            step.Row, step.Rows, step.DepthStart, step.Depth, TKernel.Rows, packedA);
        GemmPacking.PackPanels(b, transposeB ? k : 1, transposeB ? 1 : n,
            step.Column, step.Columns, step.DepthStart, step.Depth, TKernel.Columns, packedB);
    }

    /// <summary>
    /// Runs the kernel over rows [<paramref name="rowBegin"/>, <paramref name="rowEnd"/>) ×
    /// columns [<paramref name="columnBegin"/>, <paramref name="columnEnd"/>) of a packed step.
    /// Row and column are relative to the step's chunk; the begins are multiples of the tile.
    /// <paramref name="c"/> starts at that region's first element and has row stride <paramref name="ldc"/>.
    /// </summary>
    public static void ComputeShare<TKernel>(ReadOnlySpan<float> packedA, ReadOnlySpan<float> packedB, int depth,
        int rowBegin, int rowEnd, int columnBegin, int columnEnd, Span<float> c, int ldc, bool overwrite)
        where TKernel : struct, IGemmMicroKernel
    {
        int mr = TKernel.Rows, nr = TKernel.Columns;
        if (rowEnd <= rowBegin || columnEnd <= columnBegin)
        {
            return;
        }

        // Bounds, once: the panels this region reads and the block of C it writes. The loops
        // below index within these slices through unchecked references.
        int panelRowsEnd = (rowEnd + mr - 1) / mr * mr;
        int panelColumnsEnd = (columnEnd + nr - 1) / nr * nr;
        ref float aBase = ref MemoryMarshal.GetReference(
            packedA.Slice(rowBegin * depth, (panelRowsEnd - rowBegin) * depth));
        ref float bBase = ref MemoryMarshal.GetReference(
            packedB.Slice(columnBegin * depth, (panelColumnsEnd - columnBegin) * depth));
        ref float cBase = ref MemoryMarshal.GetReference(
            c.Slice(0, (rowEnd - rowBegin - 1) * ldc + (columnEnd - columnBegin)));

        Span<float> edgeTile = stackalloc float[mr * nr];
        int columnBlock = Math.Max(nr, GemmBlocking.ColumnBlock / nr * nr);
        for (int jc = columnBegin; jc < columnEnd; jc += columnBlock)
        {
            int jcEnd = Math.Min(jc + columnBlock, columnEnd);
            for (int ir = rowBegin; ir < rowEnd; ir += mr)
            {
                int rows = Math.Min(mr, rowEnd - ir);
                ref float aPanel = ref Unsafe.Add(ref aBase, (nint)(ir - rowBegin) * depth);
                ref float cRow = ref Unsafe.Add(ref cBase, (nint)(ir - rowBegin) * ldc);
                for (int jr = jc; jr < jcEnd; jr += nr)
                {
                    int columns = Math.Min(nr, jcEnd - jr);
                    ref float bPanel = ref Unsafe.Add(ref bBase, (nint)(jr - columnBegin) * depth);
                    ref float cTile = ref Unsafe.Add(ref cRow, jr - columnBegin);
                    if (rows == mr && columns == nr)
                    {
                        TKernel.Run(depth, ref aPanel, ref bPanel, ref cTile, ldc, overwrite);
                    }
                    else
                    {
                        ref float tile = ref MemoryMarshal.GetReference(edgeTile);
                        TKernel.Run(depth, ref aPanel, ref bPanel, ref tile, nr, overwrite: true);
                        StoreEdge(ref tile, nr, ref cTile, ldc, rows, columns, overwrite);
                    }
                }
            }
        }
    }

    /// <summary>Moves the in-bounds part of a tile computed into a side buffer to C.</summary>
    private static void StoreEdge(ref float tile, int tileStride, ref float c, int ldc,
        int rows, int columns, bool overwrite)
    {
        for (int i = 0; i < rows; i++)
        {
            ref float from = ref Unsafe.Add(ref tile, (nint)i * tileStride);
            ref float to = ref Unsafe.Add(ref c, (nint)i * ldc);
            for (int j = 0; j < columns; j++)
            {
                Unsafe.Add(ref to, j) = overwrite ? Unsafe.Add(ref from, j) : Unsafe.Add(ref to, j) + Unsafe.Add(ref from, j);
            }
        }
    }
}
