using System.Collections.Generic;
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
    public static bool Mentions(Code code, string name) => Texts(code).Any(text => Occurrences(text, name).Any());

    /// <summary>Whether every mention of the name in the code is an element access (<c>name[...]</c>).</summary>
    public static bool OnlyIndexes(Code code, string name) =>
        Texts(code).All(text => Occurrences(text, name).All(m => NextNonSpace(text, m.Index + m.Length) == '['));

    /// <summary>Whether the code assigns the name as a whole (<c>name = </c>, <c>name ??= </c>) or passes it (not an element) by <c>ref</c> or <c>out</c>.</summary>
    public static bool Reassigns(Code code, string name) =>
        Texts(code).Any(text => Occurrences(text, name).Any(m => AssignmentFollows(text, m.Index + m.Length) || PassedItself(text, m)));

    /// <summary>Whether the code passes the name itself (not an element) by <c>ref</c> or <c>out</c>.</summary>
    public static bool PassesByReference(Code code, string name) =>
        Texts(code).Any(text => Occurrences(text, name).Any(m => PassedItself(text, m)));

    /// <summary>The text with each name replaced where it stands as an identifier in the code; the comment stays as it is.</summary>
    public static string Renamed(string text, IReadOnlyDictionary<string, string> names)
    {
        string code = CodeOf(text);
        string comment = text.Substring(code.Length);
        foreach (KeyValuePair<string, string> pair in names)
        {
            code = Identifier(pair.Key).Replace(code, pair.Value.Replace("$", "$$"));
        }
        return code + comment;
    }

    /// <summary>The line without its comment.</summary>
    public static string CodeOf(string text)
    {
        int comment = text.IndexOf("//", System.StringComparison.Ordinal);
        return comment >= 0 ? text.Substring(0, comment) : text;
    }

    private static bool PassedItself(string text, Match m) => ByReference(text, m.Index) && NextNonSpace(text, m.Index + m.Length) != '[';

    private static bool AssignmentFollows(string text, int index)
    {
        string rest = CodeOf(text).Substring(index).TrimStart();
        return (rest.StartsWith("=", System.StringComparison.Ordinal) && !rest.StartsWith("==", System.StringComparison.Ordinal))
            || rest.StartsWith("??=", System.StringComparison.Ordinal);
    }

    private static bool ByReference(string text, int index)
    {
        string before = text.Substring(0, index).TrimEnd();
        return before.EndsWith("ref", System.StringComparison.Ordinal) || before.EndsWith("out", System.StringComparison.Ordinal);
    }

    /// <summary>Every line of the code, headers and footers of nested blocks included.</summary>
    private static IEnumerable<string> Texts(Code code)
    {
        if (code is Line line)
        {
            yield return line.Text;
            yield break;
        }
        if (code is Deferred deferred)
        {
            foreach (string text in deferred.Build().SelectMany(Texts))
            {
                yield return text;
            }
            yield break;
        }
        var nested = (Nested)code;
        yield return nested.Header;
        if (nested.Footer is not null)
        {
            yield return nested.Footer;
        }
        foreach (Code inner in nested.Body.Concat(nested.Else ?? Enumerable.Empty<Code>()))
        {
            foreach (string text in Texts(inner))
            {
                yield return text;
            }
        }
    }

    private static IEnumerable<Match> Occurrences(string text, string name) => Identifier(name).Matches(CodeOf(text)).Cast<Match>();

    /// <summary>The name as an identifier: not inside a longer one, nor a member (<c>x.name</c>), nor verbatim (<c>@name</c>).</summary>
    private static Regex Identifier(string name) => new(@"(?<![\w@.])" + Regex.Escape(name) + @"(?!\w)", RegexOptions.CultureInvariant);

    private static char NextNonSpace(string text, int index)
    {
        while (index < text.Length && char.IsWhiteSpace(text[index]))
        {
            index++;
        }
        return index < text.Length ? text[index] : '\0';
    }
}
