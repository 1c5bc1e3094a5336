using System;
using System.Numerics.Tensors;

// Each rule is documented by its DerivativeOf target and the class summary; a summary per rule would repeat them.
#pragma warning disable CS1591

namespace Autodiff.Derivatives;

// Permute, CausalMask and LayerNorm.
public static partial class TensorDerivatives
{
    /// <summary>Each seed element goes back to the element it came from.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Permute))]
    public static void PermuteBackward(Tensor x, int[] axes, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(axes);
        PermuteCoreBackward(x, axes, seed, dx);
    }

    /// <summary>Permute(dx, axes): each tangent element moves with the element it belongs to.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Permute), Mode = DerivativeMode.Forward)]
    public static Tensor PermuteTangent(Tensor x, int[] axes, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(axes);
        TensorShape.RequireTangent(nameof(PermuteTangent), dx, x);
        return dx is null ? ClearedStandIn(Tensor.Permute(x, axes)) : Tensor.Permute(dx, axes);
    }

    /// <summary>The pullback of PermuteTangent = Permute(dx, axes): bx gets nothing (the tangent is linear in dx and does not read x); bDx += the seed permuted back.</summary>
    [DerivativeOf(nameof(PermuteTangent))]
    public static void PermuteTangentBackward(Tensor x, int[] axes, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(axes);
        ArgumentNullException.ThrowIfNull(seed);
        RequireTangentAccumulators(nameof(PermuteTangentBackward), x, dx, bx, bDx);
        PermuteBackward(x, axes, seed, bDx);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Permute))]
    public static void Permute3Backward(Tensor x, int a0, int a1, int a2, Tensor seed, Tensor? dx) =>
        PermuteCoreBackward(x, [a0, a1, a2], seed, dx);

    /// <summary>Permute(dx, a0, a1, a2).</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Permute), Mode = DerivativeMode.Forward)]
    public static Tensor Permute3Tangent(Tensor x, int a0, int a1, int a2, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(Permute3Tangent), dx, x);
        return dx is null ? ClearedStandIn(Tensor.Permute(x, a0, a1, a2)) : Tensor.Permute(dx, a0, a1, a2);
    }

    /// <summary>The pullback of Permute3Tangent = Permute(dx, a0, a1, a2): bx gets nothing (the tangent is linear in dx and does not read x); bDx += the seed permuted back.</summary>
    [DerivativeOf(nameof(Permute3Tangent))]
    public static void Permute3TangentBackward(Tensor x, int a0, int a1, int a2, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireTangentAccumulators(nameof(Permute3TangentBackward), x, dx, bx, bDx);
        Permute3Backward(x, a0, a1, a2, seed, bDx);
    }

    [DerivativeOf(typeof(Tensor), nameof(Tensor.Permute))]
    public static void Permute4Backward(Tensor x, int a0, int a1, int a2, int a3, Tensor seed, Tensor? dx) =>
        PermuteCoreBackward(x, [a0, a1, a2, a3], seed, dx);

    /// <summary>Permute(dx, a0, a1, a2, a3).</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.Permute), Mode = DerivativeMode.Forward)]
    public static Tensor Permute4Tangent(Tensor x, int a0, int a1, int a2, int a3, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorShape.RequireTangent(nameof(Permute4Tangent), dx, x);
        return dx is null ? ClearedStandIn(Tensor.Permute(x, a0, a1, a2, a3)) : Tensor.Permute(dx, a0, a1, a2, a3);
    }

    /// <summary>The pullback of Permute4Tangent = Permute(dx, a0, a1, a2, a3): bx gets nothing (the tangent is linear in dx and does not read x); bDx += the seed permuted back.</summary>
    [DerivativeOf(nameof(Permute4Tangent))]
    public static void Permute4TangentBackward(Tensor x, int a0, int a1, int a2, int a3, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        RequireTangentAccumulators(nameof(Permute4TangentBackward), x, dx, bx, bDx);
        Permute4Backward(x, a0, a1, a2, a3, seed, bDx);
    }

    private static void PermuteCoreBackward(Tensor x, ReadOnlySpan<int> axes, Tensor seed, Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(seed);
        Span<int> shape = stackalloc int[x.Rank];
        Span<int> sourceStrides = stackalloc int[Tensor.MaxRank];
        Tensor.PermutedLayout(nameof(PermuteBackward), x, axes, shape, sourceStrides);
        RequireSeedShape(nameof(PermuteBackward), seed, shape);
        TensorShape.RequireAccumulator(nameof(PermuteBackward), dx, x);
        if (dx is not null) Tensor.PermuteInto(seed.Span, dx.Span, shape, sourceStrides, accumulate: true);
    }

    /// <summary>The seed passes where the scores were kept (on and below the diagonal); masked scores get nothing.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.CausalMask))]
    public static void CausalMaskBackward(Tensor scores, Tensor seed, Tensor? dScores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(seed);
        (int rows, int columns) = Tensor.MaskShape(nameof(CausalMaskBackward), scores);
        RequireElementwise(nameof(CausalMaskBackward), scores, seed, dScores);
        if (dScores is null) return;
        ReadOnlySpan<float> s = seed.Span;
        Span<float> d = dScores.Span;
        for (int start = 0; start < s.Length; start += rows * columns)
        {
            for (int i = 0; i < rows; i++)
            {
                int row = start + i * columns, kept = Math.Min(i + 1, columns);
                TensorPrimitives.Add(d.Slice(row, kept), s.Slice(row, kept), d.Slice(row, kept));
            }
        }
    }

    /// <summary>dScores on and below the diagonal, 0 above it (the masked scores are the constant −∞).</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.CausalMask), Mode = DerivativeMode.Forward)]
    public static Tensor CausalMaskTangent(Tensor scores, Tensor? dScores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        Tensor.MaskShape(nameof(CausalMaskTangent), scores);
        TensorShape.RequireTangent(nameof(CausalMaskTangent), dScores, scores);
        Tensor tangent = Tensor.ZerosLike(scores);
        // Keeping or masking is a diagonal 0/1 Jacobian: the pullback, run on a zeroed tangent, is the pushforward.
        if (dScores is not null) CausalMaskBackward(scores, dScores, tangent);
        return tangent;
    }

    /// <summary>The pullback of CausalMaskTangent = dScores on and below the diagonal: bdScores += seed there; bScores gets nothing (linear in dScores).</summary>
    [DerivativeOf(nameof(CausalMaskTangent))]
    public static void CausalMaskTangentBackward(Tensor scores, Tensor? dScores, Tensor seed, Tensor? bScores, Tensor? bDScores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(seed);
        Tensor.MaskShape(nameof(CausalMaskTangentBackward), scores);
        RequireElementwiseTangentBackward(nameof(CausalMaskTangentBackward), scores, dScores, seed, bScores, bDScores);
        CausalMaskBackward(scores, seed, bDScores);
    }

    /// <summary>
    /// With x̂ = (x − μ)·r, r = 1/√(σ² + ε) and g = seed·γ per row: dx += r·(g − mean(g) − x̂·mean(g·x̂)),
    /// dγ += Σ seed·x̂, dβ += Σ seed, dε += Σ −½·g·x̂·r².
    /// </summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.LayerNorm))]
    public static void LayerNormBackward(Tensor x, Tensor gamma, Tensor beta, float epsilon, Tensor seed,
        Tensor? dx, Tensor? dGamma, Tensor? dBeta, ref float dEpsilon)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(gamma);
        ArgumentNullException.ThrowIfNull(beta);
        ArgumentNullException.ThrowIfNull(seed);
        int width = Tensor.LayerNormWidth(nameof(LayerNormBackward), x, gamma, beta);
        RequireElementwise(nameof(LayerNormBackward), x, seed, dx);
        TensorShape.RequireAccumulator(nameof(LayerNormBackward), dGamma, gamma);
        TensorShape.RequireAccumulator(nameof(LayerNormBackward), dBeta, beta);
        ReadOnlySpan<float> input = x.Span, s = seed.Span, scale = gamma.Span;
        Span<float> gammaGradient = dGamma is null ? default : dGamma.Span, betaGradient = dBeta is null ? default : dBeta.Span;
        double epsilonGradient = 0;
        // x̂ and g = seed·γ of one row at a time.
        float[] rented = width > 512 ? System.Buffers.ArrayPool<float>.Shared.Rent(2 * width) : null!;
        Span<float> scratch = width > 512 ? rented.AsSpan(0, 2 * width) : stackalloc float[2 * width];
        Span<float> xHat = scratch.Slice(0, width), g = scratch.Slice(width, width);
        for (int start = 0; start < input.Length; start += width)
        {
            ReadOnlySpan<float> row = input.Slice(start, width), rowSeed = s.Slice(start, width);
            (float mean, float r) = Tensor.RowStatistics(row, epsilon);
            TensorPrimitives.Add(row, -mean, xHat);
            TensorPrimitives.Multiply(xHat, r, xHat);
            TensorPrimitives.Multiply(rowSeed, scale, g);
            if (dGamma is not null) TensorPrimitives.MultiplyAdd(rowSeed, xHat, gammaGradient, gammaGradient);
            if (dBeta is not null) TensorPrimitives.Add(betaGradient, rowSeed, betaGradient);
            float meanG = TensorPrimitives.Sum(g) / width;
            float meanGx = TensorPrimitives.Dot(g, xHat) / width;
            // ∂x̂/∂ε = −½·x̂·r², so Σ g·∂x̂/∂ε = −½·r²·Σ g·x̂.
            epsilonGradient += -0.5 * r * r * meanGx * width;
            if (dx is null) continue;
            // dx += r·(g − mean(g) − x̂·mean(g·x̂)), as g·r − (x̂·(r·mean(g·x̂)) + r·mean(g)).
            Span<float> d = dx.Span.Slice(start, width);
            TensorPrimitives.MultiplyAdd(xHat, -meanGx, g, g);
            TensorPrimitives.Add(g, -meanG, g);
            TensorPrimitives.MultiplyAdd(g, r, d, d);
        }
        if (width > 512)
        {
            System.Buffers.ArrayPool<float>.Shared.Return(rented);
        }
        dEpsilon += (float)epsilonGradient;
    }

    /// <summary>With x̂ = (x − μ)·r per row: dy = γ·(r·(dx − mean(dx)) − x̂·(r·mean(x̂·dx) + ½·r²·dε)) + dγ·x̂ + dβ.</summary>
    [DerivativeOf(typeof(Tensor), nameof(Tensor.LayerNorm), Mode = DerivativeMode.Forward)]
    public static Tensor LayerNormTangent(Tensor x, Tensor gamma, Tensor beta, float epsilon,
        Tensor? dx, Tensor? dGamma, Tensor? dBeta, float dEpsilon)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(gamma);
        ArgumentNullException.ThrowIfNull(beta);
        int width = Tensor.LayerNormWidth(nameof(LayerNormTangent), x, gamma, beta);
        TensorShape.RequireTangent(nameof(LayerNormTangent), dx, x);
        TensorShape.RequireTangent(nameof(LayerNormTangent), dGamma, gamma);
        TensorShape.RequireTangent(nameof(LayerNormTangent), dBeta, beta);
        Tensor tangent = Tensor.ZerosLike(x);
        ReadOnlySpan<float> input = x.Span, scale = gamma.Span;
        Span<float> xHat = TensorWorkspace.Allocate([width], TensorInit.Uninitialized).Span;
        for (int start = 0; start < input.Length; start += width)
        {
            ReadOnlySpan<float> row = input.Slice(start, width);
            Span<float> t = tangent.Span.Slice(start, width);
            (float mean, float r) = Tensor.RowStatistics(row, epsilon);
            TensorPrimitives.Add(row, -mean, xHat);
            TensorPrimitives.Multiply(xHat, r, xHat);
            // dx̂ = r·(dx − mean(dx)) − k·x̂, where k holds the variance's tangent through dx and ε.
            float k = 0.5f * r * r * dEpsilon;
            if (dx is not null)
            {
                ReadOnlySpan<float> rowTangent = dx.Span.Slice(start, width);
                k += r * TensorPrimitives.Dot(xHat, rowTangent) / width;
                TensorPrimitives.Multiply(rowTangent, r, t);
                TensorPrimitives.Add(t, -r * TensorPrimitives.Sum(rowTangent) / width, t);
            }
            TensorPrimitives.MultiplyAdd(xHat, -k, t, t);
            TensorPrimitives.Multiply(t, scale, t);
            if (dGamma is not null) TensorPrimitives.MultiplyAdd(xHat, dGamma.Span, t, t);
            if (dBeta is not null) TensorPrimitives.Add(t, dBeta.Span, t);
        }
        return tangent;
    }

    /// <summary>
    /// The pullback of LayerNormTangent = γ·dx̂ + dγ·x̂ + dβ, where per row dx̂ = r·dc − k·x̂, dc = dx − mean(dx),
    /// k = r·mean(x̂·dc) + ½·r²·dε and g = seed·γ: the tangents get LayerNormBackward; dγ·x̂ gives x and ε
    /// LayerNormBackward's parts with dγ for γ; ⟨g, dx̂⟩ gives bx += −(r/n)·(A − 3kG)·x̂ − (r²G/n)·dc − r·k·(g − mean(g))
    /// and bε += −½·r²·(A − 3kG), with A = r·⟨g, dc⟩, G = ⟨g, x̂⟩; bγ += Σ seed·dx̂; β is not read.
    /// </summary>
    [DerivativeOf(nameof(LayerNormTangent))]
    public static void LayerNormTangentBackward(Tensor x, Tensor gamma, Tensor beta, float epsilon,
        Tensor? dx, Tensor? dGamma, Tensor? dBeta, float dEpsilon, Tensor seed,
        Tensor? bx, Tensor? bGamma, Tensor? bBeta, ref float bEpsilon, Tensor? bDx, Tensor? bDGamma, Tensor? bDBeta, ref float bDEpsilon)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(gamma);
        ArgumentNullException.ThrowIfNull(beta);
        ArgumentNullException.ThrowIfNull(seed);
        const string rule = nameof(LayerNormTangentBackward);
        int width = Tensor.LayerNormWidth(rule, x, gamma, beta);
        RequireElementwise(rule, x, seed, bx);
        TensorShape.RequireTangent(rule, dx, x);
        TensorShape.RequireTangent(rule, dGamma, gamma);
        TensorShape.RequireTangent(rule, dBeta, beta);
        TensorShape.RequireAccumulator(rule, bGamma, gamma);
        TensorShape.RequireAccumulator(rule, bBeta, beta);
        TensorShape.RequireAccumulator(rule, bDx, x);
        TensorShape.RequireAccumulator(rule, bDGamma, gamma);
        TensorShape.RequireAccumulator(rule, bDBeta, beta);
        // The tangent is LayerNorm's Jacobian applied to (dx, dγ, dβ, dε): its transpose is LayerNorm's pullback.
        LayerNormBackward(x, gamma, beta, epsilon, seed, bDx, bDGamma, bDBeta, ref bDEpsilon);
        // dγ·x̂ is LayerNorm's output with dγ for γ and no β, so its derivative in (x, ε) is that pullback's.
        if (dGamma is not null) LayerNormBackward(x, dGamma, beta, epsilon, seed, bx, null, null, ref bEpsilon);
        if (dx is null && dEpsilon == 0f) return; // dx̂ = 0: γ·dx̂ depends on nothing
        ReadOnlySpan<float> input = x.Span, s = seed.Span, scale = gamma.Span;
        Span<float> xGradient = bx is null ? default : bx.Span, gammaGradient = bGamma is null ? default : bGamma.Span;
        double epsilonGradient = 0;
        for (int start = 0; start < input.Length; start += width)
        {
            ReadOnlySpan<float> row = input.Slice(start, width), rowSeed = s.Slice(start, width);
            ReadOnlySpan<float> rowTangent = dx is null ? default : dx.Span.Slice(start, width);
            (float mean, float r) = Tensor.RowStatistics(row, epsilon);
            double tangentMean = dx is null ? 0 : TensorPrimitives.Sum(rowTangent) / width;
            double gMean = TensorPrimitives.Dot(rowSeed, scale) / width;
            // ⟨g, dc⟩, ⟨g, x̂⟩ and ⟨x̂, dc⟩ of the row, in double.
            double gDc = 0, gXHat = 0, xHatDc = 0;
            for (int i = 0; i < width; i++)
            {
                double xHat = (row[i] - mean) * r, dc = dx is null ? 0 : rowTangent[i] - tangentMean, g = rowSeed[i] * scale[i];
                gDc += g * dc;
                gXHat += g * xHat;
                xHatDc += xHat * dc;
            }
            double k = r * xHatDc / width + 0.5 * r * r * dEpsilon;
            // A − 3kG: ⟨g, dx̂⟩ = r·⟨g, dc⟩ − k·G moves with r through both terms (k holds r²).
            double curvature = r * gDc - 3 * k * gXHat;
            epsilonGradient += -0.5 * r * r * curvature;
            for (int i = 0; i < width; i++)
            {
                double xHat = (row[i] - mean) * r, dc = dx is null ? 0 : rowTangent[i] - tangentMean, g = rowSeed[i] * scale[i];
                if (bGamma is not null) gammaGradient[i] += (float)(rowSeed[i] * (r * dc - k * xHat));
                if (bx is not null)
                {
                    xGradient[start + i] += (float)(-r / width * curvature * xHat - r * r * gXHat / width * dc - r * k * (g - gMean));
                }
            }
        }
        bEpsilon += (float)epsilonGradient;
    }
}
