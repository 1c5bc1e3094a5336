using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Autodiff.Generator.Diagnostics;
using Autodiff.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autodiff.CodeFixes.Reading;

/// <summary>What an ADIFF004 diagnostic is about: the operation at its span, the method it calls and the active value it receives.</summary>
internal sealed class CallWithoutDerivative
{
    private CallWithoutDerivative(ExpressionSyntax operation, IMethodSymbol? callee, ExpressionSyntax? activeValue)
    {
        Operation = operation;
        Callee = callee;
        ActiveValue = activeValue;
    }

    /// <summary>The call (or creation, indexer, conversion) the diagnostic is at.</summary>
    public ExpressionSyntax Operation { get; }

    /// <summary>The method called, when the operation is a call of an ordinary method.</summary>
    public IMethodSymbol? Callee { get; }

    /// <summary>The operand that carries the gradient, when it can be told and <c>Grad.Stop</c> takes its type.</summary>
    public ExpressionSyntax? ActiveValue { get; }

    public static CallWithoutDerivative? Read(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax operation)
        {
            return null;
        }
        IMethodSymbol? callee = model.GetSymbolInfo(operation, cancellationToken).Symbol as IMethodSymbol;
        if (callee is not { MethodKind: MethodKind.Ordinary })
        {
            callee = null;
        }
        string? named = MessageArguments.Read(DiagnosticDescriptors.NoDerivative, diagnostic, 1);
        return new CallWithoutDerivative(operation, callee, ActiveOperand(operation, named, model, cancellationToken));
    }

    /// <summary>
    /// The operand the message names (the generator prints it as the source spells it, for a
    /// variable its name); failing that, the one operand <c>Grad.Stop</c> could take.
    /// </summary>
    private static ExpressionSyntax? ActiveOperand(ExpressionSyntax operation, string? named, SemanticModel model, CancellationToken cancellationToken)
    {
        List<ExpressionSyntax> stoppable = Operands(operation).Where(o => Stoppable(o, model, cancellationToken)).ToList();
        if (named is not null && stoppable.FirstOrDefault(o => Squeeze(o.ToString()) == Squeeze(named)) is { } byName)
        {
            return byName;
        }
        return stoppable.Count == 1 ? stoppable[0] : null;
    }

    private static IEnumerable<ExpressionSyntax> Operands(ExpressionSyntax operation)
    {
        switch (operation)
        {
            case InvocationExpressionSyntax call:
                if (call.Expression is MemberAccessExpressionSyntax access)
                {
                    yield return access.Expression;
                }
                foreach (ExpressionSyntax value in ByValue(call.ArgumentList))
                {
                    yield return value;
                }
                break;
            case BaseObjectCreationExpressionSyntax creation when creation.ArgumentList is not null:
                foreach (ExpressionSyntax value in ByValue(creation.ArgumentList))
                {
                    yield return value;
                }
                break;
            case ElementAccessExpressionSyntax element:
                yield return element.Expression;
                break;
            case CastExpressionSyntax cast:
                yield return cast.Expression;
                break;
        }
    }

    /// <summary>
    /// The arguments passed by value: one passed by ref, out or in must stay a variable, so
    /// Grad.Stop(...) (a value) cannot stand there (found by running the fixes over the corpus).
    /// </summary>
    private static IEnumerable<ExpressionSyntax> ByValue(ArgumentListSyntax arguments) =>
        arguments.Arguments.Where(a => a.RefKindKeyword.RawKind == 0).Select(a => a.Expression);

    /// <summary>A double, float or Tensor that is not a constant: what Grad.Stop has overloads for.</summary>
    private static bool Stoppable(ExpressionSyntax operand, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.GetConstantValue(operand, cancellationToken).HasValue)
        {
            return false;
        }
        ITypeSymbol? type = model.GetTypeInfo(operand, cancellationToken).Type;
        return type is not null && TypeClassifier.Classify(type) is { IsScalar: true } or { IsTensor: true };
    }

    private static string Squeeze(string text) => new(text.Where(c => !char.IsWhiteSpace(c)).ToArray());
}
