using System;

namespace Autodiff.Kernels;

/// <summary>
/// How a chunk of C is cut into the units that threads claim: a grid of row groups × column
/// groups, numbered column group by column group so that consecutive claims share B panels.
/// </summary>
/// <remarks>
/// Column groups are at most NC wide (one B block in L2). The grid aims at one unit per
/// <see cref="GemmBlocking.UnitMultiplyAdds"/> multiply-adds, within
/// <see cref="GemmBlocking.MinUnitsPerThread"/> to <see cref="GemmBlocking.MaxUnitsPerThread"/>
/// units per thread: when the last unit is handed out the other threads are on average half a
/// unit from done, so large products want many units (1024³: 64, about 2 % of idle tail), while
/// small ones want few, because each unit costs a pass over its part of C per depth block and a
/// claim on a shared counter.
/// </remarks>
internal readonly struct GemmUnits
{
    private readonly int _rowGroups;
    private readonly int _unitRows;
    private readonly int _unitColumns;
    private readonly int _rows;
    private readonly int _columns;

    public GemmUnits(int rows, int columns, in GemmPlan plan, int threads)
    {
        int rowTiles = Divide(rows, plan.RowUnit);
        int columnTiles = Divide(columns, plan.ColumnUnit);
        long multiplyAdds = (long)rows * columns * plan.K;
        int wanted = (int)Math.Clamp(multiplyAdds / GemmBlocking.UnitMultiplyAdds,
            GemmBlocking.MinUnitsPerThread * threads, GemmBlocking.MaxUnitsPerThread * threads);
        int columnGroups = Math.Min(columnTiles, Divide(columns, GemmBlocking.ColumnBlock));
        int rowGroups = Math.Clamp(Divide(wanted, columnGroups), 1, rowTiles);
        if (rowGroups * columnGroups < wanted)
        {
            columnGroups = Math.Clamp(Divide(wanted, rowGroups), columnGroups, columnTiles);
        }
        _unitRows = Divide(rowTiles, rowGroups) * plan.RowUnit;
        _unitColumns = Divide(columnTiles, columnGroups) * plan.ColumnUnit;
        // Rounding units up to whole tiles can leave trailing groups empty; count only real ones.
        _rowGroups = Divide(rows, _unitRows);
        Count = _rowGroups * Divide(columns, _unitColumns);
        _rows = rows;
        _columns = columns;
    }

    public int Count { get; }

    /// <summary>Rows of every unit but possibly the last of a column group; a multiple of the tile's rows.</summary>
    public int UnitRows => _unitRows;

    /// <summary>Columns of every unit but possibly the last of a row group; a multiple of the tile's columns.</summary>
    public int UnitColumns => _unitColumns;

    /// <summary>Rows and columns, relative to the chunk, of unit <paramref name="unit"/>.</summary>
    public void Get(int unit, out int rowBegin, out int rowEnd, out int columnBegin, out int columnEnd)
    {
        int columnGroup = Math.DivRem(unit, _rowGroups, out int rowGroup);
        rowBegin = rowGroup * _unitRows;
        rowEnd = Math.Min(rowBegin + _unitRows, _rows);
        columnBegin = columnGroup * _unitColumns;
        columnEnd = Math.Min(columnBegin + _unitColumns, _columns);
    }

    private static int Divide(int length, int parts) => (length + parts - 1) / parts;
}
