using Autodiff.Generator.Model;

namespace Autodiff.Generator.Emit;

/// <summary>
/// Split mode for calls between [Differentiable] methods. Joint mode, a callee's pullback, runs the
/// callee's forward pass again inside the caller's backward pass: every call is computed twice.
/// In split mode the caller's forward pass calls <c>GForwardPass</c>, which computes the value and
/// leaves what G's backward pass reads on the caller's <c>Residuals</c>, and the caller's backward
/// pass calls <c>GBackwardPass</c>, which takes them back. Only methods that another
/// [Differentiable] method calls get the two members (a model's, called on this or on a sub-model,
/// too); a callee that cannot leave its state behind (arrays written for the caller, results that
/// are arrays) gets members that forward to the joint ones, so callers never need to know which.
/// Tensor members allocate in the caller's workspace rather than their own: the tensors they leave
/// on the residuals then live as long as the caller's pass does.
/// </summary>
internal static class SplitMode
{
    public const string ForwardSuffix = MemberSuffixes.ForwardPass;
    public const string BackwardSuffix = MemberSuffixes.BackwardPass;
    private const string PullbackSuffix = MemberSuffixes.Pullback;

    /// <summary>Whether the caller runs this call's backward pass in split mode.</summary>
    public static bool Applies(Invocation call, MethodContext context) =>
        (call.Type.IsScalar || call.Type.IsTensor) && context.Rules.UsesGeneratedPullback(call.Callee) && (call.Callee.ModelMethod || call.Receiver is null)
        && context.SplitCallees.Contains(call.Callee.RuleKey)
        && call.Callee.Pullback!.EndsWith(PullbackSuffix, System.StringComparison.Ordinal);

    /// <summary>
    /// The callee's split member, printed like its pullback (<c>global::N.T.GForwardPass</c>; a model
    /// method's by its name alone, printed after its receiver, <c>this.Blocks[i].</c>).
    /// </summary>
    public static string Member(Callee callee, string suffix) =>
        callee.Pullback!.Substring(0, callee.Pullback.Length - PullbackSuffix.Length) + suffix;

    /// <summary>Whether a method keeps its state for a split backward pass, or forwards to its joint members.</summary>
    public static bool CanSplit(MethodSpec spec, int writtenParameters) =>
        writtenParameters == 0 && (spec.ReturnType.IsScalar || spec.ReturnType.IsTensor);
}
