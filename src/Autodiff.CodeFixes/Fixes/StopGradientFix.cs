using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Autodiff.CodeFixes.Editing;
using Autodiff.CodeFixes.Reading;
using Autodiff.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autodiff.CodeFixes.Fixes;

/// <summary>
/// ADIFF004: wrap the active value in <c>Grad.Stop(...)</c>, saying that no gradient is wanted
/// through the call. Offered only when the message's value is an operand Grad.Stop takes (a
/// double, float or Tensor); the user chooses this over a derivative, it is never silent.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StopGradientFix)), Shared]
public sealed class StopGradientFix : CodeFixProvider
{
    public const string EquivalenceKey = "Autodiff.StopGradient";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticDescriptors.NoDerivative.Id);

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
            if (CallWithoutDerivative.Read(root, model, diagnostic, context.CancellationToken)?.ActiveValue is not { } value)
            {
                continue;
            }
            string title = "Cut the gradient through this call: Grad.Stop(" + Shortened(value) + ")";
            context.RegisterCodeFix(CodeAction.Create(title, token => StopAsync(context.Document, value, token), EquivalenceKey), diagnostic);
        }
    }

    /// <summary>The operand on one line and short enough for a menu.</summary>
    private static string Shortened(ExpressionSyntax value)
    {
        string text = string.Join(" ", value.ToString().Split(new[] { ' ', '\t', '\r', '\n' }, System.StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= 40 ? text : text.Substring(0, 37) + "...";
    }

    private static async Task<Document> StopAsync(Document document, ExpressionSyntax value, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        Document stopped = document.WithSyntaxRoot(root.ReplaceNode(value, AutodiffSyntax.GradStop(value)));
        return await Tidy.DocumentAsync(stopped, cancellationToken).ConfigureAwait(false);
    }
}
