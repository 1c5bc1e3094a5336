using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Autodiff.CodeFixes.Rewriting;

/// <summary>
/// A switch expression as nested conditionals, <c>c1 ? v1 : c2 ? v2 : v3</c>: the arms in order,
/// the last arm (which must be a bare <c>_</c>) as the final value, since a switch expression that
/// matches nothing throws and a throw expression is itself outside the supported language.
/// When the value switched on needs a local (<see cref="SwitchSubject"/>), the local is declared
/// before the statement, which moves its evaluation ahead of the rest of the statement; that is
/// offered only where it changes nothing: in a declaration, expression statement or return, and
/// when nothing in the statement that runs before the switch (a call, an assignment, an increment)
/// and no short-circuit or conditional around it could see the difference.
/// </summary>
internal static class SwitchExpressionRewriter
{
    /// <summary>The conditional; the local it reads, if any, to declare before <paramref name="Statement"/> (null in an expression-bodied member, which needs no local).</summary>
    public sealed record Rewritten(ExpressionSyntax Conditional, LocalDeclarationStatementSyntax? Local, StatementSyntax? Statement);

    public static Rewritten? Rewrite(SwitchExpressionSyntax switchExpression, SyntaxNode scope, SemanticModel model, CancellationToken cancellationToken)
    {
        ITypeSymbol? type = model.GetTypeInfo(switchExpression.GoverningExpression, cancellationToken).Type;
        var arms = switchExpression.Arms;
        if (type is null || arms.Count < 2 || arms.Last() is not { Pattern: DiscardPatternSyntax, WhenClause: null } last)
        {
            return null;
        }
        StatementSyntax? statement = switchExpression.FirstAncestorOrSelf<StatementSyntax>();
        SwitchSubject subject = SwitchSubject.For(switchExpression.GoverningExpression, scope, model, cancellationToken);
        if (subject.Local is not null && (statement is null || !CanHoist(switchExpression, statement)))
        {
            return null;
        }
        ExpressionSyntax result = PatternConditions.Group(last.Expression.WithoutTrivia());
        for (int i = arms.Count - 2; i >= 0; i--)
        {
            SwitchExpressionArmSyntax arm = arms[i];
            ExpressionSyntax? matches = arm.Pattern is DiscardPatternSyntax ? null : PatternConditions.Of(arm.Pattern, subject.Read, type, model);
            if (matches is null && arm.Pattern is not DiscardPatternSyntax)
            {
                return null;
            }
            ExpressionSyntax? when = arm.WhenClause is { } clause ? PatternConditions.Group(clause.Condition.WithoutTrivia()) : null;
            ExpressionSyntax condition = matches is null ? when! : when is null ? matches : BinaryExpression(SyntaxKind.LogicalAndExpression, matches, when);
            result = PatternConditions.Group(ConditionalExpression(PatternConditions.Group(condition), PatternConditions.Group(arm.Expression.WithoutTrivia()), result));
        }
        return new Rewritten(result, subject.Local, statement);
    }

    private static bool CanHoist(SwitchExpressionSyntax switchExpression, StatementSyntax statement)
    {
        if (statement is not (LocalDeclarationStatementSyntax or ExpressionStatementSyntax or ReturnStatementSyntax))
        {
            return false;
        }
        bool guarded = switchExpression.Ancestors().TakeWhile(a => a != statement).Any(a =>
            a is ConditionalExpressionSyntax or LambdaExpressionSyntax or AnonymousMethodExpressionSyntax
            || a.IsKind(SyntaxKind.LogicalAndExpression) || a.IsKind(SyntaxKind.LogicalOrExpression) || a.IsKind(SyntaxKind.CoalesceExpression)
            || a is SwitchExpressionSyntax);
        bool effectsBefore = statement.DescendantNodes().Any(n => n.Span.End <= switchExpression.SpanStart
            && (n is InvocationExpressionSyntax or AssignmentExpressionSyntax or BaseObjectCreationExpressionSyntax
                || n.IsKind(SyntaxKind.PreIncrementExpression) || n.IsKind(SyntaxKind.PreDecrementExpression)
                || n.IsKind(SyntaxKind.PostIncrementExpression) || n.IsKind(SyntaxKind.PostDecrementExpression)));
        return !guarded && !effectsBefore;
    }
}
