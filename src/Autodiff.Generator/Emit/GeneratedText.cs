using System.Linq;
using System.Text.RegularExpressions;

namespace Autodiff.Generator.Emit;

/// <summary>
/// How generated code mentions a name, read from the code tree before it is printed: the questions
/// the last tidy-ups ask (where a local is first used, whether an adjoint is only ever indexed).
/// </summary>
internal static class GeneratedText
{
    /// <summary>Whether the code mentions the name as an identifier (not inside a longer one, a member access or a comment).</summary>
    public static bool Mentions(Code code, string name) => code switch
    {
        Line line => Occurrences(line.Text, name).Any(),
        Nested nested => Mentions(new Line(nested.Header), name) || (nested.Footer is not null && Mentions(new Line(nested.Footer), name))
            || nested.Body.Any(c => Mentions(c, name)) || (nested.Else?.Any(c => Mentions(c, name)) ?? false),
        _ => true,
    };

    /// <summary>Whether every mention of the name in the code is an element access (<c>name[...]</c>).</summary>
    public static bool OnlyIndexes(Code code, string name) => code switch
    {
        Line line => Occurrences(line.Text, name).All(m => NextNonSpace(line.Text, m.Index + m.Length) == '['),
        Nested nested => OnlyIndexes(new Line(nested.Header), name) && (nested.Footer is null || OnlyIndexes(new Line(nested.Footer), name))
            && nested.Body.All(c => OnlyIndexes(c, name)) && (nested.Else?.All(c => OnlyIndexes(c, name)) ?? true),
        _ => false,
    };

    private static System.Collections.Generic.IEnumerable<Match> Occurrences(string text, string name) =>
        Regex.Matches(StripComment(text), @"(?<![\w@.])" + Regex.Escape(name) + @"(?!\w)").Cast<Match>();

    private static char NextNonSpace(string text, int index)
    {
        while (index < text.Length && char.IsWhiteSpace(text[index]))
        {
            index++;
        }
        return index < text.Length ? text[index] : '\0';
    }

    private static string StripComment(string text)
    {
        int comment = text.IndexOf("//", System.StringComparison.Ordinal);
        return comment >= 0 ? text.Substring(0, comment) : text;
    }
}
