using System;
using System.ComponentModel;
using System.Threading;

namespace Autodiff.Runtime;

/// <summary>
/// Reuse of an array a generated entry point allocates on every call (the method's own scratch
/// arrays and their adjoints), so that steady-state calls allocate nothing. Each allocation site
/// has one, in a static field of the generated code; it keeps one array per thread: <see cref="Take"/>
/// takes it out, and <see cref="Give"/> puts it back when the call ends. A call that finds none
/// (the first call, a recursive or nested one, or one after an exception) allocates as before.
/// </summary>
/// <remarks>
/// The per-thread storage lives here, in the runtime, rather than in thread-static fields of the
/// generated code: generated code may be loaded in a collectible context (scripting, tests), and
/// the storage is then released with the <see cref="ArrayBuffer{T}"/> that holds it.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ArrayBuffer<T>
{
    private readonly ThreadLocal<T[]?> _kept = new();

    /// <summary>This thread's kept array, zeroed, when it has exactly this length; otherwise a new array (as <c>new T[length]</c>).</summary>
    public T[] Take(int length)
    {
        T[]? kept = _kept.Value;
        if (kept is not null && kept.Length == length)
        {
            _kept.Value = null;
            Array.Clear(kept);
            return kept;
        }
        return new T[length];
    }

    /// <summary>Keeps the array for this thread's next call (nothing when it is null: never allocated).</summary>
    public void Give(T[]? array)
    {
        if (array is not null)
        {
            _kept.Value = array;
        }
    }
}
