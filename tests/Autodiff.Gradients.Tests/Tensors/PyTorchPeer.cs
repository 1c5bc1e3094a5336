using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace Autodiff.Gradients.Tests.Tensors;

/// <summary>
/// The PyTorch the comparison tests check against: Debian's python3-torch when it is installed.
/// Tests skip themselves without it; a script that fails is a failed test, with its errors.
/// </summary>
internal static class PyTorchPeer
{
    private const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> Installed = new(() => File.Exists(Python) && Run(["-c", "import torch"], string.Empty).ExitCode == 0);

    public static void SkipUnlessInstalled() =>
        Skip.IfNot(Installed.Value, "PyTorch is not installed (apt-get install -y python3-torch)");

    /// <summary>Runs a Python script with <paramref name="input"/> on its standard input and returns what it prints.</summary>
    /// <param name="name">A name for the script's file, among the temporary files.</param>
    public static string RunScript(string name, string script, string input, params string[] arguments)
    {
        string path = Path.Combine(Path.GetTempPath(), "autodiff-" + name + "-torch.py");
        File.WriteAllText(path, script);
        (int exit, string output, string errors) = Run([path, .. arguments], input);
        Assert.True(exit == 0, errors);
        return output;
    }

    private static (int ExitCode, string Output, string Errors) Run(string[] arguments, string input)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // One thread each: these are checks of values, and OpenBLAS's threads only fight the test runner's.
        start.Environment["OPENBLAS_NUM_THREADS"] = "1";
        using Process process = Process.Start(start)!;
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            return (-1, output, "timed out");
        }
        return (process.ExitCode, output, errors.Result);
    }
}
