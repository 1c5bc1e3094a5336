using System.Collections.Generic;
using System.Globalization;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// Names for generated locals that cannot collide with the user's: every local and parameter of
/// the method is reserved up front, and each request gets the preferred name or the first free
/// <c>name_2</c>, <c>name_3</c>... Keywords are never handed out (the adjoint of a local <c>o</c> is
/// <c>do_2</c>, not <c>do</c>), so generated names are printed as they are. Member references in generated code are global::- or this-qualified,
/// so locals are the only names that could clash.
/// </summary>
internal sealed class NameAllocator
{
    private readonly HashSet<string> _taken;

    public NameAllocator(IEnumerable<string> reserved) => _taken = new HashSet<string>(reserved);

    public string Claim(string preferred)
    {
        string name = preferred;
        for (int suffix = 2; Identifiers.IsKeyword(name) || !_taken.Add(name); suffix++)
        {
            name = preferred + "_" + suffix.ToString(CultureInfo.InvariantCulture);
        }
        return name;
    }

    /// <summary>Every name reserved or handed out so far.</summary>
    public IEnumerable<string> Taken => _taken;
}
