using System;
using System.Numerics.Tensors;

namespace Autodiff;

// Element-wise arithmetic. Tensor–tensor forms broadcast like NumPy; tensor–float forms apply the
// float to every element. The operators and the named methods are the same operations.
public sealed partial class Tensor
{
    /// <summary>Element-wise sum, broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Add(a, b);

    /// <summary>Adds <paramref name="b"/> to every element.</summary>
    public static Tensor operator +(Tensor a, float b) => Add(a, b);

    /// <summary>Adds <paramref name="a"/> to every element.</summary>
    public static Tensor operator +(float a, Tensor b) => Add(a, b);

    /// <summary>Element-wise difference, broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Subtract(a, b);

    /// <summary>Subtracts <paramref name="b"/> from every element.</summary>
    public static Tensor operator -(Tensor a, float b) => Subtract(a, b);

    /// <summary><paramref name="a"/> minus each element.</summary>
    public static Tensor operator -(float a, Tensor b) => Subtract(a, b);

    /// <summary>Element-wise product, broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Multiply(a, b);

    /// <summary>Multiplies every element by <paramref name="b"/>.</summary>
    public static Tensor operator *(Tensor a, float b) => Multiply(a, b);

    /// <summary>Multiplies every element by <paramref name="a"/>.</summary>
    public static Tensor operator *(float a, Tensor b) => Multiply(a, b);

    /// <summary>Element-wise quotient, broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Divide(a, b);

    /// <summary>Divides every element by <paramref name="b"/>.</summary>
    public static Tensor operator /(Tensor a, float b) => Divide(a, b);

    /// <summary><paramref name="a"/> divided by each element.</summary>
    public static Tensor operator /(float a, Tensor b) => Divide(a, b);

    /// <summary>Element-wise negation.</summary>
    public static Tensor operator -(Tensor x) => Negate(x);

    /// <summary>Element-wise sum, broadcasting like NumPy.</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Broadcast<AddRows>(nameof(Add), a, b);
    }

    /// <summary>Adds <paramref name="b"/> to every element.</summary>
    public static Tensor Add(Tensor a, float b)
    {
        ArgumentNullException.ThrowIfNull(a);
        Tensor result = AllocateLike(a);
        TensorPrimitives.Add(a.Data, b, result.Data);
        return result;
    }

    /// <summary>Adds <paramref name="a"/> to every element.</summary>
    public static Tensor Add(float a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return Add(b, a);
    }

    /// <summary>Element-wise difference, broadcasting like NumPy.</summary>
    public static Tensor Subtract(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Broadcast<SubtractRows>(nameof(Subtract), a, b);
    }

    /// <summary>Subtracts <paramref name="b"/> from every element.</summary>
    public static Tensor Subtract(Tensor a, float b)
    {
        ArgumentNullException.ThrowIfNull(a);
        Tensor result = AllocateLike(a);
        TensorPrimitives.Subtract(a.Data, b, result.Data);
        return result;
    }

    /// <summary><paramref name="a"/> minus each element.</summary>
    public static Tensor Subtract(float a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(b);
        Tensor result = AllocateLike(b);
        TensorPrimitives.Subtract(a, b.Data, result.Data);
        return result;
    }

    /// <summary>Element-wise product, broadcasting like NumPy.</summary>
    public static Tensor Multiply(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Broadcast<MultiplyRows>(nameof(Multiply), a, b);
    }

    /// <summary>Multiplies every element by <paramref name="b"/>.</summary>
    public static Tensor Multiply(Tensor a, float b)
    {
        ArgumentNullException.ThrowIfNull(a);
        Tensor result = AllocateLike(a);
        TensorPrimitives.Multiply(a.Data, b, result.Data);
        return result;
    }

    /// <summary>Multiplies every element by <paramref name="a"/>.</summary>
    public static Tensor Multiply(float a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return Multiply(b, a);
    }

    /// <summary>Element-wise quotient, broadcasting like NumPy.</summary>
    public static Tensor Divide(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Broadcast<DivideRows>(nameof(Divide), a, b);
    }

    /// <summary>Divides every element by <paramref name="b"/>.</summary>
    public static Tensor Divide(Tensor a, float b)
    {
        ArgumentNullException.ThrowIfNull(a);
        Tensor result = AllocateLike(a);
        TensorPrimitives.Divide(a.Data, b, result.Data);
        return result;
    }

    /// <summary><paramref name="a"/> divided by each element.</summary>
    public static Tensor Divide(float a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(b);
        Tensor result = AllocateLike(b);
        TensorPrimitives.Divide(a, b.Data, result.Data);
        return result;
    }

    /// <summary>Element-wise negation.</summary>
    public static Tensor Negate(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor result = AllocateLike(x);
        TensorPrimitives.Negate(x.Data, result.Data);
        return result;
    }

    private static Tensor Broadcast<TOperator>(string operation, Tensor a, Tensor b)
        where TOperator : struct, IRowOperator
    {
        Span<int> shape = stackalloc int[MaxRank];
        int rank = Broadcasting.ResultShape(operation, a._shape, b._shape, shape);
        Tensor result = TensorWorkspace.Allocate(shape[..rank], TensorInit.Uninitialized);
        Broadcasting.Apply<TOperator>(a, b, result);
        return result;
    }

    /// <summary>A result tensor of <paramref name="like"/>'s shape that the caller overwrites completely.</summary>
    internal static Tensor AllocateLike(Tensor like) => TensorWorkspace.Allocate(like._shape, TensorInit.Uninitialized);
}
