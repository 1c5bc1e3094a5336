using System;
using System.ComponentModel;

namespace Autodiff.Runtime;

/// <summary>
/// Arrays that a generated gradient or pullback needs only while it runs: the method's own local
/// arrays that never leave it, and the adjoints of local arrays. Each is taken at the exact length
/// the code asks for (the code reads <c>.Length</c>, so a longer pooled array would not do), zeroed
/// as <c>new T[n]</c> is, and given back when the call ends, so that the next call on the same
/// thread takes the same arrays instead of allocating them. An array that is not given back (the
/// call threw) is simply left to the garbage collector.
/// </summary>
/// <remarks>
/// Each thread keeps at most <see cref="MaxKept"/> arrays of each element type, none longer than
/// <see cref="MaxLength"/> elements; a call that finds none of the right length allocates one. A
/// call nested in another (a callee's pullback) takes arrays the outer call is not holding, since a
/// taken array leaves the cache until it is given back.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ScratchArrays<T>
{
    /// <summary>Arrays kept per thread for this element type.</summary>
    public const int MaxKept = 16;

    /// <summary>Longer arrays are allocated each time and not kept, so that a thread holds at most a few MB here.</summary>
    public const int MaxLength = 1 << 16;

    [ThreadStatic]
    private static T[]?[]? t_kept;

    // Where the next array given back goes when every place is taken: the places in turn.
    [ThreadStatic]
    private static int t_next;

    /// <summary>A zeroed array of exactly <paramref name="length"/> elements (a negative length throws, as <c>new T[length]</c> does).</summary>
    public static T[] Take(int length)
    {
        if (length <= 0)
        {
            return length == 0 ? Array.Empty<T>() : new T[length];
        }
        T[]?[]? kept = t_kept;
        if (kept is not null && length <= MaxLength)
        {
            for (int i = 0; i < kept.Length; i++)
            {
                T[]? array = kept[i];
                if (array is not null && array.Length == length)
                {
                    kept[i] = null;
                    Array.Clear(array);
                    return array;
                }
            }
        }
        return new T[length];
    }

    /// <summary>Keeps the array for a later <see cref="Take"/> on this thread; the caller must not use it again.</summary>
    public static void GiveBack(T[]? array)
    {
        if (array is null || array.Length == 0 || array.Length > MaxLength)
        {
            return;
        }
        T[]?[] kept = t_kept ??= new T[MaxKept][];
        int free = -1;
        for (int i = 0; i < kept.Length; i++)
        {
            if (ReferenceEquals(kept[i], array))
            {
                return; // given back twice: kept once, or two calls would share it
            }
            if (free < 0 && kept[i] is null)
            {
                free = i;
            }
        }
        if (free >= 0)
        {
            kept[free] = array;
            return;
        }
        kept[t_next] = array;
        t_next = (t_next + 1) % MaxKept;
    }
}
