using System.Linq;

namespace Autodiff.Generator.Model;

/// <summary>
/// A backward rule: for calls of the method keyed <see cref="TargetKey"/>, call <see cref="Pullback"/>.
/// Built-in rules (Math, MathF, tensors) and users' <c>[DerivativeOf]</c> methods are the same thing.
/// </summary>
/// <param name="TargetKey">The target's key, as <see cref="Callee.RuleKey"/> spells it.</param>
/// <param name="Pullback">The pullback, printed global::-qualified.</param>
/// <param name="Name">The pullback's short name (the rule's name in generated comments).</param>
/// <param name="TakesResult">The pullback takes the forward result before the seed.</param>
/// <param name="IsZero">The target is a step function (<c>[DerivativeOf(..., Zero = true)]</c>): its derivative is zero wherever it exists.</param>
/// <param name="IsForward">A pushforward (<c>Mode = DerivativeMode.Forward</c>): forward mode's rule, returning the result's tangent.</param>
/// <param name="GenericTarget">The target is generic (<c>T F&lt;T&gt;(T x)</c>) and so is the rule: each call names the instance, <c>Pullback&lt;double&gt;</c>.</param>
/// <param name="RuleKey">The rule method's own key: the target key of its rules (a pushforward's pullback gives second derivatives).</param>
/// <param name="UnreadMask">The pullback's parameters marked <c>[Unread]</c> (inputs or the result), one bit per position: generated code passes <c>default</c> there and keeps nothing for them.</param>
internal sealed record DerivativeRule(string TargetKey, string Pullback, string Name, bool TakesResult, bool IsZero = false, bool IsForward = false, bool GenericTarget = false, string RuleKey = "", int UnreadMask = 0)
{
    /// <summary>
    /// Whether the rule is one of the runtime's <c>MathRules</c>, whose pullbacks and pushforwards are
    /// written with the same factors (a user's rule for the same function keeps its own derivative).
    /// </summary>
    public bool IsBuiltIn => Pullback.StartsWith("global::Autodiff.Derivatives.MathRules.", System.StringComparison.Ordinal);

    /// <summary>Whether the rule never reads its parameter at <paramref name="position"/> (<c>[Unread]</c>).</summary>
    public bool Unread(int position) => position < 31 && (UnreadMask & (1 << position)) != 0;

    /// <summary>The rule as a call prints it: a generic target's rule with the call's floating-point type.</summary>
    public string PrintedFor(Invocation call) => GenericTarget ? Pullback + "<" + FloatingType(call).Name + ">" : Pullback;

    private static TypeRef FloatingType(Invocation call) =>
        call.Type.IsScalar ? call.Type : call.Arguments.Select(a => a.Value.Type).FirstOrDefault(t => t.IsScalar) ?? TypeRef.Double;
}

/// <summary>One <c>[DerivativeOf]</c> declaration in the user's compilation: its rule, or why it has none.</summary>
internal sealed record RuleDeclaration(EquatableArray<DerivativeRule> Rules, EquatableArray<DiagnosticInfo> Diagnostics);
