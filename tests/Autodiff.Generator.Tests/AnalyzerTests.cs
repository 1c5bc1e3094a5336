using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// The split between <see cref="DifferentiableAnalyzer"/> (the front end's diagnostics, live in the
/// editor) and <see cref="DifferentiableGenerator"/> (the middle end's and calls' diagnostics): every
/// diagnostic is reported by exactly one of them, at a span the editor can underline.
/// </summary>
public class AnalyzerTests
{
    /// <summary>Diagnostics that need no generation: found by the parser alone, so the analyzer's.</summary>
    private static readonly string[] FrontEndIds = { "ADIFF001", "ADIFF002", "ADIFF003", "ADIFF010", "ADIFF011", "ADIFF013", "ADIFF016", "ADIFF023" };

    /// <summary>Diagnostics of the middle end (activity, gradient flow) and of calls between methods: the generator's.</summary>
    private static readonly string[] MiddleEndIds = { "ADIFF004", "ADIFF005", "ADIFF006", "ADIFF008", "ADIFF014", "ADIFF015" };

    /// <summary>One file with a case of nearly every diagnostic, front end and middle end together.</summary>
    private const string Everything = """
        using System;
        using System.Collections.Generic;
        using Autodiff;

        public static class NotPartial
        {
            [Differentiable] public static double F(double x) => x * x;
        }

        public static partial class Cases
        {
            [Differentiable] public static int ReturnsInt(double x) => 1;
            [Differentiable] public static double TakesList(List<double> xs) => xs[0];
            [Differentiable] public static double Unsupported(double x) { using (var s = new System.IO.MemoryStream()) { return x; } }
            [Differentiable] public static double Opaque(double x) => Helper(x);
            [Differentiable] public static double Stored(double x) { s_last = x; return x; }
            [Differentiable] public static double ByRef(double x) { Twice(ref x); return x; }
            [Differentiable] public static double Truncated(double x) => (int)x * x;
            [Differentiable] public static double Aliased(double[] v) { double[] w = v; return w[0] * w[1]; }
            [Differentiable] public static double CallsBroken(double x) => Broken(x) + x;
            [Differentiable] public static double Broken(double x) => Helper(x);
            [Differentiable] public static double Taken(double x) => x;
            public static double TakenGradient(double x, out double dx) { dx = 1; return x; }

            [DerivativeOf(typeof(Cases), nameof(Helper2))]
            public static void WrongRule(double x, double seed) { }
            [DerivativeOf(typeof(Cases), "Missing")]
            public static void MissingTarget(double x, double seed, ref double dx) { }
            [DerivativeOf(typeof(Cases), nameof(Helper3))]
            public static void ReadsUnread([Unread] double x, double seed, ref double dx) => dx += seed * x;

            public static double Helper(double x) => x;
            public static double Helper2(double x) => x;
            public static double Helper3(double x) => x;
            public static void Twice(ref double x) => x *= 2;
            private static double s_last;
        }

        public partial class Model
        {
            public Tensor W = Tensor.Zeros(2);
            public Tensor[] Layers = Array.Empty<Tensor>();
            [Differentiable] public Tensor Forward(Tensor x) => x * W * Layers[0];
        }
        """;

    [Fact]
    public void Every_diagnostic_is_reported_once_by_one_of_the_two()
    {
        GeneratorRun run = GeneratorRun.Of(Everything);
        var fromAnalyzer = run.AnalyzerDiagnostics.Select(Key).ToList();
        var fromGenerator = run.GeneratorDiagnostics.Select(Key).ToList();

        Assert.Empty(fromAnalyzer.Intersect(fromGenerator));
        Assert.Equal(fromAnalyzer.Count, fromAnalyzer.Distinct().Count());
        Assert.Equal(fromGenerator.Count, fromGenerator.Distinct().Count());
        foreach (string id in FrontEndIds)
        {
            Assert.True(run.AnalyzerDiagnostics.Any(d => d.Id == id), id + " missing");
            Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == id);
        }
        foreach (string id in MiddleEndIds)
        {
            Assert.True(run.GeneratorDiagnostics.Any(d => d.Id == id), id + " missing");
            Assert.DoesNotContain(run.AnalyzerDiagnostics, d => d.Id == id);
        }
        Assert.Contains(run.AnalyzerDiagnostics, d => d.Id == "ADIFF009" && d.GetMessage().StartsWith("A using statement", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Diagnostics, d => d.Id is "ADIFF012" or "AD0001");
    }

    [Fact]
    public void Analyzer_diagnostics_are_in_the_source_where_the_editor_underlines_them()
    {
        GeneratorRun run = GeneratorRun.Of(Everything);
        Assert.NotEmpty(run.AnalyzerDiagnostics);
        foreach (Diagnostic diagnostic in run.AnalyzerDiagnostics)
        {
            Assert.True(diagnostic.Location.IsInSource, diagnostic.ToString());
            Assert.Contains(diagnostic.Location.SourceTree, run.Input.SyntaxTrees);
            Assert.StartsWith("https://", diagnostic.Descriptor.HelpLinkUri, StringComparison.Ordinal);
        }
        Diagnostic notPartial = Assert.Single(run.AnalyzerDiagnostics, d => d.Id == "ADIFF001");
        Assert.Equal("NotPartial", notPartial.Location.SourceTree!.GetText().ToString(notPartial.Location.SourceSpan));
    }

    [Fact]
    public void The_analyzer_alone_reports_what_the_generator_leaves_to_it()
    {
        // What the IDE shows while the user types, before (or without) a generator run.
        Compilation compilation = GeneratorRun.Compile(Everything);
        var live = GeneratorRun.RunAnalyzer(compilation).Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal);
        Assert.Equal(FrontEndIds.Append("ADIFF009").OrderBy(id => id, StringComparer.Ordinal), live);
    }

    [Fact]
    public void Generated_members_are_not_collisions_for_an_analyzer_that_sees_generated_code()
    {
        // A build runs analyzers over the generated files too: FGradient exists there, and is ours.
        GeneratorRun run = GeneratorRun.Of("""
            using Autodiff;
            public static partial class C
            {
                [Differentiable] public static double F(double x) => x * x;
            }
            public partial class M
            {
                public Tensor W = Tensor.Zeros(2);
                [Differentiable] public Tensor Forward(Tensor x) => x * W;
            }
            """);
        Assert.Contains("FGradient", run.GeneratedText);
        Assert.Contains("class Gradients", run.GeneratedText);
        Assert.Empty(run.Diagnostics);
    }

    [Fact]
    public void The_analyzer_is_silent_without_the_runtime()
    {
        Compilation compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("NoRuntime",
            new[] { Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("class Differentiable : System.Attribute { } static class C { [Differentiable] static int F(double x) => 1; }") },
            new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) });
        Assert.Empty(GeneratorRun.RunAnalyzer(compilation));
    }

    private static (string Id, string Path, int Start) Key(Diagnostic d) =>
        (d.Id, d.Location.GetLineSpan().Path, d.Location.SourceSpan.Start);
}
