using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Autodiff.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// <c>[LoopCheckpoints(n)]</c>: each program below is compiled plainly and under binomial
/// checkpointing with several budgets, and run for several trip counts. Checkpointing changes
/// where values come from in the backward pass, never the arithmetic: the gradients and pullbacks
/// must equal the store-everything ones, and agree with central differences.
/// </summary>
public class LoopCheckpointTests
{
    private static readonly int[] Budgets = { 1, 2, 4, 64 };

    private static readonly int[] TripCounts = { 0, 1, 2, 7, 30 };

    // Each program: its parameters (double[] w, double h, int steps) and a body with {ATTRIBUTE} before it.
    private static readonly Dictionary<string, string> Programs = new()
    {
        // Scalar state, an inner loop, a running total read after the loop.
        ["Recurrence"] = """
            {
                double total = 0;
                for (int t = 0; t < steps; t++)
                {
                    double s = 0;
                    for (int i = 0; i < w.Length; i++) s += Math.Tanh(w[i] * h + 0.001 * i);
                    h = 0.9 * h + s / w.Length;
                    total += h * h;
                }
                return total + h;
            }
            """,
        // Array state: an explicit heat-equation step on two local arrays; the result is an element sum.
        ["Heat"] = """
            {
                double[] u = new double[w.Length];
                double[] next = new double[w.Length];
                for (int i = 0; i < w.Length; i++) u[i] = Math.Sin(w[i] + h);
                for (int t = 0; t < steps; t++)
                {
                    for (int i = 1; i < w.Length - 1; i++) next[i] = u[i] + 0.2 * (u[i - 1] - 2 * u[i] + u[i + 1]) + 0.01 * u[i] * u[i];
                    for (int i = 1; i < w.Length - 1; i++) u[i] = next[i];
                }
                double sum = 0;
                for (int i = 0; i < w.Length; i++) sum += u[i] * u[i] * (1 + i);
                return sum;
            }
            """,
        // Integer state stepped in the loop, a branch, Math.Max, a loop that starts at 3 and steps by 2.
        ["Branches"] = """
            {
                int offset = 0;
                double x = h;
                for (int t = 3; t < 3 + 2 * steps; t += 2)
                {
                    double v = w[offset % w.Length];
                    if (x > 0) x = x * v + Math.Sin(x);
                    else x = Math.Max(x, -2.0) * 0.5 + v;
                    offset += 1 + t % 3;
                }
                return x * x + offset;
            }
            """,
        // A [Differentiable] callee with loops, called in the loop (split mode in the saving iteration).
        ["Callee"] = """
            {
                double[] z = new double[w.Length];
                for (int t = 0; t < steps; t++)
                {
                    for (int i = 0; i < w.Length; i++) z[i] = w[i] * h + 0.1 * t;
                    h = 0.5 * h + 0.3 * LogSumExp(z);
                }
                return h;
            }
            """,
        // The loop branches on an element of w that a later statement increments (w[0] += e saves
        // nothing for its own backward rule): the iterations run again must see w[0] as it was.
        // Found by the random-program tester (seed 7200029).
        ["LaterIncrement"] = """
            {
                double[] a = new double[w.Length];
                for (int i = 0; i < w.Length; i++) a[i] = w[i];
                for (int t = 0; t < steps; t++)
                {
                    for (int i = 1; i < a.Length; i++)
                    {
                        h = 0.8 * h + 0.2 * Math.Tanh((0.13 * i < a[0] ? a[i] : 0.3 * t) + h);
                    }
                }
                double r = h * h;
                a[0] += Math.Exp(Math.Tanh(h / 3.0));
                return r + a[0];
            }
            """,
        // The result is the loop's state itself, and the loop counts down.
        ["CountDown"] = """
            {
                for (int t = steps - 1; t >= 0; t--)
                {
                    h = h * Math.Cos(w[t % w.Length] * h) + 0.1;
                }
                return h;
            }
            """,
    };

    private static readonly Lazy<(GeneratorRun Run, Execution Execution)> Compiled = new(() =>
    {
        var source = new StringBuilder("""
            using System;
            using Autodiff;

            public static partial class P
            {
                [Differentiable]
                public static double LogSumExp(double[] v)
                {
                    double max = v[0];
                    for (int i = 1; i < v.Length; i++) max = Math.Max(max, v[i]);
                    double sum = 0;
                    for (int i = 0; i < v.Length; i++) sum += Math.Exp(v[i] - max);
                    return Math.Log(sum) + max;
                }

            """);
        foreach ((string name, string body) in Programs)
        {
            source.AppendLine("    [Differentiable] public static double " + name + "(double[] w, double h, int steps)");
            source.AppendLine(body);
            foreach (int budget in Budgets)
            {
                source.AppendLine("    [Differentiable, LoopCheckpoints(" + budget + ")] public static double " + name + "_" + budget + "(double[] w, double h, int steps)");
                source.AppendLine(body);
            }
        }
        source.AppendLine("}");
        GeneratorRun run = GeneratorRun.Of(source.ToString());
        Assert.DoesNotContain(run.Diagnostics, d => d.Id.StartsWith("ADIFF", StringComparison.Ordinal));
        return (run, Execution.Load(run));
    });

