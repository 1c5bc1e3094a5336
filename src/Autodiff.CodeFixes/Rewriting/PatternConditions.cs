using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Autodiff.CodeFixes.Rewriting;

/// <summary>
/// A switch pattern as a boolean expression over the value switched on, in the operators the
/// generator differentiates through (<c>==</c>, <c>&lt;</c>, <c>&amp;&amp;</c>, <c>||</c>, <c>!</c>),
/// never <c>is</c>, which it rejects too. Constant, relational, <c>and</c>, <c>or</c>, <c>not</c>
/// and parenthesized patterns over numbers, enums, chars, bools and strings; anything else (type,
/// declaration, property, list patterns) is null: no rewrite is offered. A NaN constant is left
/// out too: the pattern matches NaN, <c>==</c> does not.
/// </summary>
internal static class PatternConditions
{
    /// <summary>The condition, or null when the pattern has no faithful operator form.</summary>
    public static ExpressionSyntax? Of(PatternSyntax pattern, ExpressionSyntax subject, ITypeSymbol subjectType, SemanticModel model)
    {
        if (!Comparable(subjectType))
        {
            return null;
        }
        switch (pattern)
        {
            case ConstantPatternSyntax constant when model.GetOperation(constant) is IConstantPatternOperation:
                return Constant(constant.Expression, subject, model);
            case RelationalPatternSyntax relational when !IsNaN(relational.Expression, model):
                return Group(BinaryExpression(RelationalKind(relational.OperatorToken.Kind()), subject, Group(relational.Expression.WithoutTrivia())));
            case ParenthesizedPatternSyntax parenthesized:
                return Of(parenthesized.Pattern, subject, subjectType, model) is { } inner ? Group(inner) : null;
            case BinaryPatternSyntax binary:
                ExpressionSyntax? left = Of(binary.Left, subject, subjectType, model);
                ExpressionSyntax? right = Of(binary.Right, subject, subjectType, model);
                if (left is null || right is null)
                {
                    return null;
                }
                SyntaxKind kind = binary.IsKind(SyntaxKind.OrPattern) ? SyntaxKind.LogicalOrExpression : SyntaxKind.LogicalAndExpression;
                return Group(BinaryExpression(kind, left, right));
            case UnaryPatternSyntax { Pattern: ConstantPatternSyntax negated } when model.GetOperation(negated) is IConstantPatternOperation:
                return Constant(negated.Expression, subject, model, SyntaxKind.NotEqualsExpression);
            case UnaryPatternSyntax unary:
                return Of(unary.Pattern, subject, subjectType, model) is { } operand ? PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, Group(operand)) : null;
            default:
                return null;
        }
    }

    /// <summary><c>case 3:</c> in a switch statement: the same as the constant pattern <c>3</c>.</summary>
    public static ExpressionSyntax? Constant(ExpressionSyntax value, ExpressionSyntax subject, SemanticModel model, SyntaxKind kind = SyntaxKind.EqualsExpression) =>
        IsNaN(value, model) || model.GetSymbolInfo(value).Symbol is ITypeSymbol
            ? null
            : Group(BinaryExpression(kind, subject, Group(value.WithoutTrivia())));

    /// <summary>Parentheses the simplifier removes again wherever they are not needed.</summary>
    public static ExpressionSyntax Group(ExpressionSyntax expression) =>
        expression is IdentifierNameSyntax or LiteralExpressionSyntax or ParenthesizedExpressionSyntax
            ? expression
            : ParenthesizedExpression(expression).WithAdditionalAnnotations(Simplifier.Annotation);

    private static bool Comparable(ITypeSymbol type) =>
        type.TypeKind == TypeKind.Enum
        || type.SpecialType is >= SpecialType.System_Boolean and <= SpecialType.System_String;

    private static bool IsNaN(ExpressionSyntax value, SemanticModel model) =>
        model.GetConstantValue(value).Value is double.NaN or float.NaN;

    private static SyntaxKind RelationalKind(SyntaxKind token) => token switch
    {
        SyntaxKind.LessThanToken => SyntaxKind.LessThanExpression,
        SyntaxKind.LessThanEqualsToken => SyntaxKind.LessThanOrEqualExpression,
        SyntaxKind.GreaterThanToken => SyntaxKind.GreaterThanExpression,
        _ => SyntaxKind.GreaterThanOrEqualExpression,
    };
}
