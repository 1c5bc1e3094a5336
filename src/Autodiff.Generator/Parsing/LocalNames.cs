using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Autodiff.Generator.Parsing;

/// <summary>
/// Gives every local of a method a name unique in the method. C# lets sibling scopes reuse a
/// name; the generated code hoists locals that the backward pass reads to the method's top
/// scope, where two of them would clash, so the second gets a suffix.
/// </summary>
internal sealed class LocalNames
{
    private readonly Dictionary<ISymbol, string> _names = new(SymbolEqualityComparer.Default);
    private readonly HashSet<string> _used = new();

    public LocalNames(IEnumerable<string> parameterNames)
    {
        foreach (string name in parameterNames)
        {
            _used.Add(name);
        }
    }

    /// <summary>Every name taken so far, parameters included.</summary>
    public IEnumerable<string> All => _used;

    public string NameOf(ILocalSymbol local)
    {
        if (_names.TryGetValue(local, out string? name))
        {
            return name;
        }
        name = Fresh(local.Name);
        _names.Add(local, name);
        return name;
    }

    /// <summary>A name no local or parameter of the method has, based on <paramref name="preferred"/>.</summary>
    public string Fresh(string preferred)
    {
        string name = preferred;
        for (int suffix = 2; !_used.Add(name); suffix++)
        {
            name = preferred + "_" + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return name;
    }
}
