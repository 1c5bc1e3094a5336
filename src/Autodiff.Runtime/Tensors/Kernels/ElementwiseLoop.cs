using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Autodiff;

/// <summary>
/// Runs an element-wise kernel over spans: 512-bit vectors where the CPU has them, then 256-bit,
/// then scalars for the tail. Every span's length is checked against the destination's before
/// the unchecked vector loads, so no access can leave its span. The destination may be one of
/// the inputs (same start), which is how backward rules accumulate in place.
/// </summary>
internal static class ElementwiseLoop
{
    /// <summary>destination[i] = f(x[i]).</summary>
    public static void Map<TKernel>(TKernel kernel, ReadOnlySpan<float> x, Span<float> destination)
        where TKernel : struct, IUnaryKernel
    {
        int length = destination.Length;
        RequireLength(x, length);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                kernel.Apply(Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                kernel.Apply(Vector256.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        for (; i < length; i++)
        {
            destination[i] = kernel.Apply(x[i]);
        }
    }

    /// <summary>destination[i] = f(x[i], y[i]).</summary>
    public static void Map<TKernel>(TKernel kernel, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
        where TKernel : struct, IBinaryKernel
    {
        int length = destination.Length;
        RequireLength(x, length);
        RequireLength(y, length);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                kernel.Apply(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i))
                    .StoreUnsafe(ref ds, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                kernel.Apply(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i))
                    .StoreUnsafe(ref ds, (nuint)i);
            }
        }
        for (; i < length; i++)
        {
            destination[i] = kernel.Apply(x[i], y[i]);
        }
    }

    /// <summary>destination[i] = f(x[i], y[i], z[i]).</summary>
    public static void Map<TKernel>(TKernel kernel, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z,
        Span<float> destination)
        where TKernel : struct, ITernaryKernel
    {
        int length = destination.Length;
        RequireLength(x, length);
        RequireLength(y, length);
        RequireLength(z, length);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float zs = ref MemoryMarshal.GetReference(z);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                kernel.Apply(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i),
                    Vector512.LoadUnsafe(ref zs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                kernel.Apply(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i),
                    Vector256.LoadUnsafe(ref zs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        for (; i < length; i++)
        {
            destination[i] = kernel.Apply(x[i], y[i], z[i]);
        }
    }

    /// <summary>destination[i] = f(x[i], y[i], z[i], w[i]).</summary>
    public static void Map<TKernel>(TKernel kernel, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z,
        ReadOnlySpan<float> w, Span<float> destination)
        where TKernel : struct, IQuaternaryKernel
    {
        int length = destination.Length;
        RequireLength(x, length);
        RequireLength(y, length);
        RequireLength(z, length);
        RequireLength(w, length);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float zs = ref MemoryMarshal.GetReference(z);
        ref float ws = ref MemoryMarshal.GetReference(w);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                kernel.Apply(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i),
                    Vector512.LoadUnsafe(ref zs, (nuint)i), Vector512.LoadUnsafe(ref ws, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                kernel.Apply(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i),
                    Vector256.LoadUnsafe(ref zs, (nuint)i), Vector256.LoadUnsafe(ref ws, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        for (; i < length; i++)
        {
            destination[i] = kernel.Apply(x[i], y[i], z[i], w[i]);
        }
    }

    /// <summary>Σ f(x[i]).</summary>
    public static float Sum<TKernel>(TKernel kernel, ReadOnlySpan<float> x)
        where TKernel : struct, IUnaryKernel
    {
        int length = x.Length;
        ref float xs = ref MemoryMarshal.GetReference(x);
        int i = 0;
        float total = 0f;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> sum = Vector512<float>.Zero;
            for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                sum += kernel.Apply(Vector512.LoadUnsafe(ref xs, (nuint)i));
            }
            total += Vector512.Sum(sum);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> sum = Vector256<float>.Zero;
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                sum += kernel.Apply(Vector256.LoadUnsafe(ref xs, (nuint)i));
            }
            total += Vector256.Sum(sum);
        }
        for (; i < length; i++)
        {
            total += kernel.Apply(x[i]);
        }
        return total;
    }

    /// <summary>Σ f(x[i], y[i]).</summary>
    public static float Sum<TKernel>(TKernel kernel, ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        where TKernel : struct, IBinaryKernel
    {
        int length = x.Length;
        RequireLength(y, length);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int i = 0;
        float total = 0f;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> sum = Vector512<float>.Zero;
            for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                sum += kernel.Apply(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i));
            }
            total += Vector512.Sum(sum);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> sum = Vector256<float>.Zero;
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                sum += kernel.Apply(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i));
            }
            total += Vector256.Sum(sum);
        }
        for (; i < length; i++)
        {
            total += kernel.Apply(x[i], y[i]);
        }
        return total;
    }

    private static void RequireLength(ReadOnlySpan<float> span, int length)
    {
        if (span.Length != length)
        {
            throw new ArgumentException($"Element-wise kernel: operand of length {span.Length} where {length} was expected.");
        }
    }
}
