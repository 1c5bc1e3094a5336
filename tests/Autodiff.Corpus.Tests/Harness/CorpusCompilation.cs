using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Autodiff.Corpus.Tests.Harness;

/// <summary>One annotated method of a corpus file, as the final compilation sees it.</summary>
public sealed record CorpusMethod(string File, IMethodSymbol Symbol, MethodDeclarationSyntax Syntax, Annotation Annotation)
{
    public TextSpan Span => Syntax.Span;

    public int Line => Syntax.Identifier.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

    public string Display => $"{Symbol.ContainingType.Name}.{Symbol.Name}({string.Join(", ", Symbol.Parameters.Select(p => p.Type.ToDisplayString()))}) [line {Line}]";
}

/// <summary>
/// A corpus file compiled in memory through the real generator. Generated members that do not compile
/// are cut out (and charged to the method they belong to) until the rest compiles, so that one broken
/// method does not hide the gradients of the others; the rest is emitted and loaded.
/// </summary>
public sealed class CorpusCompilation
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public required string File { get; init; }
    public required ImmutableArray<CorpusMethod> Methods { get; init; }
    public required ImmutableArray<Diagnostic> GeneratorDiagnostics { get; init; }
    public required Exception? GeneratorException { get; init; }
    /// <summary>Errors of the corpus file itself, before the generator ran: the corpus must be valid C#.</summary>
    public required ImmutableArray<Diagnostic> CorpusErrors { get; init; }
    /// <summary>Errors and warnings in generated code, charged to a corpus method (null: to no method).</summary>
    public required ImmutableArray<(CorpusMethod? Method, Diagnostic Diagnostic, string Member)> GeneratedProblems { get; init; }
    public required ImmutableArray<Diagnostic> EmitErrors { get; init; }
    public required Assembly? Assembly { get; init; }

    public static CorpusCompilation Of(string file, string source)
    {
        SyntaxTree tree = CSharpSyntaxTree.ParseText(source, ParseOptions, path: "/corpus/" + file);
        CSharpCompilation input = CSharpCompilation.Create("Corpus_" + Path.GetFileNameWithoutExtension(file), new[] { tree }, References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                warningLevel: 9999, allowUnsafe: false, optimizationLevel: OptimizationLevel.Release));
        ImmutableArray<Diagnostic> corpusErrors = input.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();

        Compilation output = input;
        Exception? exception = null;
        ImmutableArray<Diagnostic> generatorDiagnostics = ImmutableArray<Diagnostic>.Empty;
        try
        {
            GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new Autodiff.Generator.DifferentiableGenerator().AsSourceGenerator() },
                parseOptions: ParseOptions);
            driver = driver.RunGeneratorsAndUpdateCompilation(input, out output, out _);
            GeneratorDriverRunResult result = driver.GetRunResult();
            // What a build reports: the generator's diagnostics and those of the analyzer that runs its front end.
            generatorDiagnostics = result.Diagnostics.AddRange(output.WithAnalyzers(
                ImmutableArray.Create<DiagnosticAnalyzer>(new Autodiff.Generator.DifferentiableAnalyzer()))
                .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult());
            exception = result.Results.Select(r => r.Exception).FirstOrDefault(e => e is not null);
        }
        catch (Exception e)
        {
            exception = e;
        }

        // AUTODIFF_CORPUS_DUMP=dir writes the generated files and the generator's diagnostics there, for reading.
        if (Environment.GetEnvironmentVariable("AUTODIFF_CORPUS_DUMP") is { Length: > 0 } dump)
        {
            Directory.CreateDirectory(dump);
            string stem = Path.Combine(dump, Path.GetFileNameWithoutExtension(file));
            System.IO.File.WriteAllText(stem + ".g.cs", string.Join("\n", output.SyntaxTrees.Where(t => t != tree).Select(t => "// ---- " + t.FilePath + "\n" + t)));
            System.IO.File.WriteAllLines(stem + ".diagnostics.txt", generatorDiagnostics.Select(d => d.ToString()));
        }

        var problems = new List<(CorpusMethod?, Diagnostic, string)>();
        for (int round = 0; round < 30; round++)
        {
            var methods = FindMethods(file, output, tree);
            var errors = GeneratedDiagnostics(output, tree).ToList();
            if (round == 0)
            {
                foreach (Diagnostic warning in errors.Where(d => d.Severity == DiagnosticSeverity.Warning))
                {
                    var (owner, member, _) = Owner(output, methods, warning);
                    problems.Add((owner, warning, member));
                }
            }
            var removals = new Dictionary<SyntaxTree, List<SyntaxNode>>();
            foreach (Diagnostic error in errors.Where(d => d.Severity == DiagnosticSeverity.Error))
            {
                var (owner, member, node) = Owner(output, methods, error);
                problems.Add((owner, error, round == 0 ? member : member + " (after cutting out broken generated members)"));
                if (node is not null)
                {
                    if (!removals.TryGetValue(node.SyntaxTree, out var list)) removals[node.SyntaxTree] = list = new List<SyntaxNode>();
                    if (!list.Contains(node)) list.Add(node);
                }
            }
            if (removals.Count == 0) break;
            foreach (var (generated, nodes) in removals)
            {
                SyntaxNode root = generated.GetRoot().RemoveNodes(nodes, SyntaxRemoveOptions.KeepNoTrivia)!;
                output = output.ReplaceSyntaxTree(generated, generated.WithRootAndOptions(root, generated.Options));
            }
        }

        var finalMethods = FindMethods(file, output, tree);
        Assembly? assembly = null;
        ImmutableArray<Diagnostic> emitErrors = ImmutableArray<Diagnostic>.Empty;
        using (var stream = new MemoryStream())
        {
            var emitted = output.Emit(stream);
            if (emitted.Success)
            {
                stream.Position = 0;
                assembly = new AssemblyLoadContext("corpus:" + file, isCollectible: true).LoadFromStream(stream);
            }
            else
            {
                emitErrors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
            }
        }

        // Generated problems were charged to methods of earlier rounds' compilations: re-key them to the final ones.
        var byDisplay = finalMethods.ToDictionary(m => m.Display);
        return new CorpusCompilation
        {
            File = file,
            Methods = finalMethods,
            GeneratorDiagnostics = generatorDiagnostics,
            GeneratorException = exception,
            CorpusErrors = corpusErrors,
            GeneratedProblems = problems.Select(p => (p.Item1 is null ? null : byDisplay.GetValueOrDefault(p.Item1.Display), p.Item2, p.Item3)).ToImmutableArray(),
            EmitErrors = emitErrors,
            Assembly = assembly,
        };
    }

    private static IEnumerable<Diagnostic> GeneratedDiagnostics(Compilation output, SyntaxTree corpus) =>
        output.GetDiagnostics().Where(d => d.Location.SourceTree is { } t && t != corpus
            && d.Severity >= DiagnosticSeverity.Warning && !d.Id.StartsWith("ADIFF", StringComparison.Ordinal));

    private static ImmutableArray<CorpusMethod> FindMethods(string file, Compilation compilation, SyntaxTree tree)
    {
        SemanticModel model = compilation.GetSemanticModel(tree);
        return tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Where(m => m.AttributeLists.SelectMany(a => a.Attributes).Any(a => a.Name.ToString() is "Differentiable" or "DifferentiableAttribute" or "Autodiff.Differentiable")
                || m.GetLeadingTrivia().Any(t => t.ToString().Contains("expect:", StringComparison.Ordinal)))
            .Select(m => new CorpusMethod(file, model.GetDeclaredSymbol(m)!, m, Annotation.Of(m)))
            .ToImmutableArray();
    }

    /// <summary>The corpus method a generated diagnostic belongs to, the generated member's name, and the node to cut out.</summary>
    private static (CorpusMethod? Owner, string Member, SyntaxNode? Node) Owner(Compilation output, ImmutableArray<CorpusMethod> methods, Diagnostic diagnostic)
    {
        SyntaxTree tree = diagnostic.Location.SourceTree!;
        SyntaxNode node = tree.GetRoot().FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        MethodDeclarationSyntax? method = node.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().LastOrDefault();
        if (method is null)
        {
            // A field, nested type or other member: cut out the member of the outermost type declaration that holds it.
            SyntaxNode? member = node.AncestorsAndSelf().OfType<MemberDeclarationSyntax>()
                .LastOrDefault(m => m.Parent is TypeDeclarationSyntax);
            return (null, member?.ToString().Split('\n')[0].Trim() ?? "(file)", member);
        }
        var symbol = output.GetSemanticModel(tree).GetDeclaredSymbol(method) as IMethodSymbol;
        string name = method.Identifier.Text;
        CorpusMethod? owner = null;
        foreach (string suffix in new[] { "Gradient", "Pullback" })
        {
            if (!name.EndsWith(suffix, StringComparison.Ordinal)) continue;
            string target = name.Substring(0, name.Length - suffix.Length);
            owner = methods.FirstOrDefault(m => m.Symbol.Name == target && symbol is not null
                && SymbolEqualityComparer.Default.Equals(m.Symbol.ContainingType, symbol.ContainingType)
                && symbol.Parameters.Length >= m.Symbol.Parameters.Length
                && m.Symbol.Parameters.Select((p, i) => SymbolEqualityComparer.Default.Equals(p.Type, symbol.Parameters[i].Type)).All(b => b));
            if (owner is not null) break;
        }
        // Cut the whole method: the outermost method declaration (generated code has no nested ones).
        return (owner, name, method);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var paths = trusted.Split(Path.PathSeparator).Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
            || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll").ToList();
        paths.Add(typeof(Autodiff.DifferentiableAttribute).Assembly.Location);
        return paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }
}
