using Autodiff.Generator.Model;

namespace Autodiff.Generator.Emit;

/// <summary>
/// Split mode for calls between [Differentiable] methods. Joint mode, a callee's pullback, runs the
/// callee's forward pass again inside the caller's backward pass: every call is computed twice.
/// In split mode the caller's forward pass calls <c>GForwardPass</c>, which computes the value and
/// leaves what G's backward pass reads on the caller's <c>Residuals</c>, and the caller's backward
/// pass calls <c>GBackwardPass</c>, which takes them back. Only static methods that another
/// [Differentiable] method calls get the two members; a callee that cannot leave its state behind
/// (tensors, instance methods, arrays written for the caller) gets members that forward to the
/// joint ones, so callers never need to know which.
/// </summary>
internal static class SplitMode
{
    public const string ForwardSuffix = MemberSuffixes.ForwardPass;
    public const string BackwardSuffix = MemberSuffixes.BackwardPass;
    private const string PullbackSuffix = MemberSuffixes.Pullback;

    /// <summary>Whether the caller runs this call's backward pass in split mode.</summary>
    public static bool Applies(Invocation call, MethodContext context) =>
        call.Type.IsScalar && context.Rules.UsesGeneratedPullback(call.Callee) && !call.Callee.ModelMethod && call.Receiver is null
        && context.SplitCallees.Contains(call.Callee.RuleKey)
        && call.Callee.Pullback!.EndsWith(PullbackSuffix, System.StringComparison.Ordinal);

    /// <summary>The callee's split member, printed like its pullback (<c>global::N.T.GForwardPass</c>).</summary>
    public static string Member(Callee callee, string suffix) =>
        callee.Pullback!.Substring(0, callee.Pullback.Length - PullbackSuffix.Length) + suffix;

    /// <summary>Whether a method keeps its state for a split backward pass, or forwards to its joint members.</summary>
    public static bool CanSplit(MethodSpec spec, int writtenParameters) =>
        !spec.IsInstance && !spec.UsesTensors() && writtenParameters == 0 && spec.ReturnType.IsScalar;
}
