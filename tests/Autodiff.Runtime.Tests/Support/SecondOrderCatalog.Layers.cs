using System.Collections.Generic;
using Autodiff.Derivatives;

namespace Autodiff.Runtime.Tests.Support;

// The pullbacks of the pushforwards of TangentCatalog.Layers.cs.
internal static partial class SecondOrderCatalog
{
    private static IEnumerable<(string Name, SecondOrderRule Rule)> Layers() =>
    [
    ];
}
