using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace Autodiff.CodeFixes.Editing;

/// <summary>
/// The fixes write every name they add as <c>global::</c>-qualified and annotated, so they bind
/// whatever the user's usings and names are; this step then adds <c>using Autodiff;</c> where it
/// is missing and shortens each name to what the file's usings allow, as a person would write it.
/// </summary>
internal static class Tidy
{
    /// <summary>Annotations for syntax a fix adds: shorten its names, import their namespaces, format it.</summary>
    public static TNode Annotate<TNode>(TNode node) where TNode : SyntaxNode =>
        node.WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation, Formatter.Annotation);

    public static async Task<Document> DocumentAsync(Document document, CancellationToken cancellationToken)
    {
        document = await ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        document = await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(document, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
