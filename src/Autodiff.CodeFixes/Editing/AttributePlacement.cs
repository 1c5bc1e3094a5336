using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Autodiff.CodeFixes.Editing;

/// <summary>
/// Puts an attribute where a person would: on its own line above a member (after the member's
/// comments, at its indentation), inline before a parameter. Done by hand because the formatter,
/// given the whole member, also reflows the blank lines and comments around it.
/// </summary>
internal static class AttributePlacement
{
    /// <summary><paramref name="newLine"/> comes from the file (<see cref="NewLineOf"/>): the member may be a rewritten copy outside it.</summary>
    public static MemberDeclarationSyntax Above(MemberDeclarationSyntax member, AttributeListSyntax attribute, SyntaxTrivia newLine)
    {
        SyntaxTriviaList leading = member.GetLeadingTrivia();
        SyntaxTriviaList indentation = leading.Count > 0 && leading.Last().IsKind(SyntaxKind.WhitespaceTrivia)
            ? TriviaList(leading.Last())
            : TriviaList();
        if (member.AttributeLists.Count > 0)
        {
            return member.WithAttributeLists(member.AttributeLists.Add(attribute.WithLeadingTrivia(indentation).WithTrailingTrivia(newLine)));
        }
        MemberDeclarationSyntax bare = member.WithoutLeadingTrivia().WithLeadingTrivia(indentation);
        return bare.WithAttributeLists(List(new[] { attribute.WithLeadingTrivia(leading).WithTrailingTrivia(newLine) }));
    }

    public static ParameterSyntax Before(ParameterSyntax parameter, AttributeListSyntax attribute)
    {
        SyntaxTriviaList leading = parameter.GetLeadingTrivia();
        return parameter.WithoutLeadingTrivia()
            .WithAttributeLists(parameter.AttributeLists.Insert(0, attribute.WithLeadingTrivia(leading).WithTrailingTrivia(Space)));
    }

    /// <summary>The file's own line ending, so a fix does not mix \n into a \r\n file.</summary>
    public static SyntaxTrivia NewLineOf(SyntaxNode root) =>
        root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { RawKind: not 0 } found
            ? found
            : CarriageReturnLineFeed;
}
