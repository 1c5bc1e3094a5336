using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading.Tasks;

namespace Autodiff.Package.Tests.Harness;

/// <summary>The result of one <c>dotnet</c> command: exit code and everything it printed.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Output)
{
    public override string ToString() => $"$ {Command}\n(exit {ExitCode})\n{Output}";
}

/// <summary>
/// Runs the .NET SDK as a user's shell would: no build servers left behind (they would hold the
/// test's output pipes open), and none of the MSBuild settings the test host runs under.
/// </summary>
internal static class DotNet
{
    public static CommandResult Run(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (string name in start.Environment.Keys.Where(IsHostSetting).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        using Process process = Process.Start(start)!;
        var output = new StringBuilder();
        Task stdout = Task.Run(() => Copy(process.StandardOutput, output));
        Task stderr = Task.Run(() => Copy(process.StandardError, output));
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet " + string.Join(' ', arguments) + " did not finish in 8 minutes:\n" + output);
        }
        Task.WaitAll(stdout, stderr);
        return new CommandResult("dotnet " + string.Join(' ', arguments), process.ExitCode, output.ToString());
    }

    private static bool IsHostSetting(string name) =>
        name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
        || name is "DOTNET_HOST_PATH" or "NUGET_PACKAGES";

    private static void Copy(System.IO.StreamReader reader, StringBuilder output)
    {
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
