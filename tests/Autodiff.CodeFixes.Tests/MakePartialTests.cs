using System.Threading.Tasks;
using Autodiff.CodeFixes.Fixes;
using Autodiff.CodeFixes.Tests.Harness;
using Xunit;

namespace Autodiff.CodeFixes.Tests;

/// <summary>ADIFF001: partial added where the generator needs it, and the gradient generated after.</summary>
public class MakePartialTests
{
    [Fact]
    public async Task Adds_partial_after_the_other_modifiers()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new MakePartialFix(), "ADIFF001", "Make 'Losses' partial", """
            using Autodiff;

            public static class Losses
            {
                [Differentiable] public static double Square(double x) => x * x;
            }
            """);
        Assert.Equal("""
            using Autodiff;

            public static partial class Losses
            {
                [Differentiable] public static double Square(double x) => x * x;
            }
            """, fix.Text);
        object?[] arguments = { 3.0, null };
        Assert.Equal(9.0, Loaded.From(fix).Call("Losses", "SquareGradient", arguments));
        Assert.Equal(6.0, arguments[1]);
    }

    [Fact]
    public async Task Adds_partial_to_every_level_of_nesting_in_one_step()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new MakePartialFix(), "ADIFF001", null, """
            using Autodiff;

            namespace Models
            {
                class Outer
                {
                    // the losses
                    internal class Inner
                    {
                        [Differentiable] public static double Square(double x) => x * x;
                    }
                }
            }
            """);
        Assert.Equal("""
            using Autodiff;

            namespace Models
            {
                partial class Outer
                {
                    // the losses
                    internal partial class Inner
                    {
                        [Differentiable] public static double Square(double x) => x * x;
                    }
                }
            }
            """, fix.Text);
        Assert.Contains("Make 'Outer' and the types around it partial", fix.Offered);
        Assert.Empty(fix.Errors());
    }
}
