using System;
using System.Collections.Generic;
using Autodiff.Derivatives;

namespace Autodiff.Runtime.Tests.Support;

// The pullbacks of the pushforwards of TangentCatalog.Shapes.cs. Each operation is linear and its
// tangent does not read x or a result, so there is no result's part to carry on to x.
internal static partial class SecondOrderCatalog
{
    private static IEnumerable<(string Name, SecondOrderRule Rule)> Shapes() =>
    [
        ("Concat [2x3x4] and [2x2x4] along axis 1", (x, v, s, gx, gv) => TensorDerivatives.ConcatAxisTangentBackward(x[0], x[1], 1, v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("Concat [3x2] and [3x5] along axis -1", (x, v, s, gx, gv) => TensorDerivatives.ConcatAxisTangentBackward(x[0], x[1], -1, v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("Slice 1..3 of axis 1 of [2x5x3]", (x, v, s, gx, gv) => TensorDerivatives.SliceAxisTangentBackward(x[0], 1, 1, 3, v[0], s, gx[0], gv[0])),
        ("Slice 2..5 of axis -1 of [3x6]", (x, v, s, gx, gv) => TensorDerivatives.SliceAxisTangentBackward(x[0], -1, 2, 4, v[0], s, gx[0], gv[0])),
        ("Permute [2x3x4x5] to (0,2,1,3)", (x, v, s, gx, gv) => TensorDerivatives.Permute4TangentBackward(x[0], 0, 2, 1, 3, v[0], s, gx[0], gv[0])),
        ("Permute [2x3x4x5] to (3,1,0,2) by an array", (x, v, s, gx, gv) => TensorDerivatives.PermuteTangentBackward(x[0], [3, 1, 0, 2], v[0], s, gx[0], gv[0])),
        ("Permute [2x3x4] to (1,2,0)", (x, v, s, gx, gv) => TensorDerivatives.Permute3TangentBackward(x[0], 1, 2, 0, v[0], s, gx[0], gv[0])),
        ("Permute [2x3x4] to (1,0,2)", (x, v, s, gx, gv) => TensorDerivatives.Permute3TangentBackward(x[0], 1, 0, 2, v[0], s, gx[0], gv[0])),
        ("Concat [2x3]+[3x3]", (x, v, s, gx, gv) => TensorDerivatives.ConcatTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("Slice rows 1..4 of [5x3]", (x, v, s, gx, gv) => TensorDerivatives.SliceTangentBackward(x[0], 1, 3, v[0], s, gx[0], gv[0])),
        ("Gather rows 3,0,3,1,3 of [4x3] (repeats add up)", (x, v, s, gx, gv) => TensorDerivatives.GatherTangentBackward(x[0], new[] { 3, 0, 3, 1, 3 }, v[0], s, gx[0], gv[0])),
        ("Gather rows 2,2 of [3x2x2]", (x, v, s, gx, gv) => TensorDerivatives.GatherTangentBackward(x[0], new[] { 2, 2 }, v[0], s, gx[0], gv[0])),
        ("Gather span rows 1,0 of [2x3]", (x, v, s, gx, gv) => TensorDerivatives.GatherTangentBackward(x[0], new[] { 1, 0 }.AsSpan(), v[0], s, gx[0], gv[0])),
        ("Clone [3x4]", (x, v, s, gx, gv) => TensorDerivatives.CloneTangentBackward(x[0], v[0], s, gx[0], gv[0])),
        ("Reshape [3x4] to [2x2x3]", (x, v, s, gx, gv) => TensorDerivatives.ReshapeTangentBackward(x[0], [2, 2, 3], v[0], s, gx[0], gv[0])),
        ("Reshape [3x4] to [2x-1x3]", (x, v, s, gx, gv) => TensorDerivatives.Reshape3TangentBackward(x[0], 2, -1, 3, v[0], s, gx[0], gv[0])),
        ("Reshape [3x4] to [1x2x2x3]", (x, v, s, gx, gv) => TensorDerivatives.Reshape4TangentBackward(x[0], 1, 2, 2, 3, v[0], s, gx[0], gv[0])),
        ("Reshape [3x4] to [-1]", (x, v, s, gx, gv) => TensorDerivatives.ReshapeVectorTangentBackward(x[0], -1, v[0], s, gx[0], gv[0])),
        ("Reshape [3x4] to [6x-1]", (x, v, s, gx, gv) => TensorDerivatives.ReshapeMatrixTangentBackward(x[0], 6, -1, v[0], s, gx[0], gv[0])),
        ("Item of [1x1]", (x, v, s, gx, gv) => TensorDerivatives.ItemTangentBackward(x[0], v[0], s.Item(), gx[0], gv[0])),
        ("Element [2] of [5]", (x, v, s, gx, gv) => TensorDerivatives.ElementTangentBackward(x[0], 2, v[0], s.Item(), gx[0], gv[0])),
        ("Element [1,2] of [3x4]", (x, v, s, gx, gv) => TensorDerivatives.ElementMatrixTangentBackward(x[0], 1, 2, v[0], s.Item(), gx[0], gv[0])),
        ("Element [1,0,2] of [2x3x4]", (x, v, s, gx, gv) => TensorDerivatives.ElementIndexTangentBackward(x[0], [1, 0, 2], v[0], s.Item(), gx[0], gv[0])),
    ];
}
