using System;
using System.Globalization;
using System.IO;

namespace Autodiff.Fuzz.Tests;

/// <summary>
/// Long mode: <c>dotnet Autodiff.Fuzz.Tests.dll N [first-seed] [switches] [failure-folder]</c>.
/// <c>--show FILE.cs</c> prints the generator's diagnostics, generated code and compile errors for one file.
/// <c>--check FILE.cs [N] [SEED]</c> checks every [Differentiable] method of a hand-written file (class in namespace Fuzz, arrays of length N).
/// Switches are "-Name,+Name" (see <see cref="FuzzConfig"/>) or "known-bugs-off"; "all" keeps everything on.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "--show")
        {
            Console.WriteLine(BatchCompiler.Show(File.ReadAllText(args[1])));
            return 0;
        }
        if (args.Length >= 2 && args[0] == "--check")
        {
            FuzzReport checkedReport = Repro.Check(File.ReadAllText(args[1]), args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3,
                args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1);
            Console.WriteLine(checkedReport.Summary());
            Console.WriteLine(checkedReport.FailureList());
            return checkedReport.Failures.Count == 0 ? 0 : 1;
        }
        // The long mode compiles for errors only unless AUTODIFF_FUZZ_STRICT=1 (warnings at level 9999, nullable analysis).
        BatchCompiler.Fast = Environment.GetEnvironmentVariable("AUTODIFF_FUZZ_STRICT") != "1";
        int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        int first = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
        FuzzConfig config = args.Length > 2 && args[2] != "all" ? FuzzConfig.Everything.With(args[2]) : FuzzConfig.Everything;
        string folder = args.Length > 3 ? args[3] : Path.Combine(Directory.GetCurrentDirectory(), "fuzz-failures");
        Console.WriteLine($"fuzzing {count} programs from seed {first}; {config}; failing programs go to {folder}");
        DateTime lastProgress = DateTime.UtcNow;
        FuzzReport report = FuzzRunner.Run(first, count, config, folder, partial =>
        {
            if ((DateTime.UtcNow - lastProgress).TotalSeconds >= 10)
            {
                lastProgress = DateTime.UtcNow;
                Console.WriteLine(partial.Programs + " programs, " + partial.Failures.Count + " failures, "
                    + (partial.Programs / partial.Elapsed.TotalSeconds).ToString("F1", CultureInfo.InvariantCulture) + " programs/s");
                // The report so far, so that a run can be stopped at any time.
                File.WriteAllText(Path.Combine(folder, "REPORT.txt"), partial.Summary() + Environment.NewLine + partial.FailureList(int.MaxValue));
            }
        });
        Console.WriteLine();
        Console.WriteLine(report.Summary());
        Console.WriteLine(report.FailureList(100));
        File.WriteAllText(Path.Combine(folder, "REPORT.txt"), report.Summary() + Environment.NewLine + report.FailureList(int.MaxValue));
        return report.Failures.Count == 0 ? 0 : 1;
    }
}
