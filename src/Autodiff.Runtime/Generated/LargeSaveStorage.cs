using System;
using System.Collections.Generic;

namespace Autodiff.Runtime;

/// <summary>
/// Save-stack storage of more than <see cref="ExactLength"/> items. The pool would round such
/// storage up to a power of two (up to twice the memory: 256 MiB for the 206 MB that ADBench's
/// largest mixture model saves), so it is allocated at the size the last call needed and kept for
/// the next, one array per element type: the gradient and the pullback of one method share it. It is
/// held until the machine runs short of memory or no call has taken it for a minute, checked after
/// each full garbage collection, as <see cref="System.Buffers.ArrayPool{T}.Shared"/> trims its own.
/// </summary>
internal static class LargeSaveStorage
{
    /// <summary>Storage of more than this many items is exact and kept here, not rented from the pool.</summary>
    public const int ExactLength = 1 << 17;

    /// <summary>Kept storage is taken only by a call that needs at least this share of it, so that what a call holds stays within 10 % of what it saves.</summary>
    public const double LeastShareUsed = 1 / 1.1;

    private const long UnusedMilliseconds = 60_000;

    private static readonly List<Action<bool, long>> Trimmers = new();

    /// <summary>Registers the trimming of one element type's storage, and starts watching full collections with the first.</summary>
    internal static void Watch(Action<bool, long> trim)
    {
        lock (Trimmers)
        {
            if (Trimmers.Count == 0)
            {
                _ = new FullCollectionWatcher();
            }
            Trimmers.Add(trim);
        }
    }

    internal static bool Unused(long keptAt, long now) => now - keptAt >= UnusedMilliseconds;

    private static void Trim()
    {
        GCMemoryInfo memory = GC.GetGCMemoryInfo();
        bool shortOfMemory = memory.MemoryLoadBytes >= memory.HighMemoryLoadThresholdBytes * 9 / 10;
        long now = Environment.TickCount64;
        lock (Trimmers)
        {
            foreach (Action<bool, long> trim in Trimmers)
            {
                trim(shortOfMemory, now);
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

/// <summary>The kept large storage of one element type (see <see cref="LargeSaveStorage"/>); save stacks use it for unmanaged types only.</summary>
internal static class LargeSaveStorage<T>
{
    private static readonly object Gate = new();
    private static T[]? s_storage;
    private static long s_keptAt;
    private static bool s_watched;

    /// <summary>Storage for <paramref name="size"/> items: the kept array if it fits without wasting more than 10 %, else a new one of exactly that size.</summary>
    public static T[] Take(int size)
    {
        lock (Gate)
        {
            if (s_storage is { } storage && storage.Length >= size && size >= storage.Length * LargeSaveStorage.LeastShareUsed)
            {
                s_storage = null;
                return storage;
            }
        }
        return GC.AllocateUninitializedArray<T>(size);
    }

    /// <summary>
    /// Keeps storage for the next call, unless this call used much less of it than it holds (the
    /// first call's storage, grown by doubling): then the next call allocates exactly what it needs.
    /// </summary>
    public static void Keep(T[] storage, int used)
    {
        if (used < storage.Length * LargeSaveStorage.LeastShareUsed)
        {
            return;
        }
        lock (Gate)
        {
            s_storage = storage;
            s_keptAt = Environment.TickCount64;
            if (s_watched)
            {
                return;
            }
            s_watched = true;
        }
        LargeSaveStorage.Watch(Trim);
    }

    private static void Trim(bool shortOfMemory, long now)
    {
        lock (Gate)
        {
            if (shortOfMemory || LargeSaveStorage.Unused(s_keptAt, now))
            {
                s_storage = null;
            }
        }
    }
}
