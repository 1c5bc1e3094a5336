using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Autodiff.Generator.Diagnostics;
using Autodiff.Generator.Model;
using Autodiff.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Autodiff.Generator;

/// <summary>
/// Reports the front end's diagnostics — where a <c>[Differentiable]</c> method lives (ADIFF001),
/// what it takes and returns, the constructs it may use, the model members it reads, and the
/// signatures of <c>[DerivativeOf]</c> rules — by running the generator's own parser
/// (<see cref="MethodParser"/>, <see cref="RuleParser"/>). Analyzers run while the user types, so these
/// appear in the editor's error list at once (Roslyn's cookbook asks generators to leave such
/// diagnostics to an analyzer); <see cref="DifferentiableGenerator"/> does not report them again.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DifferentiableAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = DiagnosticDescriptors.All.ToImmutableArray();

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            INamedTypeSymbol? differentiable = start.Compilation.GetTypeByMetadataName(MethodParser.DifferentiableAttributeName);
            INamedTypeSymbol? derivativeOf = start.Compilation.GetTypeByMetadataName(RuleParser.DerivativeOfAttributeName);
            if (differentiable is null && derivativeOf is null)
            {
                return; // the runtime is not referenced: nothing here can be [Differentiable]
            }
            start.RegisterSyntaxNodeAction(
                node => AnalyzeMethod(node, differentiable, derivativeOf),
                SyntaxKind.MethodDeclaration, SyntaxKind.LocalFunctionStatement);
        });
    }

    private static void AnalyzeMethod(SyntaxNodeAnalysisContext context, INamedTypeSymbol? differentiable, INamedTypeSymbol? derivativeOf)
    {
        if (context.SemanticModel.GetDeclaredSymbol(context.Node, context.CancellationToken) is not IMethodSymbol method)
        {
            return;
        }
        // As ForAttributeWithMetadataName does for the generator: attributes written on this declaration.
        ImmutableArray<AttributeData> attributes = method.GetAttributes()
            .Where(a => a.ApplicationSyntaxReference is { } reference && reference.SyntaxTree == context.Node.SyntaxTree
                && context.Node.Span.Contains(reference.Span))
            .ToImmutableArray();
        if (differentiable is not null && attributes.Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, differentiable)))
        {
            MethodSpec spec = MethodParser.Parse(context.Node, method, context.SemanticModel, context.CancellationToken);
            Report(context, spec.Diagnostics);
        }
        ImmutableArray<AttributeData> rules = attributes.Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, derivativeOf)).ToImmutableArray();
        if (derivativeOf is not null && rules.Length > 0)
        {
            RuleDeclaration declaration = RuleParser.ParseDeclaration(context.Node, method, rules, context.CancellationToken);
            Report(context, declaration.Diagnostics);
        }
    }

    private static void Report(SyntaxNodeAnalysisContext context, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (DiagnosticInfo info in diagnostics)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.Find(info.Id), SourceLocation(context, info.Span), info.Arguments.ToArray<object>()));
        }
    }

    /// <summary>
    /// The span in its syntax tree (a source location: the editor underlines it), not the plain
    /// file path and position the generator's cached values carry.
    /// </summary>
    private static Location SourceLocation(SyntaxNodeAnalysisContext context, SourceSpan span)
    {
        SyntaxTree? tree = context.Node.SyntaxTree.FilePath == span.Path
            ? context.Node.SyntaxTree
            : context.SemanticModel.Compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == span.Path);
        return tree is null ? Spans.ToLocation(span) : Location.Create(tree, new TextSpan(span.Start, span.Length));
    }
}
