using System.IO;

namespace Autodiff.Package.Tests.Harness;

/// <summary>A user's project outside the repository that references the packed Autodiff package.</summary>
public sealed class ConsumerProject
{
    private readonly PackedPackage _package;

    public string Folder { get; }

    internal ConsumerProject(PackedPackage package, string folder)
    {
        _package = package;
        Folder = folder;
        Directory.CreateDirectory(folder);
    }

    public ConsumerProject WithFile(string name, string text)
    {
        File.WriteAllText(Path.Combine(Folder, name), text);
        return this;
    }

    /// <summary>Restores from the local feed into the package's own packages folder, and builds.</summary>
    internal CommandResult Build() =>
        DotNet.Run(Folder, "build", "--packages", _package.PackagesFolder, "--disable-build-servers", "-nodeReuse:false");

    /// <summary>Runs what <see cref="Build"/> built.</summary>
    internal CommandResult Run() => DotNet.Run(Folder, "run", "--no-build");
}
