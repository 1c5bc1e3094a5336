using System;
using System.Numerics;
using System.Buffers;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Autodiff.Runtime;

/// <summary>
/// How large a generated method's save stack grew: one per stack and entry point, kept in a static
/// field of the generated code, so that each call starts with storage of the size the last needed.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class SaveStackCapacity
{
    /// <summary>Storage up to this many items stays with the thread between calls; larger storage goes back to the pool, so that no thread holds on to much memory for a call it made once.</summary>
    internal const int KeptLength = 4096;

    private int _capacity;

    // Per thread, the storage the last call kept (see SaveStack.Dispose); here in the runtime rather
    // than in thread-static fields of generated code, which may live in a collectible context.
    private ThreadLocal<Array?>? _kept;

    /// <summary>Whether this thread holds storage kept from its last call.</summary>
    public bool KeepsStorage => _kept?.Value is not null;

    internal Array? TakeKept()
    {
        if (_kept is null)
        {
            return null;
        }
        Array? kept = _kept.Value;
        _kept.Value = null;
        return kept;
    }

    internal void Keep(Array storage)
    {
        if (_kept is null)
        {
            Interlocked.CompareExchange(ref _kept, new ThreadLocal<Array?>(), null);
        }
        _kept!.Value = storage;
    }

    /// <summary>The most items any call has saved so far (0 before the first).</summary>
    public int Capacity => Volatile.Read(ref _capacity);

    internal void Grow(int capacity)
    {
        // Calls on several threads may race: keep the largest, never shrink.
        int seen = Volatile.Read(ref _capacity);
        while (capacity > seen)
        {
            int previous = Interlocked.CompareExchange(ref _capacity, capacity, seen);
            if (previous == seen)
            {
                return;
            }
            seen = previous;
        }
    }
}

