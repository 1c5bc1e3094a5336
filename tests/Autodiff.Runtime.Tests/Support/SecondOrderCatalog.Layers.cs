using System.Collections.Generic;
using Autodiff.Derivatives;

namespace Autodiff.Runtime.Tests.Support;

// The pullbacks of the pushforwards of TangentCatalog.Layers.cs.
internal static partial class SecondOrderCatalog
{
    private static IEnumerable<(string Name, SecondOrderRule Rule)> Layers() =>
    [
        ("Conv2d [2x3x5x5] by [4x3x3x3] with bias, padding 1", (x, v, s, gx, gv) =>
            TensorDerivatives.Conv2dTangentBackward(x[0], x[1], x[2], 1, 1, v[0], v[1], v[2], s, gx[0], gx[1], gx[2], gv[0], gv[1], gv[2])),
        ("Conv2d [1x2x7x6] by [3x2x3x2], stride 2, no bias", (x, v, s, gx, gv) =>
            TensorDerivatives.Conv2dTangentBackward(x[0], x[1], 2, 0, v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("MaxPool2d 2x2 of [2x3x4x4]", (x, v, s, gx, gv) => TensorDerivatives.MaxPool2dTangentBackward(x[0], 2, 0, v[0], s, gx[0], gv[0])),
        ("AvgPool2d 2x2 stride 1 of [1x2x5x5]", (x, v, s, gx, gv) => TensorDerivatives.AvgPool2dTangentBackward(x[0], 2, 1, v[0], s, gx[0], gv[0])),
    ];
}
