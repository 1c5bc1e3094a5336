using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Threading.Tasks;

namespace Autodiff.Fuzz.Tests;

/// <summary>A failing program: its seed, what went wrong, and its source for minimisation.</summary>
public sealed record Failure(int Seed, string Category, string Detail, string Source, string? Generated, IReadOnlyCollection<string> Features);

/// <summary>Counts of one run, by category.</summary>
public sealed class FuzzReport
{
    public int Programs { get; set; }
    public int MethodsChecked { get; set; }
    public int Comparisons { get; set; }
    public int Passed { get; set; }
    public int Kinks { get; set; }
    public int TangentComparisons { get; set; }
    public int HessianComparisons { get; set; }
    public int JacobianComparisons { get; set; }
    public int MissingTangents { get; set; }
    public int IllConditioned { get; set; }
    public int NonFinite { get; set; }
    public int FloatDivergence { get; set; }
    public TimeSpan Elapsed { get; set; }
    public TimeSpan CompileTime { get; set; }
    public TimeSpan CheckTime { get; set; }
    /// <summary>Programs whose gradient entry left their array arguments differently from the method itself (not a failure).</summary>
    public int SideEffectDifferences { get; set; }
    public int? FirstSideEffectSeed { get; set; }
    public string? FirstSideEffect { get; set; }
    public SortedDictionary<string, int> Categories { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, int> GeneratedWarnings { get; } = new(StringComparer.Ordinal);
    /// <summary>How many programs used each feature of the generator (so a run shows what it exercised).</summary>
    public SortedDictionary<string, int> Features { get; } = new(StringComparer.Ordinal);
    public List<Failure> Failures { get; } = new();

    /// <summary>Failures that are bugs (rejections are counted, and listed, but may be legitimate).</summary>
    public IEnumerable<Failure> Bugs => Failures;

    public void Add(Failure failure)
    {
        Categories[failure.Category] = Categories.GetValueOrDefault(failure.Category) + 1;
        Failures.Add(failure);
    }

    public string Summary()
    {
        var text = new StringBuilder();
        double rate = Programs / Math.Max(Elapsed.TotalSeconds, 1e-9);
        text.AppendLine(CultureInfo.InvariantCulture, $"programs run: {Programs} in {Elapsed.TotalSeconds:F1} s ({rate:F1} programs/s)");
        text.AppendLine(CultureInfo.InvariantCulture, $"passed: {Passed}; methods checked: {MethodsChecked}; gradient components compared: {Comparisons}");
        text.AppendLine(CultureInfo.InvariantCulture, $"forward-mode tangents compared with the gradient: {TangentComparisons}; methods without FTangent: {MissingTangents}; Hessian-vector products checked: {HessianComparisons}; models' Jacobians checked: {JacobianComparisons}");
        text.AppendLine(CultureInfo.InvariantCulture, $"components skipped at kinks/jumps: {Kinks}; skipped as non-finite: {NonFinite}; points skipped as ill-conditioned (derivatives over 1e6): {IllConditioned}; float points skipped where the double twin branches differently: {FloatDivergence}");
        text.AppendLine(CultureInfo.InvariantCulture, $"time compiling: {CompileTime.TotalSeconds:F1} s, checking: {CheckTime.TotalSeconds:F1} s (generator {BatchCompiler.GeneratorTime.TotalSeconds:F1} s, emit {BatchCompiler.EmitTime.TotalSeconds:F1} s, {BatchCompiler.Compilations} compilations)");
        if (SideEffectDifferences > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"not failures: {SideEffectDifferences} programs whose XGradient leaves array arguments unlike X (first: seed {FirstSideEffectSeed}: {FirstSideEffect})");
        }
        foreach (var (category, count) in Categories)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{category}: {count}");
        }
        if (Features.Count > 0)
        {
            text.AppendLine("programs per feature: " + string.Join(", ", Features.Select(f => f.Key + " " + f.Value)));
        }
        if (GeneratedWarnings.Count > 0)
        {
            text.AppendLine("warnings in generated code: " + string.Join(", ", GeneratedWarnings.Select(w => w.Key + " x" + w.Value)));
        }
        return text.ToString();
    }

    /// <summary>One line per failure: seed, category, detail (shortened).</summary>
    public string FailureList(int max = 50)
    {
        var text = new StringBuilder();
        foreach (Failure failure in Failures.Take(max))
        {
            string detail = failure.Detail.Length > 400 ? failure.Detail[..400] + "..." : failure.Detail;
            text.AppendLine(CultureInfo.InvariantCulture, $"seed {failure.Seed} [{string.Join(",", failure.Features.OrderBy(f => f, StringComparer.Ordinal))}] {failure.Category}: {detail}");
        }
        if (Failures.Count > max) text.AppendLine(CultureInfo.InvariantCulture, $"... and {Failures.Count - max} more");
        return text.ToString();
    }
}

