using System.Linq;
using System.Reflection;

namespace Autodiff.Generator.Diagnostics;

/// <summary>
/// Where each diagnostic is explained: its own section of docs/diagnostics.md in the repository
/// whose address the build writes into this assembly (from Directory.Build.props, the one place it
/// is defined, which the package's metadata reads too).
/// </summary>
internal static class HelpLinks
{
    public const string RepositoryUrlKey = "Autodiff.RepositoryUrl";

    public static readonly string RepositoryUrl = typeof(HelpLinks).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == RepositoryUrlKey).Value!;

    /// <summary>The section's anchor is the ID in lower case, as GitHub makes it from the heading <c>## ADIFF001</c>.</summary>
    public static string For(string id) => RepositoryUrl + "/blob/main/docs/diagnostics.md#" + id.ToLowerInvariant();
}
