using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// Statements compared by identity: two equal records in different places (<c>s += e;</c> in two
/// loops) are different sites, each with its own decisions.
/// </summary>
internal sealed class SameStatement : IEqualityComparer<Stmt>
{
    public static readonly SameStatement Instance = new();

    public bool Equals(Stmt? x, Stmt? y) => ReferenceEquals(x, y);

    public int GetHashCode(Stmt obj) => RuntimeHelpers.GetHashCode(obj);
}
