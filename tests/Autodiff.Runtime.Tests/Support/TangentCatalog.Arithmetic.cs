using System.Collections.Generic;
using Autodiff.Derivatives;

namespace Autodiff.Runtime.Tests.Support;

// Add, Subtract, Multiply, Divide, Negate, MatMul, Transpose, Dot, CrossEntropy, MseLoss, Where.
internal static partial class TangentCatalog
{
    /// <summary>OpCatalog's labels for the cross-entropy case.</summary>
    private static readonly int[] ClassLabels = [0, 3, 1, 4];

    private static IEnumerable<(string Name, TangentRule Rule)> Arithmetic() =>
    [
        ("Add [3x4]+[3x4]", (x, d) => TensorDerivatives.AddTangent(x[0], x[1], d[0], d[1])),
        ("Add [3x4]+[4]", (x, d) => TensorDerivatives.AddTangent(x[0], x[1], d[0], d[1])),
        ("Add [3x4]+[3x1]", (x, d) => TensorDerivatives.AddTangent(x[0], x[1], d[0], d[1])),
        ("Add [2x1x3]+[4x1]", (x, d) => TensorDerivatives.AddTangent(x[0], x[1], d[0], d[1])),
        ("Add [3x4]+[]", (x, d) => TensorDerivatives.AddTangent(x[0], x[1], d[0], d[1])),
        ("Add [3x4]+float", (x, d) => TensorDerivatives.AddScalarTangent(x[0], x[1].Item(), d[0], Scalar(d[1]))),
        ("Add float+[3x4]", (x, d) => TensorDerivatives.ScalarAddTangent(x[0].Item(), x[1], Scalar(d[0]), d[1])),

        ("Subtract [3x4]-[3x4]", (x, d) => TensorDerivatives.SubtractTangent(x[0], x[1], d[0], d[1])),
        ("Subtract [3x4]-[4]", (x, d) => TensorDerivatives.SubtractTangent(x[0], x[1], d[0], d[1])),
        ("Subtract [3x1]-[3x4]", (x, d) => TensorDerivatives.SubtractTangent(x[0], x[1], d[0], d[1])),
        ("Subtract [3x4]-float", (x, d) => TensorDerivatives.SubtractScalarTangent(x[0], x[1].Item(), d[0], Scalar(d[1]))),
        ("Subtract float-[3x4]", (x, d) => TensorDerivatives.ScalarSubtractTangent(x[0].Item(), x[1], Scalar(d[0]), d[1])),

        ("Multiply [3x4]*[3x4]", (x, d) => TensorDerivatives.MultiplyTangent(x[0], x[1], d[0], d[1])),
        ("Multiply [3x4]*[3x1]", (x, d) => TensorDerivatives.MultiplyTangent(x[0], x[1], d[0], d[1])),
        ("Multiply [4]*[3x4]", (x, d) => TensorDerivatives.MultiplyTangent(x[0], x[1], d[0], d[1])),
        ("Multiply [2x1x3]*[4x1]", (x, d) => TensorDerivatives.MultiplyTangent(x[0], x[1], d[0], d[1])),
        ("Multiply [3x4]*[]", (x, d) => TensorDerivatives.MultiplyTangent(x[0], x[1], d[0], d[1])),
        ("Multiply [3x4]*float", (x, d) => TensorDerivatives.MultiplyScalarTangent(x[0], x[1].Item(), d[0], Scalar(d[1]))),
        ("Multiply float*[3x4]", (x, d) => TensorDerivatives.ScalarMultiplyTangent(x[0].Item(), x[1], Scalar(d[0]), d[1])),

        ("Divide [3x4]/[3x4]", (x, d) => TensorDerivatives.DivideTangent(x[0], x[1], x[0] / x[1], d[0], d[1])),
        ("Divide [3x4]/[4]", (x, d) => TensorDerivatives.DivideTangent(x[0], x[1], x[0] / x[1], d[0], d[1])),
        ("Divide [3x1]/[3x4]", (x, d) => TensorDerivatives.DivideTangent(x[0], x[1], x[0] / x[1], d[0], d[1])),
        ("Divide [2x1x3]/[4x1]", (x, d) => TensorDerivatives.DivideTangent(x[0], x[1], x[0] / x[1], d[0], d[1])),
        ("Divide [3x4]/float", (x, d) => TensorDerivatives.DivideScalarTangent(x[0], x[1].Item(), d[0], Scalar(d[1]))),
        ("Divide float/[3x4]", (x, d) =>
            TensorDerivatives.ScalarDivideTangent(x[0].Item(), x[1], x[0].Item() / x[1], Scalar(d[0]), d[1])),

        ("Negate [3x4]", (x, d) => TensorDerivatives.NegateTangent(x[0], d[0])),

        ("Where [3x4] by a [3x4] mask", (x, d) => TensorDerivatives.WhereTangent(x[0], x[1], x[2], d[0], d[1], d[2])),
        ("Where [2x3x4] by a [3x4] mask repeated", (x, d) => TensorDerivatives.WhereTangent(x[0], x[1], x[2], d[0], d[1], d[2])),
        ("Where [2x3x4] or a constant (value differentiable)", (x, d) =>
            TensorDerivatives.WhereValueTangent(x[0], x[1], x[2].Item(), d[0], d[1], Scalar(d[2]))),

        ("MatMul [3x4]·[4x5]", (x, d) => TensorDerivatives.MatMulTangent(x[0], x[1], d[0], d[1])),
        ("MatMul [1x7]·[7x2]", (x, d) => TensorDerivatives.MatMulTangent(x[0], x[1], d[0], d[1])),
        ("MatMul [2x3x4]·[4x5]", (x, d) => TensorDerivatives.MatMulTangent(x[0], x[1], d[0], d[1])),
        ("MatMul [2x3x4]·[2x4x5]", (x, d) => TensorDerivatives.MatMulTangent(x[0], x[1], d[0], d[1])),
        ("MatMul [2x1x3x4]·[3x4x2]", (x, d) => TensorDerivatives.MatMulTangent(x[0], x[1], d[0], d[1])),
        ("MatMul [3x4]·[2x2x4x3]", (x, d) => TensorDerivatives.MatMulTangent(x[0], x[1], d[0], d[1])),
        ("Transpose [2x3x4x5]", (x, d) => TensorDerivatives.TransposeTangent(x[0], d[0])),
        ("Transpose [3x5]", (x, d) => TensorDerivatives.TransposeTangent(x[0], d[0])),
        ("Transpose [40x35]", (x, d) => TensorDerivatives.TransposeTangent(x[0], d[0])),
        ("Dot [6]", (x, d) => TensorDerivatives.DotTangent(x[0], x[1], d[0], d[1])),

        ("CrossEntropy [4x5]", (x, d) => TensorDerivatives.CrossEntropyTangent(x[0], ClassLabels, d[0])),
        ("MseLoss [3x4]", (x, d) => TensorDerivatives.MseLossTangent(x[0], x[1], d[0], d[1])),
    ];
}
