using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Autodiff.CodeFixes.Editing;
using Autodiff.CodeFixes.Rewriting;
using Autodiff.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace Autodiff.CodeFixes.Fixes;

/// <summary>
/// ADIFF009 on a switch: the generator supports no switch at all (statement or expression), but
/// does support if/else and <c>?:</c>, so the switch is rewritten into them with the same meaning
/// (see <see cref="SwitchStatementRewriter"/> and <see cref="SwitchExpressionRewriter"/> for
/// what is kept and when no rewrite is offered). ADIFF009 on other constructs has no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SwitchToConditionalsFix)), Shared]
public sealed class SwitchToConditionalsFix : CodeFixProvider
{
    public const string EquivalenceKey = "Autodiff.SwitchToConditionals";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticDescriptors.UnsupportedConstruct.Id);

    public override FixAllProvider? GetFixAllProvider() => null; // rewrites can nest and introduce locals: one at a time

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            SyntaxNode? scope = node.FirstAncestorOrSelf<MemberDeclarationSyntax>();
            if (scope is null)
            {
                continue;
            }
            if (node is SwitchStatementSyntax statement
                && SwitchStatementRewriter.Rewrite(statement, scope, model, context.CancellationToken) is { } chain)
            {
                context.RegisterCodeFix(CodeAction.Create("Rewrite the switch statement as if/else",
                    token => Tidy.DocumentAsync(context.Document.WithSyntaxRoot(StatementSplicer.Replace(root, statement, chain)), token),
                    EquivalenceKey), diagnostic);
            }
            else if (node is SwitchExpressionSyntax expression
                && SwitchExpressionRewriter.Rewrite(expression, scope, model, context.CancellationToken) is { } conditional)
            {
                context.RegisterCodeFix(CodeAction.Create("Rewrite the switch expression as conditional (?:) expressions",
                    token => Tidy.DocumentAsync(context.Document.WithSyntaxRoot(Replace(root, expression, conditional)), token),
                    EquivalenceKey), diagnostic);
            }
        }
    }

    private static SyntaxNode Replace(SyntaxNode root, SwitchExpressionSyntax expression, SwitchExpressionRewriter.Rewritten rewritten)
    {
        ExpressionSyntax conditional = rewritten.Conditional.WithTriviaFrom(expression).WithAdditionalAnnotations(Formatter.Annotation);
        if (rewritten.Statement is null)
        {
            return root.ReplaceNode(expression, conditional);
        }
        StatementSyntax statement = rewritten.Statement.ReplaceNode(expression, conditional);
        var statements = new List<StatementSyntax>();
        if (rewritten.Local is not null)
        {
            statements.Add(rewritten.Local);
        }
        statements.Add(statement);
        return StatementSplicer.Replace(root, rewritten.Statement, statements);
    }
}
