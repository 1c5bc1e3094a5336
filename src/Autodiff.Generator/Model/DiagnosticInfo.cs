namespace Autodiff.Generator.Model;

/// <summary>A diagnostic to report, as plain data: the descriptor's ID, the message arguments and the span.</summary>
internal sealed record DiagnosticInfo(string Id, SourceSpan Span, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(string id, SourceSpan span, params string[] arguments) =>
        new(id, span, arguments.ToEquatableArray());
}
