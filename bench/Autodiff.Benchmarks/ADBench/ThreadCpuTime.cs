using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Autodiff.Benchmarks.ADBench;

/// <summary>
/// Clocks for <c>adbench</c>: wall time by default; with <c>--cpu-time</c>, the CPU time of the
/// calling thread (Linux's CLOCK_THREAD_CPUTIME_ID). On a shared machine whose load average exceeds
/// its cores, wall-clock medians of sub-millisecond calls swung 4x between back-to-back runs
/// (2026-12-04), because the thread waits for a core; its own CPU time leaves the waiting out (not
/// the other tenants' pressure on caches and memory, so ratios still carry some noise).
/// </summary>
internal static class ThreadCpuTime
{
    private const int ClockThreadCpuTime = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>Whether the thread CPU clock is in use (set once, from the command line).</summary>
    public static bool Enabled { get; set; }

    /// <summary>A timestamp of the chosen clock.</summary>
    public static long Now()
    {
        if (!Enabled)
        {
            return Stopwatch.GetTimestamp();
        }
        ClockGetTime(ClockThreadCpuTime, out TimeSpec time);
        return time.Seconds * 1_000_000_000 + time.Nanoseconds;
    }

    /// <summary>Seconds since a timestamp of <see cref="Now"/>.</summary>
    public static double SecondsSince(long start) =>
        Enabled ? (Now() - start) * 1e-9 : Stopwatch.GetElapsedTime(start).TotalSeconds;
}
