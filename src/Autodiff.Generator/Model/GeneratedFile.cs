namespace Autodiff.Generator.Model;

/// <summary>What the generator produced for one type: the file (null when nothing could be generated) and the diagnostics.</summary>
internal sealed record GeneratedFile(string HintName, string? Source, EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>How every generated file's name ends: the analyzer, which sees generated code too, tells ours apart by it.</summary>
    public const string HintSuffix = ".Autodiff.g.cs";

    /// <summary>Whether every declaration of <paramref name="member"/> is one the generator wrote (or the compiler implied).</summary>
    public static bool IsGenerated(Microsoft.CodeAnalysis.ISymbol member) =>
        member.IsImplicitlyDeclared
        || System.Linq.Enumerable.All(member.DeclaringSyntaxReferences, r => r.SyntaxTree.FilePath.EndsWith(HintSuffix, System.StringComparison.Ordinal));
}