    private static double[] Weights => new[] { 0.3, -0.5, 0.8, 0.1, 0.45 };

    public static IEnumerable<object[]> Cases() =>
        from name in Programs.Keys from budget in Budgets select new object[] { name, budget };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradients_and_pullbacks_equal_the_store_everything_ones(string program, int budget)
    {
        Execution execution = Compiled.Value.Execution;
        foreach (int steps in TripCounts)
        {
            object?[] plain = { Weights, 0.4, steps, null, null };
            object?[] checkpointed = { Weights, 0.4, steps, null, null };
            double value = (double)execution.Call("P", program + "Gradient", plain)!;
            double checkpointedValue = (double)execution.Call("P", program + "_" + budget + "Gradient", checkpointed)!;
            Assert.Equal(value, checkpointedValue);
            Assert.Equal((double)execution.Call("P", program, Weights, 0.4, steps)!, value);
            AssertSame((double[])plain[3]!, (double[])checkpointed[3]!, program, steps);
            AssertSame(new[] { (double)plain[4]! }, new[] { (double)checkpointed[4]! }, program, steps);

            // The pullback adds seed · gradient into the caller's accumulators.
            double[] dW = Enumerable.Repeat(0.25, Weights.Length).ToArray();
            object?[] pullback = { Weights, 0.4, steps, 1.5, dW, 0.5 };
            execution.Call("P", program + "_" + budget + "Pullback", pullback);
            double[] expected = ((double[])plain[3]!).Select(g => 0.25 + 1.5 * g).ToArray();
            AssertSame(expected, dW, program, steps, tolerance: 1e-13);
            Assert.Equal(0.5 + 1.5 * (double)plain[4]!, (double)pullback[5]!, 12);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradients_agree_with_central_differences(string program, int budget)
    {
        Execution execution = Compiled.Value.Execution;
        const int steps = 7;
        double[] w = Weights;
        object?[] arguments = { w, 0.4, steps, null, null };
        execution.Call("P", program + "_" + budget + "Gradient", arguments);
        var gradient = (double[])arguments[3]!;
        for (int i = 0; i < w.Length; i++)
        {
            Execution.AssertClose(execution.CentralDifference("P", program, new object?[] { w, 0.4, steps }, 0, i), gradient[i]);
        }
        Execution.AssertClose(execution.CentralDifference("P", program, new object?[] { w, 0.4, steps }, 1), (double)arguments[4]!);
    }

    /// <summary>
    /// The point of it: the backward pass holds one iteration's saves, not every iteration's. The
    /// save stacks' capacity fields record the most values each call held.
    /// </summary>
    [Fact]
    public void The_saves_held_are_one_iterations_whatever_the_trip_count()
    {
        Execution execution = Compiled.Value.Execution;
        int Held(string member, int steps)
        {
            execution.Call("P", member, new object?[] { Weights, 0.4, steps, null, null });
            object capacity = execution.Constant("P", "autodiff" + member + "DoubleSavesCapacity")!;
            return (int)capacity.GetType().GetProperty("Capacity")!.GetValue(capacity)!;
        }
        int plain = Held("RecurrenceGradient", 200);
        int checkpointed = Held("Recurrence_4Gradient", 200);
        // Each iteration saves one value per weight (Tanh's result: TanhBackward marks its input [Unread]) and h.
        int oneIteration = Weights.Length + 1;
        Assert.True(plain >= 200 * oneIteration, "store-everything held " + plain);
        Assert.InRange(checkpointed, oneIteration, 2 * oneIteration);
    }

    [Fact]
    public void The_generated_backward_pass_follows_the_schedule()
    {
        string text = Compiled.Value.Run.GeneratedText;
        Assert.Contains("new global::Autodiff.Runtime.LoopCheckpoints(", text);
        Assert.Contains("case global::Autodiff.Runtime.CheckpointAction.Restore:", text);
        Assert.Contains("global::Autodiff.Runtime.LoopCheckpoints.Store(uCopies, checkpoints.Slot, u);", text);
    }

    private static void AssertSame(double[] expected, double[] actual, string program, int steps, double tolerance = 0)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double scale = Math.Max(1, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale,
                $"{program}, {steps} steps, component {i}: {expected[i]:R} against {actual[i]:R}");
        }
    }
}
