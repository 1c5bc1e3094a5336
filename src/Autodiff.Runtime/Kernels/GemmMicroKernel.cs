namespace Autodiff.Kernels;

/// <summary>
/// The innermost step of the blocked product: C[Rows×Columns] = (or +=) the product of one packed
/// A micro-panel (depth × Rows, Rows floats per depth step) and one packed B micro-panel
/// (depth × Columns, Columns floats per depth step). The tile of C stays in registers for the
/// whole depth loop; that is where all of the arithmetic happens.
/// </summary>
/// <remarks>
/// Implementations are structs so that the generic driver and packers are compiled once per
/// kernel, with <see cref="Rows"/> and <see cref="Columns"/> folded to constants.
/// Callers guarantee that <c>packedA</c> holds depth·Rows floats, <c>packedB</c> depth·Columns
/// floats, and that the Rows×Columns tile at <c>c</c> (row stride <c>ldc</c>) is in bounds: the
/// kernels read and write through unchecked references.
/// </remarks>
internal interface IGemmMicroKernel
{
    /// <summary>Rows of the register tile (MR).</summary>
    static abstract int Rows { get; }

    /// <summary>Columns of the register tile (NR).</summary>
    static abstract int Columns { get; }

    /// <summary>Computes one tile; <paramref name="overwrite"/> stores instead of adding to C.</summary>
    static abstract void Run(int depth, ref float packedA, ref float packedB, ref float c, nint ldc, bool overwrite);
}
