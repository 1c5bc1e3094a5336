using System;
using System.Collections.Generic;
using Autodiff.Derivatives;

namespace Autodiff.Runtime.Tests.Support;

// Concat, Slice, Gather, Clone, Reshape, Item, Element, Permute.
internal static partial class TangentCatalog
{
    private static IEnumerable<(string Name, TangentRule Rule)> Shapes() =>
    [
        ("Concat [2x3x4] and [2x2x4] along axis 1", (x, d) => TensorDerivatives.ConcatAxisTangent(x[0], x[1], 1, d[0], d[1])),
        ("Concat [3x2] and [3x5] along axis -1", (x, d) => TensorDerivatives.ConcatAxisTangent(x[0], x[1], -1, d[0], d[1])),
        ("Slice 1..3 of axis 1 of [2x5x3]", (x, d) => TensorDerivatives.SliceAxisTangent(x[0], 1, 1, 3, d[0])),
        ("Slice 2..5 of axis -1 of [3x6]", (x, d) => TensorDerivatives.SliceAxisTangent(x[0], -1, 2, 4, d[0])),
        ("Permute [2x3x4x5] to (0,2,1,3)", (x, d) => TensorDerivatives.Permute4Tangent(x[0], 0, 2, 1, 3, d[0])),
        ("Permute [2x3x4x5] to (3,1,0,2) by an array", (x, d) => TensorDerivatives.PermuteTangent(x[0], [3, 1, 0, 2], d[0])),
        ("Permute [2x3x4] to (1,2,0)", (x, d) => TensorDerivatives.Permute3Tangent(x[0], 1, 2, 0, d[0])),
        ("Permute [2x3x4] to (1,0,2)", (x, d) => TensorDerivatives.Permute3Tangent(x[0], 1, 0, 2, d[0])),
        ("Concat [2x3]+[3x3]", (x, d) => TensorDerivatives.ConcatTangent(x[0], x[1], d[0], d[1])),
        ("Slice rows 1..4 of [5x3]", (x, d) => TensorDerivatives.SliceTangent(x[0], 1, 3, d[0])),
        ("Gather rows 3,0,3,1,3 of [4x3] (repeats add up)", (x, d) => TensorDerivatives.GatherTangent(x[0], new[] { 3, 0, 3, 1, 3 }, d[0])),
        ("Gather rows 2,2 of [3x2x2]", (x, d) => TensorDerivatives.GatherTangent(x[0], new[] { 2, 2 }, d[0])),
        ("Gather span rows 1,0 of [2x3]", (x, d) => TensorDerivatives.GatherTangent(x[0], new[] { 1, 0 }.AsSpan(), d[0])),
        ("Clone [3x4]", (x, d) => TensorDerivatives.CloneTangent(x[0], d[0])),
        ("Reshape [3x4] to [2x2x3]", (x, d) => TensorDerivatives.ReshapeTangent(x[0], [2, 2, 3], d[0])),
        ("Reshape [3x4] to [2x-1x3]", (x, d) => TensorDerivatives.Reshape3Tangent(x[0], 2, -1, 3, d[0])),
        ("Reshape [3x4] to [1x2x2x3]", (x, d) => TensorDerivatives.Reshape4Tangent(x[0], 1, 2, 2, 3, d[0])),
        ("Reshape [3x4] to [-1]", (x, d) => TensorDerivatives.ReshapeVectorTangent(x[0], -1, d[0])),
        ("Reshape [3x4] to [6x-1]", (x, d) => TensorDerivatives.ReshapeMatrixTangent(x[0], 6, -1, d[0])),
        ("Item of [1x1]", (x, d) => Tensor.Scalar(TensorDerivatives.ItemTangent(x[0], d[0]))),
        ("Element [2] of [5]", (x, d) => Tensor.Scalar(TensorDerivatives.ElementTangent(x[0], 2, d[0]))),
        ("Element [1,2] of [3x4]", (x, d) => Tensor.Scalar(TensorDerivatives.ElementMatrixTangent(x[0], 1, 2, d[0]))),
        ("Element [1,0,2] of [2x3x4]", (x, d) => Tensor.Scalar(TensorDerivatives.ElementIndexTangent(x[0], [1, 0, 2], d[0]))),
    ];
}
