using System;
using System.ComponentModel;

namespace Autodiff.Runtime;

/// <summary>
/// Reuse of the arrays a generated entry point allocates on every call (the method's own scratch
/// arrays and their adjoints), so that steady-state calls allocate nothing. Each allocation site
/// has a thread-static slot in the generated code: <see cref="Take{T}"/> empties it, and
/// <see cref="Give{T}"/> refills it when the call ends. A call that finds the slot empty (the first
/// call, a recursive or nested one, or one after an exception) allocates as before.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ArrayBuffers
{
    /// <summary>The slot's array, zeroed, when it has exactly this length; otherwise a new array (as <c>new T[length]</c>).</summary>
    public static T[] Take<T>(ref T[]? slot, int length)
    {
        T[]? kept = slot;
        if (kept is not null && kept.Length == length)
        {
            slot = null;
            Array.Clear(kept);
            return kept;
        }
        return new T[length];
    }

    /// <summary>Keeps the array for the next call on this thread (nothing when it is null: never allocated).</summary>
    public static void Give<T>(ref T[]? slot, T[]? array)
    {
        if (array is not null)
        {
            slot = array;
        }
    }
}
