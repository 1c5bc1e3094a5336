namespace Autodiff.Generator.Model;

/// <summary>
/// A place in the user's source as plain data (no <c>Location</c> or syntax node), so that it can
/// live in cached pipeline values; turned back into a <c>Location</c> only when a diagnostic is reported.
/// </summary>
internal sealed record SourceSpan(string Path, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public static readonly SourceSpan None = new(string.Empty, 0, 0, 0, 0, 0, 0);
}
