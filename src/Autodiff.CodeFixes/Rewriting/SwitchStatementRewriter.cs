using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Autodiff.CodeFixes.Rewriting;

/// <summary>
/// A switch statement as an if/else-if chain with the same meaning: the cases in their order,
/// each section's labels joined with <c>||</c>, the default section last as the final else (a
/// switch tries it last wherever it stands), each section's closing <c>break</c> dropped.
/// Returns null, and no rewrite is offered, where the chain would mean something else: a
/// <c>break</c> that leaves the switch from inside a section (it would leave an enclosing loop
/// instead), <c>goto case</c>, a local declared in one section and used in another (sections share
/// one scope, if-blocks do not), or a pattern <see cref="PatternConditions"/> cannot express.
/// </summary>
internal static class SwitchStatementRewriter
{
    public static List<StatementSyntax>? Rewrite(SwitchStatementSyntax switchStatement, SyntaxNode scope, SemanticModel model, CancellationToken cancellationToken)
    {
        ITypeSymbol? type = model.GetTypeInfo(switchStatement.Expression, cancellationToken).Type;
        if (type is null || !SectionsKeepToThemselves(switchStatement))
        {
            return null;
        }
        SwitchSubject subject = SwitchSubject.For(switchStatement.Expression, scope, model, cancellationToken);
        var cases = new List<(ExpressionSyntax Condition, BlockSyntax Body)>();
        BlockSyntax? otherwise = null;
        foreach (SwitchSectionSyntax section in switchStatement.Sections)
        {
            BlockSyntax? body = Body(section, switchStatement);
            if (body is null)
            {
                return null;
            }
            if (section.Labels.Any(IsDefault))
            {
                otherwise = body;
                continue;
            }
            var conditions = new List<ExpressionSyntax>();
            foreach (SwitchLabelSyntax label in section.Labels)
            {
                ExpressionSyntax? condition = Condition(label, subject.Read, type, model);
                if (condition is null)
                {
                    return null;
                }
                conditions.Add(condition);
            }
            cases.Add((conditions.Aggregate((a, b) => BinaryExpression(SyntaxKind.LogicalOrExpression, a, b)), body));
        }
        if (cases.Count == 0)
        {
            return null;
        }
        StatementSyntax? chain = otherwise;
        for (int i = cases.Count - 1; i >= 0; i--)
        {
            IfStatementSyntax branch = IfStatement(cases[i].Condition, cases[i].Body);
            chain = chain is null ? branch : branch.WithElse(ElseClause(chain));
        }
        var statements = new List<StatementSyntax>();
        if (subject.Local is not null)
        {
            statements.Add(subject.Local);
        }
        statements.Add(chain!);
        return statements;
    }

    private static bool IsDefault(SwitchLabelSyntax label) =>
        label is DefaultSwitchLabelSyntax or CasePatternSwitchLabelSyntax { Pattern: DiscardPatternSyntax, WhenClause: null };

    private static ExpressionSyntax? Condition(SwitchLabelSyntax label, ExpressionSyntax subject, ITypeSymbol type, SemanticModel model)
    {
        switch (label)
        {
            case CaseSwitchLabelSyntax constant:
                return PatternConditions.Constant(constant.Value, subject, model);
            case CasePatternSwitchLabelSyntax patterned:
                ExpressionSyntax? matches = patterned.Pattern is DiscardPatternSyntax ? null : PatternConditions.Of(patterned.Pattern, subject, type, model);
                ExpressionSyntax? when = patterned.WhenClause is { } clause ? PatternConditions.Group(clause.Condition.WithoutTrivia()) : null;
                if (matches is null && patterned.Pattern is not DiscardPatternSyntax)
                {
                    return null;
                }
                return matches is null ? when : when is null ? matches : PatternConditions.Group(BinaryExpression(SyntaxKind.LogicalAndExpression, matches, when));
            default:
                return null;
        }
    }

    /// <summary>The section's statements without their closing break, or null if a jump in them would change meaning.</summary>
    private static BlockSyntax? Body(SwitchSectionSyntax section, SwitchStatementSyntax owner)
    {
        List<StatementSyntax> statements = section.Statements.Count == 1 && section.Statements[0] is BlockSyntax only
            ? only.Statements.ToList()
            : section.Statements.ToList();
        if (statements.Count == 0)
        {
            return null;
        }
        StatementSyntax last = statements[statements.Count - 1];
        if (last is BreakStatementSyntax)
        {
            statements.RemoveAt(statements.Count - 1);
        }
        else if (last is not (ReturnStatementSyntax or ThrowStatementSyntax or ContinueStatementSyntax))
        {
            return null;
        }
        bool leavesTheSwitch = statements.SelectMany(s => s.DescendantNodesAndSelf())
            .Any(n => n is GotoStatementSyntax || n is BreakStatementSyntax jump && BreaksOut(jump, owner));
        return leavesTheSwitch ? null : Block(statements);
    }

    /// <summary>Whether a break leaves this switch (rather than a loop or switch nested in it).</summary>
    private static bool BreaksOut(BreakStatementSyntax jump, SwitchStatementSyntax owner) =>
        jump.Ancestors().First(a => a is SwitchStatementSyntax or ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax) == owner;

    /// <summary>No section uses a local that another section declares: the if-blocks would each be a scope of their own.</summary>
    private static bool SectionsKeepToThemselves(SwitchStatementSyntax switchStatement)
    {
        var sections = switchStatement.Sections;
        for (int i = 0; i < sections.Count; i++)
        {
            var declared = sections[i].Statements.OfType<LocalDeclarationStatementSyntax>()
                .SelectMany(d => d.Declaration.Variables).Select(v => v.Identifier.ValueText).ToList();
            for (int j = 0; j < sections.Count; j++)
            {
                if (i != j && sections[j].DescendantNodes().OfType<IdentifierNameSyntax>().Any(n => declared.Contains(n.Identifier.ValueText)))
                {
                    return false;
                }
            }
        }
        return true;
    }
}
