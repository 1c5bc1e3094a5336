using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit;

namespace Autodiff.Generator.Tests.Harness;

/// <summary>
/// Checked-in baselines of generated source (Verify.SourceGenerators is not served by this
/// package source). A mismatch writes <c>Name.received.cs</c> beside <c>Name.verified.cs</c> and
/// fails; accept a change by renaming the received file, or run the tests with
/// AUTODIFF_ACCEPT_SNAPSHOTS=1 to overwrite every baseline.
/// </summary>
public static class Snapshot
{
    public static void Verify(string name, string actual, [CallerFilePath] string caller = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(caller)!, "Snapshots");
        string verified = Path.Combine(directory, name + ".verified.cs");
        string received = Path.Combine(directory, name + ".received.cs");
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("AUTODIFF_ACCEPT_SNAPSHOTS") == "1")
        {
            File.WriteAllText(verified, actual);
        }
        string? expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n") : null;
        if (expected == actual)
        {
            if (File.Exists(received))
            {
                File.Delete(received);
            }
            return;
        }
        File.WriteAllText(received, actual);
        Assert.Fail(expected is null
            ? $"No baseline for {name}: wrote {received}; review it and rename it to {Path.GetFileName(verified)}."
            : $"Generated source for {name} differs from {verified}; see {received} (diff them, then rename to accept).");
    }
}
