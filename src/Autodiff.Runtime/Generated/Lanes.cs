using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Autodiff.Runtime;

/// <summary>
/// The element accesses of a generated loop that runs <see cref="Vector{T}.Count"/> iterations at a
/// time: <c>Lanes.Load(a, i)</c> reads <c>a[i]</c> to <c>a[i + Count - 1]</c>, and the stores write
/// them. Every access checks that all its elements lie in the array and throws
/// <see cref="IndexOutOfRangeException"/>, as the element accesses of the loop it stands for would.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Lanes
{
    /// <summary>
    /// The iterations of a loop of <paramref name="count"/> (at least 0) that fill whole vectors:
    /// count rounded down to a multiple of <c>Vector&lt;T&gt;.Count</c> (a power of two).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WholeVectors<T>(int count) where T : struct => count & -Vector<T>.Count;

    /// <summary>
    /// As <see cref="WholeVectors{T}"/>, but leaving at least the last iteration (of a loop that runs)
    /// to the scalar loop after the vector one: count − 1 rounded down, and 0 for no iterations.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WholeVectorsBeforeLast<T>(int count) where T : struct => count > 0 ? (count - 1) & -Vector<T>.Count : 0;

    /// <summary><c>a[index]</c> to <c>a[index + Count - 1]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Load<T>(T[] array, int index) where T : struct
    {
        CheckRange(array, index);
        return Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(array), (nuint)(uint)index);
    }

    /// <summary>Writes the lanes into <c>a[index]</c> to <c>a[index + Count - 1]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(T[] array, int index, Vector<T> value) where T : struct
    {
        CheckRange(array, index);
        Vector.StoreUnsafe(value, ref MemoryMarshal.GetArrayDataReference(array), (nuint)(uint)index);
    }

    /// <summary><c>a[index + k] += value[k]</c> for every lane k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add<T>(T[] array, int index, Vector<T> value) where T : struct
    {
        CheckRange(array, index);
        ref T start = ref MemoryMarshal.GetArrayDataReference(array);
        Vector.StoreUnsafe(Vector.LoadUnsafe(ref start, (nuint)(uint)index) + value, ref start, (nuint)(uint)index);
    }

    /// <summary><c>a[index + k] -= value[k]</c> for every lane k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Subtract<T>(T[] array, int index, Vector<T> value) where T : struct
    {
        CheckRange(array, index);
        ref T start = ref MemoryMarshal.GetArrayDataReference(array);
        Vector.StoreUnsafe(Vector.LoadUnsafe(ref start, (nuint)(uint)index) - value, ref start, (nuint)(uint)index);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckRange<T>(T[] array, int index) where T : struct
    {
        // A negative index becomes a large unsigned one, so one comparison covers both ends.
        if ((ulong)(uint)index + (ulong)Vector<T>.Count > (ulong)(uint)array.Length)
        {
            ThrowOutOfRange();
        }
    }

    private static void ThrowOutOfRange() => throw new IndexOutOfRangeException("Index was outside the bounds of the array.");
}
