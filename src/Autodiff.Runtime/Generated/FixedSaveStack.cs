using System;
using System.Numerics;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Autodiff.Runtime;

/// <summary>
/// A save stack whose size the generator knows at compile time: every push sits in loops with
/// constant trip counts (<c>for (int i = 0; i &lt; 3; i++)</c>), so the storage is a
/// <c>stackalloc</c> of exactly that many values, and saving costs what a store to a local array
/// costs: no pool, no growth, no per-thread lookup. Same <c>Push</c>/<c>Pop</c> as
/// <see cref="SaveStack{T}"/>, so the generated code reads the same.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct FixedSaveStack<T>
    where T : unmanaged
{
    private readonly Span<T> _items;
    private int _count;

    /// <summary>A stack over <paramref name="storage"/>, which holds every value the forward pass saves.</summary>
    public FixedSaveStack(Span<T> storage)
    {
        _items = storage;
        _count = 0;
    }

    /// <summary>Number of saved items.</summary>
    public readonly int Count => _count;

    /// <summary>Saves a value. (The span's bounds check stands guard: the generator sized the storage for every push.)</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(T value) => _items[_count++] = value;

    /// <summary>Takes back the value saved last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Pop() => _items[--_count];

    /// <summary>Saves the lanes of a vector, lane 0 first, as <see cref="SaveStack{T}.PushLanes"/> does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushLanes(Vector<T> lanes)
    {
        lanes.CopyTo(_items.Slice(_count));
        _count += Vector<T>.Count;
    }

    /// <summary>Takes back the last <c>Vector&lt;T&gt;.Count</c> values saved, lane 0 the first of them saved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> PopLanes()
    {
        _count -= Vector<T>.Count;
        return new Vector<T>(_items.Slice(_count));
    }
}
