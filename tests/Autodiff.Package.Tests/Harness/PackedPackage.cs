using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace Autodiff.Package.Tests.Harness;

/// <summary>
/// The Autodiff package, packed once from this repository into a local feed outside it, with a
/// packages folder of its own so that no package cached by an earlier run is used instead.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    public string WorkRoot { get; } = Path.Combine(Path.GetTempPath(), "autodiff-consumer-" + Guid.NewGuid().ToString("N")[..8]);

    public string Feed => Path.Combine(WorkRoot, "feed");

    public string PackagesFolder => Path.Combine(WorkRoot, "packages");

    public string PackagePath => Path.Combine(Feed, $"Autodiff.{Repository.Version}.nupkg");

    public CommandResult Pack { get; }

    public PackedPackage()
    {
        Directory.CreateDirectory(WorkRoot);
        Pack = DotNet.Run(Repository.Root, "pack", Path.Combine("src", "Autodiff.Runtime", "Autodiff.Runtime.csproj"),
            "--configuration", "Release", "--output", Feed, "--disable-build-servers", "-nodeReuse:false");
        // The local feed first, then the machine's configured sources (for System.Numerics.Tensors and the toolset).
        File.WriteAllText(Path.Combine(WorkRoot, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="autodiff-local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
    }

    public void EnsurePacked() => Assert.True(Pack.ExitCode == 0 && File.Exists(PackagePath), Pack.ToString());

    public XElement Nuspec()
    {
        using ZipArchive zip = ZipFile.OpenRead(PackagePath);
        using Stream stream = zip.Entries.Single(e => e.FullName == "Autodiff.nuspec").Open();
        return XDocument.Load(stream).Root!;
    }

    public string[] Entries()
    {
        using ZipArchive zip = ZipFile.OpenRead(PackagePath);
        return zip.Entries.Select(e => e.FullName).OrderBy(n => n, StringComparer.Ordinal).ToArray();
    }

    public string ReadEntry(string name)
    {
        using ZipArchive zip = ZipFile.OpenRead(PackagePath);
        using var reader = new StreamReader(zip.Entries.Single(e => e.FullName == name).Open());
        return reader.ReadToEnd();
    }

    /// <summary>A new project folder under <see cref="WorkRoot"/>, which is outside the repository.</summary>
    public ConsumerProject NewProject(string name) => new(this, Path.Combine(WorkRoot, name));

    public void Dispose()
    {
        try
        {
            Directory.Delete(WorkRoot, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temporary folder; nothing depends on it.
        }
    }
}
