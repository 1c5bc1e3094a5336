using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Autodiff.Generator.Tests.Harness;

/// <summary>Compiles source in memory against the runtime and runs the Autodiff generator on it.</summary>
public sealed class GeneratorRun
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public required CSharpCompilation Input { get; init; }
    public required Compilation Output { get; init; }
    public required GeneratorDriverRunResult Result { get; init; }
    public required GeneratorDriver Driver { get; init; }

    /// <summary>
    /// What a build reports: the generator's diagnostics and <see cref="DifferentiableAnalyzer"/>'s,
    /// in source order. The two never overlap (see AnalyzerTests).
    /// </summary>
    public ImmutableArray<Diagnostic> Diagnostics
    {
        get
        {
            if (_diagnostics.IsDefault)
            {
                _diagnostics = GeneratorDiagnostics.Concat(AnalyzerDiagnostics)
                    .OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal)
                    .ThenBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal)
                    .ToImmutableArray();
            }
            return _diagnostics;
        }
    }

    /// <summary>Diagnostics the generator itself reported (the middle end's and calls between methods).</summary>
    public ImmutableArray<Diagnostic> GeneratorDiagnostics => Result.Diagnostics;

    /// <summary>Diagnostics of the analyzer that shares the generator's front end, run on the build's compilation.</summary>
    public ImmutableArray<Diagnostic> AnalyzerDiagnostics
    {
        get
        {
            if (_analyzerDiagnostics.IsDefault)
            {
                _analyzerDiagnostics = RunAnalyzer(Output);
            }
            return _analyzerDiagnostics;
        }
    }

    private ImmutableArray<Diagnostic> _diagnostics;
    private ImmutableArray<Diagnostic> _analyzerDiagnostics;

    public static ImmutableArray<Diagnostic> RunAnalyzer(Compilation compilation) =>
        compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DifferentiableAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

    /// <summary>All generated source, files in order, separated by their hint names.</summary>
    public string GeneratedText => string.Join("\n", Result.Results.SelectMany(r => r.GeneratedSources)
        .OrderBy(s => s.HintName, StringComparer.Ordinal)
        .Select(s => "// ---- " + s.HintName + "\n" + s.SourceText));

    /// <summary>The text of one generated member, from its signature to the next member's documentation.</summary>
    public string Member(string name)
    {
        string text = GeneratedText;
        int start = text.IndexOf(" " + name + "(", StringComparison.Ordinal);
        Assert.True(start >= 0, name + " was not generated");
        int end = text.IndexOf("/// <summary>", start, StringComparison.Ordinal);
        return end < 0 ? text.Substring(start) : text.Substring(start, end - start);
    }

    /// <summary>A generated gradient or pullback in two: its forward pass, and its backward pass from the "// Backward pass" heading on.</summary>
    public (string Forward, string Backward) Sweeps(string member)
    {
        string text = Member(member);
        int backward = text.IndexOf("// Backward pass", StringComparison.Ordinal);
        Assert.True(backward > 0, text);
        return (text.Substring(0, backward), text.Substring(backward));
    }

    public static GeneratorRun Of(params string[] sources)
    {
        CSharpCompilation compilation = Compile(sources);
        GeneratorDriver driver = NewDriver();
        return Run(driver, compilation);
    }

    public static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create("UserCode",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"/src/File{i}.cs")),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                warningLevel: 9999, allowUnsafe: false));

    public static GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create(
            new[] { new DifferentiableGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(GeneratorDriver driver, CSharpCompilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        GeneratorDriverRunResult result = driver.GetRunResult();
        foreach (GeneratorRunResult generator in result.Results)
        {
            if (generator.Exception is not null)
            {
                throw new InvalidOperationException("the generator threw", generator.Exception);
            }
        }
        return new GeneratorRun { Input = compilation, Output = output, Result = result, Driver = driver };
    }

    /// <summary>Errors and warnings of the compiled output, generated code included (warning level 9999).</summary>
    public IEnumerable<Diagnostic> OutputProblems() =>
        Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && !d.Id.StartsWith("ADIFF", StringComparison.Ordinal));

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var paths = trusted.Split(Path.PathSeparator).Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
            || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll").ToList();
        paths.Add(typeof(Autodiff.DifferentiableAttribute).Assembly.Location);
        return paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }
}
