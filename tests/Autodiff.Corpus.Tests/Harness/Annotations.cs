using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autodiff.Corpus.Tests.Harness;

/// <summary>
/// What the comment lines before a corpus method promise about it.
/// <c>// expect: clean</c>: no ADIFF error, and the gradient equals finite differences;
/// <c>// expect: ADIFF004</c>: that diagnostic within the method's span (several IDs separated by commas);
/// <c>// expect: clean, ADIFF008</c>: a warning that leaves the method differentiable;
/// <c>// expect: ADIFF004|ADIFF009</c>: either ID will do (both name a real fault of the method).
/// <c>// domain: x in (0.1, 5); xs len 6; n = 4; * in (0, 1)</c>: where to sample (<c>*</c> is every
/// floating-point parameter not named); defaults are (-2, 2), arrays of 5 and integers 3.
/// </summary>
public sealed record Annotation(bool Clean, ImmutableArray<string> Ids, ImmutableDictionary<string, (double Low, double High)> Ranges,
    ImmutableDictionary<string, int> Lengths, ImmutableDictionary<string, string> Values, string? Problem)
{
    private static readonly Regex Range = new(@"^(\*|\w+)\s+in\s+[\(\[]\s*([-+0-9.eE]+)\s*,\s*([-+0-9.eE]+)\s*[\)\]]$");
    private static readonly Regex Length = new(@"^(\w+)\s+len\s+(\d+)$");
    private static readonly Regex Value = new(@"^(\w+)\s*=\s*(.+)$");

    public (double Low, double High) RangeOf(string name) =>
        Ranges.TryGetValue(name, out var r) ? r : Ranges.TryGetValue("*", out var all) ? all : (-2, 2);

    /// <summary>Whether the diagnostic ID is one this annotation expects (alone or among alternatives).</summary>
    public bool Expects(string id) => Ids.Any(e => e.Split('|').Contains(id));

    public int LengthOf(string name) => Lengths.TryGetValue(name, out int n) ? n : 5;

    /// <summary>Reads the comments in the leading trivia of a method declaration (they precede its attributes).</summary>
    public static Annotation Of(MethodDeclarationSyntax method)
    {
        bool clean = false, sawExpect = false;
        var ids = ImmutableArray.CreateBuilder<string>();
        var ranges = ImmutableDictionary.CreateBuilder<string, (double, double)>();
        var lengths = ImmutableDictionary.CreateBuilder<string, int>();
        var values = ImmutableDictionary.CreateBuilder<string, string>();
        string? problem = null;
        foreach (SyntaxTrivia trivia in method.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia)))
        {
            string text = trivia.ToString().Substring(2).Trim();
            if (text.StartsWith("expect:", StringComparison.Ordinal))
            {
                sawExpect = true;
                foreach (string item in text.Substring(7).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (item == "clean") clean = true;
                    else if (Regex.IsMatch(item, @"^ADIFF\d{3}(\|ADIFF\d{3})*$")) ids.Add(item);
                    else problem = $"unreadable expectation '{item}'";
                }
            }
            else if (text.StartsWith("domain:", StringComparison.Ordinal))
            {
                foreach (string item in text.Substring(7).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    Match m;
                    if ((m = Range.Match(item)).Success)
                        ranges[m.Groups[1].Value] = (double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
                    else if ((m = Length.Match(item)).Success)
                        lengths[m.Groups[1].Value] = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                    else if ((m = Value.Match(item)).Success)
                        values[m.Groups[1].Value] = m.Groups[2].Value.Trim();
                    else problem = $"unreadable domain '{item}'";
                }
            }
        }
        if (!sawExpect) problem ??= "no '// expect:' line";
        else if (!clean && ids.Count == 0) problem ??= "empty expectation";
        return new Annotation(clean, ids.ToImmutable(), ranges.ToImmutable(), lengths.ToImmutable(), values.ToImmutable(), problem);
    }
}
