using System;
using System.Collections.Immutable;
using System.Linq;
using Autodiff.Generator.Emit;
using Autodiff.Generator.Model;
using Autodiff.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autodiff.Generator;

/// <summary>
/// Generates reverse-mode gradient code for <c>[Differentiable]</c> methods at compile time.
/// Parsing lives in Parsing/, the middle end (jump lowering, activity, flattening) in Transforms/,
/// and the sweeps and printing in Emit/.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DifferentiableGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Every [Differentiable] method, checked and lowered to the IR; re-run only for edited files.
        IncrementalValuesProvider<MethodSpec> methods = context.SyntaxProvider
            .ForAttributeWithMetadataName(MethodParser.DifferentiableAttributeName,
                static (node, _) => node is MethodDeclarationSyntax or LocalFunctionStatementSyntax,
                MethodParser.Parse)
            .WithTrackingName(TrackingNames.Methods);

        // The user's [DerivativeOf] pullbacks, each checked against the pullback form of its target.
        IncrementalValuesProvider<RuleDeclaration> declarations = context.SyntaxProvider
            .ForAttributeWithMetadataName(RuleParser.DerivativeOfAttributeName,
                static (node, _) => node is MethodDeclarationSyntax,
                RuleParser.ParseDeclaration)
            .WithTrackingName(TrackingNames.Declarations);

        // Rules of referenced assemblies (Autodiff.Runtime's Math, MathF and tensor rules), narrowed
        // from the compilation to plain data so that an edit elsewhere leaves them cached.
        IncrementalValueProvider<EquatableArray<DerivativeRule>> referenceRules = context.CompilationProvider
            .Select(static (compilation, token) => RuleParser.FromReferences(compilation, token))
            .WithTrackingName(TrackingNames.ReferenceRules);

        // One registry: the user's rules first (they win), then the references', in a stable order.
        IncrementalValueProvider<EquatableArray<DerivativeRule>> rules = declarations.Collect()
            .Combine(referenceRules)
            .Select(static (pair, _) => MergeRules(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Rules);

        // One file per containing type.
        IncrementalValuesProvider<TypeFileSpec> typeFiles = methods.Collect()
            .SelectMany(static (all, _) => GroupByType(all))
            .WithTrackingName(TrackingNames.TypeFiles);

        // The middle end and the emitter, per type, with the registry.
        IncrementalValuesProvider<GeneratedFile> files = typeFiles
            .Combine(rules)
            .Select(static (pair, token) => FileEmitter.Emit(pair.Left, pair.Right, token))
            .WithTrackingName(TrackingNames.Files);

        context.RegisterSourceOutput(files, static (output, file) =>
        {
            Report(output, file.Diagnostics);
            if (file.Source is not null)
            {
                output.AddSource(file.HintName, file.Source);
            }
        });
        context.RegisterSourceOutput(declarations, static (output, declaration) => Report(output, declaration.Diagnostics));
    }

    private static EquatableArray<DerivativeRule> MergeRules(ImmutableArray<RuleDeclaration> declarations, EquatableArray<DerivativeRule> references)
    {
        var user = declarations.SelectMany(d => d.Rules)
            .OrderBy(r => r.TargetKey, StringComparer.Ordinal).ThenBy(r => r.Pullback, StringComparer.Ordinal);
        var referenced = references
            .OrderBy(r => r.TargetKey, StringComparer.Ordinal).ThenBy(r => r.Pullback, StringComparer.Ordinal);
        return user.Concat(referenced).ToEquatableArray();
    }

    private static ImmutableArray<TypeFileSpec> GroupByType(ImmutableArray<MethodSpec> methods) =>
        methods.GroupBy(m => m.FileKey, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new TypeFileSpec(g.Key, g.OrderBy(m => m.Span.Path, StringComparer.Ordinal).ThenBy(m => m.Span.Start).ToEquatableArray()))
            .ToImmutableArray();

    private static void Report(SourceProductionContext output, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (DiagnosticInfo info in diagnostics)
        {
            output.ReportDiagnostic(Diagnostic.Create(Diagnostics.DiagnosticDescriptors.Find(info.Id), Spans.ToLocation(info.Span), info.Arguments.ToArray<object>()));
        }
    }
}

/// <summary>Names of the pipeline steps, for the incremental-caching tests.</summary>
public static class TrackingNames
{
    public const string Methods = nameof(Methods);
    public const string Declarations = nameof(Declarations);
    public const string ReferenceRules = nameof(ReferenceRules);
    public const string Rules = nameof(Rules);
    public const string TypeFiles = nameof(TypeFiles);
    public const string Files = nameof(Files);
}
