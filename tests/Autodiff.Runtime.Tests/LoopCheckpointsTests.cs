using System;
using System.Collections.Generic;
using Autodiff.Runtime;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>
/// The binomial checkpointing schedule, run against a simulated loop whose state is the number of
/// the iteration it is at: every action must be possible (a restore reads a copy that was stored,
/// an iteration runs forward from its own start), every iteration must be taken back exactly once,
/// last first, and the runs must stay within the binomial bound.
/// </summary>
public class LoopCheckpointsTests
{
    private sealed record Run(long Runs, int MostRunsOfOneStep, int MostCopies, int ActionsBeforeFirstReverse, bool RestoredInForwardPhase);

    private static Run Simulate(int steps, int snapshots)
    {
        var schedule = new LoopCheckpoints(steps, snapshots);
        int state = 0; // the loop is at the start of this iteration
        var copies = new int?[Math.Max(1, schedule.Slots)];
        var runsOfStep = new int[steps];
        var reversed = new List<int>();
        int? forwardPending = null;
        int actions = 0, beforeFirstReverse = -1;
        bool restoredEarly = false;
        long runs = 0;
        int mostCopies = 0;
        for (CheckpointAction action = schedule.Next(); action != CheckpointAction.Done; action = schedule.Next())
        {
            Assert.True(++actions < 50_000_000, "the schedule does not end");
            Assert.True(forwardPending is null || action == CheckpointAction.Reverse, "an iteration run forward must be taken back at once");
            switch (action)
            {
                case CheckpointAction.Store:
                    Assert.InRange(schedule.Slot, 0, copies.Length - 1);
                    copies[schedule.Slot] = state;
                    int inUse = 0;
                    foreach (int? copy in copies)
                    {
                        inUse += copy is null ? 0 : 1;
                    }
                    mostCopies = Math.Max(mostCopies, inUse);
                    break;
                case CheckpointAction.Restore:
                    Assert.NotNull(copies[schedule.Slot]);
                    state = copies[schedule.Slot]!.Value;
                    restoredEarly |= beforeFirstReverse < 0;
                    break;
                case CheckpointAction.Advance:
                    Assert.Equal(state, schedule.Step);
                    Assert.True(schedule.Target > schedule.Step);
                    for (int step = schedule.Step; step < schedule.Target; step++)
                    {
                        runsOfStep[step]++;
                        runs++;
                    }
                    state = schedule.Target;
                    break;
                case CheckpointAction.Forward:
                    Assert.Equal(state, schedule.Step);
                    runsOfStep[schedule.Step]++;
                    runs++;
                    forwardPending = schedule.Step;
                    state = schedule.Step + 1;
                    break;
                case CheckpointAction.Reverse:
                    Assert.Equal(forwardPending, schedule.Step);
                    forwardPending = null;
                    reversed.Add(schedule.Step);
                    if (beforeFirstReverse < 0)
                    {
                        beforeFirstReverse = actions;
                    }
                    // The backward code leaves the state where the iteration started.
                    state = schedule.Step;
                    break;
            }
        }
        Assert.Equal(steps, reversed.Count);
        for (int i = 0; i < steps; i++)
        {
            Assert.Equal(steps - 1 - i, reversed[i]);
        }
        Assert.Equal(runs, schedule.IterationsRun);
        int most = 0;
        foreach (int count in runsOfStep)
        {
            most = Math.Max(most, count);
        }
        return new Run(runs, most, mostCopies, beforeFirstReverse, restoredEarly);
    }

    /// <summary>The least r with C(s + r, s) ≥ n: the binomial bound on advances per iteration.</summary>
    private static int LeastRuns(int steps, int snapshots)
    {
        int r = 0;
        while (Binomial(snapshots + r, snapshots) < steps)
        {
            r++;
        }
        return r;
    }

    private static double Binomial(int n, int k)
    {
        double result = 1;
        for (int i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }
        return result;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(7, 1)]
    [InlineData(7, 2)]
    [InlineData(7, 7)]
    [InlineData(7, 50)]
    [InlineData(100, 3)]
    [InlineData(1000, 10)]
    [InlineData(10_000, 30)]
    [InlineData(5_000, 1)]
    public void Every_iteration_is_taken_back_once_in_order_within_the_binomial_bound(int steps, int snapshots)
    {
        Run run = Simulate(steps, snapshots);
        int copies = Math.Min(snapshots, steps);
        Assert.InRange(run.MostCopies, 1, copies);
        // Each iteration runs r times before its last run, which saves what its backward code reads.
        Assert.InRange(run.MostRunsOfOneStep, 1, LeastRuns(steps, copies) + 1);
        Assert.False(run.RestoredInForwardPhase, "the forward pass only stores and runs forward");
    }

    [Fact]
    public void One_copy_runs_the_loop_again_from_its_start_for_each_iteration()
    {
        Run run = Simulate(40, 1);
        Assert.Equal(40 * 41 / 2, run.Runs);
    }

    [Fact]
    public void Enough_copies_run_each_iteration_once_and_once_more_forward()
    {
        // With a copy per iteration the forward pass copies every state; each iteration then runs once
        // forward more, saving, as the store-everything plan runs it once.
        Run run = Simulate(50, 50);
        Assert.Equal(2, run.MostRunsOfOneStep);
    }

    [Fact]
    public void A_loop_that_does_not_run_is_done_at_once()
    {
        var schedule = new LoopCheckpoints(0, 4);
        Assert.Equal(CheckpointAction.Done, schedule.Next());
        Assert.Equal(CheckpointAction.Done, schedule.Current);
    }

    [Fact]
    public void Bad_arguments_are_refused_with_their_reason()
    {
        var noCopies = Assert.Throws<ArgumentOutOfRangeException>(() => new LoopCheckpoints(10, 0));
        Assert.Contains("at least one copy", noCopies.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LoopCheckpoints(-1, 3));
    }
}
