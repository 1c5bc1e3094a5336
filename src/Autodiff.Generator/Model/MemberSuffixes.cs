namespace Autodiff.Generator.Model;

/// <summary>
/// The suffixes of the members generated for a method <c>F</c> (<c>FGradient</c>, <c>FPullback</c>,
/// <c>FTangent</c>...): the emitters name their members with them, and the parser checks that the
/// user's type declares none of them already.
/// </summary>
internal static class MemberSuffixes
{
    public const string Gradient = "Gradient";
    public const string Pullback = "Pullback";
    public const string ForwardPass = "ForwardPass";
    public const string BackwardPass = "BackwardPass";
    public const string Tangent = "Tangent";
    public const string TangentProgram = "TangentProgram";
    public const string Jacobian = "Jacobian";
    public const string HessianVector = "HessianVector";
    public const string Hessian = "Hessian";
    public const string GraphMermaid = "GraphMermaid";
    public const string GraphDot = "GraphDot";

    /// <summary>The members a user's own declaration would collide with.</summary>
    public static readonly string[] Reserved = { Gradient, Pullback, ForwardPass, BackwardPass, Tangent, Jacobian, HessianVector, Hessian, GraphMermaid, GraphDot };
}
