namespace Autodiff.Generator.Model;

/// <summary>What the generator produced for one type: the file (null when nothing could be generated) and the diagnostics.</summary>
internal sealed record GeneratedFile(string HintName, string? Source, EquatableArray<DiagnosticInfo> Diagnostics);
