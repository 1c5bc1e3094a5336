using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Autodiff.CodeFixes.Editing;

/// <summary>The runtime's names as syntax, fully qualified and annotated for <see cref="Tidy"/>.</summary>
internal static class AutodiffSyntax
{
    /// <summary><c>[NoGrad]</c>, <c>[Differentiable]</c>: an attribute of the runtime without arguments.</summary>
    public static AttributeListSyntax Attribute(string shortName, params AttributeArgumentSyntax[] arguments)
    {
        AttributeSyntax attribute = SyntaxFactory.Attribute(ParseName("global::Autodiff." + shortName));
        if (arguments.Length > 0)
        {
            attribute = attribute.WithArgumentList(AttributeArgumentList(SeparatedList(arguments)));
        }
        return Tidy.Annotate(AttributeList(SingletonSeparatedList(attribute)));
    }

    /// <summary><c>Grad.Stop(value)</c>.</summary>
    public static InvocationExpressionSyntax GradStop(ExpressionSyntax value) =>
        Tidy.Annotate(InvocationExpression(
            ParseExpression("global::Autodiff.Grad.Stop"),
            ArgumentList(SingletonSeparatedList(Argument(value.WithoutTrivia()))))
            .WithTriviaFrom(value));

    /// <summary><c>nameof(name)</c>, for attribute arguments that follow renames.</summary>
    public static ExpressionSyntax NameOf(ExpressionSyntax name) =>
        InvocationExpression(IdentifierName(Identifier(TriviaList(), SyntaxKind.NameOfKeyword, "nameof", "nameof", TriviaList())),
            ArgumentList(SingletonSeparatedList(Argument(name))));
}
