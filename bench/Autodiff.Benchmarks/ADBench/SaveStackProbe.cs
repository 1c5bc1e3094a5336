using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics.Tracing;

namespace Autodiff.Benchmarks.ADBench;

/// <summary>
/// Estimates how much a generated gradient saves for its backward pass. <c>SaveStack&lt;T&gt;</c>
/// keeps no counter and lives in a local of the generated method, so its final count cannot be
/// read after the call; but it grows by renting from <see cref="ArrayPool{T}.Shared"/>, doubling
/// from 64, and the pool reports every rental through its event source. The largest buffer
/// rented per element type during one call is the capacity of that type's largest save stack:
/// at least the number of values pushed on it and less than twice as many.
/// </summary>
/// <remarks>
/// Events are delivered synchronously on the renting thread, so filtering on the thread that
/// calls <see cref="Measure"/> excludes other threads' rentals. Stacks of nested pullback calls
/// (a helper called in a loop) rent from the same pools but are smaller than the caller's own.
/// </remarks>
internal sealed class SaveStackProbe : EventListener
{
    private const string ArrayPoolSourceName = "System.Buffers.ArrayPoolEventSource";

    private readonly Dictionary<int, long> _largestByPool = new();
    private readonly Dictionary<int, (string Type, int Size)> _pools = new();
    private int _thread = -1;
    private bool _enabled;

    /// <summary>
    /// Listens only while <paramref name="call"/> runs: while a listener is attached, every rental
    /// and return raises an event that allocates its payload, which would distort the timings and
    /// allocations measured around it.
    /// </summary>
    public static SaveStackCapacity MeasureOnce(Action call)
    {
        using var probe = new SaveStackProbe();
        return probe.Measure(call);
    }

    /// <summary>The largest buffer per element type rented on this thread while <paramref name="call"/> ran.</summary>
    public SaveStackCapacity Measure(Action call)
    {
        if (_pools.Count == 0)
        {
            IdentifyPools();
        }
        _largestByPool.Clear();
        _thread = Environment.CurrentManagedThreadId;
        call();
        _thread = -1;
        var capacity = new SaveStackCapacity();
        foreach (var (pool, largest) in _largestByPool)
        {
            if (_pools.TryGetValue(pool, out var type))
            {
                capacity.Add(type.Type, largest, type.Size);
            }
        }
        return capacity;
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == ArrayPoolSourceName)
        {
            EnableEvents(eventSource, EventLevel.Verbose);
            _enabled = true;
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        // BufferRented(int bufferId, int bufferSize, int poolId, int bucketId)
        if (eventData.EventName != "BufferRented" || Environment.CurrentManagedThreadId != _thread || eventData.Payload is not { Count: >= 3 } payload)
        {
            return;
        }
        int length = Convert.ToInt32(payload[1]);
        int pool = Convert.ToInt32(payload[2]);
        _largestByPool[pool] = Math.Max(_largestByPool.GetValueOrDefault(pool), length);
    }

    /// <summary>Learns each shared pool's id by renting from it (the id is per element type).</summary>
    private void IdentifyPools()
    {
        // The event source is created the first time any pool is used.
        ArrayPool<byte>.Shared.Return(ArrayPool<byte>.Shared.Rent(16));
        if (!_enabled)
        {
            throw new InvalidOperationException($"{ArrayPoolSourceName} was not found");
        }
        Identify<double>("double", sizeof(double));
        Identify<float>("float", sizeof(float));
        Identify<int>("int", sizeof(int));
        Identify<long>("long", sizeof(long));
        Identify<bool>("bool", sizeof(bool));
        Identify<byte>("byte", sizeof(byte));
    }

    private void Identify<T>(string name, int size)
    {
        _largestByPool.Clear();
        _thread = Environment.CurrentManagedThreadId;
        ArrayPool<T>.Shared.Return(ArrayPool<T>.Shared.Rent(16));
        _thread = -1;
        foreach (int pool in _largestByPool.Keys)
        {
            _pools[pool] = (name, size);
        }
    }
}

/// <summary>Save-stack capacities by element type, as <see cref="SaveStackProbe"/> estimates them.</summary>
internal sealed class SaveStackCapacity
{
    private readonly SortedDictionary<string, long> _elements = new(StringComparer.Ordinal);

    public long Bytes { get; private set; }

    public void Add(string type, long elements, int elementSize)
    {
        _elements[type] = elements;
        Bytes += elements * elementSize;
    }

    /// <summary>For example <c>double 1,048,576 + int 524,288</c>.</summary>
    public override string ToString()
    {
        if (_elements.Count == 0)
        {
            return "none";
        }
        var parts = new List<string>();
        foreach (var (type, elements) in _elements)
        {
            parts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{type} {elements:N0}"));
        }
        return string.Join(" + ", parts);
    }
}
