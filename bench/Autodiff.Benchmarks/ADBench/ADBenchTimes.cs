using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;

namespace Autodiff.Benchmarks.ADBench;

/// <summary>
/// <c>adbench [--runs N] [--max-d D] [--cpu-time]</c>: the quick table of the ADBench objectives. For each
/// instance it prints the median time of the objective, the generated gradient and pullback and
/// (GMM) the hand-written gradient, their ratios, the bytes one gradient call allocates, the values
/// it saves for its backward pass (<see cref="SavedValues"/>, exact) and, for the GMM, the pooled
/// storage one gradient rents (<see cref="SaveStackProbe"/>: the callee's split-mode residuals).
/// </summary>
/// <remarks>
/// Each method is warmed up (tiered compilation, the save stacks' pooled buffers), then every run
/// times each method once, one after the other, so that a burst of load from elsewhere on the
/// machine hits them alike; a timed call shorter than ~20 ms is a batch of calls. Medians, not
/// means: such load only ever slows a run down. Ratios are of the medians of the same run.
/// </remarks>
internal static class ADBenchTimes
{
    public const string Command = "adbench";

    /// <summary>Keeps results alive, so that no call can be dropped as dead code.</summary>
    private static double s_sink;

    public static int Run(ReadOnlySpan<string> args)
    {
        int runs = 15;
        int maxD = int.MaxValue;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--runs" && i + 1 < args.Length)
            {
                runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else if (args[i] == "--max-d" && i + 1 < args.Length)
            {
                maxD = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else if (args[i] == "--cpu-time")
            {
                ThreadCpuTime.Enabled = true;
            }
            else
            {
                Console.Error.WriteLine($"usage: {Command} [--runs N] [--max-d D] [--cpu-time]");
                return 2;
            }
        }

        Console.WriteLine($"# {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, " +
            $"{Environment.ProcessorCount} cores; {runs} runs per case (at most 5 where a call takes over half a second); " +
            (ThreadCpuTime.Enabled ? "thread CPU time" : "wall time"));

        Console.WriteLine();
        Console.WriteLine("GMM, n = 1000 (ms per call, medians):");
        Console.WriteLine("| d, k | params | F | gradient | pullback | manual | gradient / F | pullback / F | manual / F | gradient / manual | allocated per gradient | per pullback | per manual | values saved per gradient (exact) | saved bytes | pooled storage rented in one gradient (stacks over the pool, residuals) | F value |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- | ---: |");
        foreach (GmmInstance g in ADBenchSizes.Gmm(maxD))
        {
            var dAlphas = new double[g.Alphas.Length];
            var dMeans = new double[g.Means.Length];
            var dIcf = new double[g.Icf.Length];
            double F() => Gmm.Objective(g.Alphas, g.Means, g.Icf, g.X, g.WishartGamma, g.WishartM, g.D, g.K, g.N);
            double Gradient() => Gmm.ObjectiveGradient(g.Alphas, g.Means, g.Icf, g.X, g.WishartGamma, g.WishartM, g.D, g.K, g.N, out _, out _, out _);
            double Pullback() => Gmm.ObjectivePullback(g.Alphas, g.Means, g.Icf, g.X, g.WishartGamma, g.WishartM, g.D, g.K, g.N, 1, dAlphas, dMeans, dIcf);
            double Manual() => GmmManual.Gradient(g.Alphas, g.Means, g.Icf, g.X, g.WishartGamma, g.WishartM, g.D, g.K, g.N, dAlphas, dMeans, dIcf);
            Measured m = Measure([F, Gradient, Pullback, Manual], runs);
            SaveStackCapacity pooled = SaveStackProbe.MeasureOnce(() => s_sink += Gradient());
            SaveStackCapacity saved = SavedValues.Of(typeof(Gmm), nameof(Gmm.ObjectiveGradient));
            Console.WriteLine(Row(
                $"{g.D}, {g.K}", $"{g.Parameters:N0}",
                Ms(m.Median[0]), Ms(m.Median[1]), Ms(m.Median[2]), Ms(m.Median[3]),
                Ratio(m.Median[1] / m.Median[0]), Ratio(m.Median[2] / m.Median[0]), Ratio(m.Median[3] / m.Median[0]), Ratio(m.Median[1] / m.Median[3]),
                Bytes(m.Allocated[1]), Bytes(m.Allocated[2]), Bytes(m.Allocated[3]),
                saved.ToString(), Bytes(saved.Bytes), pooled + " (" + Bytes(pooled.Bytes) + ")", F().ToString("R", CultureInfo.InvariantCulture)));
        }

        Console.WriteLine();
        Console.WriteLine("LSTM, l = 2, b = 14 (ms per call, medians):");
        Console.WriteLine("| c | params | F | gradient | pullback | gradient / F | pullback / F | allocated per gradient | per pullback | values saved per gradient (exact) | saved bytes | F value |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |");
        foreach (LstmInstance s in ADBenchSizes.Lstm())
        {
            var dMain = new double[s.MainParams.Length];
            var dExtra = new double[s.ExtraParams.Length];
            double F() => Lstm.Objective(s.MainParams, s.ExtraParams, s.State, s.Sequence, s.L, s.C, s.B);
            double Gradient() => Lstm.ObjectiveGradient(s.MainParams, s.ExtraParams, s.State, s.Sequence, s.L, s.C, s.B, out _, out _);
            double Pullback() => Lstm.ObjectivePullback(s.MainParams, s.ExtraParams, s.State, s.Sequence, s.L, s.C, s.B, 1, dMain, dExtra);
            Measured m = Measure([F, Gradient, Pullback], runs);
            SaveStackCapacity saved = SavedValues.Of(typeof(Lstm), nameof(Lstm.ObjectiveGradient));
            Console.WriteLine(Row(
                $"{s.C}", $"{s.Parameters:N0}", Ms(m.Median[0]), Ms(m.Median[1]), Ms(m.Median[2]),
                Ratio(m.Median[1] / m.Median[0]), Ratio(m.Median[2] / m.Median[0]),
                Bytes(m.Allocated[1]), Bytes(m.Allocated[2]), saved.ToString(), Bytes(saved.Bytes),
                F().ToString("R", CultureInfo.InvariantCulture)));
        }

        Console.WriteLine();
        Console.WriteLine("BA, one observation, 2×15 Jacobian (µs per call, medians; F = both residual components):");
        Console.WriteLine("| F | Jacobian by 2 pullbacks | by 2 gradients | pullbacks / F | gradients / F | allocated per Jacobian, pullbacks | gradients | values saved per pullback |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        {
            BaInstance o = BaInstance.Create();
            var jacobian = new BaJacobian();
            double F() => BaJacobian.Residuals(o);
            double Pullbacks() => jacobian.ByPullbacks(o);
            double Gradients() => jacobian.ByGradients(o);
            Measured m = Measure([F, Pullbacks, Gradients], runs);
            SaveStackCapacity saved = SavedValues.Of(typeof(BundleAdjustment), nameof(BundleAdjustment.ReprojectionErrorPullback));
            Console.WriteLine(Row(
                Us(m.Median[0]), Us(m.Median[1]), Us(m.Median[2]),
                Ratio(m.Median[1] / m.Median[0]), Ratio(m.Median[2] / m.Median[0]),
                Bytes(m.Allocated[1]), Bytes(m.Allocated[2]), saved.Bytes == 0 ? "none pooled (its saves are a FixedSaveStack on the stack frame)" : saved.ToString()));
        }
        GC.KeepAlive(s_sink);
        return 0;
    }

    internal sealed record Measured(double[] Median, long[] Allocated);

    /// <summary>Median seconds per call of each method, and the bytes one call allocates after warm-up.</summary>
    internal static Measured Measure(Func<double>[] methods, int runs)
    {
        var perBatch = new int[methods.Length];
        double slowest = 0;
        for (int i = 0; i < methods.Length; i++)
        {
            double seconds = WarmUp(methods[i]);
            perBatch[i] = (int)Math.Clamp(0.02 / seconds, 1, 1_000_000);
            slowest = Math.Max(slowest, seconds);
        }
        if (slowest > 0.5)
        {
            runs = Math.Min(runs, 5);
        }

        var times = new double[methods.Length][];
        for (int i = 0; i < methods.Length; i++)
        {
            times[i] = new double[runs];
        }
        for (int run = 0; run < runs; run++)
        {
            for (int i = 0; i < methods.Length; i++)
            {
                long start = ThreadCpuTime.Now();
                for (int call = 0; call < perBatch[i]; call++)
                {
                    s_sink += methods[i]();
                }
                times[i][run] = ThreadCpuTime.SecondsSince(start) / perBatch[i];
            }
        }

        var allocated = new long[methods.Length];
        for (int i = 0; i < methods.Length; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            s_sink += methods[i]();
            allocated[i] = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        return new Measured(times.Select(Median).ToArray(), allocated);
    }

    /// <summary>
    /// Calls the method for at least half a second and three times, and up to 60 times within 10 s:
    /// the JIT promotes a method to fully optimised code after 30 calls (tiered compilation), and
    /// until then a method with hot loops runs on-stack-replaced code, whose speed depends on the
    /// profile the first calls left. With 35 calls in all, a 25 ms gradient was measured partly
    /// before that (the LSTM gradient at 2.2x or 7x its objective from one build to the next).
    /// Returns the last call's seconds.
    /// </summary>
    private static double WarmUp(Func<double> method)
    {
        long start = Stopwatch.GetTimestamp();
        double last = 0;
        for (int calls = 0; calls < 3 || Stopwatch.GetElapsedTime(start).TotalSeconds < 0.5
            || (calls < 60 && Stopwatch.GetElapsedTime(start).TotalSeconds < 10); calls++)
        {
            long callStart = Stopwatch.GetTimestamp();
            s_sink += method();
            last = Stopwatch.GetElapsedTime(callStart).TotalSeconds;
        }
        return last;
    }

    internal static double Median(double[] values)
    {
        double[] sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static string Row(params string[] cells) => "| " + string.Join(" | ", cells) + " |";

    private static string Ms(double seconds) => Format(seconds * 1e3);

    private static string Us(double seconds) => Format(seconds * 1e6);

    /// <summary>Three significant figures, at least one decimal.</summary>
    private static string Format(double value) =>
        value.ToString(value >= 100 ? "F0" : value >= 10 ? "F1" : value >= 1 ? "F2" : "F3", CultureInfo.InvariantCulture);

    private static string Ratio(double ratio) => ratio.ToString("F2", CultureInfo.InvariantCulture) + "x";

    private static string Bytes(long bytes) => bytes switch
    {
        >= 10L << 20 => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture) + " MiB",
        >= 10L << 10 => (bytes / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };
}
