using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Autodiff.Fuzz.Tests;

/// <summary>The MSBuild property AutodiffHessianVector=true, as the generator sees it: every program gets its FHessianVector where one can be made.</summary>
internal sealed class HessianOptions : AnalyzerConfigOptionsProvider
{
    public static readonly HessianOptions Instance = new();

    private sealed class Global : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value)
        {
            value = key == "build_property.AutodiffHessianVector" ? "true" : null;
            return value is not null;
        }
    }

    private sealed class Empty : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value)
        {
            value = null;
            return false;
        }
    }

    public override AnalyzerConfigOptions GlobalOptions { get; } = new Global();

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Empty();

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Empty();
}
