using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Autodiff.CodeFixes.Fixes;
using Autodiff.CodeFixes.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace Autodiff.CodeFixes.Tests;

/// <summary>
/// Every code fix on code it was not written around: each diagnostic the real-code corpus
/// (tests/Autodiff.Corpus.Tests/Corpus, 450 methods written the way library authors write them)
/// draws, handed to every fix for its ID. No fix may throw, and no fix may leave C# that the
/// compiler rejects where it accepted it before.
/// </summary>
public class CorpusSweepTests
{
    private static string CorpusFolder([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "Autodiff.Corpus.Tests", "Corpus"));

    private static readonly ImmutableArray<CodeFixProvider> Providers = typeof(MakePartialFix).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
        .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    public static TheoryData<string> Files() =>
        new(Directory.GetFiles(CorpusFolder(), "*.cs").Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Every_fix_on_every_corpus_diagnostic_leaves_valid_CSharp(string file)
    {
        Project project = TestWorkspace.Create(File.ReadAllText(Path.Combine(CorpusFolder(), file)));
        Document document = project.Documents.Single();
        SyntaxTree tree = (await document.GetSyntaxTreeAsync())!;
        Compilation before = (await project.GetCompilationAsync())!;
        var errorsBefore = CompilerErrors(before).ToHashSet();
        AutodiffDiagnostics.Result result = await AutodiffDiagnostics.RunAsync(before);

        var problems = new List<string>();
        int applied = 0;
        foreach (Diagnostic diagnostic in result.Diagnostics.Where(d => d.Location.GetLineSpan().Path == document.FilePath))
        {
            Diagnostic placed = CodeFix.PlaceIn(tree, diagnostic);
            foreach (CodeFixProvider provider in Providers.Where(p => p.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                var actions = new List<CodeAction>();
                try
                {
                    await provider.RegisterCodeFixesAsync(new CodeFixContext(document, placed, (action, _) => actions.Add(action), CancellationToken.None));
                    foreach (CodeAction action in actions)
                    {
                        ImmutableArray<CodeActionOperation> operations = await action.GetOperationsAsync(CancellationToken.None);
                        Solution changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
                        Compilation after = (await changed.GetProject(project.Id)!.GetCompilationAsync())!;
                        applied++;
                        foreach (string error in CompilerErrors(after).Where(e => !errorsBefore.Contains(e)))
                        {
                            problems.Add($"{provider.GetType().Name} '{action.Title}' on {diagnostic}: {error}");
                        }
                    }
                }
                catch (Exception exception)
                {
                    problems.Add($"{provider.GetType().Name} on {diagnostic} threw {exception}");
                }
            }
        }
        Assert.True(problems.Count == 0, $"{file}: {applied} fixes applied; problems:\n" + string.Join("\n", problems));
    }

    /// <summary>The compiler's errors, by ID and message (spans move when a fix edits the text).</summary>
    private static IEnumerable<string> CompilerErrors(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id + ": " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
}
