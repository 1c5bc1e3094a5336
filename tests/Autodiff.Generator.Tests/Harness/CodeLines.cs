using System.Collections.Generic;
using Autodiff.Generator.Emit;

namespace Autodiff.Generator.Tests.Harness;

/// <summary>A code tree of the sweeps as lines, for tests of the passes that rewrite it: a block's header with " {", its body, then "}" and its footer.</summary>
public static class CodeLines
{
    internal static List<string> Of(List<Code> code)
    {
        var lines = new List<string>();
        foreach (Code item in code)
        {
            if (item is Line line)
            {
                lines.Add(line.Text);
            }
            else if (item is Nested nested)
            {
                lines.Add(nested.Header + " {");
                lines.AddRange(Of(nested.Body));
                lines.Add("}" + (nested.Footer is null ? string.Empty : " " + nested.Footer));
            }
        }
        return lines;
    }
}
