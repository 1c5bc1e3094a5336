using System.Collections.Generic;

namespace Autodiff.Runtime.Tests.Support;

// Concat, Slice, Gather, Clone, Reshape, Item, Element, Permute.
internal static partial class TangentCatalog
{
    private static IEnumerable<(string Name, TangentRule Rule)> Shapes() =>
    [
    ];
}
