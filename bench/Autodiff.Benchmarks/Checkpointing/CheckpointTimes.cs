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
        return 0;
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