/// <summary>
/// The stack on which generated code saves, during the forward pass of a loop, the values and
/// control decisions that its backward pass reads (values about to be overwritten, branch
/// outcomes, loop trip counts). It is not a tape: no operation is recorded, only data.
/// Storage is rented from <see cref="ArrayPool{T}"/> and returned by <see cref="Dispose()"/>, or,
/// above <see cref="LargeSaveStorage.ExactLength"/> values, allocated at exactly the size needed and
/// kept for the next call, so steady-state use does not allocate; with a
/// <see cref="SaveStackCapacity"/> it starts at the size the previous call needed, so it does not grow
/// and copy either. References (saved tensors) are cleared on return. Stacks whose size the generator
/// knows are <see cref="FixedSaveStack{T}"/> instead.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct SaveStack<T> : IDisposable
{
    // Four fields, and no call that takes the stack by reference outside inlined code: the JIT can
    // keep them in registers through a loop of pushes (the slow paths are static).
    private T[] _items;
    private int _count;
    private int _peak;
    private readonly SaveStackCapacity? _capacity;
#if DEBUG
    // Debug builds (the test suites) check that each reservation is exact: where the reserved pushes
    // must end, or -1 when no reservation is open.
    private long _reservedEnd;
#endif

    /// <summary>A stack that starts empty and grows from the pool (<c>default</c> is not a usable stack).</summary>
    public SaveStack()
    {
        _items = Array.Empty<T>();
        _capacity = null;
#if DEBUG
        _reservedEnd = -1;
#endif
    }

    /// <summary>A stack whose storage starts at the size <paramref name="capacity"/> remembers, and which tells it how large it grew.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SaveStack(SaveStackCapacity capacity)
    {
        _capacity = capacity;
        _items = Storage(capacity);
        _count = 0;
        _peak = 0;
#if DEBUG
        _reservedEnd = -1;
#endif
    }

    /// <summary>Number of saved items.</summary>
    public readonly int Count => _count;

    /// <summary>How many items fit before the storage grows (0 before the first push).</summary>
    public readonly int Capacity => _items?.Length ?? 0;

    /// <summary>Saves a value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(T value)
    {
        T[] items = _items;
        int count = _count;
        if ((uint)count >= (uint)items.Length)
        {
            _items = items = GrowTo(items, count, 1);
        }
        items[count] = value;
        _count = count + 1;
    }

    /// <summary>Takes back the value saved last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Pop()
    {
        RaisePeak(); // the first pop follows the last push: the size the next call needs
        return PopMarked();
    }

    /// <summary>
    /// Makes room for <paramref name="count"/> more values: as many as the loop that follows pushes
    /// (the generator counts them from its trip counts), so that those pushes, written
    /// <see cref="PushReserved"/>, check nothing but the array's bounds.
    /// </summary>
    public void Reserve(long count)
    {
#if DEBUG
        CloseReservation();
        _reservedEnd = _count + count;
#endif
        T[] items = _items;
        if (count > items.Length - _count)
        {
            _items = GrowTo(items, _count, count);
        }
    }

    /// <summary>Saves a value in room that <see cref="Reserve"/> made. (The array's bounds check still stands guard.)</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushReserved(T value)
    {
        int count = _count;
#if DEBUG
        CheckReserved(count + 1);
#endif
        _items[count] = value;
        _count = count + 1;
    }

    /// <summary>Saves the lanes of a vector, lane 0 first, in room that <see cref="Reserve"/> made.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushLanesReserved(Vector<T> lanes)
    {
        int count = _count;
#if DEBUG
        CheckReserved(count + Vector<T>.Count);
#endif
        lanes.CopyTo(_items, count);
        _count = count + Vector<T>.Count;
    }

    /// <summary>Saves the lanes of a vector, lane 0 first: what pushing them one at a time saves (see <c>Lanes</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushLanes(Vector<T> lanes)
    {
        T[] items = _items;
        int count = _count;
        int width = Vector<T>.Count;
        if (count > items.Length - width)
        {
            _items = items = GrowTo(items, count, width);
        }
        lanes.CopyTo(items, count);
        _count = count + width;
    }

    /// <summary>Takes back the last <c>Vector&lt;T&gt;.Count</c> values saved, as a vector whose lane 0 was saved first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> PopLanes()
    {
        RaisePeak();
        return PopLanesMarked();
    }

    /// <summary>
    /// Records the stack's high-water mark: called where the forward pass has made its last push
    /// and the backward pass makes none, so that its pops, written <see cref="PopMarked"/>, need not.
    /// </summary>
    public void MarkPeak()
    {
#if DEBUG
        CloseReservation();
#endif
        RaisePeak();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RaisePeak()
    {
        if (_count > _peak)
        {
            _peak = _count;
        }
    }

    /// <summary>Takes back the value saved last, on a stack whose high-water mark <see cref="MarkPeak"/> recorded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T PopMarked()
    {
#if DEBUG
        _reservedEnd = -1;
#endif
        T[] items = _items;
        int index = _count - 1;
        if ((uint)index >= (uint)items.Length)
        {
            ThrowEmpty();
        }
        _count = index;
        return items[index];
    }

    /// <summary>Takes back the last <c>Vector&lt;T&gt;.Count</c> values saved, as <see cref="PopLanes"/>, on a stack whose high-water mark <see cref="MarkPeak"/> recorded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> PopLanesMarked()
    {
#if DEBUG
        _reservedEnd = -1;
#endif
        int start = _count - Vector<T>.Count;
        if (start < 0)
        {
            ThrowEmpty();
        }
        _count = start;
        return new Vector<T>(_items, start);
    }

    /// <summary>
    /// Gives the storage back: small storage stays with the thread for the entry point's next call
    /// (cleared first if it holds references; small calls then skip the pool altogether); large
    /// storage of unmanaged values is kept at its exact size (<see cref="LargeSaveStorage"/>); anything
    /// else goes to the pool.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dispose()
    {
        Release(_items, System.Math.Max(_peak, _count), _capacity);
        _items = Array.Empty<T>();
        _count = 0;
        _peak = 0;
    }

    // Storage of these lengths, and all storage of references, comes from the pool and goes back to it.
    private static bool IsPooled(int length) => length <= LargeSaveStorage.ExactLength || RuntimeHelpers.IsReferenceOrContainsReferences<T>();

    private static T[] Storage(SaveStackCapacity capacity)
    {
        int size = capacity.Capacity;
        if (capacity.TakeKept() is T[] kept && kept.Length >= size)
        {
            return kept; // rented once, then kept by the thread
        }
        if (!IsPooled(size))
        {
            return LargeSaveStorage<T>.Take(size);
        }
        return size > 0 ? ArrayPool<T>.Shared.Rent(size) : Array.Empty<T>();
    }

    // Room for `needed` more items after `count`: double the storage, or exactly what a reservation
    // asks when that is more (a large first call then allocates once, at its size). Past the exact
    // length, growth does not go through the pool: the pool would keep the first call's doubled
    // storage, beside the exact storage of later calls.
    private static T[] GrowTo(T[] old, int count, long needed)
    {
        long wanted = count + needed;
        if (needed < 0 || wanted > Array.MaxLength)
        {
            throw new InvalidOperationException(
                $"A loop of the generated method saves {needed} values, more than one array holds ({Array.MaxLength}): bound what it keeps with [LoopCheckpoints] or [Checkpoint].");
        }
        int length = (int)Math.Max(wanted, old.Length == 0 ? 64 : Math.Min(2L * old.Length, Array.MaxLength));
        T[] grown = IsPooled(length) ? ArrayPool<T>.Shared.Rent(length) : GC.AllocateUninitializedArray<T>(length);
        Array.Copy(old, grown, count);
        if (old.Length > 0 && IsPooled(old.Length))
        {
            ArrayPool<T>.Shared.Return(old, RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        }
        return grown;
    }

#if DEBUG
    private readonly void CheckReserved(long countAfter)
    {
        if (_reservedEnd < 0 || countAfter > _reservedEnd)
        {
            throw new InvalidOperationException($"A reserved push went past its reservation (to {countAfter} values, reserved up to {_reservedEnd}): the generator counted the loop's saves wrong.");
        }
    }

    // The pushes since the last reservation must have filled it (later pushes may go further): a count
    // too large wastes memory and hides a miscount. Pops end a reservation unchecked: the backward pass
    // of a checkpointed loop pops, then reserves for the iterations it runs again.
    private void CloseReservation()
    {
        if (_reservedEnd >= 0 && _count < _reservedEnd)
        {
            throw new InvalidOperationException($"A reservation of save-stack room was not used up ({_count} values saved where {_reservedEnd} were reserved): the generator counted the loop's saves wrong.");
        }
        _reservedEnd = -1;
    }
#endif

    private static void ThrowEmpty() =>
        throw new InvalidOperationException("The backward pass read more saved values than its forward pass saved: the generated code and the runtime disagree.");

    private static void Release(T[]? items, int used, SaveStackCapacity? capacity)
    {
        if (items is null || items.Length == 0)
        {
            return;
        }
        capacity?.Grow(used);
        bool unmanaged = !RuntimeHelpers.IsReferenceOrContainsReferences<T>();
        if (capacity is not null && items.Length <= SaveStackCapacity.KeptLength)
        {
            if (!unmanaged)
            {
                // Saved tensors and arrays are not kept alive by the kept storage.
                Array.Clear(items, 0, System.Math.Min(used, items.Length));
            }
            // Kept rather than pooled: the shared pool drops what it holds when memory is collected,
            // and the next call would allocate it again.
            capacity.Keep(items);
        }
        else if (!IsPooled(items.Length))
        {
            if (capacity is not null)
            {
                LargeSaveStorage<T>.Keep(items, used);
            }
        }
        else
        {
            ArrayPool<T>.Shared.Return(items, !unmanaged);
        }
    }
}
