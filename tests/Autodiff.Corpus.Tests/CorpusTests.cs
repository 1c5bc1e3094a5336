using System;
using System.Linq;
using System.Text;
using Autodiff.Corpus.Tests.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Autodiff.Corpus.Tests;

/// <summary>
/// Each corpus file compiled through the real generator: no generator exception, no ADIFF012, generated
/// code that compiles without warnings, every "clean" method's gradient equal to finite differences
/// (and its pullback consistent with it), every expected diagnostic reported within its method.
/// </summary>
public sealed class CorpusTests(ITestOutputHelper output)
{
    public static TheoryData<string> Files() => new(CorpusFiles.Names);

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_method_behaves_as_annotated(string file)
    {
        FileReport report = CorpusFiles.Report(file);
        output.WriteLine(report.Describe());
        Assert.True(!report.Failed.Any() && report.FileProblems.IsEmpty, report.Describe());
    }

    [Fact]
    public void The_corpus_has_at_least_300_annotated_methods()
    {
        var verdicts = CorpusFiles.Names.SelectMany(f => CorpusFiles.Report(f).Verdicts).ToList();
        var text = new StringBuilder();
        text.AppendLine($"{verdicts.Count} methods in {CorpusFiles.Names.Count} files; expected clean: {verdicts.Count(v => v.Method.Annotation.Clean)}, expected diagnostics: {verdicts.Count(v => !v.Method.Annotation.Clean)}");
        foreach (var group in verdicts.GroupBy(v => v.Outcome).OrderBy(g => g.Key))
            text.AppendLine($"  {group.Key}: {group.Count()}");
        foreach (string file in CorpusFiles.Names)
        {
            var r = CorpusFiles.Report(file);
            text.AppendLine($"  {file}: {r.Verdicts.Length} methods, {r.Failed.Count()} disagree" + (r.FileProblems.IsEmpty ? "" : $", {r.FileProblems.Length} file-level problems"));
        }
        foreach (var group in verdicts.Where(v => !v.Passed).GroupBy(v => v.Outcome).OrderBy(g => g.Key))
            text.AppendLine($"{group.Key}: " + string.Join(", ", group.Select(v => v.Method.Symbol.ContainingType.Name + "." + v.Method.Symbol.Name)));
        output.WriteLine(text.ToString());
        // The counts, for reading after a run: bin/<configuration>/<tfm>/corpus-summary.txt.
        System.IO.File.WriteAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "corpus-summary.txt"), text.ToString());
        if (Environment.GetEnvironmentVariable("AUTODIFF_CORPUS_ONLY") is { Length: > 0 }) return;
        Assert.True(verdicts.Count >= 300, text.ToString());
        Assert.DoesNotContain(verdicts, v => v.Outcome == Outcome.Unannotated);
    }
}
