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
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autodiff.CodeFixes.Fixes;

/// <summary>
/// ADIFF004: mark the called method <c>[Differentiable]</c>, so that its pullback is generated and
/// the caller's backward pass goes through it. Offered when its source is in the solution and it
/// returns a value the generator differentiates; the types around it are made partial in the
/// same step, since the generator writes the pullback into them.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MarkCalleeDifferentiableFix)), Shared]
public sealed class MarkCalleeDifferentiableFix : CodeFixProvider
{
    public const string EquivalenceKey = "Autodiff.MarkCalleeDifferentiable";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticDescriptors.NoDerivative.Id);

    public override FixAllProvider? GetFixAllProvider() => null; // one callee per decision: a user picks which helpers to differentiate

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
            IMethodSymbol? callee = CallWithoutDerivative.Read(root, model, diagnostic, context.CancellationToken)?.Callee;
            if (callee is null || callee.IsGenericMethod || !TypeClassifier.Classify(callee.ReturnType).IsDifferentiable
                || callee.DeclaringSyntaxReferences.Length != 1
                || callee.DeclaringSyntaxReferences[0].GetSyntax(context.CancellationToken) is not MethodDeclarationSyntax declaration
                || context.Document.Project.Solution.GetDocument(declaration.SyntaxTree) is not { } document)
            {
                continue;
            }
            string title = "Mark '" + callee.Name + "' [Differentiable]: its gradient is generated too";
            context.RegisterCodeFix(CodeAction.Create(title, token => MarkAsync(document, declaration, token), EquivalenceKey), diagnostic);
        }
    }

    private static async Task<Solution> MarkAsync(Document document, MethodDeclarationSyntax method, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        TypeDeclarationSyntax[] types = method.Ancestors().OfType<TypeDeclarationSyntax>().Where(PartialModifier.Lacks).ToArray();
        SyntaxNode[] targets = types.Cast<SyntaxNode>().Append(method).ToArray();
        SyntaxNode changed = root.ReplaceNodes(targets, (original, rewritten) => original == method
            ? AttributePlacement.Above((MemberDeclarationSyntax)rewritten, AutodiffSyntax.Attribute("Differentiable"), AttributePlacement.NewLineOf(root))
            : PartialModifier.Add((TypeDeclarationSyntax)rewritten));
        Document marked = await Tidy.DocumentAsync(document.WithSyntaxRoot(changed), cancellationToken).ConfigureAwait(false);
        return marked.Project.Solution;
    }
}
