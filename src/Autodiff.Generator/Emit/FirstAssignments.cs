using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Emit;

/// <summary>
/// Folds a generated local's declaration into its first assignment (<c>int tripCount = 0;</c> …
/// <c>tripCount = x.Length;</c> becomes <c>int tripCount = x.Length;</c>) where that assignment is
/// the first mention of the local and stands at the top level of the code, so the declaration is in
/// scope wherever the local is used after it. Locals first met anywhere else keep their declaration.
/// </summary>
internal static class FirstAssignments
{
    /// <returns>The locals that still need a declaration up front.</returns>
    public static List<(TypeRef Type, string Name, string Initializer)> Fold(List<Code> code, List<(TypeRef Type, string Name, string Initializer)> locals)
    {
        var remaining = new List<(TypeRef Type, string Name, string Initializer)>();
        foreach ((TypeRef type, string name, string initializer) in locals)
        {
            int first = code.FindIndex(c => GeneratedText.Mentions(c, name));
            if (first >= 0 && code[first] is Line { Text: var text } && text.StartsWith(name + " = ", System.StringComparison.Ordinal)
                && !GeneratedText.Mentions(new Line(text.Substring(name.Length + 3)), name))
            {
                code[first] = new Line(type.Name + " " + text);
            }
            else
            {
                remaining.Add((type, name, initializer));
            }
        }
        return remaining;
    }
}
