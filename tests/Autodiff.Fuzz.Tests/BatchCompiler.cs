using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Autodiff.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Emit;

namespace Autodiff.Fuzz.Tests;

/// <summary>What became of one program at compile time.</summary>
public sealed record CompileVerdict(FuzzProgram Program, string? Category, string? Detail, string? Generated);

/// <summary>A compiled, loadable batch and the verdicts of the programs left out of it.</summary>
public sealed record CompiledBatch(byte[]? Image, IReadOnlyList<FuzzProgram> Compiled, IReadOnlyList<CompileVerdict> Rejected,
    IReadOnlyDictionary<string, string> GeneratedByClass, IReadOnlyDictionary<string, int> GeneratedWarnings);

/// <summary>
/// Compiles many programs at once through the real generator. Generator diagnostics and compiler
/// errors are attributed to their program by file (each program is its own syntax tree, each
/// generated file is named after its type); the attributed programs are dropped and the rest are
/// compiled again. A generator exception, or an error that names no program, makes the batch fall
/// back to one program per compilation.
/// </summary>
public static partial class BatchCompiler
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public const string Category_GeneratorCrash = "generator crash";
    public const string Category_InternalError = "internal error ADIFF012";
    public const string Category_Uncompilable = "generated code does not compile";
    public const string Category_InvalidProgram = "fuzzer wrote invalid C# (fuzzer bug)";
    public const string Category_RejectedPrefix = "rejected ";

    /// <summary>Time spent in the generator and in emitting, over the process (for the report).</summary>
    public static TimeSpan GeneratorTime, EmitTime;

    /// <summary>Compile for errors only (set by the long mode's FastCompile switch).</summary>
    public static bool Fast { get; set; }
    public static int Compilations;

    public static CompiledBatch Compile(IReadOnlyList<FuzzProgram> programs)
    {
        var rejected = new List<CompileVerdict>();
        var remaining = programs.ToList();
        var generated = new Dictionary<string, string>();
        var warnings = new Dictionary<string, int>();
        for (int attempt = 0; attempt < 4 && remaining.Count > 0; attempt++)
        {
            Attempt result = TryCompile(remaining);
            foreach (var (name, text) in result.Generated) generated[name] = text;
            if (result.Image is not null)
            {
                foreach (var (id, count) in result.Warnings) warnings[id] = warnings.GetValueOrDefault(id) + count;
                var dropped = result.Verdicts.Select(v => v.Program).ToHashSet();
                rejected.AddRange(result.Verdicts.Select(v => v with { Generated = generated.GetValueOrDefault(v.Program.ClassName) }));
                return new CompiledBatch(result.Image, remaining.Where(p => !dropped.Contains(p)).ToList(), rejected, generated, warnings);
            }
            if (result.Unattributed is not null)
            {
                if (remaining.Count == 1)
                {
                    rejected.Add(new CompileVerdict(remaining[0], result.UnattributedCategory, result.Unattributed, generated.GetValueOrDefault(remaining[0].ClassName)));
                    remaining.Clear();
                    break;
                }
                // Fall back to one program per compilation.
                if (Environment.GetEnvironmentVariable("FUZZ_DEBUG") is not null) Console.Error.WriteLine("fallback: " + result.Unattributed);
                var images = new List<CompiledBatch>();
                var compiled = new List<FuzzProgram>();
                foreach (FuzzProgram program in remaining)
                {
                    CompiledBatch single = Compile(new[] { program });
                    rejected.AddRange(single.Rejected);
                    foreach (var (name, text) in single.GeneratedByClass) generated[name] = text;
                    if (single.Compiled.Count == 1) compiled.Add(program);
                }
                remaining = compiled;
                continue;
            }
            var failed = result.Verdicts.Select(v => v.Program).ToHashSet();
            rejected.AddRange(result.Verdicts.Select(v => v with { Generated = generated.GetValueOrDefault(v.Program.ClassName) }));
            remaining = remaining.Where(p => !failed.Contains(p)).ToList();
        }
        rejected.AddRange(remaining.Select(p => new CompileVerdict(p, Category_Uncompilable, "the batch kept failing to compile", generated.GetValueOrDefault(p.ClassName))));
        return new CompiledBatch(null, Array.Empty<FuzzProgram>(), rejected, generated, warnings);
    }

    private sealed class Attempt
    {
        public byte[]? Image;
        public List<CompileVerdict> Verdicts = new();
        public string? Unattributed;
        public string? UnattributedCategory;
        public Dictionary<string, string> Generated = new();
        public Dictionary<string, int> Warnings = new();
    }

    [GeneratedRegex(@"Fuzz\.(P\d+)\.")]
    private static partial Regex GeneratedFileClass();

    private static Attempt TryCompile(List<FuzzProgram> programs)
    {
        var attempt = new Attempt();
        var byFile = programs.ToDictionary(p => "/fuzz/" + p.FileName);
        var byClass = programs.ToDictionary(p => p.ClassName);
        var compilation = CSharpCompilation.Create("FuzzBatch" + Guid.NewGuid().ToString("N"),
            programs.Select(p => CSharpSyntaxTree.ParseText(p.Source, ParseOptions, path: "/fuzz/" + p.FileName)),
            References.Value,
            Fast
                // Long runs look for wrong gradients and code that does not compile: errors need no
                // nullable analysis or IL optimisation, which take most of the time (the short run keeps both).
                ? new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable,
                    optimizationLevel: OptimizationLevel.Debug, concurrentBuild: true)
                : new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                    warningLevel: 9999, optimizationLevel: OptimizationLevel.Release, concurrentBuild: true));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new DifferentiableGenerator().AsSourceGenerator() }, parseOptions: ParseOptions,
            optionsProvider: HessianOptions.Instance);
        Compilation output;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out output, out _);
            GeneratorTime += clock.Elapsed;
        }
        catch (Exception e)
        {
            attempt.Unattributed = e.ToString();
            attempt.UnattributedCategory = Category_GeneratorCrash;
            return attempt;
        }
        GeneratorDriverRunResult run = driver.GetRunResult();
        foreach (GeneratorRunResult generator in run.Results)
        {
            foreach (GeneratedSourceResult source in generator.GeneratedSources)
            {
                Match m = GeneratedFileClass().Match(source.HintName);
                if (m.Success) attempt.Generated[m.Groups[1].Value] = source.SourceText.ToString();
            }
            if (generator.Exception is not null)
            {
                attempt.Unattributed = generator.Exception.ToString();
                attempt.UnattributedCategory = Category_GeneratorCrash;
                return attempt;
            }
        }
        var verdicts = new Dictionary<FuzzProgram, CompileVerdict>();
        // A build reports the generator's diagnostics and the analyzer's (the front end's): both count,
        // and an analyzer that threw (AD0001) is a crash like the generator throwing.
        ImmutableArray<Diagnostic> analyzerDiagnostics = output.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DifferentiableAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        if (analyzerDiagnostics.FirstOrDefault(d => d.Id == "AD0001") is { } analyzerCrash)
        {
            attempt.Unattributed = analyzerCrash.ToString();
            attempt.UnattributedCategory = Category_GeneratorCrash;
            return attempt;
        }
        foreach (Diagnostic diagnostic in run.Diagnostics.Concat(analyzerDiagnostics).Where(d => d.Severity == DiagnosticSeverity.Error))
        {
            // The generator reports plain file paths and spans (external locations, without a syntax tree).
            string? file = diagnostic.Location.SourceTree?.FilePath ?? diagnostic.Location.GetLineSpan().Path;
            if (file is null || !byFile.TryGetValue(file, out FuzzProgram? program))
            {
                attempt.Unattributed = diagnostic.ToString();
                attempt.UnattributedCategory = diagnostic.Id == "ADIFF012" ? Category_InternalError : Category_RejectedPrefix + diagnostic.Id;
                return attempt;
            }
            if (!verdicts.ContainsKey(program))
            {
                string category = diagnostic.Id == "ADIFF012" ? Category_InternalError : Category_RejectedPrefix + diagnostic.Id;
                verdicts[program] = new CompileVerdict(program, category, Describe(diagnostic), null);
            }
        }
        // Programs the generator rejected leave the compilation (with whatever was generated for them),
        // and so does each program whose code does not compile, until the rest emits.
        output = Without(output, verdicts.Keys);
        for (int round = 0; round < 6; round++)
        {
            using var stream = new MemoryStream();
            clock.Restart();
            EmitResult emitted = output.Emit(stream);
            EmitTime += clock.Elapsed;
            Compilations++;
            var failedNow = new List<FuzzProgram>();
            var warningsNow = new Dictionary<string, int>();
            foreach (Diagnostic diagnostic in emitted.Diagnostics)
            {
                string file = diagnostic.Location.SourceTree?.FilePath ?? "";
                bool inGenerated = !file.StartsWith("/fuzz/", StringComparison.Ordinal);
                FuzzProgram? program = null;
                if (byFile.TryGetValue(file, out FuzzProgram? user)) program = user;
                else if (GeneratedFileClass().Match(file) is { Success: true } m && byClass.TryGetValue(m.Groups[1].Value, out FuzzProgram? owner)) program = owner;
                if (diagnostic.Severity == DiagnosticSeverity.Warning && inGenerated)
                {
                    warningsNow[diagnostic.Id] = warningsNow.GetValueOrDefault(diagnostic.Id) + 1;
                    continue;
                }
                if (diagnostic.Severity != DiagnosticSeverity.Error)
                {
                    continue;
                }
                if (program is null)
                {
                    attempt.Unattributed = diagnostic.ToString();
                    attempt.UnattributedCategory = Category_Uncompilable;
                    return attempt;
                }
                if (!verdicts.ContainsKey(program))
                {
                    verdicts[program] = new CompileVerdict(program, inGenerated ? Category_Uncompilable : Category_InvalidProgram, Describe(diagnostic), null);
                    failedNow.Add(program);
                }
            }
            if (failedNow.Count == 0)
            {
                attempt.Verdicts.AddRange(verdicts.Values);
                if (!emitted.Success)
                {
                    attempt.Unattributed = "emit failed without an error";
                    attempt.UnattributedCategory = Category_Uncompilable;
                    return attempt;
                }
                attempt.Warnings = warningsNow;
                attempt.Image = stream.ToArray();
                return attempt;
            }
            output = Without(output, failedNow);
        }
        attempt.Unattributed = "still failing after removing programs six times";
        attempt.UnattributedCategory = Category_Uncompilable;
        return attempt;
    }

    private static Compilation Without(Compilation compilation, IEnumerable<FuzzProgram> programs)
    {
        var names = programs.Select(p => p.ClassName).ToHashSet();
        if (names.Count == 0) return compilation;
        var trees = compilation.SyntaxTrees.Where(t =>
            (t.FilePath.StartsWith("/fuzz/", StringComparison.Ordinal) && names.Contains(Path.GetFileNameWithoutExtension(t.FilePath)))
            || (GeneratedFileClass().Match(t.FilePath) is { Success: true } m && names.Contains(m.Groups[1].Value)));
        return compilation.RemoveSyntaxTrees(trees);
    }

    /// <summary>For minimising by hand: the generator's diagnostics, the generated code and the compiler's errors for one file.</summary>
    public static string Show(string source)
    {
        var compilation = CSharpCompilation.Create("Show", new[] { CSharpSyntaxTree.ParseText(source, ParseOptions, path: "/fuzz/Show.cs") },
            References.Value, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new DifferentiableGenerator().AsSourceGenerator() }, parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        var text = new System.Text.StringBuilder();
        GeneratorDriverRunResult run = driver.GetRunResult();
        foreach (Diagnostic d in run.Diagnostics) text.AppendLine(d.ToString());
        foreach (Diagnostic d in output.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DifferentiableAnalyzer())).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult())
        {
            text.AppendLine(d.ToString());
        }
        foreach (GeneratorRunResult r in run.Results)
        {
            if (r.Exception is not null) text.AppendLine("generator threw: " + r.Exception);
            foreach (GeneratedSourceResult s in r.GeneratedSources) text.AppendLine(s.SourceText.ToString());
        }
        foreach (Diagnostic d in output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)) text.AppendLine(d.ToString());
        return text.ToString();
    }

    private static string Describe(Diagnostic diagnostic)
    {
        string where = "";
        if (!diagnostic.Location.IsInSource)
        {
            return diagnostic.ToString();
        }
        if (diagnostic.Location.IsInSource)
        {
            var span = diagnostic.Location.GetLineSpan();
            string line = diagnostic.Location.SourceTree!.GetText().Lines[span.StartLinePosition.Line].ToString().Trim();
            where = " at line " + (span.StartLinePosition.Line + 1) + ": `" + line + "`";
        }
        return diagnostic.Id + ": " + diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture) + where;
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var paths = trusted.Split(Path.PathSeparator).Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
            || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll").ToList();
        paths.Add(typeof(DifferentiableAttribute).Assembly.Location);
        return paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }
}
