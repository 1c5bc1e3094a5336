using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Autodiff.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// The pipeline caches: an unchanged or unrelatedly edited compilation re-runs nothing that matters,
/// and no pipeline value holds a symbol, syntax node, compilation or location.
/// </summary>
public class IncrementalTests
{
    private const string Model = """
        using System;
        using Autodiff;
        public static partial class Model
        {
            public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));
            [DerivativeOf(nameof(Softplus))]
            public static void SoftplusBackward(double x, double seed, ref double dx) => dx += seed / (1 + Math.Exp(-x));

            [Differentiable]
            public static double Loss(double w, double x)
            {
                double s = 0;
                for (int i = 0; i < 3; i++)
                    s += Softplus(w * x + i);
                return s;
            }
        }
        """;

    private const string Unrelated = """
        public static class Helpers
        {
            public static int Twice(int v) => 2 * v;
        }
        """;

    private static readonly string[] Steps =
    {
        TrackingNames.Methods, TrackingNames.Declarations, TrackingNames.ReferenceRules,
        TrackingNames.Rules, TrackingNames.CrossMethodFacts, TrackingNames.MethodOutputs, TrackingNames.Files,
    };

    [Fact]
    public void Rerunning_on_the_same_compilation_is_all_cached()
    {
        CSharpCompilation compilation = GeneratorRun.Compile(Model, Unrelated);
        GeneratorRun first = GeneratorRun.Run(GeneratorRun.NewDriver(), compilation);
        GeneratorRun second = GeneratorRun.Run(first.Driver, compilation.Clone());
        AssertAllCachedOrUnchanged(second);
    }

    [Fact]
    public void An_unrelated_edit_leaves_every_step_cached_or_unchanged()
    {
        CSharpCompilation compilation = GeneratorRun.Compile(Model, Unrelated);
        GeneratorRun first = GeneratorRun.Run(GeneratorRun.NewDriver(), compilation);
        SyntaxTree old = compilation.SyntaxTrees.Last();
        SyntaxTree edited = old.WithChangedText(old.GetText().WithChanges(
            new Microsoft.CodeAnalysis.Text.TextChange(new Microsoft.CodeAnalysis.Text.TextSpan(old.Length - 1, 0), "\npublic static class More { public static int Three() => 3; }\n")));
        GeneratorRun second = GeneratorRun.Run(first.Driver, compilation.ReplaceSyntaxTree(old, edited));
        AssertAllCachedOrUnchanged(second);
        Assert.Equal(first.GeneratedText, second.GeneratedText);
    }

    [Fact]
    public void Editing_the_method_regenerates_it()
    {
        CSharpCompilation compilation = GeneratorRun.Compile(Model, Unrelated);
        GeneratorRun first = GeneratorRun.Run(GeneratorRun.NewDriver(), compilation);
        SyntaxTree old = compilation.SyntaxTrees.First();
        SyntaxTree edited = CSharpSyntaxTree.ParseText(Model.Replace("i < 3", "i < 4"), GeneratorRun.ParseOptions, old.FilePath);
        GeneratorRun second = GeneratorRun.Run(first.Driver, compilation.ReplaceSyntaxTree(old, edited));
        IncrementalStepRunReason reason = second.Result.Results[0].TrackedSteps[TrackingNames.Files].Single().Outputs.Single().Reason;
        Assert.Equal(IncrementalStepRunReason.Modified, reason);
    }

    [Fact]
    public void Pipeline_values_hold_no_compiler_objects()
    {
        GeneratorRun run = GeneratorRun.Of(Model, Unrelated);
        foreach (string step in Steps)
        {
            foreach (IncrementalGeneratorRunStep run1 in run.Result.Results[0].TrackedSteps[step])
            {
                foreach ((object value, _) in run1.Outputs)
                {
                    AssertNoCompilerObjects(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
                }
            }
        }
    }

    private static void AssertAllCachedOrUnchanged(GeneratorRun run)
    {
        var tracked = run.Result.Results[0].TrackedSteps;
        foreach (string step in Steps)
        {
            Assert.True(tracked.ContainsKey(step), $"step {step} did not run");
            foreach (IncrementalGeneratorRunStep stepRun in tracked[step])
            {
                foreach ((object _, IncrementalStepRunReason reason) in stepRun.Outputs)
                {
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"step {step} output was {reason}");
                }
            }
        }
    }

    private static void AssertNoCompilerObjects(object? value, string step, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }
        Assert.False(value is ISymbol or SyntaxNode or Compilation or SemanticModel or Location or SyntaxTree,
            $"step {step} holds a {value.GetType().Name}");
        if (value is IEnumerable sequence)
        {
            foreach (object? item in sequence)
            {
                AssertNoCompilerObjects(item, step, seen);
            }
        }
        for (Type? type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                AssertNoCompilerObjects(field.GetValue(value), step, seen);
            }
        }
    }
}
