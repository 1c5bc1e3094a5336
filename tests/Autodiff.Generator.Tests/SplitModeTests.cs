using System.Linq;
using Autodiff.Generator.Tests.Harness;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// Which calls between [Differentiable] methods run in split mode (the callee's forward pass leaves
/// its residuals, its backward pass takes them back) and which in joint mode (the caller's backward
/// pass calls the pullback, which runs the callee again).
/// </summary>
public class SplitModeTests
{
    private const string Callees = """
        using System;
        using Autodiff;

        public static partial class C
        {
            [Differentiable]
            public static double Looped(double[] v)
            {
                double s = 0;
                for (int i = 0; i < v.Length; i++) s += Math.Exp(v[i]);
                return Math.Log(s);
            }

            [Differentiable, Checkpoint]
            public static double Checkpointed(double[] v)
            {
                double s = 0;
                for (int i = 0; i < v.Length; i++) s += Math.Exp(v[i]);
                return Math.Log(s);
            }

            [Differentiable]
            public static double StraightLine(double x) => x * Math.Sin(x);

            [Differentiable]
            public static double CallsLooped(double x, double[] v) => x * Looped(v);

            [Differentiable, Checkpoint]
            public static double CheckpointedCaller(double x, double[] v) => x * Looped(v);

            [Differentiable]
            public static double Caller(double[] v, double x) =>
                Looped(v) + Checkpointed(v) + StraightLine(x) + CallsLooped(x, v) + CheckpointedCaller(x, v);
        }
        """;

    private static string Generated() => GeneratorRun.Of(Callees).GeneratedText;

    [Fact]
    public void A_callee_with_loops_runs_in_split_mode()
    {
        string text = Generated();
        Assert.Contains("LoopedForwardPass(v, residuals)", text);
        Assert.Contains("LoopedBackwardPass(v, ", text);
        Assert.DoesNotContain("global::C.LoopedPullback(", text);
    }

    [Fact]
    public void A_checkpointed_callee_is_run_again_and_has_no_split_members()
    {
        string text = Generated();
        Assert.Contains("global::C.CheckpointedPullback(v, ", text);
        Assert.DoesNotContain("CheckpointedForwardPass", text);
        Assert.DoesNotContain("CheckpointedBackwardPass", text);
    }

    [Fact]
    public void A_straight_line_callee_stays_joint_and_its_caller_needs_no_residuals_for_it()
    {
        string text = Generated();
        Assert.Contains("global::C.StraightLinePullback(x, ", text);
        Assert.DoesNotContain("StraightLineForwardPass", text);
    }

    [Fact]
    public void A_straight_line_method_calling_a_looped_one_runs_in_split_mode_unless_checkpointed()
    {
        string text = Generated();
        Assert.Contains("CallsLoopedForwardPass(x, v, residuals)", text);
        Assert.Contains("global::C.CheckpointedCallerPullback(x, v, ", text);
        Assert.DoesNotContain("CheckpointedCallerForwardPass", text);
    }

    [Fact]
    public void Generated_code_compiles_without_warnings()
    {
        GeneratorRun run = GeneratorRun.Of(Callees);
        Assert.Empty(run.Diagnostics.Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));
    }
}
