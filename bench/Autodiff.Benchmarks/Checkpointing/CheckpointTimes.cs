using System;
using System.Diagnostics;
using System.Linq;

namespace Autodiff.Benchmarks.Checkpointing;

/// <summary>
/// <c>checkpoint [--runs N]</c>: the recurrence's gradient with its step split (residuals kept) and
/// [Checkpoint]ed (step run again), against the plain function: time per call (medians) and the
/// memory the first call takes (the residuals' storage, allocated once and then reused).
/// </summary>
public static class CheckpointTimes
{
    public const string Command = "checkpoint";

    public static int Run(ReadOnlySpan<string> args)
    {
        int runs = args.Length == 2 && args[0] == "--runs" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15;
        Console.WriteLine("| weights, steps | F (ms) | split gradient (ms) | checkpointed gradient (ms) | split / F | checkpointed / F | first call allocates, split | checkpointed |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach ((int n, int steps) in new[] { (100, 1000), (1000, 1000), (1000, 10000) })
        {
            var random = new Random(1);
            double[] w = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
            // Each column in a fresh thread: its first call sees no storage kept by another.
            long splitFirst = FirstCallBytes(() => Recurrence.RunGradient(w, 0.3, steps, out _, out _));
            long checkpointedFirst = FirstCallBytes(() => Recurrence.RunCheckpointedGradient(w, 0.3, steps, out _, out _));
            Func<double>[] calls =
            [
                () => Recurrence.Run(w, 0.3, steps),
                () => Recurrence.RunGradient(w, 0.3, steps, out _, out _),
                () => Recurrence.RunCheckpointedGradient(w, 0.3, steps, out _, out _),
            ];
            var times = new double[calls.Length][];
            for (int i = 0; i < calls.Length; i++)
            {
                times[i] = new double[runs];
                calls[i]();
                calls[i]();
            }
            for (int run = 0; run < runs; run++)
            {
                for (int i = 0; i < calls.Length; i++)
                {
                    long start = Stopwatch.GetTimestamp();
                    calls[i]();
                    times[i][run] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
            }
            double f = ADBench.ADBenchTimes.Median(times[0]), split = ADBench.ADBenchTimes.Median(times[1]), checkpointed = ADBench.ADBenchTimes.Median(times[2]);
            Console.WriteLine($"| {n:N0}, {steps:N0} | {f:G3} | {split:G3} | {checkpointed:G3} | {split / f:F2}x | {checkpointed / f:F2}x | {Bytes(splitFirst)} | {Bytes(checkpointedFirst)} |");
        }
        LoopTable(runs);
        return 0;
    }

    /// <summary>
    /// The same recurrence with its step in the loop, under [LoopCheckpoints] with 10, 30 and 100
    /// copies against keeping every iteration: time, the values the save stacks held at most, and
    /// how many iterations the schedule runs in all (the plain function runs each once).
    /// </summary>
    private static void LoopTable(int runs)
    {
        Console.WriteLine();
        Console.WriteLine("Binomial checkpointing of the loop ([LoopCheckpoints(s)]):");
        Console.WriteLine("| weights, steps | plan | gradient (ms) | gradient / F | values saved (held at most) | iterations run / steps |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: |");
        foreach ((int n, int steps) in new[] { (100, 1000), (100, 10000), (1000, 10000) })
        {
            var random = new Random(1);
            double[] w = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
            (string Plan, int Copies, Func<double> Call, string Member)[] plans =
            [
                ("F", 0, () => Recurrence.RunLoop(w, 0.3, steps), ""),
                ("every iteration kept", 0, () => Recurrence.RunLoopGradient(w, 0.3, steps, out _, out _), nameof(Recurrence.RunLoopGradient)),
                ("10 copies", 10, () => Recurrence.RunLoop10Gradient(w, 0.3, steps, out _, out _), nameof(Recurrence.RunLoop10Gradient)),
                ("30 copies", 30, () => Recurrence.RunLoop30Gradient(w, 0.3, steps, out _, out _), nameof(Recurrence.RunLoop30Gradient)),
                ("100 copies", 100, () => Recurrence.RunLoop100Gradient(w, 0.3, steps, out _, out _), nameof(Recurrence.RunLoop100Gradient)),
            ];
            var times = plans.Select(_ => new double[runs]).ToArray();
            foreach (var plan in plans)
            {
                plan.Call();
                plan.Call();
            }
            for (int run = 0; run < runs; run++)
            {
                for (int i = 0; i < plans.Length; i++)
                {
                    long start = Stopwatch.GetTimestamp();
                    plans[i].Call();
                    times[i][run] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
            }
            double f = ADBench.ADBenchTimes.Median(times[0]);
            for (int i = 1; i < plans.Length; i++)
            {
                double median = ADBench.ADBenchTimes.Median(times[i]);
                string saved = ADBench.SavedValues.Of(typeof(Recurrence), plans[i].Member).ToString();
                string iterations = plans[i].Copies == 0 ? "2.00 (1 forward, 1 back)" : $"{IterationsRun(steps, plans[i].Copies) / (double)steps + 1:F2}";
                Console.WriteLine($"| {n:N0}, {steps:N0} | {plans[i].Plan} | {median:G3} | {median / f:F2}x | {saved} | {iterations} |");
            }
        }
    }

    /// <summary>Forward runs of iterations the schedule makes (its copies' and its saving runs), counted by running it alone.</summary>
    private static long IterationsRun(int steps, int copies)
    {
        var schedule = new Autodiff.Runtime.LoopCheckpoints(steps, copies);
        while (schedule.Next() != Autodiff.Runtime.CheckpointAction.Done)
        {
        }
        return schedule.IterationsRun;
    }

    private static long FirstCallBytes(Func<double> call)
    {
        long bytes = 0;
        var thread = new System.Threading.Thread(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            call();
            bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        thread.Start();
        thread.Join();
        return bytes;
    }

    private static string Bytes(long bytes) => bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):F1} MiB" : $"{bytes / 1024.0:F1} KiB";
}
