using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace Autodiff.Corpus.Tests.Harness;

/// <summary>What happened to one annotated method.</summary>
public enum Outcome
{
    /// <summary>expect: clean, and the gradient and pullback agree with finite differences.</summary>
    Correct,
    /// <summary>expect: ADIFFnnn, and it was reported within the method.</summary>
    Diagnosed,
    WrongGradient,
    /// <summary>A wrong gradient that is zero wherever it is wrong: the silent failure.</summary>
    SilentZero,
    /// <summary>The generated code of the method has errors.</summary>
    Uncompilable,
    /// <summary>The generated code of the method has warnings (warning level 9999).</summary>
    GeneratedWarning,
    /// <summary>expect: clean, but the generator reported an ADIFF error on it.</summary>
    Rejected,
    MissingDiagnostic,
    /// <summary>The expected ID was reported, but outside the method.</summary>
    WrongSpan,
    /// <summary>Another ADIFF error than the one expected was reported on the method.</summary>
    WrongDiagnostic,
    /// <summary>ADIFF012, or the method or its gradient threw or did not finish.</summary>
    Crash,
    Unannotated,
}

public sealed record Verdict(CorpusMethod Method, Outcome Outcome, ImmutableArray<string> Symptoms)
{
    public bool Passed => Outcome is Outcome.Correct or Outcome.Diagnosed;
}

public sealed record FileReport(string File, ImmutableArray<Verdict> Verdicts, ImmutableArray<string> FileProblems)
{
    public IEnumerable<Verdict> Failed => Verdicts.Where(v => !v.Passed);

    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine($"{File}: {Failed.Count()} of {Verdicts.Length} methods disagree with their annotation");
        foreach (string problem in FileProblems) text.AppendLine("  file: " + problem);
        foreach (Verdict v in Failed)
        {
            text.AppendLine($"  {v.Method.Display}: {v.Outcome}");
            foreach (string s in v.Symptoms) text.AppendLine("      " + s);
        }
        return text.ToString();
    }
}

/// <summary>Reads the corpus out of the test assembly's resources and judges each file once.</summary>
public static class CorpusFiles
{
    private static readonly ConcurrentDictionary<string, Lazy<FileReport>> Reports = new();

    /// <summary>The corpus files; AUTODIFF_CORPUS_ONLY=Name.cs narrows them to one while working on it.</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(CorpusFiles).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith("Corpus/", StringComparison.Ordinal)).Select(n => n.Substring(7))
        .Where(n => Environment.GetEnvironmentVariable("AUTODIFF_CORPUS_ONLY") is not { Length: > 0 } only || n == only)
        .OrderBy(n => n, StringComparer.Ordinal).ToList();

    public static string Source(string file)
    {
        using Stream stream = typeof(CorpusFiles).Assembly.GetManifestResourceStream("Corpus/" + file)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static FileReport Report(string file) => Reports.GetOrAdd(file, f => new Lazy<FileReport>(() => Judge(CorpusCompilation.Of(f, Source(f))))).Value;

    private static FileReport Judge(CorpusCompilation c)
    {
        var fileProblems = new List<string>();
        if (c.GeneratorException is not null) fileProblems.Add("the generator threw: " + c.GeneratorException);
        fileProblems.AddRange(c.CorpusErrors.Select(d => "the corpus itself does not compile: " + Show(d)));
        fileProblems.AddRange(c.GeneratedProblems.Where(p => p.Method is null).Select(p => $"generated code ({p.Member}): {Show(p.Diagnostic)}"));
        fileProblems.AddRange(c.EmitErrors.Select(d => "emit: " + Show(d)));
        var corpusDiagnostics = c.GeneratorDiagnostics.Where(d => d.Location.GetLineSpan().Path == "/corpus/" + c.File).ToList();
        fileProblems.AddRange(c.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && !c.Methods.Any(m => Within(d, m)) && !c.Methods.Any(m => m.Annotation.Expects(d.Id)))
            .Select(d => "ADIFF error outside any method that expects it: " + Show(d)));
        return new FileReport(c.File, c.Methods.Select(m => Judge(c, m, corpusDiagnostics)).ToImmutableArray(), fileProblems.ToImmutableArray());
    }

    private static bool Within(Diagnostic d, CorpusMethod m) =>
        // The generator reports with plain data (path and span), so its locations carry no syntax tree.
        d.Location.GetLineSpan().Path == m.Syntax.SyntaxTree.FilePath && m.Span.Contains(d.Location.SourceSpan);

