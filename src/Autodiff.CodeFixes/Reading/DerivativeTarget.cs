using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace Autodiff.CodeFixes.Reading;

/// <summary>The methods a <c>[DerivativeOf]</c> attribute names, read as the generator reads it.</summary>
internal static class DerivativeTarget
{
    /// <summary>For each [DerivativeOf] on the pullback: the type and method name it names.</summary>
    public static IEnumerable<(INamedTypeSymbol Type, string Name)> Of(IMethodSymbol pullback)
    {
        foreach (AttributeData attribute in pullback.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != RuleParser.DerivativeOfAttributeName)
            {
                continue;
            }
            var arguments = attribute.ConstructorArguments;
            if (arguments.Length == 1 && arguments[0].Value is string ownName)
            {
                yield return (pullback.ContainingType, ownName);
            }
            else if (arguments.Length == 2 && arguments[0].Value is INamedTypeSymbol type && arguments[1].Value is string name)
            {
                yield return (type, name);
            }
        }
    }

    /// <summary>
    /// The overload the pullback was most likely written for: the one whose parameters its leading
    /// parameters match longest, as the generator picks the one to describe in ADIFF010.
    /// </summary>
    public static IMethodSymbol? Closest(IMethodSymbol pullback, INamedTypeSymbol type, string name) =>
        type.GetMembers(name).OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary && !m.IsGenericMethod)
            .OrderByDescending(m => RuleMatcher.LeadingMatches(pullback, m))
            .FirstOrDefault();
}
