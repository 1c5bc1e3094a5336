using System;

namespace Autodiff.Gradients.Tests.Harness;

/// <summary>Where the harness samples a function's floating-point inputs (uniformly in [Low, High]).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DomainAttribute(double low, double high) : Attribute
{
    public double Low { get; } = low;
    public double High { get; } = high;
}

/// <summary>Values for the function's int parameters, in order.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class IntsAttribute(params int[] values) : Attribute
{
    public int[] Values { get; } = values;
}

/// <summary>An exact point to check besides the random ones (scalars then array elements, flattened).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class AtAttribute(params double[] values) : Attribute
{
    public double[] Values { get; } = values;
}
