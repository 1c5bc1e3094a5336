using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Autodiff.CodeFixes.Editing;
using Autodiff.CodeFixes.Reading;
using Autodiff.Generator.Diagnostics;
using Autodiff.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Autodiff.CodeFixes.Fixes;

/// <summary>
/// ADIFF010: rewrite a <c>[DerivativeOf]</c> method's parameters into the pullback form of its
/// target (the overload its leading parameters fit best), adding <c>static</c> if it lacks it.
/// When the parameter count is already right, the user's names are kept, since the body uses them:
/// the usual slip is a missing <c>ref</c> or a float for a double. Otherwise the form's own names
/// are used. Not offered when the signature is already right and the problem is elsewhere
/// (accessibility, a generic pullback or target).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RewritePullbackSignatureFix)), Shared]
public sealed class RewritePullbackSignatureFix : CodeFixProvider
{
    public const string EquivalenceKey = "Autodiff.RewritePullbackSignature";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticDescriptors.DerivativeSignatureMismatch.Id);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            MethodDeclarationSyntax? method = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
            if (method is null || model.GetDeclaredSymbol(method, context.CancellationToken) is not { IsGenericMethod: false } pullback
                || IsPushforward(pullback) || Target(pullback) is not { } target)
            {
                continue;
            }
            bool withResult = pullback.Parameters.Any(p => p.Name == "result");
            List<PullbackSignature.Slot> slots = PullbackSignature.Slots(target, withResult);
            if (Fits(pullback, slots))
            {
                continue;
            }
            string title = "Rewrite the parameters of '" + pullback.Name + "' into the pullback form of '" + target.ContainingType.Name + "." + target.Name + "'";
            context.RegisterCodeFix(CodeAction.Create(title, token => RewriteAsync(context.Document, method, pullback, slots, token), EquivalenceKey), diagnostic);
        }
    }

    /// <summary>A forward-mode rule ([DerivativeOf(..., Mode = DerivativeMode.Forward)]): the pullback form is not its form.</summary>
    private static bool IsPushforward(IMethodSymbol method) =>
        method.GetAttributes().Any(a => a.AttributeClass?.Name == "DerivativeOfAttribute" && a.NamedArguments.Any(n => n.Key == "Mode" && n.Value.Value is 1));

    /// <summary>The target of the first [DerivativeOf] the pullback does not fit.</summary>
    private static IMethodSymbol? Target(IMethodSymbol pullback)
    {
        foreach ((INamedTypeSymbol type, string name) in DerivativeTarget.Of(pullback))
        {
            if (RuleMatcher.TargetExists(type, name) && RuleMatcher.Match(pullback, type, name).Problem is not null)
            {
                return DerivativeTarget.Closest(pullback, type, name);
            }
        }
        return null;
    }

    private static bool Fits(IMethodSymbol pullback, List<PullbackSignature.Slot> slots) =>
        pullback.IsStatic && KeepsRoles(pullback, slots)
        && pullback.Parameters.Zip(slots, (p, s) => SameType(p.Type, s.Type) && (p.RefKind == RefKind.Ref) == s.ByRef && (p.RefKind is RefKind.None or RefKind.Ref)).All(ok => ok);

    /// <summary>
    /// Whether the user's names can stay where they are: as many parameters as the form has, and no
    /// <c>seed</c> or <c>result</c> in another role's place, since the generator reads those two by
    /// position and name (a swapped seed and result would still not match, and would read wrongly).
    /// </summary>
    private static bool KeepsRoles(IMethodSymbol pullback, List<PullbackSignature.Slot> slots) =>
        pullback.Parameters.Length == slots.Count
        && pullback.Parameters.Zip(slots, (p, s) => p.Name == s.Name || !IsRoleName(p.Name) && !IsRoleName(s.Name)).All(ok => ok);

    private static bool IsRoleName(string name) => name is "seed" or "result";

    private static bool SameType(ITypeSymbol a, ITypeSymbol b) =>
        SymbolEqualityComparer.Default.Equals(a.WithNullableAnnotation(NullableAnnotation.None), b.WithNullableAnnotation(NullableAnnotation.None));

    private static async Task<Document> RewriteAsync(Document document, MethodDeclarationSyntax method, IMethodSymbol pullback, List<PullbackSignature.Slot> slots, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        SemanticModel model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
        IReadOnlyList<string>? names = KeepsRoles(pullback, slots) ? pullback.Parameters.Select(p => p.Name).ToList() : null;
        bool nullable = model.GetNullableContext(method.SpanStart).AnnotationsEnabled();
        ParameterListSyntax parameters = PullbackSignature.Syntax(slots, nullable, names).WithTriviaFrom(method.ParameterList);
        MethodDeclarationSyntax rewritten = method.WithParameterList(parameters);
        if (!pullback.IsStatic)
        {
            rewritten = rewritten.WithModifiers(rewritten.Modifiers.Add(Token(TriviaList(), SyntaxKind.StaticKeyword, TriviaList(Space))));
        }
        return await Tidy.DocumentAsync(document.WithSyntaxRoot(root.ReplaceNode(method, rewritten)), cancellationToken).ConfigureAwait(false);
    }
}
