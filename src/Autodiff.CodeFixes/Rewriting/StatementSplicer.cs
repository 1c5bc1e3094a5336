using System.Collections.Generic;
using System.Linq;
using Autodiff.CodeFixes.Editing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Autodiff.CodeFixes.Rewriting;

/// <summary>Replaces one statement by several: in place inside a block or switch section, else in a new block.</summary>
internal static class StatementSplicer
{
    public static SyntaxNode Replace(SyntaxNode root, StatementSyntax statement, IReadOnlyList<StatementSyntax> replacements)
    {
        var placed = replacements
            .Select((s, i) => (StatementSyntax)s
                .WithLeadingTrivia(i == 0 ? statement.GetLeadingTrivia() : s.GetLeadingTrivia())
                .WithTrailingTrivia(i == replacements.Count - 1 ? statement.GetTrailingTrivia() : s.GetTrailingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation))
            .ToList();
        if (placed.Count == 1 || statement.Parent is BlockSyntax or SwitchSectionSyntax)
        {
            return root.ReplaceNode(statement, placed);
        }
        // Each statement on a line of its own, in the file's line ending; the formatter indents them.
        SyntaxTrivia newLine = AttributePlacement.NewLineOf(root);
        BlockSyntax block = Block(placed.Select(s => s.WithLeadingTrivia(ElasticMarker).WithTrailingTrivia(newLine)))
            .WithOpenBraceToken(Token(SyntaxKind.OpenBraceToken).WithTrailingTrivia(newLine))
            .WithTriviaFrom(statement)
            .WithAdditionalAnnotations(Formatter.Annotation);
        return root.ReplaceNode(statement, block);
    }
}
