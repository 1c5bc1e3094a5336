using System;
using System.Numerics.Tensors;

namespace Autodiff;

/// <summary>
/// An arithmetic operator applied to whole rows, in the three forms that broadcasting needs:
/// row with row, row with a repeated value, repeated value with row.
/// </summary>
internal interface IRowOperator
{
    static abstract float Apply(float x, float y);
    static abstract void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination);
    static abstract void Apply(ReadOnlySpan<float> x, float y, Span<float> destination);
    static abstract void Apply(float x, ReadOnlySpan<float> y, Span<float> destination);
}

internal readonly struct AddRows : IRowOperator
{
    public static float Apply(float x, float y) => x + y;
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Add(x, y, destination);
    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> destination) => TensorPrimitives.Add(x, y, destination);
    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Add(y, x, destination);
}

internal readonly struct SubtractRows : IRowOperator
{
    public static float Apply(float x, float y) => x - y;
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Subtract(x, y, destination);
    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> destination) => TensorPrimitives.Subtract(x, y, destination);
    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Subtract(x, y, destination);
}

internal readonly struct MultiplyRows : IRowOperator
{
    public static float Apply(float x, float y) => x * y;
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Multiply(x, y, destination);
    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> destination) => TensorPrimitives.Multiply(x, y, destination);
    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Multiply(y, x, destination);
}

internal readonly struct DivideRows : IRowOperator
{
    public static float Apply(float x, float y) => x / y;
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Divide(x, y, destination);
    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> destination) => TensorPrimitives.Divide(x, y, destination);
    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Divide(x, y, destination);
}
