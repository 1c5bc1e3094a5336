using System;
using System.Runtime.Intrinsics;

namespace Autodiff;

// Element-wise formulas of backward rules. Each takes the accumulator d as its last input and
// returns d plus the contribution, so one pass reads the operands and updates the gradient.

/// <summary>d + scale·x·y (Multiply, Square, Exp).</summary>
internal readonly struct AddScaledProductKernel(float scale) : ITernaryKernel
{
    public float Apply(float x, float y, float d) => d + scale * x * y;
    public Vector256<float> Apply(Vector256<float> x, Vector256<float> y, Vector256<float> d) =>
        Vector256.FusedMultiplyAdd(x * scale, y, d);
    public Vector512<float> Apply(Vector512<float> x, Vector512<float> y, Vector512<float> d) =>
        Vector512.FusedMultiplyAdd(x * scale, y, d);
}

/// <summary>d + scale·x / y (Divide's numerator, Log, Sqrt).</summary>
internal readonly struct AddScaledQuotientKernel(float scale) : ITernaryKernel
{
    public float Apply(float x, float y, float d) => d + scale * x / y;
    public Vector256<float> Apply(Vector256<float> x, Vector256<float> y, Vector256<float> d) => d + x * scale / y;
    public Vector512<float> Apply(Vector512<float> x, Vector512<float> y, Vector512<float> d) => d + x * scale / y;
}

/// <summary>d + scale·x·y / z (Divide's denominator: −seed·result / b).</summary>
internal readonly struct AddScaledProductQuotientKernel(float scale) : IQuaternaryKernel
{
    public float Apply(float x, float y, float z, float d) => d + scale * x * y / z;
    public Vector256<float> Apply(Vector256<float> x, Vector256<float> y, Vector256<float> z, Vector256<float> d) =>
        d + x * scale * y / z;
    public Vector512<float> Apply(Vector512<float> x, Vector512<float> y, Vector512<float> z, Vector512<float> d) =>
        d + x * scale * y / z;
}

/// <summary>d + (x &gt; 0 ? seed : 0): Relu'(0) = 0, as in PyTorch.</summary>
internal readonly struct ReluGradientKernel : ITernaryKernel
{
    public float Apply(float x, float seed, float d) => x > 0f ? d + seed : d;
    public Vector256<float> Apply(Vector256<float> x, Vector256<float> seed, Vector256<float> d) =>
        d + (seed & Vector256.GreaterThan(x, Vector256<float>.Zero));
    public Vector512<float> Apply(Vector512<float> x, Vector512<float> seed, Vector512<float> d) =>
        d + (seed & Vector512.GreaterThan(x, Vector512<float>.Zero));
}

/// <summary>d + (x &gt; 0 ? seed : slope·seed): at 0 the slope applies, as in PyTorch.</summary>
internal readonly struct LeakyReluGradientKernel(float slope) : ITernaryKernel
{
    public float Apply(float x, float seed, float d) => d + (x > 0f ? seed : slope * seed);
    public Vector256<float> Apply(Vector256<float> x, Vector256<float> seed, Vector256<float> d) =>
        d + Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), seed, seed * slope);
    public Vector512<float> Apply(Vector512<float> x, Vector512<float> seed, Vector512<float> d) =>
        d + Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), seed, seed * slope);
}

/// <summary>seed·min(x, 0): the terms of LeakyRelu's gradient with respect to its slope.</summary>
internal readonly struct SlopeGradientKernel : IBinaryKernel
{
    public float Apply(float x, float seed) => seed * MathF.Min(x, 0f);
    public Vector256<float> Apply(Vector256<float> x, Vector256<float> seed) => seed * Vector256.Min(x, Vector256<float>.Zero);
    public Vector512<float> Apply(Vector512<float> x, Vector512<float> seed) => seed * Vector512.Min(x, Vector512<float>.Zero);
}

