using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using Autodiff.Kernels;

namespace Autodiff.Benchmarks;

/// <summary>
/// <c>train-steps [threads]</c>: the quick side-by-side mode. Prints, per network, the median time
/// of one training step over repeated batches of steps, in the same format as
/// bench/peers/train_torch.py, so bench/compare-training.sh can put the two side by side.
/// </summary>
public static class TrainingStepTimes
{
    public const string Command = "train-steps";

    public static int Run(ReadOnlySpan<string> args)
    {
        if (args.Length > 0)
        {
            Gemm.MaxThreads = int.Parse(args[0], CultureInfo.InvariantCulture);
        }
        Console.WriteLine($"# autodiff, gemm threads {Gemm.MaxThreads}");
        foreach (TrainingStep step in TrainingStep.All())
        {
            // Warm up well past tiered compilation, then time batches of steps.
            int perBatch = Calibrate(step);
            for (int i = 0; i < 3 * perBatch; i++)
            {
                step.Run();
            }
            var perStep = new double[15];
            long bytes = GC.GetAllocatedBytesForCurrentThread();
            for (int r = 0; r < perStep.Length; r++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < perBatch; i++)
                {
                    step.Run();
                }
                perStep[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / perBatch;
            }
            bytes = GC.GetAllocatedBytesForCurrentThread() - bytes;
            Array.Sort(perStep);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{step.Name,-30} median {perStep[perStep.Length / 2],12:F2} us/step   ({perStep.Length} x {perBatch} steps, {bytes / (double)(perStep.Length * perBatch):F1} bytes/step)"));
        }
        return 0;
    }

    /// <summary>Steps per timed batch: about 0.2 s of work.</summary>
    private static int Calibrate(TrainingStep step)
    {
        for (int i = 0; i < 50; i++)
        {
            step.Run();
        }
        long start = Stopwatch.GetTimestamp();
        int count = 0;
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < 0.2)
        {
            step.Run();
            count++;
        }
        return Math.Max(1, count);
    }
}
