using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Xml.Linq;

namespace Autodiff.Package.Tests.Harness;

/// <summary>Paths and settings of this repository, read from where they are defined.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The repository address, defined once in Directory.Build.props.</summary>
    public static string Url { get; } = XDocument.Load(Path.Combine(Root, "Directory.Build.props"))
        .Descendants("RepositoryUrl").OnlyValue();

    public static string Version { get; } = XDocument.Load(Path.Combine(Root, "Directory.Build.props"))
        .Descendants("VersionPrefix").OnlyValue();

    private static string FindRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", ".."));

    private static string OnlyValue(this System.Collections.Generic.IEnumerable<XElement> elements) =>
        System.Linq.Enumerable.Single(elements).Value.Trim();
}
