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
internal sealed record DerivativeRule(string TargetKey, string Pullback, string Name, bool TakesResult, bool IsZero = false, bool IsForward = false);

/// <summary>One <c>[DerivativeOf]</c> declaration in the user's compilation: its rule, or why it has none.</summary>
internal sealed record RuleDeclaration(EquatableArray<DerivativeRule> Rules, EquatableArray<DiagnosticInfo> Diagnostics);
