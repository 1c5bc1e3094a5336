using System.Text;
using Autodiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Autodiff.Generator.Parsing;

/// <summary>Turns syntax positions into plain-data spans and source text into one-line comments.</summary>
internal static class Spans
{
    public static SourceSpan Of(SyntaxNode node) => Of(node.SyntaxTree, node.Span);

    public static SourceSpan Of(SyntaxToken token) => Of(token.SyntaxTree!, token.Span);

    public static SourceSpan Of(SyntaxTree tree, TextSpan span)
    {
        FileLinePositionSpan lines = tree.GetLineSpan(span);
        return new SourceSpan(tree.FilePath, span.Start, span.Length,
            lines.StartLinePosition.Line, lines.StartLinePosition.Character,
            lines.EndLinePosition.Line, lines.EndLinePosition.Character);
    }

    public static Location ToLocation(SourceSpan span) =>
        span.Path.Length == 0 && span.Length == 0
            ? Location.None
            : Location.Create(span.Path, new TextSpan(span.Start, span.Length),
                new LinePositionSpan(new LinePosition(span.StartLine, span.StartColumn), new LinePosition(span.EndLine, span.EndColumn)));

    /// <summary>Source text folded onto one line and shortened, safe inside a // comment.</summary>
    public static string OneLine(string text, int maxLength = 100)
    {
        var builder = new StringBuilder(text.Length);
        bool space = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }
            if (space)
            {
                builder.Append(' ');
                space = false;
            }
            builder.Append(c);
        }
        string line = builder.ToString();
        return line.Length <= maxLength ? line : line.Substring(0, maxLength - 3) + "...";
    }
}
