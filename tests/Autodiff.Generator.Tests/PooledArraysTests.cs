using Autodiff.Generator.Tests.Harness;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>Which local arrays the entry points reuse between calls, and which they must allocate as written.</summary>
public class PooledArraysTests
{
    private static string Generated(string body) => GeneratorRun.Of("""
        using System;
        using System.Collections.Generic;
        using Autodiff;

        public static partial class C
        {
            public static List<double[]> Kept = new();
            public static double Sum(double[] a) { double s = 0; foreach (double v in a) s += v; return s; }

            [Differentiable]
            public static double Inner(double[] a) { double s = 0; for (int i = 0; i < a.Length; i++) s += a[i] * a[i]; return s; }

            [Differentiable]
            public static double F(double[] x, int n)
            {
        """ + body + """
            }
        }
        """).GeneratedText;

    [Fact]
    public void A_scratch_array_only_indexed_or_passed_to_differentiable_methods_is_reused()
    {
        string text = Generated("""
                double[] s = new double[x.Length];
                for (int i = 0; i < x.Length; i++) s[i] = x[i] * n;
                return Inner(s) + s.Length;
            """);
        Assert.Contains("double[] s = autodiffFGradientSBuffer.Take(x.Length);", text);
        Assert.Contains("double[] ds = autodiffFGradientDSBuffer.Take(s.Length);", text);
        Assert.Contains("autodiffFPullbackSBuffer.Give(s);", text);
        Assert.DoesNotContain("ThreadStatic", text); // per-thread storage lives in the runtime
    }

    [Theory]
    [InlineData("Kept.Add(s);")] // stored
    [InlineData("double t = Sum(s);")] // handed to a method that is not [Differentiable]
    [InlineData("double[] alias = s;")] // aliased
    public void An_array_that_may_outlive_the_call_is_allocated_as_written(string escape)
    {
        string text = Generated("""
                double[] s = new double[x.Length];
                for (int i = 0; i < x.Length; i++) s[i] = i * 0.5;
            """ + escape + """

                return s[0] * x[0];
            """);
        Assert.DoesNotContain("ArrayBuffer", text);
        Assert.Contains("double[] s = new double[x.Length];", text);
    }

    [Fact]
    public void A_small_constant_size_is_allocated_as_written()
    {
        string text = Generated("""
                double[] s = new double[3];
                for (int i = 0; i < 3; i++) s[i] = x[i] * n;
                return s[0] * s[1] + s[2];
            """);
        Assert.DoesNotContain("ArrayBuffer", text);
        Assert.Contains("double[] s = new double[3];", text);
    }

    [Fact]
    public void An_array_allocated_in_a_loop_is_allocated_as_written()
    {
        string text = Generated("""
                double total = 0;
                for (int k = 0; k < n; k++)
                {
                    double[] s = new double[x.Length];
                    s[0] = x[0] * k;
                    total += s[0] * s[0];
                }
                return total;
            """);
        Assert.DoesNotContain("ArrayBuffer", text);
    }
}
