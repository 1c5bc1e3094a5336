using System;
using System.Collections.Immutable;
using System.Linq;
using Autodiff.Generator.Emit;
using Autodiff.Generator.Model;
using Autodiff.Generator.Parsing;
using Autodiff.Generator.Transforms;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autodiff.Generator;

/// <summary>
/// Generates reverse-mode gradient code for <c>[Differentiable]</c> methods at compile time.
/// Parsing lives in Parsing/, the middle end (jump lowering, activity, flattening) in Transforms/,
/// and the sweeps and printing in Emit/. The front end's diagnostics (where a method lives, what it
/// takes, unsupported constructs, rule signatures) are reported by <see cref="DifferentiableAnalyzer"/>,
/// which runs the same parser, so that they show while typing; the generator reports only the
/// diagnostics of the middle end and of calls between methods, so nothing is reported twice.
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

        // AutodiffHessianVector=true in the project: Hessian-vector products wherever they can be made.
        IncrementalValueProvider<bool> allHessians = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue("build_property.AutodiffHessianVector", out string? value)
                && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase));
        methods = methods.Combine(allHessians)
            .Select(static (pair, _) => pair.Right ? pair.Left with { AllHessians = true } : pair.Left);

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

        // Which array parameters each method writes, followed through the calls between methods, and
        // which methods others call (they get split-mode members).
        IncrementalValueProvider<CrossMethodFacts> crossMethodFacts = methods
            .Select(static (method, _) => CallGraph.EffectsOf(method))
            .Collect()
            .Select(static (all, _) => CallGraph.FactsOf(all))
            .WithTrackingName(TrackingNames.CrossMethodFacts);

        // The middle end and the emitter, per method, with the registry and the cross-method facts.
        IncrementalValuesProvider<MethodOutput> outputs = methods
            .Combine(rules)
            .Combine(crossMethodFacts)
            .Select(static (pair, token) => FileEmitter.EmitMethod(pair.Left.Left, pair.Left.Right, pair.Right, token))
            .WithTrackingName(TrackingNames.MethodOutputs);

        // One file per containing type, without the methods that call a pullback that was not generated.
        IncrementalValuesProvider<GeneratedFile> files = outputs.Collect()
            .SelectMany(static (all, _) => FileEmitter.Assemble(all))
            .WithTrackingName(TrackingNames.Files);

        context.RegisterSourceOutput(files, static (output, file) =>
        {
            Report(output, file.Diagnostics);
            if (file.Source is not null)
            {
                output.AddSource(file.HintName, file.Source);
            }
        });
    }

    private static EquatableArray<DerivativeRule> MergeRules(ImmutableArray<RuleDeclaration> declarations, EquatableArray<DerivativeRule> references)
    {
        var user = declarations.SelectMany(d => d.Rules)
            .OrderBy(r => r.TargetKey, StringComparer.Ordinal).ThenBy(r => r.Pullback, StringComparer.Ordinal);
        var referenced = references
            .OrderBy(r => r.TargetKey, StringComparer.Ordinal).ThenBy(r => r.Pullback, StringComparer.Ordinal);
        return user.Concat(referenced).ToEquatableArray();
    }

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
    public const string CrossMethodFacts = nameof(CrossMethodFacts);
    public const string MethodOutputs = nameof(MethodOutputs);
    public const string Files = nameof(Files);
}
