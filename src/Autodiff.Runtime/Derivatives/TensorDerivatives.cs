using System;

namespace Autodiff.Derivatives;

/// <summary>
/// Backward rules (pullbacks) of the <see cref="Tensor"/> operations, declared exactly as a user
/// declares a custom derivative with <see cref="DerivativeOfAttribute"/>, and named after
/// PyTorch's <c>grad_fn</c> nodes (<c>MatMulBackward</c>, <c>ExpBackward</c>, ...).
/// </summary>
/// <remarks>
/// <para>
/// Parameters: the operation's own parameters; <c>result</c>, the forward output, where the rule
/// is cheaper with it; <c>seed</c>, the gradient arriving at the output (its shape); then one
/// accumulator per differentiable parameter: <c>Tensor?</c> for a tensor (<see langword="null"/>
/// when no gradient is wanted, and the work is skipped), <c>ref float</c> for a float; integer
/// parameters get none. For instance members (<c>Reshape</c>, <c>Item</c>, the indexers, named
/// <c>get_Element</c> in metadata) the receiver comes first, as parameter <c>x</c>.
/// </para>
/// <para>
/// Every rule adds <c>seed · ∂op/∂p</c> into its accumulators and never overwrites them.
/// Broadcast operands receive the gradient summed back to their own shape. Rules check that
/// the seed and the accumulators have the shapes of the output and the operands. In steady
/// state they allocate nothing: matrix products accumulate through Gemm, element-wise formulas
/// are fused into single passes, and the little scratch some broadcasting cases need comes from
/// the current <see cref="TensorWorkspace"/>.
/// </para>
/// <para>
/// Kinks follow PyTorch: Relu'(0) = 0; LeakyRelu'(0) = the negative slope; Sqrt'(0) = +∞.
/// </para>
/// </remarks>
public static partial class TensorDerivatives
{
    /// <summary>Throws unless <paramref name="seed"/> has the shape of <paramref name="like"/> (the output of a shape-preserving operation).</summary>
    private static void RequireSeedLike(string rule, Tensor seed, Tensor like)
    {
        if (!seed.Shape.SequenceEqual(like.Shape))
        {
            throw new ShapeMismatchException(
                $"{rule}: seed of shape {TensorShape.Format(seed.Shape)} does not match the output shape {TensorShape.Format(like.Shape)}.");
        }
    }

    /// <summary>Throws unless <paramref name="seed"/> has the given output shape.</summary>
    private static void RequireSeedShape(string rule, Tensor seed, ReadOnlySpan<int> shape)
    {
        if (!seed.Shape.SequenceEqual(shape))
        {
            throw new ShapeMismatchException(
                $"{rule}: seed of shape {TensorShape.Format(seed.Shape)} does not match the output shape {TensorShape.Format(shape)}.");
        }
    }

    /// <summary>
    /// The checks every pullback of a pushforward shares, under that rule's name: the tangent and both
    /// accumulators (the input's and the tangent's) have x's shape.
    /// </summary>
    private static void RequireTangentAccumulators(string rule, Tensor x, Tensor? dx, Tensor? bx, Tensor? bDx)
    {
        TensorShape.RequireTangent(rule, dx, x);
        TensorShape.RequireAccumulator(rule, bx, x);
        TensorShape.RequireAccumulator(rule, bDx, x);
    }

    /// <summary>The same for a shape-preserving operation, whose seed has x's shape too.</summary>
    private static void RequireElementwiseTangentBackward(string rule, Tensor x, Tensor? dx, Tensor seed, Tensor? bx, Tensor? bDx)
    {
        RequireSeedLike(rule, seed, x);
        RequireTangentAccumulators(rule, x, dx, bx, bDx);
    }

    /// <summary>Throws unless <paramref name="seed"/> is the one-element gradient of a rank-0 result.</summary>
    private static void RequireScalarSeed(string rule, Tensor seed)
    {
        if (seed.Length != 1)
        {
            throw new ShapeMismatchException(
                $"{rule}: the output is a scalar, so the seed must have one element, got shape {TensorShape.Format(seed.Shape)}.");
        }
    }
}
