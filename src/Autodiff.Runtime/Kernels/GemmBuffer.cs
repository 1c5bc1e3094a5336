using System;
using System.Buffers;

namespace Autodiff.Kernels;

/// <summary>
/// A working buffer of a product (a thread's in <see cref="GemmArrayJob"/>, the packed panels of
/// <see cref="GemmParallelJob"/> and of a single-threaded product): kept from one product to the
/// next while the product's buffers are small, taken from the shared pool while they are large.
/// </summary>
/// <remarks>
/// Kept, a thread's packed panels are in that same thread's caches when the next product starts;
/// taken from the pool, they could go to another thread, and their cache lines would then have
/// to cross between the cores (see <see cref="GemmArrayJob"/>). Large buffers go back to the
/// pool, which trims them when memory is short.
/// </remarks>
internal sealed class GemmBuffer
{
    /// <summary>A product whose buffers hold at most this many floats in all keeps them (4 MiB).</summary>
    public const long KeptFloats = 1 << 20;

    private float[] _kept = [];
    private bool _rented;

    /// <summary>The buffer, at least as long as the last <see cref="Acquire"/> asked; empty after <see cref="Release"/>.</summary>
    public float[] Array { get; private set; } = [];

    /// <summary>Makes <see cref="Array"/> at least <paramref name="length"/> long: kept if <paramref name="keep"/>, else rented.</summary>
    public void Acquire(int length, bool keep)
    {
        if (keep)
        {
            if (_kept.Length < length)
            {
                _kept = new float[length];
            }
            Array = _kept;
        }
        else
        {
            Array = ArrayPool<float>.Shared.Rent(Math.Max(length, 1));
            _rented = true;
        }
    }

    /// <summary>Grows the kept array to at least <paramref name="length"/> now, for a product that may need it later.</summary>
    public void Reserve(int length)
    {
        if (_kept.Length < length)
        {
            _kept = new float[length];
        }
    }

    /// <summary>Returns a rented array to the pool; a kept one stays for the next product.</summary>
    public void Release()
    {
        if (_rented)
        {
            ArrayPool<float>.Shared.Return(Array);
            _rented = false;
        }
        Array = [];
    }
}
