using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Autodiff.CodeFixes.Editing;

/// <summary>Adds <c>partial</c> to type declarations: the generator writes into the type and every type around it.</summary>
internal static class PartialModifier
{
    public static bool Lacks(TypeDeclarationSyntax type) => !type.Modifiers.Any(SyntaxKind.PartialKeyword);

    /// <summary>
    /// <c>partial</c> goes last among the modifiers, right before <c>class</c>, where C# requires it.
    /// With no modifiers it takes over the keyword's leading trivia (indentation, comments).
    /// </summary>
    public static TypeDeclarationSyntax Add(TypeDeclarationSyntax type)
    {
        if (!Lacks(type))
        {
            return type;
        }
        if (type.Modifiers.Count == 0)
        {
            SyntaxToken keyword = type.Keyword;
            SyntaxToken partial = Token(keyword.LeadingTrivia, SyntaxKind.PartialKeyword, TriviaList(Space));
            return type.WithKeyword(keyword.WithLeadingTrivia(TriviaList())).WithModifiers(TokenList(partial));
        }
        return type.WithModifiers(type.Modifiers.Add(Token(TriviaList(), SyntaxKind.PartialKeyword, TriviaList(Space))));
    }

    /// <summary>
    /// The declarations the generator needs partial, for a type it reported: the type, the types
    /// around it, and the types inside it that lead to a <c>[Differentiable]</c> method (each would
    /// be reported next), so that one fix settles them all.
    /// </summary>
    public static TypeDeclarationSyntax[] WithoutPartialFrom(TypeDeclarationSyntax type)
    {
        var inner = type.DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Where(IsMarkedDifferentiable)
            .SelectMany(method => method.Ancestors().OfType<TypeDeclarationSyntax>().TakeWhile(t => t != type));
        return type.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().Concat(inner).Where(Lacks).Distinct().ToArray();
    }

    /// <summary>Read from syntax: a fix must not bind every method of a large type to find out.</summary>
    private static bool IsMarkedDifferentiable(MethodDeclarationSyntax method) =>
        method.AttributeLists.SelectMany(list => list.Attributes).Any(attribute =>
            attribute.Name.ToString() is "Differentiable" or "DifferentiableAttribute" or "Autodiff.Differentiable" or "global::Autodiff.Differentiable");
}
