using System;
using System.Runtime.Intrinsics;

namespace Autodiff;

// Element-wise formulas of forward operations that TensorPrimitives has no kernel for.

/// <summary>x &gt; 0 ? x : slope·x (PyTorch's leaky_relu).</summary>
internal readonly struct LeakyReluKernel(float slope) : IUnaryKernel
{
    public float Apply(float x) => x > 0f ? x : slope * x;
    public Vector256<float> Apply(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, x * slope);
    public Vector512<float> Apply(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, x * slope);
}

/// <summary>exp(x − shift): softmax's numerator with the row maximum as the shift, so nothing overflows.</summary>
internal readonly struct ExpShiftedKernel(float shift) : IUnaryKernel
{
    public float Apply(float x) => MathF.Exp(x - shift);
    public Vector256<float> Apply(Vector256<float> x) => FloatExponential.Exp(x - Vector256.Create(shift));
    public Vector512<float> Apply(Vector512<float> x) => FloatExponential.Exp(x - Vector512.Create(shift));
}

/// <summary>(x − y)².</summary>
internal readonly struct SquaredDifferenceKernel : IBinaryKernel
{
    public float Apply(float x, float y) => (x - y) * (x - y);
    public Vector256<float> Apply(Vector256<float> x, Vector256<float> y) => (x - y) * (x - y);
    public Vector512<float> Apply(Vector512<float> x, Vector512<float> y) => (x - y) * (x - y);
}
