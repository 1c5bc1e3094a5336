namespace Autodiff.Kernels;

/// <summary>
/// Cache block sizes of the packed product, chosen for AMD Zen 4 (32 KiB L1d and 1 MiB L2 per
/// core, 32 MiB L3 shared) and measured there; <see cref="GemmBlockedProduct"/> explains the
/// loop nest they cut. With the 8×32 micro-kernel:
/// <list type="bullet">
/// <item>an A micro-panel is 8·KC floats = 8 KiB: it stays in L1 while B micro-panels stream past;</item>
/// <item>a B block is KC·NC floats = 512 KiB: half of L2, so it survives the A panels and C tiles
/// streaming through while every A micro-panel of the chunk is swept against it;</item>
/// <item>a chunk's packed A (up to 2048·KC floats = 2 MiB) is read once per B block, from L3.</item>
/// </list>
/// </summary>
internal static class GemmBlocking
{
    /// <summary>
    /// KC, the depth of one step. The C tile is loaded and stored once per KC depth steps, so
    /// deeper is better until the micro-panels stop fitting the inner caches. 192, 256, 384 and
    /// 512 measured within noise of each other; 256 keeps every block comfortably inside its cache.
    /// </summary>
    public const int DepthBlock = 256;

    /// <summary>NC, the columns of packed B swept against each A micro-panel (256–768 measured alike).</summary>
    public const int ColumnBlock = 512;

    /// <summary>Largest chunk of C whose operands a single-threaded product packs per step.</summary>
    public const int ChunkRows = 2048;

    /// <inheritdoc cref="ChunkRows"/>
    public const int ChunkColumns = 2048;

    /// <summary>Largest chunk of C of a threaded product; bounds its scratch array to 4 MiB.</summary>
    public const int ParallelChunkRows = 1024;

    /// <inheritdoc cref="ParallelChunkRows"/>
    public const int ParallelChunkColumns = 1024;

    /// <summary>A threaded chunk packs every depth block at once; this bounds each operand's buffer (16 MiB).</summary>
    public const int ParallelPackedFloats = 1 << 22;

    /// <summary>Multiply-adds per unit of work that threads claim, about 20 µs of one core (see <see cref="GemmUnits"/>).</summary>
    public const long UnitMultiplyAdds = 2 * 1024 * 1024;

    /// <summary>Fewest units per thread a threaded chunk is cut into: 8 measured better than 32 at 64×784·784×128.</summary>
    public const int MinUnitsPerThread = 8;

    /// <summary>Most units per thread: 32 measured better than 8 and 16 at 1024³.</summary>
    public const int MaxUnitsPerThread = 32;
}
