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
        ("LayerNorm [2x3x6]", (x, v, s, gx, gv) =>
        {
            float unused = 0, unusedTangent = 0;
            TensorDerivatives.LayerNormTangentBackward(x[0], x[1], x[2], 1e-5f, v[0], v[1], v[2], 0f, s,
                gx[0], gx[1], gx[2], ref unused, gv[0], gv[1], gv[2], ref unusedTangent);
        }),
        ("LayerNorm [4x5], epsilon 0.1 (differentiable)", (x, v, s, gx, gv) =>
            WithScalarPair(gx, gv, 3, (ref float be, ref float bde) =>
                TensorDerivatives.LayerNormTangentBackward(x[0], x[1], x[2], x[3].Item(), v[0], v[1], v[2], TangentCatalog.Scalar(v[3]), s,
                    gx[0], gx[1], gx[2], ref be, gv[0], gv[1], gv[2], ref bde))),
        ("BatchNorm [5x3] training", (x, v, s, gx, gv) =>
        {
            float m = 0, e = 0, dm = 0, de = 0;
            TensorDerivatives.BatchNormTangentBackward(x[0], x[1], x[2], x[3], x[4], true, 0.1f, 1e-5f, v[0], v[1], v[2], v[3], v[4], 0f, 0f, s,
                gx[0], gx[1], gx[2], gx[3], gx[4], ref m, ref e, gv[0], gv[1], gv[2], gv[3], gv[4], ref dm, ref de);
        }),
        ("BatchNorm [3x2x2x3] training, epsilon 0.1 (differentiable)", (x, v, s, gx, gv) =>
            WithScalarPair(gx, gv, 5, (ref float be, ref float bde) =>
            {
                float m = 0, dm = 0;
                TensorDerivatives.BatchNormTangentBackward(x[0], x[1], x[2], x[3], x[4], true, 0.1f, x[5].Item(), v[0], v[1], v[2], v[3], v[4], 0f,
                    TangentCatalog.Scalar(v[5]), s, gx[0], gx[1], gx[2], gx[3], gx[4], ref m, ref be, gv[0], gv[1], gv[2], gv[3], gv[4], ref dm, ref bde);
            })),
        ("BatchNorm [3x2x2x3] evaluation (running statistics differentiable)", (x, v, s, gx, gv) =>
        {
            float m = 0, e = 0, dm = 0, de = 0;
            TensorDerivatives.BatchNormTangentBackward(x[0], x[1], x[2], x[3], x[4], false, 0.1f, 1e-5f, v[0], v[1], v[2], v[3], v[4], 0f, 0f, s,
                gx[0], gx[1], gx[2], gx[3], gx[4], ref m, ref e, gv[0], gv[1], gv[2], gv[3], gv[4], ref dm, ref de);
        }),
    ];
}
