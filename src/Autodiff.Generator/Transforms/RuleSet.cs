using System.Collections.Generic;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// The one registry of derivative rules, pullbacks and (for forward mode) pushforwards:
/// <c>[DerivativeOf]</c> methods of the compilation and of referenced rule assemblies
/// (Autodiff.Runtime's Math, MathF and tensor rules among them), and the generated pullbacks of
/// <c>[Differentiable]</c> methods. A user's rule for a method wins over the method's own generated
/// pullback, as a custom autograd.Function wins over tracing.
/// </summary>
internal sealed class RuleSet
{
    private readonly Dictionary<string, DerivativeRule> _rules = new();
    private readonly Dictionary<string, DerivativeRule> _pushforwards = new();

    public RuleSet(IEnumerable<DerivativeRule> rules)
    {
        foreach (DerivativeRule rule in rules)
        {
            // Declarations are sorted before they get here; the first one for a target wins.
            Dictionary<string, DerivativeRule> mode = rule.IsForward ? _pushforwards : _rules;
            if (!mode.ContainsKey(rule.TargetKey))
            {
                mode.Add(rule.TargetKey, rule);
            }
        }
    }

    /// <summary>The declared pushforward for calls of the callee (forward mode), or null.</summary>
    public DerivativeRule? ResolvePushforward(Callee callee) => _pushforwards.TryGetValue(callee.RuleKey, out DerivativeRule? rule) ? rule : null;

    /// <summary>Whether calls of the callee go through its own generated pullback (no declared rule takes precedence).</summary>
    public bool UsesGeneratedPullback(Callee callee) => callee.Pullback is not null && !_rules.ContainsKey(callee.RuleKey);

    public DerivativeRule? Resolve(Callee callee)
    {
        if (_rules.TryGetValue(callee.RuleKey, out DerivativeRule? rule))
        {
            return rule;
        }
        if (callee.Pullback is { } pullback)
        {
            return new DerivativeRule(callee.RuleKey, pullback, pullback.Substring(pullback.LastIndexOf('.') + 1), TakesResult: false);
        }
        return null;
    }
}
