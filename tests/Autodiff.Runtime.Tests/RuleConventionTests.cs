using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Autodiff.Derivatives;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>
/// Every rule has the pullback form the generator matches: the target's parameters (for an
/// instance member the receiver first), optionally <c>result</c>, then <c>seed</c> of the target's
/// return type, then one accumulator per differentiable parameter (Tensor → nullable Tensor,
/// float → ref float; int and int[] none). And every differentiable Tensor member has a rule.
/// Every pullback has a pushforward beside it (<c>Mode = DerivativeMode.Forward</c>, named
/// <c>&lt;Op&gt;Tangent</c>): the target's parameters, optionally <c>result</c>, then one tangent per
/// differentiable parameter (Tensor → nullable Tensor, float → float), returning the result's tangent.
/// </summary>
public sealed class RuleConventionTests
{
    private static readonly NullabilityInfoContext Nullability = new();

    private static IEnumerable<(MethodInfo Rule, string Target)> Rules(DerivativeMode mode = DerivativeMode.Reverse) =>
        typeof(TensorDerivatives).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .SelectMany(rule => rule.GetCustomAttributes<DerivativeOfAttribute>().Select(a => (rule, a)))
            .Where(pair => pair.a.Mode == mode && pair.a.Type is not null)
            .Select(pair =>
            {
                Assert.Equal(typeof(Tensor), pair.a.Type);
                return (pair.rule, pair.a.MethodName);
            });

    [Fact]
    public void Every_rule_matches_an_overload_of_its_target_in_pullback_form()
    {
        var problems = new List<string>();
        foreach ((MethodInfo rule, string target) in Rules())
        {
            MethodInfo[] candidates = Overloads(target);
            if (!rule.Name.EndsWith("Backward", StringComparison.Ordinal))
            {
                problems.Add(rule.Name + ": not named <Op>Backward");
            }
            if (!candidates.Any(candidate => Matches(rule, candidate)))
            {
                problems.Add(rule.Name + ": matches no overload of Tensor." + target);
            }
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Every_differentiable_tensor_member_has_a_rule()
    {
        string[] notDifferentiable = [nameof(Tensor.ArgMax), nameof(Tensor.ZerosLike),
            nameof(Tensor.AddInPlace), nameof(Tensor.AddScaledInPlace), nameof(Tensor.AccumulateReduced), nameof(Tensor.CopyFrom)];
        var rules = Rules().ToList();
        var missing = typeof(Tensor).GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.ReturnType == typeof(Tensor) || m.ReturnType == typeof(float))
            .Where(m => !m.IsStatic || m.GetParameters().Any(p => p.ParameterType == typeof(Tensor)))
            .Where(m => !notDifferentiable.Contains(m.Name))
            .Where(m => !rules.Any(r => r.Target == m.Name && Matches(r.Rule, m)))
            .Select(m => m.ToString())
            .ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Every_pushforward_matches_an_overload_of_its_target_in_pushforward_form()
    {
        var problems = new List<string>();
        foreach ((MethodInfo rule, string target) in Rules(DerivativeMode.Forward))
        {
            if (!rule.Name.EndsWith("Tangent", StringComparison.Ordinal))
            {
                problems.Add(rule.Name + ": not named <Op>Tangent");
            }
            if (!Overloads(target).Any(candidate => Matches(rule, candidate, forward: true)))
            {
                problems.Add(rule.Name + ": matches no overload of Tensor." + target + " in pushforward form");
            }
        }
        Assert.Empty(problems);
    }

    /// <summary>Forward mode covers what reverse mode covers: each overload with a pullback has a pushforward.</summary>
    [Fact]
    public void Every_overload_with_a_pullback_has_a_pushforward()
    {
        var forward = Rules(DerivativeMode.Forward).ToList();
        var missing = Rules()
            .SelectMany(pair => Overloads(pair.Target).Where(target => Matches(pair.Rule, target)).Select(target => (pair.Rule, target)))
            .Where(pair => !forward.Any(f => f.Target == pair.target.Name && Matches(f.Rule, pair.target, forward: true)))
            .Select(pair => pair.Rule.Name + " (" + pair.target + ")")
            .Distinct()
            .ToList();
        Assert.Empty(missing);
    }

    /// <summary>
    /// The pullbacks of the pushforwards, which a Hessian-vector product's reverse sweep runs over
    /// forward mode: beside each pushforward, named <c>&lt;Op&gt;TangentBackward</c>, in pullback form
    /// (the pushforward's parameters, <c>seed</c>, then an accumulator per tensor or float parameter).
    /// </summary>
    [Fact]
    public void Every_pushforward_has_a_pullback_of_its_own()
    {
        var secondOrder = typeof(TensorDerivatives).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .SelectMany(rule => rule.GetCustomAttributes<DerivativeOfAttribute>().Where(a => a.Type is null).Select(a => (Rule: rule, Target: a.MethodName)))
            .ToList();
        var problems = new List<string>();
        foreach ((MethodInfo rule, string target) in secondOrder)
        {
            MethodInfo[] pushforwards = typeof(TensorDerivatives).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name == target).ToArray();
            if (rule.Name != target + "Backward" || !pushforwards.Any(p => Matches(rule, p)))
            {
                problems.Add(rule.Name + ": not the pullback of " + target + " in pullback form");
            }
        }
        foreach ((MethodInfo pushforward, _) in Rules(DerivativeMode.Forward).Distinct())
        {
            if (!secondOrder.Any(s => s.Target == pushforward.Name && Matches(s.Rule, pushforward)))
            {
                problems.Add(pushforward.Name + " (" + pushforward + "): no pullback");
            }
        }
        Assert.Empty(problems);
    }

    private static MethodInfo[] Overloads(string target) =>
        typeof(Tensor).GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance).Where(m => m.Name == target).ToArray();

    /// <summary>
    /// The rule's form against an overload of its target: the target's parameters (the receiver first),
    /// optionally <c>result</c>, then in pullback form <c>seed</c> and an accumulator per tensor (nullable)
    /// or float (by ref) parameter; in pushforward form a tangent per such parameter (a float by value)
    /// and the target's return type.
    /// </summary>
    private static bool Matches(MethodInfo rule, MethodInfo target, bool forward = false)
    {
        var expected = new List<Type>();
        if (!target.IsStatic) expected.Add(typeof(Tensor));
        expected.AddRange(target.GetParameters().Select(p => p.ParameterType));
        ParameterInfo[] actual = rule.GetParameters();
        if (forward && rule.ReturnType != target.ReturnType) return false;
        int index = 0;
        foreach (Type type in expected)
        {
            if (index >= actual.Length || actual[index].ParameterType != type) return false;
            index++;
        }
        if (index < actual.Length && actual[index].Name == "result")
        {
            if (actual[index].ParameterType != target.ReturnType) return false;
            index++;
        }
        if (!forward)
        {
            if (index >= actual.Length || actual[index].Name != "seed" || actual[index].ParameterType != target.ReturnType) return false;
            index++;
        }
        foreach (Type type in expected.Where(t => t == typeof(Tensor) || t == typeof(float)))
        {
            if (index >= actual.Length) return false;
            ParameterInfo perInput = actual[index++];
            bool fits = type == typeof(float)
                ? perInput.ParameterType == (forward ? typeof(float) : typeof(float).MakeByRefType())
                : perInput.ParameterType == typeof(Tensor) && Nullability.Create(perInput).ReadState == NullabilityState.Nullable;
            if (!fits) return false;
        }
        return index == actual.Length;
    }
}
