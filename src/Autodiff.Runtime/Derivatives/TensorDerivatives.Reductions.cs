using System;
using System.Numerics.Tensors;

// Each rule is documented by its DerivativeOf target and the class summary; a summary per rule would repeat them.
#pragma warning disable CS1591

namespace Autodiff.Derivatives;

// Sums and means: the seed is spread back over the elements that were reduced.
public static partial class TensorDerivatives
{
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Sum))]
    public static void SumBackward(Tensor x, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireScalarSeed(nameof(SumBackward), seed);
        TensorShape.RequireAccumulator(nameof(SumBackward), dx, x);
        if (dx is not null) TensorPrimitives.Add(dx.Span, seed.Span[0], dx.Span);
    }

    /// <summary>The sum of dx.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Sum), Mode = DerivativeMode.Forward)]
    public static Tensor SumTangent(Tensor x, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(SumTangent), dx, x);
        return dx is null ? Tensor.Zeros() : Tensor.Sum(dx);
    }

    /// <summary>The pullback of SumTangent = Σ dx: bdx += seed everywhere; bx gets nothing (linear in dx, x not read).</summary>
    [DerivativeOf(nameof(SumTangent))]
    public static void SumTangentBackward(Tensor x, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireScalarSeed(nameof(SumTangentBackward), seed);
        RequireTangentAccumulators(nameof(SumTangentBackward), x, dx, bx, bDx);
        SumBackward(x, seed, bDx);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Sum))]
    public static void SumAxisBackward(Tensor x, int axis, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        SpreadAlongAxis(nameof(SumAxisBackward), x, axis, seed, dx, meanOver: false);
    }

    /// <summary>The sum of dx along the axis.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Sum), Mode = DerivativeMode.Forward)]
    public static Tensor SumAxisTangent(Tensor x, int axis, Tensor? dx) =>
        ReduceAlongAxisTangent(nameof(SumAxisTangent), x, axis, keepDim: false, dx, meanOver: false);

    /// <summary>The pullback of SumAxisTangent = Σ dx along the axis: bdx += seed along the axis; bx gets nothing (linear in dx, x not read).</summary>
    [DerivativeOf(nameof(SumAxisTangent))]
    public static void SumAxisTangentBackward(Tensor x, int axis, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireAxisReductionTangentBackward(nameof(SumAxisTangentBackward), x, axis, keepDim: false, dx, seed, bx, bDx);
        SumAxisBackward(x, axis, seed, bDx);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Mean))]
    public static void MeanBackward(Tensor x, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireScalarSeed(nameof(MeanBackward), seed);
        TensorShape.RequireAccumulator(nameof(MeanBackward), dx, x);
        if (dx is not null) TensorPrimitives.Add(dx.Span, seed.Span[0] / x.Length, dx.Span);
    }

    /// <summary>The mean of dx.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Mean), Mode = DerivativeMode.Forward)]
    public static Tensor MeanTangent(Tensor x, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(MeanTangent), dx, x);
        return dx is null ? Tensor.Zeros() : Tensor.Mean(dx);
    }

    /// <summary>The pullback of MeanTangent = mean(dx): bdx += seed/n everywhere; bx gets nothing (linear in dx, x not read).</summary>
    [DerivativeOf(nameof(MeanTangent))]
    public static void MeanTangentBackward(Tensor x, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireScalarSeed(nameof(MeanTangentBackward), seed);
        RequireTangentAccumulators(nameof(MeanTangentBackward), x, dx, bx, bDx);
        MeanBackward(x, seed, bDx);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Mean))]
    public static void MeanAxisBackward(Tensor x, int axis, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        SpreadAlongAxis(nameof(MeanAxisBackward), x, axis, seed, dx, meanOver: true);
    }

    /// <summary>The mean of dx along the axis.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Mean), Mode = DerivativeMode.Forward)]
    public static Tensor MeanAxisTangent(Tensor x, int axis, Tensor? dx) =>
        ReduceAlongAxisTangent(nameof(MeanAxisTangent), x, axis, keepDim: false, dx, meanOver: true);

    /// <summary>The pullback of MeanAxisTangent = mean(dx) along the axis: bdx += seed/n along the axis; bx gets nothing (linear in dx, x not read).</summary>
    [DerivativeOf(nameof(MeanAxisTangent))]
    public static void MeanAxisTangentBackward(Tensor x, int axis, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireAxisReductionTangentBackward(nameof(MeanAxisTangentBackward), x, axis, keepDim: false, dx, seed, bx, bDx);
        MeanAxisBackward(x, axis, seed, bDx);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Sum))]
    public static void SumAxisBackward(Tensor x, int axis, bool keepDim, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        SpreadAlongAxis(nameof(SumAxisBackward), x, axis, seed, dx, meanOver: false, keepDim);
    }

    /// <summary>The sum of dx along the axis, kept with length 1 when keepDim is set.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Sum), Mode = DerivativeMode.Forward)]
    public static Tensor SumAxisTangent(Tensor x, int axis, bool keepDim, Tensor? dx) =>
        ReduceAlongAxisTangent(nameof(SumAxisTangent), x, axis, keepDim, dx, meanOver: false);

    /// <summary>The pullback of SumAxisTangent = Σ dx along the axis: bdx += seed along the axis; bx gets nothing (linear in dx, x not read).</summary>
    [DerivativeOf(nameof(SumAxisTangent))]
    public static void SumAxisTangentBackward(Tensor x, int axis, bool keepDim, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireAxisReductionTangentBackward(nameof(SumAxisTangentBackward), x, axis, keepDim, dx, seed, bx, bDx);
        SumAxisBackward(x, axis, keepDim, seed, bDx);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Mean))]
    public static void MeanAxisBackward(Tensor x, int axis, bool keepDim, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        SpreadAlongAxis(nameof(MeanAxisBackward), x, axis, seed, dx, meanOver: true, keepDim);
    }

    /// <summary>The mean of dx along the axis, kept with length 1 when keepDim is set.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Mean), Mode = DerivativeMode.Forward)]
    public static Tensor MeanAxisTangent(Tensor x, int axis, bool keepDim, Tensor? dx) =>
        ReduceAlongAxisTangent(nameof(MeanAxisTangent), x, axis, keepDim, dx, meanOver: true);

    /// <summary>The pullback of MeanAxisTangent = mean(dx) along the axis: bdx += seed/n along the axis; bx gets nothing (linear in dx, x not read).</summary>
    [DerivativeOf(nameof(MeanAxisTangent))]
    public static void MeanAxisTangentBackward(Tensor x, int axis, bool keepDim, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireAxisReductionTangentBackward(nameof(MeanAxisTangentBackward), x, axis, keepDim, dx, seed, bx, bDx);
        MeanAxisBackward(x, axis, keepDim, seed, bDx);
    }

    /// <summary>Each seed element goes to the first largest element of its line along the axis, as PyTorch's max(dim) routes it.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Max))]
    public static void MaxAxisBackward(Tensor x, int axis, bool keepDim, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        Tensor.AxisLayout layout = Tensor.LayoutAround(nameof(MaxAxisBackward), x, axis);
        RequireSeedAlongAxis(nameof(MaxAxisBackward), x, axis, keepDim, seed);
        TensorShape.RequireAccumulator(nameof(MaxAxisBackward), dx, x);
        if (dx is null || layout.Length == 0) return;
        ReadOnlySpan<float> input = x.Span, s = seed.Span;
        Span<float> d = dx.Span;
        for (int o = 0; o < layout.Outer; o++)
        {
            for (int i = 0; i < layout.Inner; i++)
            {
                d[Tensor.MaxIndex(input, layout, o, i)] += s[o * layout.Inner + i];
            }
        }
    }

    /// <summary>dx at the first largest element of each line along the axis, the element the pullback routes the seed to.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Max), Mode = DerivativeMode.Forward)]
    public static Tensor MaxAxisTangent(Tensor x, int axis, bool keepDim, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor.AxisLayout layout = Tensor.LayoutAround(nameof(MaxAxisTangent), x, axis);
        TensorShape.RequireTangent(nameof(MaxAxisTangent), dx, x);
        Tensor tangent = ZerosAlongAxis(x, axis, keepDim);
        if (dx is null || layout.Length == 0) return tangent;
        ReadOnlySpan<float> input = x.Span, d = dx.Span;
        Span<float> t = tangent.Span;
        for (int o = 0; o < layout.Outer; o++)
        {
            for (int i = 0; i < layout.Inner; i++)
            {
                t[o * layout.Inner + i] = d[Tensor.MaxIndex(input, layout, o, i)];
            }
        }
        return tangent;
    }

    /// <summary>
    /// The pullback of MaxAxisTangent = dx at each line's first largest element: bdx += seed there; bx gets
    /// nothing (x only picks the element, so Max's second derivative is 0, as in PyTorch).
    /// </summary>
    [DerivativeOf(nameof(MaxAxisTangent))]
    public static void MaxAxisTangentBackward(Tensor x, int axis, bool keepDim, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireAxisReductionTangentBackward(nameof(MaxAxisTangentBackward), x, axis, keepDim, dx, seed, bx, bDx);
        MaxAxisBackward(x, axis, keepDim, seed, bDx);
    }

    /// <summary>dx[o, k, i] += seed[o, i] (divided by the axis length for a mean).</summary>
    private static void SpreadAlongAxis(string rule, Tensor x, int axis, Tensor seed, Tensor? dx, bool meanOver, bool keepDim = false)
    {
        Tensor.AxisLayout layout = Tensor.LayoutAround(rule, x, axis);
        RequireSeedAlongAxis(rule, x, axis, keepDim, seed);
        TensorShape.RequireAccumulator(rule, dx, x);
        if (dx is null) return;
        (int outer, int length, int inner) = layout;
        float scale = meanOver ? 1f / length : 1f;
        var s = seed.Span;
        var d = dx.Span;
        for (int o = 0; o < outer; o++)
        {
            if (inner == 1)
            {
                var block = d.Slice(o * length, length);
                TensorPrimitives.Add(block, s[o] * scale, block);
                continue;
            }
            var seedRow = s.Slice(o * inner, inner);
            for (int k = 0; k < length; k++)
            {
                Broadcasting.AddScaled(d.Slice((o * length + k) * inner, inner), seedRow, scale);
            }
        }
    }

    /// <summary>Sums and means are linear: the tangent is the same reduction of dx.</summary>
    private static Tensor ReduceAlongAxisTangent(string rule, Tensor x, int axis, bool keepDim, Tensor? dx, bool meanOver)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor.LayoutAround(rule, x, axis);
        TensorShape.RequireTangent(rule, dx, x);
        if (dx is null) return ZerosAlongAxis(x, axis, keepDim);
        return meanOver ? Tensor.Mean(dx, axis, keepDim) : Tensor.Sum(dx, axis, keepDim);
    }

    /// <summary>Zeros of the shape a reduction of x along the axis has (the axis already checked).</summary>
    private static Tensor ZerosAlongAxis(Tensor x, int axis, bool keepDim)
    {
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        int rank = Tensor.ReducedShape(x.Shape, axis, keepDim, shape);
        return Tensor.Zeros(shape[..rank]);
    }

    private static void RequireSeedAlongAxis(string rule, Tensor x, int axis, bool keepDim, Tensor seed)
    {
        System.Span<int> shape = stackalloc int[Tensor.MaxRank];
        int rank = Tensor.ReducedShape(x.Shape, axis, keepDim, shape);
        RequireSeedShape(rule, seed, shape[..rank]);
    }

    /// <summary>Checks the pullback of a reduction's pushforward along an axis: the axis, the seed's reduced shape, tangent and accumulators.</summary>
    private static void RequireAxisReductionTangentBackward(string rule, Tensor x, int axis, bool keepDim, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        Tensor.LayoutAround(rule, x, axis);
        RequireSeedAlongAxis(rule, x, axis, keepDim, seed);
        RequireTangentAccumulators(rule, x, dx, bx, bDx);
    }
}
