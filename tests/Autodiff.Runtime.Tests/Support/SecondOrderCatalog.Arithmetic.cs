using System.Collections.Generic;
using Autodiff.Derivatives;

namespace Autodiff.Runtime.Tests.Support;

// The pullbacks of the pushforwards of TangentCatalog.Arithmetic.cs.
internal static partial class SecondOrderCatalog
{
    /// <summary>OpCatalog's labels for the cross-entropy case.</summary>
    private static readonly int[] CrossEntropyLabels = [0, 3, 1, 4];

    private static IEnumerable<(string Name, SecondOrderRule Rule)> Arithmetic() =>
    [
        ("Add [3x4]+[3x4]", (x, v, s, gx, gv) => TensorDerivatives.AddTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("Add [3x4]+[4]", (x, v, s, gx, gv) => TensorDerivatives.AddTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("Add [3x4]+[3x1]", (x, v, s, gx, gv) => TensorDerivatives.AddTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("Add [2x1x3]+[4x1]", (x, v, s, gx, gv) => TensorDerivatives.AddTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("Add [3x4]+[]", (x, v, s, gx, gv) => TensorDerivatives.AddTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("Add [3x4]+float", (x, v, s, gx, gv) => WithScalarPair(gx, gv, 1, (ref float bb, ref float bDb) =>
            TensorDerivatives.AddScalarTangentBackward(x[0], x[1].Item(), v[0], TangentCatalog.Scalar(v[1]), s, gx[0], ref bb, gv[0], ref bDb))),
        ("Add float+[3x4]", (x, v, s, gx, gv) => WithScalarPair(gx, gv, 0, (ref float ba, ref float bDa) =>
            TensorDerivatives.ScalarAddTangentBackward(x[0].Item(), x[1], TangentCatalog.Scalar(v[0]), v[1], s, ref ba, gx[1], ref bDa, gv[1]))),

        ("Subtract [3x4]-[3x4]", (x, v, s, gx, gv) => TensorDerivatives.SubtractTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("Subtract [3x4]-[4]", (x, v, s, gx, gv) => TensorDerivatives.SubtractTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("Subtract [3x1]-[3x4]", (x, v, s, gx, gv) => TensorDerivatives.SubtractTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("Subtract [3x4]-float", (x, v, s, gx, gv) => WithScalarPair(gx, gv, 1, (ref float bb, ref float bDb) =>
            TensorDerivatives.SubtractScalarTangentBackward(x[0], x[1].Item(), v[0], TangentCatalog.Scalar(v[1]), s, gx[0], ref bb, gv[0], ref bDb))),
        ("Subtract float-[3x4]", (x, v, s, gx, gv) => WithScalarPair(gx, gv, 0, (ref float ba, ref float bDa) =>
            TensorDerivatives.ScalarSubtractTangentBackward(x[0].Item(), x[1], TangentCatalog.Scalar(v[0]), v[1], s, ref ba, gx[1], ref bDa, gv[1]))),

        ("Multiply [3x4]*[3x4]", (x, v, s, gx, gv) => TensorDerivatives.MultiplyTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("Multiply [3x4]*[3x1]", (x, v, s, gx, gv) => TensorDerivatives.MultiplyTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("Multiply [4]*[3x4]", (x, v, s, gx, gv) => TensorDerivatives.MultiplyTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("Multiply [2x1x3]*[4x1]", (x, v, s, gx, gv) => TensorDerivatives.MultiplyTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("Multiply [3x4]*[]", (x, v, s, gx, gv) => TensorDerivatives.MultiplyTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("Multiply [3x4]*float", (x, v, s, gx, gv) => WithScalarPair(gx, gv, 1, (ref float bb, ref float bDb) =>
            TensorDerivatives.MultiplyScalarTangentBackward(x[0], x[1].Item(), v[0], TangentCatalog.Scalar(v[1]), s, gx[0], ref bb, gv[0], ref bDb))),
        ("Multiply float*[3x4]", (x, v, s, gx, gv) => WithScalarPair(gx, gv, 0, (ref float ba, ref float bDa) =>
            TensorDerivatives.ScalarMultiplyTangentBackward(x[0].Item(), x[1], TangentCatalog.Scalar(v[0]), v[1], s, ref ba, gx[1], ref bDa, gv[1]))),

        ("Divide [3x4]/[3x4]", DivideTensors),
        ("Divide [3x4]/[4]", DivideTensors),
        ("Divide [3x1]/[3x4]", DivideTensors),
        ("Divide [2x1x3]/[4x1]", DivideTensors),
        ("Divide [3x4]/float", (x, v, s, gx, gv) => WithScalarPair(gx, gv, 1, (ref float bb, ref float bDb) =>
            TensorDerivatives.DivideScalarTangentBackward(x[0], x[1].Item(), v[0], TangentCatalog.Scalar(v[1]), s, gx[0], ref bb, gv[0], ref bDb))),
        ("Divide float/[3x4]", (x, v, s, gx, gv) =>
        {
            Tensor result = x[0].Item() / x[1];
            Tensor? gResult = ResultPart(result, gx[0] ?? gx[1]);
            WithScalarPair(gx, gv, 0, (ref float ba, ref float bDa) =>
            {
                TensorDerivatives.ScalarDivideTangentBackward(x[0].Item(), x[1], result, TangentCatalog.Scalar(v[0]), v[1], s, ref ba, gx[1], gResult, ref bDa, gv[1]);
                if (gResult is not null) TensorDerivatives.ScalarDivideBackward(x[0].Item(), x[1], result, gResult, ref ba, gx[1]);
            });
        }),

        ("Negate [3x4]", (x, v, s, gx, gv) => TensorDerivatives.NegateTangentBackward(x[0], v[0], s, gx[0], gv[0])),

        ("Where [3x4] by a [3x4] mask", (x, v, s, gx, gv) =>
            TensorDerivatives.WhereTangentBackward(x[0], x[1], x[2], v[0], v[1], v[2], s, gx[0], gx[1], gx[2], gv[0], gv[1], gv[2])),
        ("Where [2x3x4] by a [3x4] mask repeated", (x, v, s, gx, gv) =>
            TensorDerivatives.WhereTangentBackward(x[0], x[1], x[2], v[0], v[1], v[2], s, gx[0], gx[1], gx[2], gv[0], gv[1], gv[2])),
        ("Where [2x3x4] or a constant (value differentiable)", (x, v, s, gx, gv) => WithScalarPair(gx, gv, 2, (ref float bValue, ref float bDValue) =>
            TensorDerivatives.WhereValueTangentBackward(
                x[0], x[1], x[2].Item(), v[0], v[1], TangentCatalog.Scalar(v[2]), s, gx[0], gx[1], ref bValue, gv[0], gv[1], ref bDValue))),

        ("MatMul [3x4]·[4x5]", (x, v, s, gx, gv) => TensorDerivatives.MatMulTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("MatMul [1x7]·[7x2]", (x, v, s, gx, gv) => TensorDerivatives.MatMulTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("MatMul [2x3x4]·[4x5]", (x, v, s, gx, gv) => TensorDerivatives.MatMulTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("MatMul [2x3x4]·[2x4x5]", (x, v, s, gx, gv) => TensorDerivatives.MatMulTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("MatMul [2x1x3x4]·[3x4x2]", (x, v, s, gx, gv) => TensorDerivatives.MatMulTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("MatMul [3x4]·[2x2x4x3]", (x, v, s, gx, gv) => TensorDerivatives.MatMulTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
        ("Transpose [2x3x4x5]", (x, v, s, gx, gv) => TensorDerivatives.TransposeTangentBackward(x[0], v[0], s, gx[0], gv[0])),
        ("Transpose [3x5]", (x, v, s, gx, gv) => TensorDerivatives.TransposeTangentBackward(x[0], v[0], s, gx[0], gv[0])),
        ("Transpose [40x35]", (x, v, s, gx, gv) => TensorDerivatives.TransposeTangentBackward(x[0], v[0], s, gx[0], gv[0])),
        ("Dot [6]", (x, v, s, gx, gv) => TensorDerivatives.DotTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),

        ("CrossEntropy [4x5]", (x, v, s, gx, gv) => TensorDerivatives.CrossEntropyTangentBackward(x[0], CrossEntropyLabels, v[0], s, gx[0], gv[0])),
        ("MseLoss [3x4]", (x, v, s, gx, gv) => TensorDerivatives.MseLossTangentBackward(x[0], x[1], v[0], v[1], s, gx[0], gx[1], gv[0], gv[1])),
    ];

    /// <summary>Tensor ÷ tensor: the pushforward reads the quotient, whose part goes on to both operands through DivideBackward.</summary>
    private static void DivideTensors(Tensor[] x, Tensor?[] v, Tensor s, Tensor?[] gx, Tensor?[] gv)
    {
        Tensor result = x[0] / x[1];
        Tensor? gResult = ResultPart(result, gx[0] ?? gx[1]);
        TensorDerivatives.DivideTangentBackward(x[0], x[1], result, v[0], v[1], s, gx[0], gx[1], gResult, gv[0], gv[1]);
        if (gResult is not null) TensorDerivatives.DivideBackward(x[0], x[1], result, gResult, gx[0], gx[1]);
    }
}
