using System.Threading.Tasks;
using Autodiff.CodeFixes.Fixes;
using Autodiff.CodeFixes.Tests.Harness;
using Xunit;

namespace Autodiff.CodeFixes.Tests;

/// <summary>ADIFF009 on switches: rewritten into if/else and ?:, which the generator differentiates, with the same values.</summary>
public class SwitchToConditionalsTests
{
    [Fact]
    public async Task Switch_statement_with_returns_becomes_an_if_else_chain()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new SwitchToConditionalsFix(), "ADIFF009", null, """
            using Autodiff;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, int k)
                {
                    switch (k)
                    {
                        case 0:
                            return x;
                        case 1:
                        case 2:
                            // doubled
                            return 2 * x;
                        default:
                            return x * x;
                    }
                }
            }
            """);
        Assert.Equal("""
            using Autodiff;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, int k)
                {
                    if (k == 0)
                    {
                        return x;
                    }
                    else if (k == 1 || k == 2)
                    {
                        // doubled
                        return 2 * x;
                    }
                    else
                    {
                        return x * x;
                    }
                }
            }
            """, fix.Text);
        Assert.Equal(new[] { "Rewrite the switch statement as if/else" }, fix.Offered);
        Loaded loaded = Loaded.From(fix);
        foreach ((int k, double expected) in new[] { (0, 1.0), (1, 2.0), (2, 2.0), (7, 6.0) })
        {
            object?[] arguments = { 3.0, k, null };
            loaded.Call("C", "FGradient", arguments);
            Assert.Equal(expected, arguments[2]);
        }
    }

    [Fact]
    public async Task Switch_statement_on_a_computed_value_stores_it_once()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new SwitchToConditionalsFix(), "ADIFF009", null, """
            using Autodiff;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, int n)
                {
                    double y;
                    switch (n % 3)
                    {
                        case 0:
                            y = x;
                            break;
                        case < 0 or 2:
                        {
                            y = 2 * x;
                            break;
                        }
                        default:
                            y = x * x;
                            break;
                    }
                    return y;
                }
            }
            """);
        Assert.Equal("""
            using Autodiff;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, int n)
                {
                    double y;
                    var value = n % 3;
                    if (value == 0)
                    {
                        y = x;
                    }
                    else if (value < 0 || value == 2)
                    {
                        y = 2 * x;
                    }
                    else
                    {
                        y = x * x;
                    }
                    return y;
                }
            }
            """, fix.Text);
        Loaded loaded = Loaded.From(fix);
        foreach ((int n, double expected) in new[] { (3, 1.0), (-1, 2.0), (5, 2.0), (4, 6.0) })
        {
            object?[] arguments = { 3.0, n, null };
            loaded.Call("C", "FGradient", arguments);
            Assert.Equal(expected, arguments[2]);
        }
    }

    [Fact]
    public async Task Switch_expression_becomes_nested_conditionals()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new SwitchToConditionalsFix(), "ADIFF009", null, """
            using Autodiff;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x) => x switch { < 0 => -x, 0 => 0, _ => x * x };
            }
            """);
        Assert.Equal("""
            using Autodiff;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x) => x < 0 ? -x : x == 0 ? 0 : x * x;
            }
            """, fix.Text);
        Assert.Equal(new[] { "Rewrite the switch expression as conditional (?:) expressions" }, fix.Offered);
        Loaded loaded = Loaded.From(fix);
        foreach ((double x, double expected) in new[] { (-2.0, -1.0), (3.0, 6.0) })
        {
            object?[] arguments = { x, null };
            loaded.Call("C", "FGradient", arguments);
            Assert.Equal(expected, arguments[1]);
        }
    }

    [Fact]
    public async Task Switch_expression_on_a_computed_value_declares_a_local_before_the_statement()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new SwitchToConditionalsFix(), "ADIFF009", null, """
            using Autodiff;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, int n)
                {
                    double s = (n * 2) switch
                    {
                        2 or 4 => x,
                        > 10 and not 12 when n != 7 => 4 * x,
                        _ => 3 * x,
                    };
                    return s * x;
                }
            }
            """);
        Assert.Equal("""
            using Autodiff;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, int n)
                {
                    var value = n * 2;
                    double s = value == 2 || value == 4 ? x : value > 10 && value != 12 && n != 7 ? 4 * x : 3 * x;
                    return s * x;
                }
            }
            """, fix.Text);
        Loaded loaded = Loaded.From(fix);
        foreach ((int n, double expected) in new[] { (1, 4.0), (2, 4.0), (8, 16.0), (6, 12.0), (7, 12.0), (3, 12.0) })
        {
            object?[] arguments = { 2.0, n, null };
            loaded.Call("C", "FGradient", arguments);
            Assert.Equal(expected, arguments[2]);
        }
    }

    [Fact]
    public async Task Not_offered_when_a_break_inside_a_section_would_leave_a_loop_instead()
    {
        var offered = await CodeFix.OffersAsync(new SwitchToConditionalsFix(), "ADIFF009", """
            using Autodiff;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, int n)
                {
                    double y = x;
                    for (int i = 0; i < n; i++)
                    {
                        switch (i)
                        {
                            case 0:
                                if (n > 3)
                                {
                                    break;
                                }
                                y = y * x;
                                break;
                            default:
                                y = y + x;
                                break;
                        }
                    }
                    return y;
                }
            }
            """);
        Assert.Empty(offered);
    }

    [Fact]
    public async Task Not_offered_for_a_switch_expression_without_a_discard_arm_or_with_a_type_pattern()
    {
        Assert.Empty(await CodeFix.OffersAsync(new SwitchToConditionalsFix(), "ADIFF009", """
            using Autodiff;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, int k) => k switch { 0 => x, 1 => 2 * x };
            }
            """));
        Assert.Empty(await CodeFix.OffersAsync(new SwitchToConditionalsFix(), "ADIFF009", """
            using Autodiff;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, object o) => o switch { string => x, _ => 2 * x };
            }
            """));
    }

    [Fact]
    public async Task Not_offered_for_other_unsupported_constructs()
    {
        Assert.Empty(await CodeFix.OffersAsync(new SwitchToConditionalsFix(), "ADIFF009", """
            using Autodiff;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x)
                {
                    try { x = x * 2; } finally { }
                    return x;
                }
            }
            """));
    }

    [Fact]
    public async Task A_default_section_in_the_middle_becomes_the_last_else()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new SwitchToConditionalsFix(), "ADIFF009", null, """
            using Autodiff;

            public enum Mode { A, B, C }

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, Mode mode)
                {
                    switch (mode)
                    {
                        case Mode.A:
                            return x;
                        default:
                            return 3 * x;
                        case Mode.B:
                            return 2 * x;
                    }
                }
            }
            """);
        Assert.Contains("""
                    if (mode == Mode.A)
                    {
                        return x;
                    }
                    else if (mode == Mode.B)
                    {
                        return 2 * x;
                    }
                    else
                    {
                        return 3 * x;
                    }
            """, fix.Text);
        Loaded loaded = Loaded.From(fix);
        foreach ((int mode, double expected) in new[] { (0, 1.0), (1, 2.0), (2, 3.0) })
        {
            object?[] arguments = { 5.0, mode, null };
            loaded.Call("C", "FGradient", arguments);
            Assert.Equal(expected, arguments[2]);
        }
    }

    [Fact]
    public async Task A_local_needed_under_an_if_gets_a_block()
    {
        CodeFix fix = await CodeFix.ApplyAsync(new SwitchToConditionalsFix(), "ADIFF009", null, """
            using Autodiff;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, int n)
                {
                    if (x > 0)
                        return (n + 1) switch { 1 => x, _ => 2 * x };
                    return x;
                }
            }
            """);
        Assert.Contains("""
                    if (x > 0)
                    {
                        var value = n + 1;
                        return value == 1 ? x : 2 * x;
                    }
                    return x;
            """, fix.Text);
        Assert.Empty(fix.Errors());
    }
}
