using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace Autodiff.CodeFixes.Reading;

/// <summary>
/// The arguments a diagnostic's message was formatted with, read back from the message. The
/// generator reports plain data (ID, arguments, span) and a diagnostic carries no properties, so
/// the message is the one place that says, for instance, which value of a call is active.
/// </summary>
internal static class MessageArguments
{
    /// <summary>Argument <paramref name="index"/>, or null when the message does not have the descriptor's form.</summary>
    public static string? Read(DiagnosticDescriptor descriptor, Diagnostic diagnostic, int index)
    {
        string format = descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture);
        string pattern = "^" + Regex.Replace(Regex.Escape(format), @"\\\{(\d+)}", "(?<a$1>.*?)") + "$";
        Match match = Regex.Match(diagnostic.GetMessage(CultureInfo.InvariantCulture), pattern, RegexOptions.Singleline);
        Group group = match.Groups["a" + index.ToString(CultureInfo.InvariantCulture)];
        return match.Success && group.Success ? group.Value : null;
    }
}
