using System;
using System.Collections.Generic;
using System.Linq;

namespace Digits;

/// <summary>
/// Holds out the same fraction of every class, so the test set has the class balance of the whole
/// and its accuracy is not skewed by a digit that happened to be rare in it.
/// </summary>
public static class StratifiedSplit
{
    public static (int[] Train, int[] Test) Indices(int[] labels, double testFraction, int seed)
    {
        // A seeded System.Random always gives the same sequence (the seeded algorithm is kept for compatibility).
        var random = new Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        foreach (IGrouping<int, int> rowsOfClass in Enumerable.Range(0, labels.Length).GroupBy(row => labels[row]).OrderBy(group => group.Key))
        {
            int[] rows = rowsOfClass.ToArray();
            random.Shuffle(rows);
            int held = (int)Math.Round(rows.Length * testFraction);
            test.AddRange(rows[..held]);
            train.AddRange(rows[held..]);
        }
        return (train.ToArray(), test.ToArray());
    }
}
