using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Autodiff.CodeFixes.Editing;

/// <summary>The runtime's names as syntax, fully qualified and annotated for <see cref="Tidy"/>.</summary>
internal static class AutodiffSyntax
{
    /// <summary><c>[NoGrad]</c>, <c>[Differentiable]</c>: an attribute of the runtime without arguments.</summary>
    public static AttributeListSyntax Attribute(string shortName) =>
        Tidy.Annotate(AttributeList(SingletonSeparatedList(SyntaxFactory.Attribute(ParseName("global::Autodiff." + shortName)))));

    /// <summary><c>Grad.Stop(value)</c>.</summary>
    public static InvocationExpressionSyntax GradStop(ExpressionSyntax value) =>
        Tidy.Annotate(InvocationExpression(
            ParseExpression("global::Autodiff.Grad.Stop"),
            ArgumentList(SingletonSeparatedList(Argument(value.WithoutTrivia()))))
            .WithTriviaFrom(value));
}