/// <summary>Generates, compiles and checks programs batch by batch.</summary>
public static class FuzzRunner
{
    public const string Hang = "generated code did not finish (hang)";
    public const string FuzzerError = "fuzzer error";

    public static FuzzReport Run(int firstSeed, int count, FuzzConfig config, string? failureDirectory = null, Action<FuzzReport>? progress = null)
    {
        var report = new FuzzReport();
        var clock = Stopwatch.StartNew();
        if (failureDirectory is not null) Directory.CreateDirectory(failureDirectory);
        for (int start = firstSeed; start < firstSeed + count; start += config.BatchSize)
        {
            int size = Math.Min(config.BatchSize, firstSeed + count - start);
            var programs = new List<FuzzProgram>();
            for (int seed = start; seed < start + size; seed++)
            {
                try
                {
                    programs.Add(ProgramGenerator.Generate(seed, config));
                }
                catch (Exception e)
                {
                    report.Programs++;
                    Record(report, new Failure(seed, FuzzerError, e.ToString(), "", null, Array.Empty<string>()), failureDirectory);
                }
            }
            RunBatch(programs, config, report, failureDirectory);
            report.Elapsed = clock.Elapsed;
            progress?.Invoke(report);
        }
        report.Elapsed = clock.Elapsed;
        return report;
    }

    /// <summary>Forms of generated code the programs reached, counted like the source features: the tester's reach into the emitter.</summary>
    private static void CountGeneratedForms(List<FuzzProgram> programs, CompiledBatch batch, FuzzReport report)
    {
        foreach (FuzzProgram program in programs)
        {
            if (batch.GeneratedByClass.GetValueOrDefault(program.ClassName) is not { } generated) continue;
            foreach ((string form, string marker) in GeneratedForms)
            {
                if (generated.Contains(marker, StringComparison.Ordinal))
                {
                    report.Features[form] = report.Features.GetValueOrDefault(form) + 1;
                }
            }
        }
    }

    private static readonly (string Form, string Marker)[] GeneratedForms =
    {
        ("generated:stack-adjoint", "global::System.Span<"),
        ("generated:fixed-saves", "FixedSaveStack<"),
        ("generated:save-stack", ".SaveStack<"),
        ("generated:split-call", "ForwardPass("),
        ("generated:scratch-array", "ScratchArrays<"),
        ("generated:loop-checkpoints", "LoopCheckpoints("),
        ("generated:vector-loop", "Runtime.Lanes."),
        ("generated:vector-saves", "PushLanes("),
        ("generated:unread-input", "(default, "),
        ("generated:loop-register", "InLoop = "),
        ("generated:paired-quotient", "Quotients.Of("),
        ("generated:trig-companion", "Backward, with "),
        ("generated:refilled-array", "filled again for this iteration"),
        ("generated:replayed-integer", "computed again for this iteration"),
        ("generated:loop-exit-definition", "(see LoopExitDefinitions)"),
        ("generated:first-contribution", "as its pushforward of the seed"),
    };

    public static void RunPrograms(List<FuzzProgram> programs, FuzzConfig config, FuzzReport report, string? failureDirectory) =>
        RunBatch(programs, config, report, failureDirectory);

