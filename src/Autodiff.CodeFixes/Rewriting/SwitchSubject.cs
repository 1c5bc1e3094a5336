using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Autodiff.CodeFixes.Rewriting;

/// <summary>
/// The value a switch tests, as the rewritten conditions read it. A switch evaluates it once; the
/// conditions read it once per case, so anything but a constant, a local, a parameter or a field
/// (a call, a property, arithmetic) is first stored in a new local named after it.
/// </summary>
internal sealed class SwitchSubject
{
    private SwitchSubject(ExpressionSyntax read, LocalDeclarationStatementSyntax? local)
    {
        Read = read;
        Local = local;
    }

    /// <summary>What each condition compares.</summary>
    public ExpressionSyntax Read { get; }

    /// <summary>The local that holds the value, declared before the rewritten statement; null when none is needed.</summary>
    public LocalDeclarationStatementSyntax? Local { get; }

    public static SwitchSubject For(ExpressionSyntax governing, SyntaxNode scope, SemanticModel model, CancellationToken cancellationToken)
    {
        ExpressionSyntax inner = WithoutParentheses(governing);
        ExpressionSyntax bare = inner.WithoutTrivia();
        if (ReadsWithoutEffects(inner, model, cancellationToken))
        {
            return new SwitchSubject(PatternConditions.Group(bare), null);
        }
        string name = FreeName(NameFor(bare), scope, model, governing.SpanStart);
        LocalDeclarationStatementSyntax local = LocalDeclarationStatement(VariableDeclaration(IdentifierName("var"),
            SingletonSeparatedList(VariableDeclarator(Identifier(name)).WithInitializer(EqualsValueClause(bare)))));
        return new SwitchSubject(IdentifierName(name), local);
    }

    private static ExpressionSyntax WithoutParentheses(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }
        return expression;
    }

    private static bool ReadsWithoutEffects(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.GetConstantValue(expression, cancellationToken).HasValue)
        {
            return true;
        }
        ISymbol? symbol = model.GetSymbolInfo(expression, cancellationToken).Symbol;
        return expression switch
        {
            IdentifierNameSyntax => symbol is ILocalSymbol or IParameterSymbol or IFieldSymbol,
            MemberAccessExpressionSyntax access => symbol is IFieldSymbol
                && (access.Expression is ThisExpressionSyntax
                    || model.GetSymbolInfo(access.Expression, cancellationToken).Symbol is ITypeSymbol
                    || ReadsWithoutEffects(access.Expression, model, cancellationToken)),
            _ => false,
        };
    }

    /// <summary><c>Classify(x)</c> gives "classify", <c>s.Length</c> "length", anything else "value".</summary>
    private static string NameFor(ExpressionSyntax expression)
    {
        SimpleNameSyntax? name = expression switch
        {
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } => access.Name,
            InvocationExpressionSyntax { Expression: SimpleNameSyntax simple } => simple,
            MemberAccessExpressionSyntax access => access.Name,
            _ => null,
        };
        string text = name?.Identifier.ValueText ?? "value";
        text = char.ToLowerInvariant(text[0]) + text.Substring(1);
        return SyntaxFacts.GetKeywordKind(text) == SyntaxKind.None ? text : "value";
    }

    /// <summary>A name no symbol in scope and no declaration in the member has.</summary>
    private static string FreeName(string wanted, SyntaxNode scope, SemanticModel model, int position)
    {
        var declared = new HashSet<string>(scope.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        string name = wanted;
        for (int n = 2; declared.Contains(name) || model.LookupSymbols(position, name: name).Length > 0; n++)
        {
            name = wanted + n;
        }
        return name;
    }
}
