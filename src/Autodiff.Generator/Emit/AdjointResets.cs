using System.Collections.Generic;
using System.Text.RegularExpressions;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Emit;

/// <summary>
/// Folds an adjoint's reset into its next contribution: <c>dp = 0.0; p = saves.Pop(); dp += g * r;</c>
/// becomes <c>p = saves.Pop(); dp = g * r;</c> when nothing between mentions <c>dp</c> and the
/// contribution does not read it. IEEE rules keep an addition to zero (it turns −0 into +0), so the
/// JIT cannot drop it; inside a loop that carries the adjoint (the backward pass of
/// <c>p = r * p * (1 - p)</c>) it sat on the loop's dependency chain. The result differs only in the
/// sign of a zero.
/// </summary>
internal static class AdjointResets
{
    private static readonly Regex Reset = new(@"^(?<name>[A-Za-z_]\w*) = (0\.0|0f);$", RegexOptions.CultureInvariant);
    private static readonly Regex Contribution = new(@"^(?<name>[A-Za-z_]\w*) (?<op>[+-])= (?<value>.+);$", RegexOptions.CultureInvariant);

    /// <summary>The code with every foldable reset folded, in each block at every depth.</summary>
    public static List<Code> Fold(List<Code> code)
    {
        var result = new List<Code>(code.Count);
        foreach (Code item in code)
        {
            result.Add(item is Nested nested
                ? nested with { Body = Fold(nested.Body), Else = nested.Else is null ? null : Fold(nested.Else) }
                : item);
        }
        for (int i = 0; i < result.Count; i++)
        {
            if (result[i] is not Line reset || Reset.Match(GeneratedText.CodeOf(reset.Text).Trim()) is not { Success: true } match)
            {
                continue;
            }
            string name = match.Groups["name"].Value;
            int next = i + 1;
            while (next < result.Count && !GeneratedText.Mentions(result[next], name))
            {
                next++;
            }
            if (next < result.Count && result[next] is Line line && Folded(line, name) is { } folded)
            {
                result[next] = folded;
                result.RemoveAt(i);
                i--;
            }
        }
        return result;
    }

    /// <summary><c>name = value;</c> for <c>name += value;</c> (<c>name = -(value);</c> for <c>-=</c>), when the value does not read the name; else null.</summary>
    private static Line? Folded(Line line, string name)
    {
        string code = GeneratedText.CodeOf(line.Text);
        string comment = line.Text.Length > code.Length ? " " + line.Text.Substring(code.Length) : string.Empty;
        if (Contribution.Match(code.Trim()) is not { Success: true } match || match.Groups["name"].Value != name
            || GeneratedText.Mentions(new Line(match.Groups["value"].Value), name))
        {
            return null;
        }
        bool subtract = match.Groups["op"].Value == "-";
        string value = match.Groups["value"].Value;
        LineEffect? effect = line.Effect is ScalarAssignment assignment
            ? new ScalarAssignment(assignment.Target, AssignKind.Set, subtract ? new Unary(assignment.Value.Type, UnaryOp.Negate, assignment.Value) : assignment.Value)
            : line.Effect;
        return new Line(name + " = " + (subtract ? "-(" + value + ")" : value) + ";" + comment, effect);
    }
}
