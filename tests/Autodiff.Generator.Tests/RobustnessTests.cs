using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// The generator and its analyzer never throw and never fail internally (ADIFF012), whatever they are given: the
/// whole gradient test suite, every diagnostic case, and those sources cut off at many points
/// (what an editor feeds it while the user types). The suite's generated code also compiles
/// without a single warning at the highest warning level.
/// </summary>
public class RobustnessTests
{
    private static string Root([CallerFilePath] string path = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));

    private static IEnumerable<string> SuiteFiles() =>
        Directory.GetFiles(Path.Combine(Root(), "tests", "Autodiff.Gradients.Tests", "Functions"), "*.cs")
            .Concat(Directory.GetFiles(Path.Combine(Root(), "tests", "Autodiff.Gradients.Tests", "VectorFunctions"), "*.cs"))
            .Concat(Directory.GetFiles(Path.Combine(Root(), "tests", "Autodiff.Gradients.Tests", "Analytic"), "Conventions.cs"))
            .Concat(Directory.GetFiles(Path.Combine(Root(), "tests", "Autodiff.Gradients.Tests", "Harness"), "CheckAttributes.cs"))
            .OrderBy(f => f, StringComparer.Ordinal);

    [Fact]
    public void The_gradient_suite_generates_code_without_warnings()
    {
        GeneratorRun run = GeneratorRun.Of(SuiteFiles().Select(File.ReadAllText).ToArray());
        Assert.DoesNotContain(run.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Empty(run.OutputProblems());
    }

    [Fact]
    public void Every_kind_of_containing_type_gets_a_compiling_partial()
    {
        GeneratorRun run = GeneratorRun.Of("""
            using System;
            using Autodiff;
            namespace Outer.Inner
            {
                public partial class Generic<T> where T : class
                {
                    internal partial struct Nested
                    {
                        [Differentiable] private static double Square(double x) => x * x;
                    }
                    public partial record Record(int Id)
                    {
                        [Differentiable] public static float Cube(float x) => x * x * x;
                    }
                    protected internal static partial class Deep<U>
                    {
                        [Differentiable] internal static double Mixed(double x, U tag) => Math.Sin(x);
                    }
                }
                public partial interface IShape
                {
                    [Differentiable] static double Area(double r) => Math.PI * r * r;
                }
                public partial record struct Point(double X, double Y)
                {
                    [Differentiable] public static double Norm(double x, double y) => Math.Sqrt(x * x + y * y);
                }
            }
            public static partial class GlobalNamespace
            {
                [Differentiable] public static double Identity(double @event, double workspaceScope) => @event * workspaceScope;
            }
            """);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.OutputProblems());
        Assert.Contains("partial record struct Point", run.GeneratedText);
        Assert.Contains("partial class Generic<T>", run.GeneratedText);
        Assert.Contains("IdentityGradient(double @event, double workspaceScope", run.GeneratedText);
    }

    [Fact]
    public void Truncated_sources_never_make_the_generator_or_the_analyzer_fail()
    {
        string[] files = SuiteFiles().Select(File.ReadAllText).ToArray();
        foreach (string file in files)
        {
            int step = Math.Max(1, file.Length / 25);
            for (int cut = file.Length / 3; cut < file.Length; cut += step)
            {
                string broken = file.Substring(0, cut);
                GeneratorRun run = GeneratorRun.Of(broken);
                // ADIFF012 is our own internal error; AD0001 is Roslyn's report of an analyzer that threw.
                Assert.DoesNotContain(run.Diagnostics, d => d.Id is "ADIFF012" or "AD0001");
            }
        }
    }

    [Fact]
    public void Every_rule_declared_by_the_runtime_matches_its_target()
    {
        Compilation compilation = GeneratorRun.Compile("class Empty { }");
        IAssemblySymbol runtime = compilation.SourceModule.ReferencedAssemblySymbols.Single(a => a.Name == "Autodiff.Runtime");
        var rejected = new List<string>();
        int count = 0;
        foreach (string holder in new[] { "Autodiff.Derivatives.MathRules", "Autodiff.Derivatives.TensorDerivatives" })
        {
            INamedTypeSymbol type = runtime.GetTypeByMetadataName(holder)!;
            count += Parsing.RuleParser.RulesOf(type, rejected).Count(r => !r.IsForward);
        }
        // Generic rules: one method each for Math's double and float overloads and MathF's, both modes.
        var mathRules = Parsing.RuleParser.RulesOf(runtime.GetTypeByMetadataName("Autodiff.Derivatives.MathRules")!, rejected).ToList();
        var pushforwards = mathRules.Where(r => r.IsForward).ToList();
        Assert.Empty(rejected);
        Assert.True(count > 60, $"only {count} rules");
        Assert.Contains(pushforwards, r => r.TargetKey.Contains("MathF.Sin(float)"));
        Assert.Contains(pushforwards, r => r.TargetKey.Contains("Math.Sin(double)"));
        Assert.Contains(mathRules, r => !r.IsForward && r.TargetKey.Contains("MathF.Sin(float)") && r.Pullback.EndsWith("SinBackward<float>", System.StringComparison.Ordinal));
        Assert.Contains(mathRules, r => !r.IsForward && r.TargetKey.Contains("Math.Abs(float)"));
        Assert.Contains(mathRules, r => !r.IsForward && r.TargetKey.Contains("Math.Sign(double)"));
        Assert.DoesNotContain(mathRules, r => r.TargetKey.Contains("Math.Abs(int)"));
        // Second derivatives: each pushforward's own pullback, a rule of a generic method.
        Assert.Contains(mathRules, r => !r.IsForward && r.GenericTarget && r.TargetKey.Contains("MathRules.SinTangent(T, T)"));
        Assert.Equal(pushforwards.Select(r => r.Name).Distinct().Count(), mathRules.Count(r => r.GenericTarget));
        Assert.True(pushforwards.Count >= 44, $"only {pushforwards.Count} pushforwards");
    }
}
