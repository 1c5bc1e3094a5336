using System.Threading.Tasks;
using Autodiff.CodeFixes.Fixes;
using Autodiff.CodeFixes.Tests.Harness;
using Xunit;

namespace Autodiff.CodeFixes.Tests;

/// <summary>ADIFF003 and ADIFF016: [NoGrad] on the parameter or member, with the using it needs.</summary>
public class MarkNoGradTests
{
    [Fact]
    public async Task Marks_a_parameter_with_the_short_name_when_Autodiff_is_imported()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new MarkNoGradFix(), "ADIFF003", null, """
            using System.Collections.Generic;
            using Autodiff;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, List<double> weights) => x * weights[0];
            }
            """);
        Assert.Equal("""
            using System.Collections.Generic;
            using Autodiff;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, [NoGrad] List<double> weights) => x * weights[0];
            }
            """, fix.Text);
        Assert.Equal(new[] { "Mark 'weights' [NoGrad]: it is a constant, with no gradient" }, fix.Offered);
        var weights = new System.Collections.Generic.List<double> { 5 };
        object?[] arguments = { 2.0, weights, null };
        Assert.Equal(10.0, Loaded.From(fix).Call("C", "FGradient", arguments));
        Assert.Equal(5.0, arguments[2]);
    }

    [Fact]
    public async Task Adds_the_using_when_the_attribute_is_written_fully_qualified()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new MarkNoGradFix(), "ADIFF003", null, """
            using System;

            public static partial class C
            {
                [Autodiff.Differentiable]
                public static double F(double x, double[,] table) => x * table[0, 0];
            }
            """);
        Assert.Equal("""
            using System;
            using Autodiff;

            public static partial class C
            {
                [Autodiff.Differentiable]
                public static double F(double x, [NoGrad] double[,] table) => x * table[0, 0];
            }
            """, fix.Text);
        Assert.Empty(fix.Errors());
    }

    [Fact]
    public async Task Is_not_offered_for_a_ref_parameter()
    {
        var offered = await CodeFix.OffersAsync(new MarkNoGradFix(), "ADIFF003", """
            using Autodiff;

            public static partial class C
            {
                [Differentiable] public static double F(ref double x) => x * x;
            }
            """);
        Assert.Empty(offered);
    }

    [Fact]
    public async Task Marks_a_model_member_in_another_file()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new MarkNoGradFix(), "ADIFF016", null, """
            using Autodiff;

            public sealed partial class Net
            {
                [Differentiable]
                public Tensor Loss([NoGrad] Tensor x) => Tensor.Sum(Tensor.MatMul(x, W) + Blocks[0]);
            }
            """, """
            using Autodiff;

            public sealed partial class Net
            {
                public Tensor W = Tensor.Zeros(2, 2);
                // lookup blocks, fixed
                public Tensor[] Blocks = new Tensor[0];
            }
            """);
        Assert.Equal("""
            using Autodiff;

            public sealed partial class Net
            {
                public Tensor W = Tensor.Zeros(2, 2);
                // lookup blocks, fixed
                [NoGrad]
                public Tensor[] Blocks = new Tensor[0];
            }
            """, fix.After[1]);
        Assert.Empty(fix.Errors());
    }

    [Fact]
    public async Task Marks_a_property_after_its_other_attributes()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new MarkNoGradFix(), "ADIFF016", null, """
            using System;
            using Autodiff;

            public sealed partial class Net
            {
                public Tensor W = Tensor.Zeros(2, 2);

                [Obsolete("old")]
                public double[] Table { get; set; } = new double[1];

                [Differentiable]
                public Tensor Loss([NoGrad] Tensor x) => Tensor.Sum(Tensor.MatMul(x, W)) * (float)Table[0];
            }
            """);
        Assert.Contains("""
                [Obsolete("old")]
                [NoGrad]
                public double[] Table { get; set; } = new double[1];
            """, fix.Text);
        Assert.DoesNotContain(fix.Rerun.Diagnostics, d => d.Id == "ADIFF016");
    }

    [Fact]
    public async Task Marks_a_parameter_on_its_own_line_in_a_file_with_windows_line_endings()
    {
        string before = """
            using System.Numerics;
            using Autodiff;

            public static partial class C
            {
                [Differentiable]
                public static double F(
                    double x,
                    Complex z) => x * z.Real;
            }
            """.Replace("\n", "\r\n");
        CodeFix fix = await CodeFix.ApplyAsync(new MarkNoGradFix(), "ADIFF003", null, before);
        Assert.Equal(before.Replace("        Complex z)", "        [NoGrad] Complex z)"), fix.Text);
        Assert.Empty(fix.Errors());
    }
}
