using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Autodiff.CodeFixes.Editing;
using Autodiff.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autodiff.CodeFixes.Fixes;

/// <summary>ADIFF001: add <c>partial</c> to the type the diagnostic names and to every type around it that lacks it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialFix)), Shared]
public sealed class MakePartialFix : CodeFixProvider
{
    public const string EquivalenceKey = "Autodiff.MakePartial";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticDescriptors.TypeNotPartial.Id);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            TypeDeclarationSyntax? type = root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().FirstOrDefault();
            if (type is null || !PartialModifier.Lacks(type))
            {
                continue;
            }
            string title = PartialModifier.WithoutPartialFrom(type).Length > 1
                ? "Make '" + type.Identifier.ValueText + "' and the types around it partial"
                : "Make '" + type.Identifier.ValueText + "' partial";
            context.RegisterCodeFix(
                CodeAction.Create(title, token => MakePartialAsync(context.Document, type, token), EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> MakePartialAsync(Document document, TypeDeclarationSyntax type, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        TypeDeclarationSyntax[] targets = PartialModifier.WithoutPartialFrom(type);
        return document.WithSyntaxRoot(root.ReplaceNodes(targets, (_, rewritten) => PartialModifier.Add(rewritten)));
    }
}
