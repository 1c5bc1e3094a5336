using System;

namespace Autodiff.Kernels;

/// <summary>
/// How one product is cut into steps. A step is one depth block (KC deep) of one chunk of C;
/// chunks bound the packing buffers. Steps run chunk by chunk, and within a chunk in depth
/// order, so the first step of a chunk is the one that stores into C and later ones add to it.
/// </summary>
internal readonly struct GemmPlan
{
    public GemmPlan(int m, int n, int k, int rowUnit, int columnUnit, int maxChunkRows, int maxChunkColumns)
    {
        M = m;
        N = n;
        K = k;
        RowUnit = rowUnit;
        ColumnUnit = columnUnit;
        // Equal blocks rather than full blocks plus a remainder: a sliver of a block (say KC = 256
        // and k = 260) would cost a whole pass over C for very little arithmetic.
        RowChunks = BlockCount(m, maxChunkRows);
        ColumnChunks = BlockCount(n, maxChunkColumns);
        DepthSteps = BlockCount(k, GemmBlocking.DepthBlock);
        ChunkRows = RoundUp(Divide(m, RowChunks), rowUnit);
        ChunkColumns = RoundUp(Divide(n, ColumnChunks), columnUnit);
        Depth = Divide(k, DepthSteps);
    }

    public int M { get; }
    public int N { get; }
    public int K { get; }

    /// <summary>Rows of the micro-kernel's tile (MR).</summary>
    public int RowUnit { get; }

    /// <summary>Columns of the micro-kernel's tile (NR).</summary>
    public int ColumnUnit { get; }
    public int RowChunks { get; }
    public int ColumnChunks { get; }
    public int DepthSteps { get; }

    /// <summary>Rows of every chunk but possibly the last; a multiple of the tile's rows.</summary>
    public int ChunkRows { get; }

    /// <summary>Columns of every chunk but possibly the last; a multiple of the tile's columns.</summary>
    public int ChunkColumns { get; }

    /// <summary>Depth of every step but possibly the last of a chunk.</summary>
    public int Depth { get; }

    public int StepCount => RowChunks * ColumnChunks * DepthSteps;

    public int ChunkCount => RowChunks * ColumnChunks;

    /// <summary>Floats of one step's packed A: whole micro-panels of the largest chunk, one depth block.</summary>
    public int PackedALength => ChunkRows * Depth;

    /// <summary>Floats of one step's packed B.</summary>
    public int PackedBLength => ChunkColumns * Depth;

    /// <summary>The block of C and the depth range that step <paramref name="step"/> covers.</summary>
    public GemmStep Step(int step)
    {
        int chunk = Math.DivRem(step, DepthSteps, out int depthIndex);
        int columnChunk = Math.DivRem(chunk, RowChunks, out int rowChunk);
        int row = rowChunk * ChunkRows;
        int column = columnChunk * ChunkColumns;
        int depthStart = depthIndex * Depth;
        return new GemmStep(
            chunk,
            row, Math.Min(ChunkRows, M - row),
            column, Math.Min(ChunkColumns, N - column),
            depthStart, Math.Min(Depth, K - depthStart),
            IsFirstOfChunk: depthIndex == 0,
            IsLastOfChunk: depthIndex == DepthSteps - 1);
    }

    private static int BlockCount(int length, int block) => Math.Max(1, Divide(length, block));

    private static int Divide(int length, int parts) => (length + parts - 1) / parts;

    private static int RoundUp(int value, int unit) => (value + unit - 1) / unit * unit;
}

/// <summary>One step of a <see cref="GemmPlan"/>: rows × columns of C, over a depth range.</summary>
internal readonly record struct GemmStep(
    int Chunk,
    int Row, int Rows,
    int Column, int Columns,
    int DepthStart, int Depth,
    bool IsFirstOfChunk,
    bool IsLastOfChunk);
