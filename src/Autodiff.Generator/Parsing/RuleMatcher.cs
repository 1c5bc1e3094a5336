using System.Collections.Generic;
using System.Linq;
using System.Text;
using Autodiff.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Autodiff.Generator.Parsing;

/// <summary>
/// Checks a <c>[DerivativeOf]</c> method against the pullback form of its target and makes the
/// rule. The form, for a target <c>R F(A a, B b)</c> whose differentiable parameters are a and b:
/// <c>(A a, B b, [R result,] R seed, ref A da, ref B db)</c>, with arrays and tensors passed as
/// references (nullable) instead of <c>ref</c>. Built-in and user rules go through the same check.
/// </summary>
internal static class RuleMatcher
{
    private const string UnreadAttributeName = "Autodiff.UnreadAttribute";

    /// <summary>Whether a rule's parameter is marked <c>[Unread]</c>.</summary>
    public static bool IsUnread(IParameterSymbol parameter) =>
        parameter.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == UnreadAttributeName);

    private static readonly SymbolDisplayFormat Short = SymbolDisplayFormat.MinimallyQualifiedFormat;

    /// <summary>The rules the pullback provides (one per matching overload), or the reason it matches none.</summary>
    /// <param name="isZero">Declared with <c>Zero = true</c>: the target is a step function.</param>
    /// <param name="forward">Declared with <c>Mode = DerivativeMode.Forward</c>: a pushforward, checked against that form.</param>
    public static (List<DerivativeRule> Rules, string? Problem) Match(IMethodSymbol pullback, INamedTypeSymbol targetType, string targetName, bool isZero = false, bool forward = false)
    {
        var rules = new List<DerivativeRule>();
        var candidates = targetType.GetMembers(targetName).OfType<IMethodSymbol>()
            .Where(m => m.MethodKind is MethodKind.Ordinary or MethodKind.UserDefinedOperator or MethodKind.PropertyGet)
            .ToList();
        if (candidates.Count == 0)
        {
            return (rules, null);
        }
        if (!pullback.IsStatic)
        {
            return (rules, "a pullback must be static");
        }
        if (pullback.IsGenericMethod && pullback.TypeParameters.Length != 1)
        {
            return (rules, "a generic rule has one type parameter, the floating-point type");
        }
        if (AccessProblem(pullback, candidates) is { } access)
        {
            return (rules, access);
        }
        string? firstProblem = null;
        IMethodSymbol? closest = null;
        int closestScore = -1;
        foreach (IMethodSymbol candidate in candidates)
        {
            (IMethodSymbol instantiated, IMethodSymbol target, string? problem) = Instances(pullback, candidate);
            bool takesResult = false;
            problem ??= forward ? CheckForward(instantiated, target, out takesResult) : Check(instantiated, target, out takesResult);
            int unread = 0;
            problem ??= UnreadParameters(pullback, Inputs(target).Count + (takesResult ? 1 : 0), forward, out unread);
            if (problem is null)
            {
                bool genericTarget = candidate.IsGenericMethod;
                rules.Add(new DerivativeRule(
                    TypeClassifier.RuleKey(candidate),
                    pullback.ContainingType.ToDisplayString(TypeClassifier.Format) + "." + pullback.Name + (genericTarget ? string.Empty : TypeArgument(instantiated)),
                    pullback.Name,
                    takesResult,
                    isZero,
                    forward,
                    genericTarget,
                    TypeClassifier.RuleKey(pullback),
                    unread));
                continue;
            }
            int score = LeadingMatches(pullback, candidate);
            if (score > closestScore)
            {
                closestScore = score;
                closest = candidate;
                firstProblem = problem;
            }
        }
        if (rules.Count > 0)
        {
            return (rules, null);
        }
        string overloads = candidates.Count == 1 ? string.Empty : " (closest of " + candidates.Count + " overloads)";
        return (rules, firstProblem + "; for " + closest!.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) + overloads
            + (forward ? " the pushforward is " + ExpectedForward(closest) : " the pullback is " + Expected(closest)));
    }

    /// <summary>
    /// The pullback's parameters marked <c>[Unread]</c>, as a mask of their positions; only the
    /// target's inputs and the result (the first <paramref name="primalCount"/> parameters) of a
    /// pullback may be (a pushforward reads everything it is given: forward mode keeps nothing).
    /// </summary>
    private static string? UnreadParameters(IMethodSymbol rule, int primalCount, bool forward, out int mask)
    {
        mask = 0;
        for (int i = 0; i < rule.Parameters.Length; i++)
        {
            if (!IsUnread(rule.Parameters[i]))
            {
                continue;
            }
            if (forward || i >= primalCount)
            {
                return Describe(i, rule.Parameters[i]) + " is marked [Unread], but only a pullback's inputs and its result can be";
            }
            if (i < 31)
            {
                mask |= 1 << i; // a later position is passed anyway, which is only a save more
            }
        }
        return null;
    }

    /// <summary>
    /// Generated code calls the pullback from the callers' types: it must be reachable from all of
    /// them. That holds when it is internal or public (and so is every type around it), or when it
    /// is private beside a private target, which only its own type can call.
    /// </summary>
    private static string? AccessProblem(IMethodSymbol pullback, List<IMethodSymbol> targets)
    {
        ISymbol? hidden = LeastAccessible(pullback);
        if (hidden is null)
        {
            return null;
        }
        bool privateBesidePrivateTarget = targets.All(t => t.DeclaredAccessibility == Accessibility.Private
            && Encloses(pullback.ContainingType, t.ContainingType));
        if (privateBesidePrivateTarget)
        {
            return null;
        }
        string what = SymbolEqualityComparer.Default.Equals(hidden, pullback) ? "it is " : "its containing type '" + hidden.Name + "' is ";
        return what + hidden.DeclaredAccessibility.ToString().ToLowerInvariant() + ", but generated code in the types that call '"
            + targets[0].Name + "' must call it: make it internal or public";
    }

    /// <summary>The pullback itself or the first type around it that is less than internal; null if none.</summary>
    private static ISymbol? LeastAccessible(IMethodSymbol pullback)
    {
        for (ISymbol? symbol = pullback; symbol is IMethodSymbol or INamedTypeSymbol; symbol = symbol.ContainingType)
        {
            if (symbol!.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return symbol;
            }
        }
        return null;
    }

    private static bool Encloses(INamedTypeSymbol outer, INamedTypeSymbol? inner)
    {
        for (; inner is not null; inner = inner.ContainingType)
        {
            if (SymbolEqualityComparer.Default.Equals(outer, inner))
            {
                return true;
            }
        }
        return false;
    }

    public static bool TargetExists(INamedTypeSymbol targetType, string targetName) =>
        targetType.GetMembers(targetName).OfType<IMethodSymbol>().Any();

    /// <summary>How many leading parameters of the pullback have the types of the target's (also how the code fixes pick the overload a pullback was written for).</summary>
    internal static int LeadingMatches(IMethodSymbol pullback, IMethodSymbol target)
    {
        int count = 0;
        while (count < pullback.Parameters.Length && count < target.Parameters.Length
            && SymbolEqualityComparer.Default.Equals(pullback.Parameters[count].Type, target.Parameters[count].Type))
        {
            count++;
        }
        return count;
    }

    /// <summary>The target's inputs as a pullback sees them: the receiver first for an instance member (also read by the code fix that writes pullback stubs).</summary>
    internal static List<(ITypeSymbol Type, string Name, bool Differentiable)> Inputs(IMethodSymbol target)
    {
        var inputs = new List<(ITypeSymbol, string, bool)>();
        if (!target.IsStatic)
        {
            inputs.Add((target.ContainingType, "self", TypeClassifier.Classify(target.ContainingType).IsDifferentiable));
        }
        foreach (IParameterSymbol parameter in target.Parameters)
        {
            // A generic method's T parameters are its floating-point inputs (its rule is checked as instantiated).
            inputs.Add((parameter.Type, parameter.Name, BodyLowerer.IsDifferentiableParameter(parameter) || parameter.Type is ITypeParameterSymbol && parameter.RefKind == RefKind.None));
        }
        return inputs;
    }

    /// <summary>The pullback form: the target's inputs, optionally its result, the seed, one accumulator per differentiable input.</summary>
    private static string? Check(IMethodSymbol pullback, IMethodSymbol target, out bool takesResult)
    {
        var inputs = Inputs(target);
        if (CheckInputsAndResult(pullback, target, inputs, out int index, out takesResult) is { } problem)
        {
            return problem;
        }
        var parameters = pullback.Parameters;
        if (index >= parameters.Length)
        {
            return "it has no seed parameter";
        }
        if (!SameType(parameters[index].Type, target.ReturnType) || parameters[index].RefKind != RefKind.None)
        {
            return Describe(index, parameters[index]) + " should be '" + target.ReturnType.ToDisplayString(Short) + "', the seed (the gradient of the target's result)";
        }
        // Scalars' accumulators are ref; arrays and tensors are passed as references.
        return CheckPerInput(parameters, index + 1, inputs, Accumulator, type => TypeClassifier.Classify(type).IsScalar, "the accumulator for", "accumulator");
    }

    /// <summary>
    /// The rule and its target as they are checked. A generic target (<c>SinTangent&lt;T&gt;</c>, whose
    /// own rule makes second derivatives) has a generic rule with the same one type parameter: both are
    /// checked as instantiated for double, and each call names the instance it needs.
    /// </summary>
    private static (IMethodSymbol Rule, IMethodSymbol Target, string? Problem) Instances(IMethodSymbol rule, IMethodSymbol target)
    {
        if (!target.IsGenericMethod)
        {
            return (Instantiated(rule, target), target, null);
        }
        if (target.TypeParameters.Length != 1 || !rule.IsGenericMethod)
        {
            return (rule, target, "the rule of a generic method is generic too, with one type parameter, the floating-point type");
        }
        INamedTypeSymbol? @double = DoubleType(rule);
        if (@double is null || !Satisfies(@double, target.TypeParameters[0]) || !Satisfies(@double, rule.TypeParameters[0]))
        {
            return (rule, target, "the rule of a generic method applies to floating-point types");
        }
        return (rule.Construct(@double), target.Construct(@double), null);
    }

    /// <summary>System.Double, found through the assembly that defines System.Object (no compilation is at hand here).</summary>
    private static INamedTypeSymbol? DoubleType(IMethodSymbol method)
    {
        INamedTypeSymbol? type = method.ContainingType;
        while (type?.BaseType is { } baseType)
        {
            type = baseType;
        }
        return type?.ContainingAssembly.GetTypeByMetadataName("System.Double");
    }

    /// <summary>Whether double can stand for the type parameter: its constraints are interfaces double implements (INumber&lt;T&gt; and the like).</summary>
    private static bool Satisfies(INamedTypeSymbol @double, ITypeParameterSymbol parameter) =>
        !parameter.HasReferenceTypeConstraint
        && parameter.ConstraintTypes.All(c => c is INamedTypeSymbol constraint
            && @double.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, constraint.OriginalDefinition)));

    /// <summary>
    /// A generic rule (<c>SinBackward&lt;T&gt;</c>, <c>SinTangent&lt;T&gt;</c>: one rule for Math.Sin,
    /// MathF.Sin and Math's float overloads) as it applies to a double or float target: with T the
    /// target's floating-point type, its result's (or, for Math.Sign, its first parameter's). Other
    /// targets (Math.Abs on integers) it does not apply to.
    /// </summary>
    private static IMethodSymbol Instantiated(IMethodSymbol rule, IMethodSymbol target)
    {
        if (!rule.IsGenericMethod)
        {
            return rule;
        }
        ITypeSymbol? floating = IsFloating(target.ReturnType) ? target.ReturnType : target.Parameters.Select(p => p.Type).FirstOrDefault(IsFloating);
        return floating is null ? rule : rule.Construct(floating);
    }

    private static bool IsFloating(ITypeSymbol type) => type.SpecialType is SpecialType.System_Double or SpecialType.System_Single;

    /// <summary>Generated calls name a generic rule's type argument (<c>SinBackward&lt;double&gt;</c>), so no argument's type can make inference fail.</summary>
    private static string TypeArgument(IMethodSymbol instantiated) =>
        instantiated.IsGenericMethod && instantiated.TypeArguments.Length == 1 && instantiated.TypeArguments[0] is { TypeKind: not TypeKind.TypeParameter } argument
            ? "<" + argument.ToDisplayString(TypeClassifier.Format) + ">"
            : string.Empty;

    /// <summary>The pushforward form: the target's inputs, optionally its result, one tangent per differentiable input; returns the result's tangent.</summary>
    private static string? CheckForward(IMethodSymbol pushforward, IMethodSymbol target, out bool takesResult)
    {
        takesResult = false;
        if (!SameType(pushforward.ReturnType, target.ReturnType))
        {
            return "it returns '" + pushforward.ReturnType.ToDisplayString(Short) + "', but a pushforward returns the tangent of the target's result ('" + target.ReturnType.ToDisplayString(Short) + "')";
        }
        var inputs = Inputs(target);
        return CheckInputsAndResult(pushforward, target, inputs, out int index, out takesResult)
            ?? CheckPerInput(pushforward.Parameters, index, inputs, TangentType, _ => false, "the tangent of", "tangent");
    }

    /// <summary>What both forms start with: the target's inputs, then optionally <c>result</c>; <paramref name="index"/> is the parameter after them.</summary>
    private static string? CheckInputsAndResult(IMethodSymbol rule, IMethodSymbol target, List<(ITypeSymbol Type, string Name, bool Differentiable)> inputs, out int index, out bool takesResult)
    {
        takesResult = false;
        index = 0;
        if (target.IsGenericMethod && target.TypeArguments.Any(t => t.TypeKind == TypeKind.TypeParameter))
        {
            return "generic targets are not supported";
        }
        var parameters = rule.Parameters;
        foreach ((ITypeSymbol type, string name, _) in inputs)
        {
            if (index >= parameters.Length)
            {
                return "it has too few parameters";
            }
            if (!SameType(parameters[index].Type, type) || parameters[index].RefKind != RefKind.None)
            {
                return Describe(index, parameters[index]) + " should be '" + type.ToDisplayString(Short) + " " + name + "', the target's " + (name == "self" && !target.IsStatic && index == 0 ? "receiver" : "parameter");
            }
            index++;
        }
        if (index < parameters.Length && parameters[index].Name == "result")
        {
            if (!SameType(parameters[index].Type, target.ReturnType) || parameters[index].RefKind != RefKind.None)
            {
                return Describe(index, parameters[index]) + " should be '" + target.ReturnType.ToDisplayString(Short) + "', the target's result";
            }
            takesResult = true;
            index++;
        }
        return null;
    }

    /// <summary>
    /// One parameter per differentiable input from <paramref name="index"/> on (an accumulator, or a
    /// tangent, spelled by <paramref name="expected"/>, by reference where <paramref name="byReference"/> says), and nothing after them.
    /// </summary>
    private static string? CheckPerInput(System.Collections.Immutable.ImmutableArray<IParameterSymbol> parameters, int index,
        List<(ITypeSymbol Type, string Name, bool Differentiable)> inputs, System.Func<ITypeSymbol, string> expected,
        System.Func<ITypeSymbol, bool> byReference, string role, string kind)
    {
        foreach ((ITypeSymbol type, string name, bool differentiable) in inputs)
        {
            if (!differentiable)
            {
                continue;
            }
            if (index >= parameters.Length)
            {
                return "it has no " + kind + " for '" + name + "'";
            }
            RefKind refKind = byReference(type) ? RefKind.Ref : RefKind.None;
            if (!SameType(parameters[index].Type, type) || parameters[index].RefKind != refKind)
            {
                return Describe(index, parameters[index]) + " should be '" + expected(type) + "', " + role + " '" + name + "'";
            }
            index++;
        }
        return index < parameters.Length ? "it has more parameters than the target's differentiable parameters need" : null;
    }

    private static string TangentType(ITypeSymbol type)
    {
        string name = type.ToDisplayString(Short);
        return IsScalar(type) ? name : name + "?";
    }

    private static bool IsScalar(ITypeSymbol type) => type is ITypeParameterSymbol || TypeClassifier.Classify(type).IsScalar;

    /// <summary>The pushforward signature a target needs, e.g. "double (double x, double dx)".</summary>
    public static string ExpectedForward(IMethodSymbol target)
    {
        var inputs = Inputs(target);
        var text = new StringBuilder(target.ReturnType.ToDisplayString(Short)).Append(" (");
        text.Append(string.Join(", ", inputs.Select(i => i.Type.ToDisplayString(Short) + " " + i.Name)
            .Concat(inputs.Where(i => i.Differentiable).Select(i => TangentType(i.Type) + " d" + i.Name))));
        return text.Append(')').ToString();
    }

    private static bool SameType(ITypeSymbol a, ITypeSymbol b) =>
        SymbolEqualityComparer.Default.Equals(a.WithNullableAnnotation(NullableAnnotation.None), b.WithNullableAnnotation(NullableAnnotation.None));

    private static string Describe(int index, IParameterSymbol parameter) =>
        "parameter " + (index + 1) + " ('" + parameter.Name + "')";

    private static string Accumulator(ITypeSymbol type)
    {
        string name = type.ToDisplayString(Short);
        return IsScalar(type) ? "ref " + name : name + "?";
    }

    /// <summary>The pullback signature a target needs, e.g. "(double x, double seed, ref double dx)".</summary>
    public static string Expected(IMethodSymbol target)
    {
        var inputs = Inputs(target);
        var text = new StringBuilder("(");
        foreach ((ITypeSymbol type, string name, _) in inputs)
        {
            text.Append(type.ToDisplayString(Short)).Append(' ').Append(name).Append(", ");
        }
        text.Append(target.ReturnType.ToDisplayString(Short)).Append(" seed");
        foreach ((ITypeSymbol type, string name, bool differentiable) in inputs)
        {
            if (differentiable)
            {
                text.Append(", ").Append(Accumulator(type)).Append(" d").Append(name);
            }
        }
        return text.Append(')').ToString();
    }
}
