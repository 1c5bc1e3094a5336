using System;
using System.Collections.Generic;

namespace Autodiff.Runtime;

/// <summary>
/// The large storage (over <see cref="ExactLength"/> items) one save stack of one entry point left
/// at its last call, kept for the next one. Such storage is allocated at exactly the size the last
/// call needed: the pool would round it up to a power of two, up to twice the memory (256 MiB for
/// the 206 MB that ADBench's largest mixture model saves). It is held until the machine runs short of
/// memory or no call has taken it for a minute, checked after each full garbage collection, as
/// <see cref="System.Buffers.ArrayPool{T}.Shared"/> trims its own.
/// </summary>
internal sealed class LargeSaveStorage
{
    /// <summary>Storage of more than this many items is exact and kept here, not rented from the pool.</summary>
    public const int ExactLength = 1 << 17;

    private const long UnusedMilliseconds = 60_000;

    private static readonly List<WeakReference<LargeSaveStorage>> Holders = new();
    private static bool s_watching;

    private Array? _storage;
    private long _keptAt;
    private bool _registered;

    /// <summary>The kept storage, if there is some of at least <paramref name="size"/> items; it is then no longer kept.</summary>
    public T[]? Take<T>(int size)
    {
        lock (this)
        {
            if (_storage is T[] storage && storage.Length >= size)
            {
                _storage = null;
                return storage;
            }
            return null;
        }
    }

    /// <summary>Keeps storage for the next call (the larger, when two calls on different threads both leave some).</summary>
    public void Keep(Array storage)
    {
        lock (this)
        {
            if (_storage is null || _storage.Length < storage.Length)
            {
                _storage = storage;
            }
            _keptAt = Environment.TickCount64;
            if (_registered)
            {
                return;
            }
            _registered = true;
        }
        lock (Holders)
        {
            Holders.Add(new WeakReference<LargeSaveStorage>(this));
            if (!s_watching)
            {
                s_watching = true;
                _ = new FullCollectionWatcher();
            }
        }
    }

    private void ReleaseIf(bool shortOfMemory, long now)
    {
        lock (this)
        {
            if (shortOfMemory || now - _keptAt >= UnusedMilliseconds)
            {
                _storage = null;
            }
        }
    }

    private static void Trim()
    {
        GCMemoryInfo memory = GC.GetGCMemoryInfo();
        bool shortOfMemory = memory.MemoryLoadBytes >= memory.HighMemoryLoadThresholdBytes * 9 / 10;
        long now = Environment.TickCount64;
        lock (Holders)
        {
            for (int i = Holders.Count - 1; i >= 0; i--)
            {
                if (Holders[i].TryGetTarget(out LargeSaveStorage? holder))
                {
                    holder.ReleaseIf(shortOfMemory, now);
                }
                else
                {
                    Holders.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>An object that outlives every collection but the full ones: its finalizer runs after each, and trims.</summary>
    private sealed class FullCollectionWatcher
    {
        ~FullCollectionWatcher()
        {
            if (Environment.HasShutdownStarted)
            {
                return;
            }
            Trim();
            GC.ReRegisterForFinalize(this);
        }
    }
}
