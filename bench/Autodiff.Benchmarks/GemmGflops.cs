using System;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using Autodiff.Kernels;

namespace Autodiff.Benchmarks;

/// <summary>
/// The quick measurement behind bench/README.md: GFLOP/s medians of <see cref="Gemm.Multiply"/>
/// at 1024³ and the training shapes on 1 and 2 threads, and the per-call time of small products.
/// Usage: <c>gemm-gflops [--runs N]</c>.
/// </summary>
/// <remarks>
/// Each case is warmed up for a second (tiered JIT compilation settles by then), then timed
/// once per run; 1- and 2-thread runs alternate so that a burst of load from elsewhere on the
/// machine hits both alike. Medians, not means, because that load only ever slows a run down.
/// </remarks>
internal static class GemmGflops
{
    public const string Command = "gemm-gflops";

    private static readonly int[] ThreadCounts = [1, 2];

    public static int Run(ReadOnlySpan<string> args)
    {
        int runs = 30;
        if (args.Length == 2 && args[0] == "--runs")
        {
            runs = int.Parse(args[1], CultureInfo.InvariantCulture);
        }
        else if (args.Length != 0)
        {
            Console.Error.WriteLine($"usage: {Command} [--runs N]");
            return 2;
        }

        Console.WriteLine($"cores {Environment.ProcessorCount}, Vector512 accelerated: {Vector512.IsHardwareAccelerated}, " +
            $"runs per case {runs}");
        Console.WriteLine();
        Console.WriteLine("shape                      threads   median GFLOP/s   best GFLOP/s");
        long allocated = 0;
        foreach (GemmShape shape in new GemmShape[] { new(1024, 1024, 1024), new(1024, 784, 1024), new(64, 784, 128), new(256, 256, 256) })
        {
            allocated += MeasureThroughput(shape, runs);
        }

        Console.WriteLine();
        Console.WriteLine("shape                      threads   median time per call");
        foreach (GemmShape shape in new GemmShape[] { new(32, 2, 16), new(32, 16, 2), new(64, 784, 128) })
        {
            MeasureLatency(shape, runs);
        }
        Console.WriteLine();
        Console.WriteLine($"allocated during the timed throughput runs (all threads): {allocated} bytes");
        return 0;
    }

    /// <summary>Prints the medians for each thread count; returns the bytes allocated by the timed runs.</summary>
    private static long MeasureThroughput(GemmShape shape, int runs)
    {
        var (a, b, c) = shape.Allocate();
        var seconds = new double[ThreadCounts.Length][];
        for (int t = 0; t < ThreadCounts.Length; t++)
        {
            Gemm.MaxThreads = ThreadCounts[t];
            WarmUp(shape, a, b, c);
            seconds[t] = new double[runs];
        }
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        for (int run = 0; run < runs; run++)
        {
            for (int t = 0; t < ThreadCounts.Length; t++)
            {
                Gemm.MaxThreads = ThreadCounts[t];
                long start = Stopwatch.GetTimestamp();
                Multiply(shape, a, b, c);
                seconds[t][run] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
        }
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        for (int t = 0; t < ThreadCounts.Length; t++)
        {
            Array.Sort(seconds[t]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{shape,-26} {ThreadCounts[t],7} {shape.Flops / Median(seconds[t]) / 1e9,16:F1} {shape.Flops / seconds[t][0] / 1e9,14:F1}"));
        }
        Gemm.MaxThreads = Environment.ProcessorCount;
        return allocated;
    }

    /// <summary>Small products are timed in batches: one call is too short for the clock.</summary>
    private static void MeasureLatency(GemmShape shape, int runs)
    {
        var (a, b, c) = shape.Allocate();
        foreach (int threads in ThreadCounts)
        {
            Gemm.MaxThreads = threads;
            WarmUp(shape, a, b, c);
            int batch = (int)Math.Clamp(20_000_000 / shape.MultiplyAdds, 1, 100_000);
            var perCall = new double[runs];
            for (int run = 0; run < runs; run++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < batch; i++)
                {
                    Multiply(shape, a, b, c);
                }
                perCall[run] = Stopwatch.GetElapsedTime(start).TotalSeconds / batch;
            }
            Array.Sort(perCall);
            double median = Median(perCall);
            string time = median < 1e-6
                ? string.Create(CultureInfo.InvariantCulture, $"{median * 1e9:F0} ns")
                : string.Create(CultureInfo.InvariantCulture, $"{median * 1e6:F1} µs");
            Console.WriteLine($"{shape,-26} {threads,7}   {time}");
        }
        Gemm.MaxThreads = Environment.ProcessorCount;
    }

    private static void WarmUp(GemmShape shape, float[] a, float[] b, float[] c)
    {
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < 1)
        {
            Multiply(shape, a, b, c);
        }
    }

    private static void Multiply(GemmShape shape, float[] a, float[] b, float[] c) =>
        Gemm.Multiply(a, b, c, shape.M, shape.N, shape.K, transposeA: false, transposeB: false, accumulate: false);

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