    private static void RunBatch(List<FuzzProgram> programs, FuzzConfig config, FuzzReport report, string? failureDirectory)
    {
        report.Programs += programs.Count;
        foreach (string feature in programs.SelectMany(p => p.Features))
        {
            report.Features[feature] = report.Features.GetValueOrDefault(feature) + 1;
        }
        CompiledBatch batch;
        var compileClock = Stopwatch.StartNew();
        try
        {
            batch = BatchCompiler.Compile(programs);
            report.CompileTime += compileClock.Elapsed;
        }
        catch (Exception e)
        {
            foreach (FuzzProgram program in programs)
            {
                Record(report, new Failure(program.Seed, FuzzerError, "compiling: " + e, program.Source, null, program.Features), failureDirectory);
            }
            return;
        }
        foreach (var (id, n) in batch.GeneratedWarnings) report.GeneratedWarnings[id] = report.GeneratedWarnings.GetValueOrDefault(id) + n;
        CountGeneratedForms(programs, batch, report);
        foreach (CompileVerdict verdict in batch.Rejected)
        {
            Record(report, new Failure(verdict.Program.Seed, verdict.Category!, verdict.Detail ?? "", verdict.Program.Source, verdict.Generated, verdict.Program.Features), failureDirectory);
        }
        if (batch.Image is null) return;
        var checkClock = Stopwatch.StartNew();
        var context = new AssemblyLoadContext("fuzz", isCollectible: true);
        try
        {
            Assembly assembly = context.LoadFromStream(new MemoryStream(batch.Image));
            foreach (FuzzProgram program in batch.Compiled)
            {
                Task<RunVerdict> check = Task.Run(() => GradientChecker.Check(program, assembly, config.Points));
                if (!check.Wait(TimeSpan.FromSeconds(30)))
                {
                    Record(report, new Failure(program.Seed, Hang, "no result after 30 s", program.Source, batch.GeneratedByClass.GetValueOrDefault(program.ClassName), program.Features), failureDirectory);
                    continue;
                }
                RunVerdict verdict = check.Result;
                report.MethodsChecked += program.Methods.Count;
                report.Comparisons += verdict.Comparisons;
                report.Kinks += verdict.Kinks;
                report.TangentComparisons += verdict.TangentComparisons;
                report.HessianComparisons += verdict.HessianComparisons;
                report.JacobianComparisons += verdict.JacobianComparisons;
                report.MissingTangents += verdict.MissingTangents;
                report.IllConditioned += verdict.IllConditioned;
                report.NonFinite += verdict.NonFinite;
                report.FloatDivergence += verdict.FloatDivergence;
                if (verdict.Notes.Count > 0)
                {
                    report.SideEffectDifferences++;
                    report.FirstSideEffectSeed ??= program.Seed;
                    report.FirstSideEffect ??= verdict.Notes[0];
                }
                if (verdict.Category is null)
                {
                    report.Passed++;
                }
                else
                {
                    Record(report, new Failure(program.Seed, verdict.Category, verdict.Detail ?? "", program.Source, batch.GeneratedByClass.GetValueOrDefault(program.ClassName), program.Features), failureDirectory);
                }
            }
        }
        finally
        {
            context.Unload();
            report.CheckTime += checkClock.Elapsed;
        }
    }

    private static void Record(FuzzReport report, Failure failure, string? failureDirectory)
    {
        report.Add(failure);
        if (failureDirectory is null) return;
        string slug = new string(failure.Category.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
        string path = Path.Combine(failureDirectory, slug + "-" + failure.Seed.ToString(CultureInfo.InvariantCulture) + ".cs");
        var text = new StringBuilder();
        text.AppendLine("// seed " + failure.Seed + ": " + failure.Category);
        foreach (string line in failure.Detail.Split('\n')) text.AppendLine("// " + line.TrimEnd());
        text.AppendLine("// features: " + string.Join(", ", failure.Features.OrderBy(f => f, StringComparer.Ordinal)));
        text.AppendLine(failure.Source);
        if (failure.Generated is not null)
        {
            text.AppendLine("/* ---- generated ----");
            text.AppendLine(failure.Generated.Replace("*/", "* /", StringComparison.Ordinal));
            text.AppendLine("*/");
        }
        File.WriteAllText(path, text.ToString());
    }
}
