using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Autodiff.Generator.Diagnostics;
using Autodiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autodiff.Generator.Parsing;

/// <summary>Reads <c>[DerivativeOf]</c> declarations: the user's (with diagnostics) and referenced rule assemblies' (silently).</summary>
internal static class RuleParser
{
    public const string DerivativeOfAttributeName = "Autodiff.DerivativeOfAttribute";
    public const string DerivativeRulesAttributeName = "Autodiff.DerivativeRulesAttribute";

    /// <summary>One user method's declarations, checked, with any mismatch reported at the method's name.</summary>
    public static RuleDeclaration ParseDeclaration(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        ParseDeclaration(context.TargetNode, context.TargetSymbol, context.Attributes, cancellationToken);

    /// <summary>The same check for the generator's pipeline and for <see cref="DifferentiableAnalyzer"/>.</summary>
    /// <param name="attributes">The method's <c>[DerivativeOf]</c> attributes written on <paramref name="node"/>.</param>
    public static RuleDeclaration ParseDeclaration(SyntaxNode node, ISymbol symbol, ImmutableArray<AttributeData> attributes, CancellationToken cancellationToken)
    {
        var rules = new List<DerivativeRule>();
        var diagnostics = new List<DiagnosticInfo>();
        if (symbol is not IMethodSymbol pullback)
        {
            return new RuleDeclaration(EquatableArray<DerivativeRule>.Empty, EquatableArray<DiagnosticInfo>.Empty);
        }
        SourceSpan nameSpan = node is MethodDeclarationSyntax method ? Spans.Of(method.Identifier) : Spans.Of(node);
        foreach (AttributeData attribute in attributes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            SourceSpan attributeSpan = attribute.ApplicationSyntaxReference is { } reference ? Spans.Of(reference.GetSyntax(cancellationToken)) : nameSpan;
            if (!TryReadTarget(attribute, pullback, out INamedTypeSymbol? type, out string? name))
            {
                continue; // the compiler reports malformed attribute arguments itself
            }
            if (!RuleMatcher.TargetExists(type!, name!))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DerivativeTargetNotFound.Id, attributeSpan, name!, type!.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
                continue;
            }
            (List<DerivativeRule> matched, string? problem) = RuleMatcher.Match(pullback, type!, name!, IsZero(attribute), IsForward(attribute));
            if (problem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DerivativeSignatureMismatch.Id, nameSpan,
                    pullback.Name, type!.Name + "." + name, problem, IsForward(attribute) ? "pushforward" : "pullback"));
            }
            rules.AddRange(matched);
        }
        ReportReadUnreadParameters(node, pullback, diagnostics);
        return new RuleDeclaration(rules.ToEquatableArray(), diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// ADIFF023 at the first mention, in the rule's own body, of a parameter it marks <c>[Unread]</c>:
    /// generated code passes <c>default</c> there, so a rule that reads it would be silently wrong.
    /// </summary>
    private static void ReportReadUnreadParameters(SyntaxNode node, IMethodSymbol rule, List<DiagnosticInfo> diagnostics)
    {
        if (node is not MethodDeclarationSyntax method)
        {
            return;
        }
        var unread = new HashSet<string>(rule.Parameters.Where(RuleMatcher.IsUnread).Select(p => p.Name));
        if (unread.Count == 0)
        {
            return;
        }
        SyntaxNode? body = (SyntaxNode?)method.Body ?? method.ExpressionBody;
        if (body is null)
        {
            return;
        }
        foreach (IdentifierNameSyntax name in body.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            // A member access's name (other.x) is not the parameter; anything else spelled like it is.
            bool memberName = name.Parent is MemberAccessExpressionSyntax access && access.Name == name;
            if (!memberName && unread.Remove(name.Identifier.ValueText))
            {
                // Once per parameter, at its first mention.
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnreadParameterRead.Id, Spans.Of(name), rule.Name, name.Identifier.ValueText));
            }
        }
    }

    /// <summary>
    /// The rules of referenced assemblies that list their rule types in <c>[assembly: DerivativeRules(...)]</c>.
    /// Reading only the listed types keeps this cheap enough to run on every compilation.
    /// </summary>
    public static EquatableArray<DerivativeRule> FromReferences(Compilation compilation, CancellationToken cancellationToken)
    {
        var rules = new List<DerivativeRule>();
        foreach (IAssemblySymbol assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            foreach (AttributeData listing in assembly.GetAttributes())
            {
                if (listing.AttributeClass?.ToDisplayString() != DerivativeRulesAttributeName || listing.ConstructorArguments.Length != 1)
                {
                    continue;
                }
                foreach (TypedConstant entry in listing.ConstructorArguments[0].Values)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (entry.Value is INamedTypeSymbol holder)
                    {
                        rules.AddRange(RulesOf(holder));
                    }
                }
            }
        }
        return rules.ToEquatableArray();
    }

    /// <summary>Every rule a type declares; declarations that do not match are skipped (and <paramref name="rejected"/> says which).</summary>
    public static IEnumerable<DerivativeRule> RulesOf(INamedTypeSymbol holder, List<string>? rejected = null)
    {
        foreach (IMethodSymbol pullback in holder.GetMembers().OfType<IMethodSymbol>())
        {
            if (!IsPublic(pullback))
            {
                continue; // another assembly's generated code could not call it
            }
            foreach (AttributeData attribute in pullback.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() != DerivativeOfAttributeName
                    || !TryReadTarget(attribute, pullback, out INamedTypeSymbol? type, out string? name))
                {
                    continue;
                }
                (List<DerivativeRule> matched, string? problem) = RuleMatcher.Match(pullback, type!, name!, IsZero(attribute), IsForward(attribute));
                if (problem is not null || matched.Count == 0)
                {
                    rejected?.Add(pullback.Name + ": " + (problem ?? "no target " + name));
                }
                foreach (DerivativeRule rule in matched)
                {
                    yield return rule;
                }
            }
        }
    }

    private static bool IsPublic(ISymbol symbol)
    {
        for (ISymbol? s = symbol; s is IMethodSymbol or INamedTypeSymbol; s = s.ContainingType)
        {
            if (s!.DeclaredAccessibility != Accessibility.Public)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>[DerivativeOf(..., Zero = true)]: the target is a step function.</summary>
    private static bool IsZero(AttributeData attribute) =>
        attribute.NamedArguments.Any(a => a.Key == "Zero" && a.Value.Value is true);

    /// <summary>[DerivativeOf(..., Mode = DerivativeMode.Forward)]: a pushforward.</summary>
    private static bool IsForward(AttributeData attribute) =>
        attribute.NamedArguments.Any(a => a.Key == "Mode" && a.Value.Value is 1);

    private static bool TryReadTarget(AttributeData attribute, IMethodSymbol pullback, out INamedTypeSymbol? type, out string? name)
    {
        ImmutableArray<TypedConstant> arguments = attribute.ConstructorArguments;
        type = null;
        name = null;
        if (arguments.Length == 1 && arguments[0].Value is string ownName)
        {
            type = pullback.ContainingType;
            name = ownName;
        }
        else if (arguments.Length == 2 && arguments[0].Value is INamedTypeSymbol targetType && arguments[1].Value is string targetName)
        {
            type = targetType;
            name = targetName;
        }
        return type is not null && name is not null;
    }
}
