namespace Autodiff;

/// <summary>Which derivative a <see cref="DerivativeOfAttribute"/> method supplies.</summary>
public enum DerivativeMode
{
    /// <summary>A pullback (vector-Jacobian product): reverse mode, <c>FGradient</c> and <c>FPullback</c>. The default.</summary>
    Reverse,

    /// <summary>
    /// A pushforward (Jacobian-vector product): forward mode, <c>FTangent</c>. Its parameters are the
    /// target's, optionally <c>result</c>, then one tangent per differentiable parameter
    /// (<c>double dx</c> for scalars, <c>double[]? dv</c> for arrays: null is a zero direction); it
    /// returns the tangent of the result. An argument that does not vary gets an exact zero tangent,
    /// and its term must then be zero even where its partial derivative is infinite or NaN (the
    /// exponent's ln x in <c>Math.Pow(x, 3)</c> for x &lt; 0), as a pullback's discarded accumulator is.
    /// </summary>
    Forward,
}
