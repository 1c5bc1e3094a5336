using System;
using System.Buffers;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Autodiff.Runtime;

/// <summary>
/// The stack on which generated code saves, during the forward pass of a loop, the values and
/// control decisions that its backward pass reads (values about to be overwritten, branch
/// outcomes, loop trip counts). It is not a tape: no operation is recorded, only data.
/// Storage is rented from <see cref="ArrayPool{T}"/> and returned by <see cref="Dispose"/>,
/// so steady-state use does not allocate. References (saved tensors) are cleared on return.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct SaveStack<T> : IDisposable
{
    private T[]? _items;
    private int _count;

    /// <summary>Number of saved items.</summary>
    public readonly int Count => _count;

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
        int index = _count - 1;
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
            ArrayPool<T>.Shared.Return(old, RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        }
        _items = grown;
        _items[_count++] = value;
    }

    private static void ThrowEmpty() =>
        throw new InvalidOperationException("The backward pass read more saved values than its forward pass saved: the generated code and the runtime disagree.");

    /// <summary>Returns the storage to the pool.</summary>
    public void Dispose()
    {
        if (_items is not null)
        {
            ArrayPool<T>.Shared.Return(_items, RuntimeHelpers.IsReferenceOrContainsReferences<T>());
            _items = null;
        }
        _count = 0;
    }
}
