using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Autodiff.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Autodiff.Package.Tests.OldestCompiler;

/// <summary>
/// The generator and its analyzer are built against Roslyn 4.8 (the .NET 8 SDK's compiler) so that
/// older compilers and IDEs load them. No .NET 8 SDK can be installed here, so this runs them in
/// process on Roslyn 4.8 itself, with C# 12, and runs the gradients the generated code computes.
/// </summary>
public class OldestCompilerTests
{
    private static readonly CSharpParseOptions CSharp12 = new(LanguageVersion.CSharp12);

    private const string Source = """
        using System;
        using Autodiff;

        public static partial class Functions
        {
            [Differentiable]
            public static double Seed(double a, double w1, double w2, double w3, double w4)
            {
                double b = w1 * a;
                double c = w2 * a;
                return 10 - (w3 * b + w4 * c);
            }

            [Differentiable]
            public static double Loop(double[] x, double scale)
            {
                double total = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    total += Math.Sin(scale * x[i]) * x[i];
                }
                return total;
            }
        }

        public sealed partial class Line
        {
            public Tensor W = Tensor.FromArray(new float[] { 0.5f });
            public Tensor B = Tensor.FromArray(new float[] { 0.25f });

            [Differentiable]
            public Tensor Loss([NoGrad] Tensor x, [NoGrad] Tensor y) => Tensor.MseLoss(x * W + B, y);
        }
        """;

    [Fact]
    public void Roslyn_4_8_is_the_compiler_under_test()
    {
        Assert.Equal(new Version(4, 8, 0, 0), typeof(CSharpCompilation).Assembly.GetName().Version);
    }

    [Fact]
    public void Generated_code_compiles_as_CSharp_12_and_its_gradients_are_right()
    {
        Compilation output = Generate(Source, out ImmutableArray<Diagnostic> diagnostics);
        Assert.Empty(diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Assembly assembly = Load(output);
        Type functions = assembly.GetType("Functions")!;

        object?[] seed = { 2.0, 3.0, 4.0, 5.0, 6.0, 0.0, 0.0, 0.0, 0.0, 0.0 };
        double value = (double)functions.GetMethod("SeedGradient")!.Invoke(null, seed)!;
        Assert.Equal(-68, value);
        Assert.Equal(new[] { -39.0, -10, -12, -6, -8 }, seed.Skip(5).Select(o => (double)o!).ToArray());

        double[] x = { 0.3, -1.2, 2.0 };
        object?[] loop = { x, 0.7, null, 0.0 };
        functions.GetMethod("LoopGradient")!.Invoke(null, loop);
        var dx = (double[])loop[2]!;
        for (int i = 0; i < x.Length; i++)
        {
            double expected = Math.Sin(0.7 * x[i]) + 0.7 * x[i] * Math.Cos(0.7 * x[i]);
            Assert.Equal(expected, dx[i], 12);
        }
        double dscale = x.Sum(v => v * v * Math.Cos(0.7 * v));
        Assert.Equal(dscale, (double)loop[3]!, 12);
    }

    [Fact]
    public void A_tensor_model_gets_its_gradients_class_and_gradient()
    {
        Compilation output = Generate(Source, out ImmutableArray<Diagnostic> diagnostics);
        Assert.Empty(diagnostics);
        Assembly assembly = Load(output);
        Type line = assembly.GetType("Line")!;
        object model = Activator.CreateInstance(line)!;
        object gradients = Activator.CreateInstance(line.GetNestedType("Gradients")!, model)!;
        var x = Tensor.FromArray(new float[] { 1, 2 });
        var y = Tensor.FromArray(new float[] { 1, 1 });
        var loss = (Tensor)line.GetMethod("LossGradient")!.Invoke(model, new[] { x, y, gradients })!;
        // r = 0.5x + 0.25 - y = (-0.25, 0.25): loss = mean(r²), dW = mean(2 r x), dB = mean(2 r).
        Assert.Equal(0.0625f, loss.Item(), 6);
        var dW = (Tensor)Member(gradients, "W");
        var dB = (Tensor)Member(gradients, "B");
        Assert.Equal(0.25f, dW.Item(), 6);
        Assert.Equal(0f, dB.Item(), 6);
    }

    [Fact]
    public void The_analyzer_and_generator_report_on_Roslyn_4_8()
    {
        Generate("""
            using Autodiff;
            public static class NotPartial
            {
                [Differentiable] public static double F(double x) => Helper(x);
                public static double Helper(double x) => x;
            }
            public static partial class Opaque
            {
                [Differentiable] public static double G(double x) => Opaque.Helper(x);
                public static double Helper(double x) => x;
            }
            """, out ImmutableArray<Diagnostic> diagnostics);
        Assert.Equal(new[] { "ADIFF001", "ADIFF004" }, diagnostics.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal).ToArray());
    }

    private static object Member(object target, string name) =>
        target.GetType().GetMember(name).Single() switch
        {
            FieldInfo field => field.GetValue(target)!,
            PropertyInfo property => property.GetValue(target)!,
            MemberInfo other => throw new InvalidOperationException(other.ToString()),
        };

    /// <summary>Runs the generator, then the analyzer over the result, as a build does; returns the compilation with generated code.</summary>
    private static Compilation Generate(string source, out ImmutableArray<Diagnostic> diagnostics)
    {
        var compilation = CSharpCompilation.Create("OnRoslyn48",
            new[] { CSharpSyntaxTree.ParseText(source, CSharp12, path: "/src/Source.cs") },
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new DifferentiableGenerator().AsSourceGenerator() }, parseOptions: CSharp12)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        GeneratorDriverRunResult run = driver.GetRunResult();
        Assert.All(run.Results, r => Assert.Null(r.Exception));
        ImmutableArray<Diagnostic> analyzer = output.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DifferentiableAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        diagnostics = run.Diagnostics.AddRange(analyzer);
        return output;
    }

    private static Assembly Load(Compilation output)
    {
        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        stream.Position = 0;
        var context = new AssemblyLoadContext("OnRoslyn48", isCollectible: true);
        return context.LoadFromStream(stream);
    }

    private static MetadataReference[] References()
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        return trusted.Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(Tensor).Assembly.Location)
            .Distinct()
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray();
    }
}