/// <summary>d + seed·(1 − r²), with r = tanh(x).</summary>
internal readonly struct TanhGradientKernel : ITernaryKernel
{
    public float Apply(float r, float seed, float d) => d + seed * (1f - r * r);
    public Vector256<float> Apply(Vector256<float> r, Vector256<float> seed, Vector256<float> d) =>
        d + seed * (Vector256<float>.One - r * r);
    public Vector512<float> Apply(Vector512<float> r, Vector512<float> seed, Vector512<float> d) =>
        d + seed * (Vector512<float>.One - r * r);
}

/// <summary>d + seed·r·(1 − r), with r = sigmoid(x).</summary>
internal readonly struct SigmoidGradientKernel : ITernaryKernel
{
    public float Apply(float r, float seed, float d) => d + seed * r * (1f - r);
    public Vector256<float> Apply(Vector256<float> r, Vector256<float> seed, Vector256<float> d) =>
        d + seed * r * (Vector256<float>.One - r);
    public Vector512<float> Apply(Vector512<float> r, Vector512<float> seed, Vector512<float> d) =>
        d + seed * r * (Vector512<float>.One - r);
}

/// <summary>d + r·(seed − ⟨seed, r⟩) over one softmax row, r the softmax output.</summary>
internal readonly struct SoftmaxGradientKernel(float seedDotResult) : ITernaryKernel
{
    public float Apply(float r, float seed, float d) => d + r * (seed - seedDotResult);
    public Vector256<float> Apply(Vector256<float> r, Vector256<float> seed, Vector256<float> d) =>
        Vector256.FusedMultiplyAdd(r, seed - Vector256.Create(seedDotResult), d);
    public Vector512<float> Apply(Vector512<float> r, Vector512<float> seed, Vector512<float> d) =>
        Vector512.FusedMultiplyAdd(r, seed - Vector512.Create(seedDotResult), d);
}

/// <summary>d + seed − exp(r)·Σseed over one log-softmax row, r the log-softmax output.</summary>
internal readonly struct LogSoftmaxGradientKernel(float seedSum) : ITernaryKernel
{
    public float Apply(float r, float seed, float d) => d + seed - MathF.Exp(r) * seedSum;
    public Vector256<float> Apply(Vector256<float> r, Vector256<float> seed, Vector256<float> d) =>
        d + seed - Vector256.Exp(r) * seedSum;
    public Vector512<float> Apply(Vector512<float> r, Vector512<float> seed, Vector512<float> d) =>
        d + seed - Vector512.Exp(r) * seedSum;
}

/// <summary>d + scale·exp(x − shift): cross-entropy's softmax term, scaled by seed / (N·Σexp).</summary>
internal readonly struct AddScaledExpShiftedKernel(float shift, float scale) : IBinaryKernel
{
    public float Apply(float x, float d) => d + scale * MathF.Exp(x - shift);
    public Vector256<float> Apply(Vector256<float> x, Vector256<float> d) =>
        Vector256.FusedMultiplyAdd(Vector256.Exp(x - Vector256.Create(shift)), Vector256.Create(scale), d);
    public Vector512<float> Apply(Vector512<float> x, Vector512<float> d) =>
        Vector512.FusedMultiplyAdd(Vector512.Exp(x - Vector512.Create(shift)), Vector512.Create(scale), d);
}

/// <summary>d + scale·(x − y) (MseLoss).</summary>
internal readonly struct AddScaledDifferenceKernel(float scale) : ITernaryKernel
{
    public float Apply(float x, float y, float d) => d + scale * (x - y);
    public Vector256<float> Apply(Vector256<float> x, Vector256<float> y, Vector256<float> d) =>
        Vector256.FusedMultiplyAdd(x - y, Vector256.Create(scale), d);
    public Vector512<float> Apply(Vector512<float> x, Vector512<float> y, Vector512<float> d) =>
        Vector512.FusedMultiplyAdd(x - y, Vector512.Create(scale), d);
}

/// <summary>x / y, summed by <see cref="ElementwiseLoop"/> for a scalar numerator's gradient.</summary>
internal readonly struct QuotientKernel : IBinaryKernel
{
    public float Apply(float x, float y) => x / y;
    public Vector256<float> Apply(Vector256<float> x, Vector256<float> y) => x / y;
    public Vector512<float> Apply(Vector512<float> x, Vector512<float> y) => x / y;
}
