using System;
using System.Numerics.Tensors;

// Each rule is documented by its DerivativeOf target and the class summary; a summary per rule would repeat them.
#pragma warning disable CS1591

namespace Autodiff.Derivatives;

// Element-wise functions and softmax. Each rule is one fused pass over its operands.
public static partial class TensorDerivatives
{
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Exp))]
    public static void ExpBackward(Tensor x, Tensor result, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(seed);
        RequireActivation(nameof(ExpBackward), x, result, seed, dx);
        if (dx is not null) ElementwiseLoop.Map(new AddScaledProductKernel(1f), seed.Span, result.Span, dx.Span, dx.Span);
    }

    /// <summary>exp(x)·dx: an element-wise Jacobian is diagonal, so the pullback's kernel, run on a zeroed tangent, is the pushforward.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Exp), Mode = DerivativeMode.Forward)]
    public static Tensor ExpTangent(Tensor x, Tensor result, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        Tensor tangent = Tensor.ZerosLike(result);
        ExpBackward(x, result, dx ?? tangent, dx is null ? null : tangent);
        return tangent;
    }

    /// <summary>The pullback of ExpTangent = result·dx: bresult += seed·dx, bdx += seed·result (x itself is not read).</summary>
    [DerivativeOf(nameof(ExpTangent))]
    public static void ExpTangentBackward(Tensor x, Tensor result, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bResult, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(seed);
        RequireActivation(nameof(ExpTangentBackward), x, result, seed, bx);
        TensorShape.RequireTangent(nameof(ExpTangentBackward), dx, x);
        TensorShape.RequireAccumulator(nameof(ExpTangentBackward), bResult, result);
        TensorShape.RequireAccumulator(nameof(ExpTangentBackward), bDx, x);
        if (bResult is not null && dx is not null) ElementwiseLoop.Map(new AddScaledProductKernel(1f), seed.Span, dx.Span, bResult.Span, bResult.Span);
        if (bDx is not null) ElementwiseLoop.Map(new AddScaledProductKernel(1f), seed.Span, result.Span, bDx.Span, bDx.Span);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Log))]
    public static void LogBackward(Tensor x, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwise(nameof(LogBackward), x, seed, dx);
        if (dx is not null) ElementwiseLoop.Map(new AddScaledQuotientKernel(1f), seed.Span, x.Span, dx.Span, dx.Span);
    }

    /// <summary>dx / x.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Log), Mode = DerivativeMode.Forward)]
    public static Tensor LogTangent(Tensor x, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(LogTangent), dx, x);
        Tensor tangent = Tensor.ZerosLike(x);
        if (dx is not null) LogBackward(x, dx, tangent);
        return tangent;
    }

    /// <summary>The pullback of LogTangent = dx/x: bx += −seed·dx/x², bdx += seed/x.</summary>
    [DerivativeOf(nameof(LogTangent))]
    public static void LogTangentBackward(Tensor x, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwiseTangentBackward(nameof(LogTangentBackward), x, dx, seed, bx, bDx);
        if (bx is not null && dx is not null)
        {
            ReadOnlySpan<float> v = x.Span, s = seed.Span, d = dx.Span;
            Span<float> b = bx.Span;
            for (int i = 0; i < v.Length; i++)
            {
                // Divided twice rather than by x², which would overflow or vanish sooner.
                b[i] -= s[i] * d[i] / v[i] / v[i];
            }
        }
        LogBackward(x, seed, bDx);
    }

    /// <summary>seed / (2·√x); +∞ at x = 0, as in PyTorch.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Sqrt))]
    public static void SqrtBackward(Tensor x, Tensor result, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(seed);
        RequireActivation(nameof(SqrtBackward), x, result, seed, dx);
        if (dx is not null) ElementwiseLoop.Map(new AddScaledQuotientKernel(0.5f), seed.Span, result.Span, dx.Span, dx.Span);
    }

    /// <summary>dx / (2·√x), with the pullback's +∞ at x = 0.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Sqrt), Mode = DerivativeMode.Forward)]
    public static Tensor SqrtTangent(Tensor x, Tensor result, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        RequireActivationTangent(nameof(SqrtTangent), x, result, dx);
        Tensor tangent = Tensor.ZerosLike(result);
        if (dx is not null) SqrtBackward(x, result, dx, tangent);
        return tangent;
    }

    /// <summary>The pullback of SqrtTangent = dx/(2·result): bresult += −seed·dx/(2·result²), bdx += seed/(2·result) (x itself is not read).</summary>
    [DerivativeOf(nameof(SqrtTangent))]
    public static void SqrtTangentBackward(Tensor x, Tensor result, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bResult, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(seed);
        RequireActivationTangentBackward(nameof(SqrtTangentBackward), x, result, dx, seed, bx, bResult, bDx);
        if (bResult is not null && dx is not null)
        {
            ReadOnlySpan<float> y = result.Span, s = seed.Span, d = dx.Span;
            Span<float> b = bResult.Span;
            for (int i = 0; i < y.Length; i++)
            {
                b[i] -= 0.5f * s[i] * d[i] / y[i] / y[i];
            }
        }
        SqrtBackward(x, result, seed, bDx);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Square))]
    public static void SquareBackward(Tensor x, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwise(nameof(SquareBackward), x, seed, dx);
        if (dx is not null) ElementwiseLoop.Map(new AddScaledProductKernel(2f), seed.Span, x.Span, dx.Span, dx.Span);
    }

    /// <summary>2·x·dx.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Square), Mode = DerivativeMode.Forward)]
    public static Tensor SquareTangent(Tensor x, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(SquareTangent), dx, x);
        Tensor tangent = Tensor.ZerosLike(x);
        if (dx is not null) SquareBackward(x, dx, tangent);
        return tangent;
    }

    /// <summary>The pullback of SquareTangent = 2·x·dx: bx += 2·seed·dx, bdx += 2·seed·x.</summary>
    [DerivativeOf(nameof(SquareTangent))]
    public static void SquareTangentBackward(Tensor x, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwiseTangentBackward(nameof(SquareTangentBackward), x, dx, seed, bx, bDx);
        if (bx is not null && dx is not null) ElementwiseLoop.Map(new AddScaledProductKernel(2f), seed.Span, dx.Span, bx.Span, bx.Span);
        SquareBackward(x, seed, bDx);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Tanh))]
    public static void TanhBackward(Tensor x, Tensor result, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(seed);
        RequireActivation(nameof(TanhBackward), x, result, seed, dx);
        if (dx is not null) ElementwiseLoop.Map(new TanhGradientKernel(), result.Span, seed.Span, dx.Span, dx.Span);
    }

    /// <summary>(1 − tanh²(x))·dx.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Tanh), Mode = DerivativeMode.Forward)]
    public static Tensor TanhTangent(Tensor x, Tensor result, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        RequireActivationTangent(nameof(TanhTangent), x, result, dx);
        Tensor tangent = Tensor.ZerosLike(result);
        if (dx is not null) TanhBackward(x, result, dx, tangent);
        return tangent;
    }

    /// <summary>The pullback of TanhTangent = (1 − result²)·dx: bresult += −2·seed·result·dx, bdx += seed·(1 − result²) (x itself is not read).</summary>
    [DerivativeOf(nameof(TanhTangent))]
    public static void TanhTangentBackward(Tensor x, Tensor result, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bResult, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(seed);
        RequireActivationTangentBackward(nameof(TanhTangentBackward), x, result, dx, seed, bx, bResult, bDx);
        if (bResult is not null && dx is not null)
        {
            ReadOnlySpan<float> y = result.Span, s = seed.Span, d = dx.Span;
            Span<float> b = bResult.Span;
            for (int i = 0; i < y.Length; i++)
            {
                b[i] -= 2f * s[i] * y[i] * d[i];
            }
        }
        TanhBackward(x, result, seed, bDx);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Sigmoid))]
    public static void SigmoidBackward(Tensor x, Tensor result, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(seed);
        RequireActivation(nameof(SigmoidBackward), x, result, seed, dx);
        if (dx is not null) ElementwiseLoop.Map(new SigmoidGradientKernel(), result.Span, seed.Span, dx.Span, dx.Span);
    }

    /// <summary>σ(x)·(1 − σ(x))·dx.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Sigmoid), Mode = DerivativeMode.Forward)]
    public static Tensor SigmoidTangent(Tensor x, Tensor result, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        RequireActivationTangent(nameof(SigmoidTangent), x, result, dx);
        Tensor tangent = Tensor.ZerosLike(result);
        if (dx is not null) SigmoidBackward(x, result, dx, tangent);
        return tangent;
    }

    /// <summary>The pullback of SigmoidTangent = result·(1 − result)·dx: bresult += seed·(1 − 2·result)·dx, bdx += seed·result·(1 − result) (x itself is not read).</summary>
    [DerivativeOf(nameof(SigmoidTangent))]
    public static void SigmoidTangentBackward(Tensor x, Tensor result, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bResult, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(seed);
        RequireActivationTangentBackward(nameof(SigmoidTangentBackward), x, result, dx, seed, bx, bResult, bDx);
        if (bResult is not null && dx is not null)
        {
            ReadOnlySpan<float> y = result.Span, s = seed.Span, d = dx.Span;
            Span<float> b = bResult.Span;
            for (int i = 0; i < y.Length; i++)
            {
                b[i] += s[i] * (1f - 2f * y[i]) * d[i];
            }
        }
        SigmoidBackward(x, result, seed, bDx);
    }

    /// <summary>Passes the seed where x &gt; 0; Relu'(0) = 0, as in PyTorch.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Relu))]
    public static void ReluBackward(Tensor x, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwise(nameof(ReluBackward), x, seed, dx);
        if (dx is not null) ElementwiseLoop.Map(new ReluGradientKernel(), x.Span, seed.Span, dx.Span, dx.Span);
    }

    /// <summary>dx where x &gt; 0, else 0 (Relu'(0) = 0, as the pullback).</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Relu), Mode = DerivativeMode.Forward)]
    public static Tensor ReluTangent(Tensor x, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(ReluTangent), dx, x);
        Tensor tangent = Tensor.ZerosLike(x);
        if (dx is not null) ReluBackward(x, dx, tangent);
        return tangent;
    }

    /// <summary>The pullback of ReluTangent = (x &gt; 0 ? dx : 0): bdx += seed where x &gt; 0; bx gets nothing (Relu'' = 0, as in PyTorch).</summary>
    [DerivativeOf(nameof(ReluTangent))]
    public static void ReluTangentBackward(Tensor x, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwiseTangentBackward(nameof(ReluTangentBackward), x, dx, seed, bx, bDx);
        // The tangent is piecewise constant in x: x only picks the branch.
        ReluBackward(x, seed, bDx);
    }

    /// <summary>
    /// Passes the seed where x &gt; 0 and slope·seed elsewhere (so at 0 the slope, as in PyTorch);
    /// the slope's gradient is Σ seed·x over x ≤ 0.
    /// </summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.LeakyRelu))]
    public static void LeakyReluBackward(Tensor x, float negativeSlope, Tensor seed, Tensor? dx, ref float dNegativeSlope)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwise(nameof(LeakyReluBackward), x, seed, dx);
        if (dx is not null) ElementwiseLoop.Map(new LeakyReluGradientKernel(negativeSlope), x.Span, seed.Span, dx.Span, dx.Span);
        dNegativeSlope += ElementwiseLoop.Sum(new SlopeGradientKernel(), x.Span, seed.Span);
    }

    /// <summary>(x &gt; 0 ? dx : slope·dx) + min(x, 0)·dSlope.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.LeakyRelu), Mode = DerivativeMode.Forward)]
    public static Tensor LeakyReluTangent(Tensor x, float negativeSlope, Tensor? dx, float dNegativeSlope)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(LeakyReluTangent), dx, x);
        Tensor tangent = Tensor.ZerosLike(x);
        Span<float> t = tangent.Span;
        if (dNegativeSlope != 0f)
        {
            TensorPrimitives.Min(x.Span, 0f, t);
            TensorPrimitives.Multiply(t, dNegativeSlope, t);
        }
        if (dx is not null) ElementwiseLoop.Map(new LeakyReluGradientKernel(negativeSlope), x.Span, dx.Span, t, t);
        return tangent;
    }

    /// <summary>
    /// The pullback of LeakyReluTangent = (x &gt; 0 ? dx : slope·dx) + min(x, 0)·dSlope: where x ≤ 0,
    /// bx += seed·dSlope and bslope += Σ seed·dx; bdx += seed·(x &gt; 0 ? 1 : slope), bdSlope += Σ seed·min(x, 0).
    /// </summary>
    [DerivativeOf(nameof(LeakyReluTangent))]
    public static void LeakyReluTangentBackward(Tensor x, float negativeSlope, Tensor? dx, float dNegativeSlope, Tensor seed,
        Tensor? bx, ref float bNegativeSlope, Tensor? bDx, ref float bDNegativeSlope)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireElementwiseTangentBackward(nameof(LeakyReluTangentBackward), x, dx, seed, bx, bDx);
        ReadOnlySpan<float> v = x.Span, s = seed.Span;
        // x ≤ 0 is the slope's branch, as in the pushforward: there the result is slope·x, whose
        // mixed derivative in x and the slope is 1, and whose second derivative in x is 0.
        if (bx is not null && dNegativeSlope != 0f)
        {
            Span<float> b = bx.Span;
            for (int i = 0; i < v.Length; i++)
            {
                if (v[i] <= 0f) b[i] += s[i] * dNegativeSlope;
            }
        }
        if (dx is not null)
        {
            ReadOnlySpan<float> d = dx.Span;
            double slopeGradient = 0;
            for (int i = 0; i < v.Length; i++)
            {
                if (v[i] <= 0f) slopeGradient += (double)s[i] * d[i];
            }
            bNegativeSlope += (float)slopeGradient;
        }
        LeakyReluBackward(x, negativeSlope, seed, bDx, ref bDNegativeSlope);
    }

    /// <summary>Per row, with r = softmax(x): dx += r ⊙ (seed − ⟨seed, r⟩).</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Softmax))]
    public static void SoftmaxBackward(Tensor x, Tensor result, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(seed);
        RequireActivation(nameof(SoftmaxBackward), x, result, seed, dx);
        if (dx is null) return;
        int rowLength = x.Dim(-1);
        Kernels.ParallelRange.Run(new SoftmaxGradientRows(result.Values, seed.Values, dx.Values, rowLength), x.Length / rowLength,
            Math.Max(1, ParallelElementwise.Grain / rowLength));
    }

    /// <summary>SoftmaxBackward's rows, for both cores.</summary>
    private readonly struct SoftmaxGradientRows(float[] result, float[] seed, float[] dx, int rowLength) : Kernels.IRangeBody
    {
        public void Run(int startRow, int endRow)
        {
            for (int start = startRow * rowLength; start < endRow * rowLength; start += rowLength)
            {
                var r = result.AsSpan(start, rowLength);
                var s = seed.AsSpan(start, rowLength);
                var d = dx.AsSpan(start, rowLength);
                ElementwiseLoop.Map(new SoftmaxGradientKernel(TensorPrimitives.Dot(s, r)), r, s, d, d);
            }
        }
    }

    /// <summary>
    /// Per row, with r = softmax(x): r ⊙ (dx − ⟨dx, r⟩). The Jacobian diag(r) − r·rᵀ is symmetric,
    /// so the pullback, run with dx as its seed on a zeroed tangent, is the pushforward.
    /// </summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Softmax), Mode = DerivativeMode.Forward)]
    public static Tensor SoftmaxTangent(Tensor x, Tensor result, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        RequireActivationTangent(nameof(SoftmaxTangent), x, result, dx);
        Tensor tangent = Tensor.ZerosLike(result);
        if (dx is not null) SoftmaxBackward(x, result, dx, tangent);
        return tangent;
    }

    /// <summary>
    /// The pullback of SoftmaxTangent = r ⊙ (dx − ⟨dx, r⟩) per row, r = result: bresult += seed ⊙ (dx − ⟨dx, r⟩) − dx·⟨seed, r⟩,
    /// bdx += r ⊙ (seed − ⟨seed, r⟩) (x itself is not read).
    /// </summary>
    [DerivativeOf(nameof(SoftmaxTangent))]
    public static void SoftmaxTangentBackward(Tensor x, Tensor result, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bResult, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(seed);
        RequireActivationTangentBackward(nameof(SoftmaxTangentBackward), x, result, dx, seed, bx, bResult, bDx);
        if (bResult is not null && dx is not null)
        {
            int rowLength = x.Dim(-1);
            for (int start = 0; start < x.Length; start += rowLength)
            {
                ReadOnlySpan<float> r = result.Span.Slice(start, rowLength), s = seed.Span.Slice(start, rowLength), d = dx.Span.Slice(start, rowLength);
                Span<float> b = bResult.Span.Slice(start, rowLength);
                float tangentDotResult = TensorPrimitives.Dot(d, r), seedDotResult = TensorPrimitives.Dot(s, r);
                for (int k = 0; k < rowLength; k++)
                {
                    b[k] += s[k] * (d[k] - tangentDotResult) - d[k] * seedDotResult;
                }
            }
        }
        SoftmaxBackward(x, result, seed, bDx);
    }

    /// <summary>Per row, with r = log_softmax(x): dx += seed − exp(r)·Σ seed.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.LogSoftmax))]
    public static void LogSoftmaxBackward(Tensor x, Tensor result, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(seed);
        RequireActivation(nameof(LogSoftmaxBackward), x, result, seed, dx);
        if (dx is null) return;
        int rowLength = x.Dim(-1);
        for (int start = 0; start < x.Length; start += rowLength)
        {
            var r = result.Span.Slice(start, rowLength);
            var s = seed.Span.Slice(start, rowLength);
            var d = dx.Span.Slice(start, rowLength);
            ElementwiseLoop.Map(new LogSoftmaxGradientKernel(TensorPrimitives.Sum(s)), r, s, d, d);
        }
    }

    /// <summary>Per row, with r = log_softmax(x): dx − ⟨exp(r), dx⟩.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.LogSoftmax), Mode = DerivativeMode.Forward)]
    public static Tensor LogSoftmaxTangent(Tensor x, Tensor result, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        RequireActivationTangent(nameof(LogSoftmaxTangent), x, result, dx);
        Tensor tangent = Tensor.ZerosLike(result);
        if (dx is null) return tangent;
        int rowLength = x.Dim(-1);
        for (int start = 0; start < x.Length; start += rowLength)
        {
            ReadOnlySpan<float> d = dx.Span.Slice(start, rowLength);
            Span<float> t = tangent.Span.Slice(start, rowLength);
            // The row of the tangent holds softmax(x) = exp(r) until the dot product is taken, saving a scratch row.
            TensorPrimitives.Exp(result.Span.Slice(start, rowLength), t);
            TensorPrimitives.Subtract(d, TensorPrimitives.Dot(t, d), t);
        }
        return tangent;
    }

    /// <summary>
    /// The pullback of LogSoftmaxTangent = dx − ⟨exp(r), dx⟩ per row, r = result: bresult += −(Σ seed)·exp(r) ⊙ dx,
    /// bdx += seed − exp(r)·Σ seed (x itself is not read).
    /// </summary>
    [DerivativeOf(nameof(LogSoftmaxTangent))]
    public static void LogSoftmaxTangentBackward(Tensor x, Tensor result, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bResult, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(seed);
        RequireActivationTangentBackward(nameof(LogSoftmaxTangentBackward), x, result, dx, seed, bx, bResult, bDx);
        if (bResult is not null && dx is not null)
        {
            int rowLength = x.Dim(-1);
            for (int start = 0; start < x.Length; start += rowLength)
            {
                ReadOnlySpan<float> r = result.Span.Slice(start, rowLength), d = dx.Span.Slice(start, rowLength);
                Span<float> b = bResult.Span.Slice(start, rowLength);
                float seedSum = TensorPrimitives.Sum(seed.Span.Slice(start, rowLength));
                for (int k = 0; k < rowLength; k++)
                {
                    b[k] -= seedSum * MathF.Exp(r[k]) * d[k];
                }
            }
        }
        LogSoftmaxBackward(x, result, seed, bDx);
    }

    /// <summary>Checks a shape-preserving operation whose rule also reads its result.</summary>
    private static void RequireActivation(string rule, Tensor x, Tensor result, Tensor seed, Tensor? dx)
    {
        RequireElementwise(rule, x, seed, dx);
        RequireSeedLike(rule, seed, result);
    }

    /// <summary>Checks a shape-preserving operation's pushforward that also reads its result.</summary>
    private static void RequireActivationTangent(string rule, Tensor x, Tensor result, Tensor? dx)
    {
        TensorShape.RequireSame(rule, result, x);
        TensorShape.RequireTangent(rule, dx, x);
    }

    /// <summary>Checks the pullback of a shape-preserving operation's pushforward that also reads its result.</summary>
    private static void RequireActivationTangentBackward(string rule, Tensor x, Tensor result, Tensor? dx, Tensor seed,
        Tensor? bx, Tensor? bResult, Tensor? bDx)
    {
        RequireElementwiseTangentBackward(rule, x, dx, seed, bx, bDx);
        RequireSeedLike(rule, seed, result);
        TensorShape.RequireAccumulator(rule, bResult, result);
    }
}
