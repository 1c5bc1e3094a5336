using System;

namespace Autodiff;

// Factories take the shape as `params ReadOnlySpan<int>`: `Zeros(2, 3)` then builds the shape on
// the stack instead of allocating a `params int[]` on every call (C# binds such calls to an array
// overload when one exists, so there is none), and an `int[]` converts implicitly. Like every
// operation, they take their tensor from the current workspace inside a scope.
public sealed partial class Tensor
{
    /// <summary>A rank-1 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor FromArray(float[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Create(nameof(FromArray), data, [data.Length]);
    }

    /// <summary>A tensor of the given shape holding a copy of <paramref name="data"/> (row-major); an empty shape makes a rank-0 tensor.</summary>
    public static Tensor FromArray(float[] data, params ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Create(nameof(FromArray), data, shape);
    }

    /// <summary>A rank-1 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor FromSpan(ReadOnlySpan<float> data) => Create(nameof(FromSpan), data, [data.Length]);

    /// <summary>A tensor of the given shape holding a copy of <paramref name="data"/> (row-major).</summary>
    public static Tensor FromSpan(ReadOnlySpan<float> data, params ReadOnlySpan<int> shape) =>
        Create(nameof(FromSpan), data, shape);

    private static Tensor Create(string operation, ReadOnlySpan<float> data, ReadOnlySpan<int> shape)
    {
        int length = TensorShape.ElementCount(operation, shape);
        if (data.Length != length)
        {
            throw new ShapeMismatchException(
                $"{operation}: {data.Length} values cannot fill shape {TensorShape.Format(shape)} ({length} elements).");
        }
        Tensor result = TensorWorkspace.Allocate(shape, TensorInit.Uninitialized);
        data.CopyTo(result.Data);
        return result;
    }

    /// <summary>A rank-0 tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(float value)
    {
        Tensor result = TensorWorkspace.Allocate([], TensorInit.Uninitialized);
        result.Data[0] = value;
        return result;
    }

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params ReadOnlySpan<int> shape)
    {
        TensorShape.ElementCount(nameof(Zeros), shape);
        return TensorWorkspace.Allocate(shape, TensorInit.Zeroed);
    }

    /// <summary>A tensor of zeros with the shape of <paramref name="like"/>, e.g. a gradient accumulator.</summary>
    public static Tensor ZerosLike(Tensor like)
    {
        ArgumentNullException.ThrowIfNull(like);
        return TensorWorkspace.Allocate(like._shape, TensorInit.Zeroed);
    }

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params ReadOnlySpan<int> shape) => Full(1f, shape);

    /// <summary>A tensor with every element equal to <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params ReadOnlySpan<int> shape)
    {
        TensorShape.ElementCount(nameof(Full), shape);
        Tensor result = TensorWorkspace.Allocate(shape, TensorInit.Uninitialized);
        result.Fill(value);
        return result;
    }

    /// <summary>
    /// Normally distributed values (Box–Muller over xoshiro128**), the same for the same
    /// <paramref name="seed"/> on every platform.
    /// </summary>
    public static Tensor RandomNormal(int seed, float mean, float std, params ReadOnlySpan<int> shape)
    {
        TensorShape.ElementCount(nameof(RandomNormal), shape);
        Tensor result = TensorWorkspace.Allocate(shape, TensorInit.Uninitialized);
        new SeededRandom(seed).FillNormal(result.Data, mean, std);
        return result;
    }

    /// <summary>
    /// Uniformly distributed values in [<paramref name="low"/>, <paramref name="high"/>), the same
    /// for the same <paramref name="seed"/> on every platform.
    /// </summary>
    public static Tensor RandomUniform(int seed, float low, float high, params ReadOnlySpan<int> shape)
    {
        TensorShape.ElementCount(nameof(RandomUniform), shape);
        Tensor result = TensorWorkspace.Allocate(shape, TensorInit.Uninitialized);
        new SeededRandom(seed).FillUniform(result.Data, low, high);
        return result;
    }
}
