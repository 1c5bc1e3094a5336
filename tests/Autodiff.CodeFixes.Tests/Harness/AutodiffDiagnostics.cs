using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Autodiff.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Autodiff.CodeFixes.Tests.Harness;

/// <summary>
/// Everything the generator assembly reports on a compilation, as a build would: the generator's
/// own diagnostics plus those of every analyzer the assembly ships. The front-end checks are
/// moving from the generator into an analyzer of the same assembly; collecting both, and keeping
/// one diagnostic per (ID, place), keeps these tests true before and after that move.
/// </summary>
public static class AutodiffDiagnostics
{
    private static readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> Analyzers = new(FindAnalyzers);

    public sealed record Result(Compilation Output, ImmutableArray<Diagnostic> Diagnostics);

    public static async Task<Result> RunAsync(Compilation compilation)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new DifferentiableGenerator().AsSourceGenerator() },
            parseOptions: (CSharpParseOptions)compilation.SyntaxTrees.First().Options);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        GeneratorDriverRunResult run = driver.GetRunResult();
        if (run.Results.FirstOrDefault(r => r.Exception is not null) is { Exception: { } exception })
        {
            throw new InvalidOperationException("the generator threw", exception);
        }
        var all = new List<Diagnostic>(run.Diagnostics);
        if (Analyzers.Value.Length > 0)
        {
            all.AddRange(await output.WithAnalyzers(Analyzers.Value).GetAnalyzerDiagnosticsAsync());
        }
        ImmutableArray<Diagnostic> distinct = all
            .GroupBy(d => (d.Id, d.Location.GetLineSpan().Path, d.Location.SourceSpan))
            .Select(g => g.First())
            .OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
        return new Result(output, distinct);
    }

    private static ImmutableArray<DiagnosticAnalyzer> FindAnalyzers() =>
        typeof(DifferentiableGenerator).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
}
