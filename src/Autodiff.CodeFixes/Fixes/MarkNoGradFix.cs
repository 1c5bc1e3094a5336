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
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autodiff.CodeFixes.Fixes;

/// <summary>
/// ADIFF003 and ADIFF016: mark the parameter or model member <c>[NoGrad]</c>, saying it is a
/// constant. Offered only where the mark makes the generator accept it: not for ref, out and in
/// parameters, which stay unsupported with it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MarkNoGradFix)), Shared]
public sealed class MarkNoGradFix : CodeFixProvider
{
    public const string EquivalenceKey = "Autodiff.MarkNoGrad";

    public override ImmutableArray<string> FixableDiagnosticIds =>
        ImmutableArray.Create(DiagnosticDescriptors.UnsupportedParameter.Id, DiagnosticDescriptors.MemberNotParameter.Id);

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
            SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            SyntaxNode? declaration = diagnostic.Id == DiagnosticDescriptors.UnsupportedParameter.Id
                ? ConstantParameter(node)
                : MemberDeclaration(model, node, context.CancellationToken);
            if (declaration is null)
            {
                continue;
            }
            Document target = context.Document.Project.Solution.GetDocument(declaration.SyntaxTree) ?? context.Document;
            string title = "Mark '" + NameOf(declaration) + "' [NoGrad]: it is a constant, with no gradient";
            context.RegisterCodeFix(
                CodeAction.Create(title, token => MarkAsync(target, declaration, token), EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>A by-value parameter: [NoGrad] does not make a ref, out or in parameter acceptable.</summary>
    private static ParameterSyntax? ConstantParameter(SyntaxNode node)
    {
        ParameterSyntax? parameter = node.AncestorsAndSelf().OfType<ParameterSyntax>().FirstOrDefault();
        return parameter is null || parameter.Modifiers.Any(m => m.IsKind(SyntaxKind.RefKeyword) || m.IsKind(SyntaxKind.OutKeyword) || m.IsKind(SyntaxKind.InKeyword))
            ? null
            : parameter;
    }

    /// <summary>The declaration of the field or property read at the diagnostic, wherever in the solution it is.</summary>
    private static SyntaxNode? MemberDeclaration(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        ISymbol? member = model.GetSymbolInfo(node, cancellationToken).Symbol;
        if (member is not (IFieldSymbol or IPropertySymbol) || member.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }
        SyntaxNode declared = member.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        return declared is VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax field } ? field
            : declared as PropertyDeclarationSyntax;
    }

    private static string NameOf(SyntaxNode declaration) => declaration switch
    {
        ParameterSyntax parameter => parameter.Identifier.ValueText,
        PropertyDeclarationSyntax property => property.Identifier.ValueText,
        FieldDeclarationSyntax field => string.Join("', '", field.Declaration.Variables.Select(v => v.Identifier.ValueText)),
        _ => declaration.ToString(),
    };

    private static async Task<Solution> MarkAsync(Document document, SyntaxNode declaration, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        AttributeListSyntax noGrad = AutodiffSyntax.Attribute("NoGrad");
        SyntaxNode marked = declaration is ParameterSyntax parameter
            ? AttributePlacement.Before(parameter, noGrad)
            : AttributePlacement.Above((MemberDeclarationSyntax)declaration, noGrad, AttributePlacement.NewLineOf(root));
        Document changed = await Tidy.DocumentAsync(document.WithSyntaxRoot(root.ReplaceNode(declaration, marked)), cancellationToken).ConfigureAwait(false);
        return changed.Project.Solution;
    }
}
