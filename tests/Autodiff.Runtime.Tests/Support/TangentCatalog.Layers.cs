using System.Collections.Generic;

namespace Autodiff.Runtime.Tests.Support;

// Conv2d, MaxPool2d, AvgPool2d, LayerNorm, BatchNorm.
internal static partial class TangentCatalog
{
    private static IEnumerable<(string Name, TangentRule Rule)> Layers() =>
    [
    ];
}
