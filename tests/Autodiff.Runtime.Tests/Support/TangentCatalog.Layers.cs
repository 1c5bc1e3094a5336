using System.Collections.Generic;
using Autodiff.Derivatives;

namespace Autodiff.Runtime.Tests.Support;

// Conv2d, MaxPool2d, AvgPool2d, LayerNorm, BatchNorm.
internal static partial class TangentCatalog
{
    private static IEnumerable<(string Name, TangentRule Rule)> Layers() =>
    [
        ("Conv2d [2x3x5x5] by [4x3x3x3] with bias, padding 1",
            (x, d) => TensorDerivatives.Conv2dTangent(x[0], x[1], x[2], 1, 1, d[0], d[1], d[2])),
        ("Conv2d [1x2x7x6] by [3x2x3x2], stride 2, no bias", (x, d) => TensorDerivatives.Conv2dTangent(x[0], x[1], 2, 0, d[0], d[1])),
        ("MaxPool2d 2x2 of [2x3x4x4]", (x, d) => TensorDerivatives.MaxPool2dTangent(x[0], 2, 0, d[0])),
        ("AvgPool2d 2x2 stride 1 of [1x2x5x5]", (x, d) => TensorDerivatives.AvgPool2dTangent(x[0], 2, 1, d[0])),
        ("LayerNorm [2x3x6]", (x, d) => TensorDerivatives.LayerNormTangent(x[0], x[1], x[2], 1e-5f, d[0], d[1], d[2], 0f)),
        ("LayerNorm [4x5], epsilon 0.1 (differentiable)",
            (x, d) => TensorDerivatives.LayerNormTangent(x[0], x[1], x[2], x[3].Item(), d[0], d[1], d[2], Scalar(d[3]))),
        ("BatchNorm [5x3] training",
            (x, d) => TensorDerivatives.BatchNormTangent(x[0], x[1], x[2], x[3], x[4], true, 0.1f, 1e-5f, d[0], d[1], d[2], d[3], d[4], 0f, 0f)),
        ("BatchNorm [3x2x2x3] training, epsilon 0.1 (differentiable)",
            (x, d) => TensorDerivatives.BatchNormTangent(x[0], x[1], x[2], x[3], x[4], true, 0.1f, x[5].Item(), d[0], d[1], d[2], d[3], d[4], 0f, Scalar(d[5]))),
        ("BatchNorm [3x2x2x3] evaluation (running statistics differentiable)",
            (x, d) => TensorDerivatives.BatchNormTangent(x[0], x[1], x[2], x[3], x[4], false, 0.1f, 1e-5f, d[0], d[1], d[2], d[3], d[4], 0f, 0f)),
    ];
}
