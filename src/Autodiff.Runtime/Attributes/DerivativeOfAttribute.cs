using System;

namespace Autodiff;

/// <summary>
/// Declares the marked method as the pullback (backward rule) of another method, like a
/// custom <c>torch.autograd.Function.backward</c>. The generator calls it wherever a
/// differentiable method calls the target.
/// </summary>
/// <remarks>
/// The pullback's parameters are, in order: the target's parameters (same types); optionally
/// <c>result</c>, the target's return value as the forward pass computed it; <c>seed</c>, the
/// incoming gradient (the target's return type); then one accumulator for each differentiable
/// parameter of the target (<c>ref double</c> / <c>ref float</c> for scalars, the same array or
/// tensor type for arrays and tensors, which may be <see langword="null"/> when that argument
/// needs no gradient). A pullback adds <c>seed * ∂target/∂p</c> into each accumulator and never
/// overwrites it. Its return value, if any, is ignored.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class DerivativeOfAttribute : Attribute
{
    /// <summary>The target is a method of the pullback's own type.</summary>
    public DerivativeOfAttribute(string methodName)
    {
        MethodName = methodName;
    }

    /// <summary>The target is a method of <paramref name="type"/>, for example <c>typeof(Math)</c>.</summary>
    public DerivativeOfAttribute(Type type, string methodName)
    {
        Type = type;
        MethodName = methodName;
    }

    /// <summary>The type declaring the target, or <see langword="null"/> for the pullback's own type.</summary>
    public Type? Type { get; }

    /// <summary>The name of the target method (operators by their metadata name, e.g. <c>op_Addition</c>).</summary>
    public string MethodName { get; }

    /// <summary>
    /// The target is a step function (<c>Floor</c>, <c>Round</c>, a quantiser): its derivative is zero
    /// wherever it exists, and the pullback adds nothing. Forward mode then treats the result as a
    /// constant, so its tangent is an exact zero that never meets an infinite derivative further on
    /// (<c>Math.Sqrt(Math.Floor(x))</c> at 0 has tangent 0, not 0 · ∞ = NaN).
    /// </summary>
    public bool Zero { get; set; }

    /// <summary>
    /// <see cref="DerivativeMode.Reverse"/> (the default): the method is a pullback.
    /// <see cref="DerivativeMode.Forward"/>: it is a pushforward, used by forward mode (<c>FTangent</c>),
    /// which otherwise runs a scalar target's pullback with the tangent as its seed; a target over
    /// arrays needs one.
    /// </summary>
    public DerivativeMode Mode { get; set; }
}
