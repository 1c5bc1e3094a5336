using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// Every diagnostic's help link is built from the one repository address (Directory.Build.props,
/// which the package metadata reads too) and lands on a section of docs/diagnostics.md that exists.
/// </summary>
public class HelpLinkTests
{
    private static string Root([CallerFilePath] string path = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));

    private static string RepositoryUrl() =>
        XDocument.Load(Path.Combine(Root(), "Directory.Build.props")).Descendants("RepositoryUrl").Single().Value.Trim();

    /// <summary>The anchors GitHub makes of the headings: lower case, spaces to dashes, other punctuation dropped.</summary>
    private static HashSet<string> DocumentedAnchors() =>
        File.ReadAllLines(Path.Combine(Root(), "docs", "diagnostics.md"))
            .Where(l => l.StartsWith("#", StringComparison.Ordinal))
            .Select(l => Regex.Replace(l.TrimStart('#').Trim().ToLowerInvariant().Replace(' ', '-'), "[^a-z0-9_-]", ""))
            .ToHashSet(StringComparer.Ordinal);

    public static TheoryData<string> Ids() => new(Diagnostics.DiagnosticDescriptors.All.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_help_link_is_the_repository_address_and_an_anchor_that_exists(string id)
    {
        DiagnosticDescriptor descriptor = Diagnostics.DiagnosticDescriptors.Find(id);
        string prefix = RepositoryUrl() + "/blob/main/docs/diagnostics.md#";
        Assert.StartsWith(prefix, descriptor.HelpLinkUri, StringComparison.Ordinal);
        string anchor = descriptor.HelpLinkUri[prefix.Length..];
        Assert.Equal(id.ToLowerInvariant(), anchor);
        Assert.Contains(anchor, DocumentedAnchors());
    }

    [Fact]
    public void The_build_check_links_to_its_own_section()
    {
        string targets = File.ReadAllText(Path.Combine(Root(), "src", "Autodiff.Runtime", "Packaging", "Autodiff.targets"));
        var links = Regex.Matches(targets, "HelpLink=\"@RepositoryUrl@/blob/main/docs/diagnostics.md#([a-z0-9-]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, anchor => Assert.Contains(anchor, DocumentedAnchors()));
        Assert.DoesNotContain("https://", targets); // the address comes from Directory.Build.props at pack time
    }

    [Fact]
    public void Every_documented_diagnostic_exists_and_every_diagnostic_is_released()
    {
        string releases = File.ReadAllText(Path.Combine(Root(), "src", "Autodiff.Generator", "AnalyzerReleases.Unshipped.md"));
        foreach (DiagnosticDescriptor descriptor in Diagnostics.DiagnosticDescriptors.All)
        {
            Assert.Contains(descriptor.Id + " | Autodiff | " + descriptor.DefaultSeverity, releases);
        }
        var documented = DocumentedAnchors().Where(a => a.StartsWith("adiff", StringComparison.Ordinal)).ToHashSet();
        var known = Diagnostics.DiagnosticDescriptors.All.Select(d => d.Id.ToLowerInvariant()).Append("adiff017").ToHashSet();
        Assert.Equal(known.OrderBy(a => a, StringComparer.Ordinal), documented.OrderBy(a => a, StringComparer.Ordinal));
    }
}