    private static Verdict Judge(CorpusCompilation c, CorpusMethod m, List<Diagnostic> diagnostics)
    {
        Annotation a = m.Annotation;
        var symptoms = new List<string>();
        if (a.Problem is not null) return new Verdict(m, Outcome.Unannotated, ImmutableArray.Create(a.Problem));
        var inSpan = diagnostics.Where(d => Within(d, m)).ToList();
        var crash = inSpan.Where(d => d.Id == "ADIFF012").ToList();
        if (crash.Count > 0) return new Verdict(m, Outcome.Crash, crash.Select(Show).ToImmutableArray());
        var generatedErrors = c.GeneratedProblems.Where(p => p.Method == m && p.Diagnostic.Severity == DiagnosticSeverity.Error).ToList();
        var generatedWarnings = c.GeneratedProblems.Where(p => p.Method == m && p.Diagnostic.Severity == DiagnosticSeverity.Warning).ToList();

        if (a.Clean)
        {
            var unexpected = inSpan.Where(d => !a.Expects(d.Id)).ToList();
            if (unexpected.Any(d => d.Severity == DiagnosticSeverity.Error))
                return new Verdict(m, Outcome.Rejected, unexpected.Select(d => "reported " + Show(d)).ToImmutableArray());
            symptoms.AddRange(unexpected.Select(d => "unexpected warning " + Show(d)));
            var missing = a.Ids.Where(id => !inSpan.Any(d => id.Split('|').Contains(d.Id))).ToList();
            symptoms.AddRange(missing.Select(id => $"{id} not reported"));
            if (generatedErrors.Count > 0)
                return new Verdict(m, Outcome.Uncompilable, symptoms.Concat(generatedErrors.Select(p => $"in {p.Member}: {Show(p.Diagnostic)}")).ToImmutableArray());
            if (c.Assembly is null)
                return new Verdict(m, Outcome.Uncompilable, symptoms.Append("the corpus file did not emit").ToImmutableArray());
            var (outcome, checkSymptoms) = RunCheck(m, c);
            symptoms.AddRange(checkSymptoms);
            if (outcome == Outcome.Correct && generatedWarnings.Count > 0)
            {
                outcome = Outcome.GeneratedWarning;
                symptoms.AddRange(generatedWarnings.Select(p => $"in {p.Member}: {Show(p.Diagnostic)}"));
            }
            if (outcome == Outcome.Correct && missing.Count > 0) outcome = Outcome.MissingDiagnostic;
            else if (outcome == Outcome.Correct && unexpected.Count > 0) outcome = Outcome.WrongDiagnostic;
            return new Verdict(m, outcome, symptoms.ToImmutableArray());
        }

        Outcome result = Outcome.Diagnosed;
        foreach (string id in a.Ids)
        {
            string[] alternatives = id.Split('|');
            if (inSpan.Any(d => alternatives.Contains(d.Id))) continue;
            // Reported, but outside every annotated method (a neighbour's own diagnostics do not count).
            var elsewhere = diagnostics.Where(d => alternatives.Contains(d.Id) && !c.Methods.Any(other => Within(d, other))).ToList();
            var others = inSpan.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (others.Count > 0)
            {
                result = Worse(result, Outcome.WrongDiagnostic);
                symptoms.Add($"expected {id}; reported instead: " + string.Join("; ", others.Select(Show)));
            }
            else if (elsewhere.Count > 0)
            {
                result = Worse(result, Outcome.WrongSpan);
                symptoms.Add($"{id} not reported within the method; reported at " + string.Join("; ", elsewhere.Select(Show)));
            }
            else
            {
                result = Worse(result, Outcome.MissingDiagnostic);
                string what = $"{id} not reported";
                if (generatedErrors.Count > 0)
                    what += "; the generated code does not compile: " + Show(generatedErrors[0].Diagnostic);
                else if (c.Assembly is not null)
                {
                    var (outcome, check) = RunCheck(m, c);
                    what += check.Any(p => p.StartsWith("the harness", StringComparison.Ordinal))
                        ? (GradientGenerated(m, c) ? $"; {m.Symbol.Name}Gradient was generated (its parameters cannot be sampled to check it)" : "; nothing was generated")
                        : outcome switch
                    {
                        Outcome.Correct => "; the generated gradient happens to agree with finite differences",
                        Outcome.SilentZero => "; the generated gradient is silently zero: " + string.Join("; ", check.Take(2)),
                        Outcome.WrongGradient => "; the generated gradient is silently wrong: " + string.Join("; ", check.Take(2)),
                        _ => "; " + string.Join("; ", check.Take(2)),
                    };
                }
                symptoms.Add(what);
            }
        }
        return new Verdict(m, result, symptoms.ToImmutableArray());
    }

    private static bool GradientGenerated(CorpusMethod m, CorpusCompilation c) =>
        c.Assembly?.GetType(GradientCheck.MetadataName(m.Symbol.ContainingType))?.GetMember(m.Symbol.Name + "Gradient",
            System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static).Length > 0;

    private static Outcome Worse(Outcome a, Outcome b) => a == Outcome.Diagnosed ? b : a;

    private static (Outcome, List<string>) RunCheck(CorpusMethod m, CorpusCompilation c)
    {
        bool silentZero = false;
        List<string>? problems = null;
        Task task = Task.Run(() =>
        {
            try { problems = GradientCheck.Check(m, c.Assembly!, out silentZero); }
            catch (MethodThrewException e) { problems = new List<string> { "threw: " + e.Message }; }
        });
        if (!task.Wait(TimeSpan.FromSeconds(20))) return (Outcome.Crash, new List<string> { "did not finish in 20 s" });
        if (problems!.Count == 0) return (Outcome.Correct, problems);
        if (problems.Any(p => p.StartsWith("threw", StringComparison.Ordinal))) return (Outcome.Crash, problems);
        if (problems.Any(p => p.Contains("was not generated", StringComparison.Ordinal))) return (Outcome.Uncompilable, problems);
        if (problems.Any(p => p.StartsWith("the harness", StringComparison.Ordinal))) return (Outcome.Unannotated, problems);
        return (silentZero ? Outcome.SilentZero : Outcome.WrongGradient, problems);
    }

    private static string Show(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        return $"{d.Id} at {Path.GetFileName(span.Path)}:{span.StartLinePosition.Line + 1}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
