namespace Autodiff.Generator.Model;

/// <summary>The differentiable methods of one containing type: they are generated into one file.</summary>
internal sealed record TypeFileSpec(string FileKey, EquatableArray<MethodSpec> Methods);

/// <summary>What the emitter produced for one type: the file (null when nothing could be generated) and the diagnostics.</summary>
internal sealed record GeneratedFile(string HintName, string? Source, EquatableArray<DiagnosticInfo> Diagnostics);
