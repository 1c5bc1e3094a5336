using System.Threading.Tasks;
using Autodiff.CodeFixes.Fixes;
using Autodiff.CodeFixes.Tests.Harness;
using Xunit;

namespace Autodiff.CodeFixes.Tests;

/// <summary>The fixes that offer "fix all": every occurrence in a document in one step.</summary>
public class FixAllTests
{
    [Fact]
    public async Task NoGrad_on_every_parameter_that_cannot_be_differentiated()
    {
        string fixedText = await FixAll.InDocumentAsync(new MarkNoGradFix(), MarkNoGradFix.EquivalenceKey, "ADIFF003", """
            using System.Collections.Generic;
            using Autodiff;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, List<double> a, double[,] b) => x * a[0] * b[0, 0];
            }
            """);
        Assert.Contains("F(double x, [NoGrad] List<double> a, [NoGrad] double[,] b)", fixedText);
    }

    [Fact]
    public async Task Partial_on_every_type_reported()
    {
        string fixedText = await FixAll.InDocumentAsync(new MakePartialFix(), MakePartialFix.EquivalenceKey, "ADIFF001", """
            using Autodiff;

            public static class A
            {
                [Differentiable] public static double F(double x) => x * x;
            }

            public static class B
            {
                [Differentiable] public static double G(double x) => x * x;
            }
            """);
        Assert.Contains("public static partial class A", fixedText);
        Assert.Contains("public static partial class B", fixedText);
    }

    [Fact]
    public async Task Grad_Stop_around_every_active_argument()
    {
        string fixedText = await FixAll.InDocumentAsync(new StopGradientFix(), StopGradientFix.EquivalenceKey, "ADIFF004", """
            using Autodiff;

            public static partial class C
            {
                static double Helper(double v) => v * 2;

                [Differentiable]
                public static double F(double x, double y) => Helper(x) + Helper(y) + x * y;
            }
            """);
        Assert.Contains("Helper(Grad.Stop(x)) + Helper(Grad.Stop(y)) + x * y", fixedText);
    }
}
