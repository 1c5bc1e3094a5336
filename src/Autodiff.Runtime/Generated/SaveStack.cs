using System;
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

    // The large storage the last call left (see LargeSaveStorage).
    internal LargeSaveStorage Large { get; } = new();

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
/// Storage is rented from <see cref="ArrayPool{T}"/> and returned by <see cref="Dispose()"/>,
/// so steady-state use does not allocate; with a <see cref="SaveStackCapacity"/> it is rented at the
/// size the previous call needed, so it does not grow and copy either. References (saved tensors)
/// are cleared on return.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct SaveStack<T> : IDisposable
{
    private T[]? _items;
    private int _count;
    private int _peak;
    private bool _pooled;
    private readonly SaveStackCapacity? _capacity;

    /// <summary>A stack whose storage starts at the size <paramref name="capacity"/> remembers, and which tells it how large it grew.</summary>
    public SaveStack(SaveStackCapacity capacity)
    {
        _capacity = capacity;
        int size = capacity.Capacity;
        _pooled = false;
        if (capacity.TakeKept() is T[] kept && kept.Length >= size)
        {
            _items = kept;
            _pooled = true; // rented once, then kept by the thread
        }
        else if (size > LargeSaveStorage.ExactLength && !RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            _items = capacity.Large.Take<T>(size) ?? GC.AllocateUninitializedArray<T>(size);
        }
        else
        {
            _items = size > 0 ? ArrayPool<T>.Shared.Rent(size) : null;
            _pooled = _items is not null;
        }
        _count = 0;
        _peak = 0;
    }

    /// <summary>Number of saved items.</summary>
    public readonly int Count => _count;

    /// <summary>How many items fit before the storage grows (0 before the first push).</summary>
    public readonly int Capacity => _items?.Length ?? 0;

    /// <summary>Saves a value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(T value)
    {
        T[]? items = _items;
        if (items is not null && (uint)_count < (uint)items.Length)
        {
            items[_count++] = value;
            return;
        }
        PushSlow(value);
    }

    /// <summary>Takes back the value saved last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Pop()
    {
        T[]? items = _items;
        int count = _count;
        if (count > _peak)
        {
            _peak = count; // the first pop follows the last push: the size the next call needs
        }
        int index = count - 1;
        if (items is null || (uint)index >= (uint)items.Length)
        {
            ThrowEmpty();
        }
        _count = index;
        return items![index];
    }

    private void PushSlow(T value)
    {
        T[]? old = _items;
        T[] grown = ArrayPool<T>.Shared.Rent(old is null ? 64 : old.Length * 2);
        if (old is not null)
        {
            Array.Copy(old, grown, _count);
            if (_pooled)
            {
                ArrayPool<T>.Shared.Return(old, RuntimeHelpers.IsReferenceOrContainsReferences<T>());
            }
        }
        _items = grown;
        _pooled = true;
        _items[_count++] = value;
    }

    private static void ThrowEmpty() =>
        throw new InvalidOperationException("The backward pass read more saved values than its forward pass saved: the generated code and the runtime disagree.");

    /// <summary>
    /// Gives the storage back: small storage of unmanaged values stays with the thread for the entry
    /// point's next call (small calls then skip the pool altogether); anything else goes to the pool.
    /// </summary>
    public void Dispose()
    {
        if (_items is not null)
        {
            _capacity?.Grow(Math.Max(_peak, _count));
            bool unmanaged = !RuntimeHelpers.IsReferenceOrContainsReferences<T>();
            if (_capacity is not null && _items.Length <= SaveStackCapacity.KeptLength && unmanaged)
            {
                _capacity.Keep(_items);
            }
            else if (_capacity is not null && !_pooled && unmanaged)
            {
                _capacity.Large.Keep(_items);
            }
            else if (_pooled)
            {
                ArrayPool<T>.Shared.Return(_items, !unmanaged);
            }
            _items = null;
        }
        _count = 0;
        _peak = 0;
    }
}
