using System.Collections.Generic;
using Autodiff.Derivatives;

namespace Autodiff.Runtime.Tests.Support;

// The pullbacks of the pushforwards of TangentCatalog.Pointwise.cs.
internal static partial class SecondOrderCatalog
{
    private static IEnumerable<(string Name, SecondOrderRule Rule)> Pointwise() =>
    [
        ("Exp", (x, v, s, gx, gv) =>
        {
            Tensor result = Tensor.Exp(x[0]);
            Tensor? gResult = ResultPart(result, gx[0]);
            TensorDerivatives.ExpTangentBackward(x[0], result, v[0], s, gx[0], gResult, gv[0]);
            if (gResult is not null) TensorDerivatives.ExpBackward(x[0], result, gResult, gx[0]);
        }),
        ("Log", (x, v, s, gx, gv) => TensorDerivatives.LogTangentBackward(x[0], v[0], s, gx[0], gv[0])),
        ("Sqrt", (x, v, s, gx, gv) =>
        {
            Tensor result = Tensor.Sqrt(x[0]);
            Tensor? gResult = ResultPart(result, gx[0]);
            TensorDerivatives.SqrtTangentBackward(x[0], result, v[0], s, gx[0], gResult, gv[0]);
            if (gResult is not null) TensorDerivatives.SqrtBackward(x[0], result, gResult, gx[0]);
        }),
        ("Square", (x, v, s, gx, gv) => TensorDerivatives.SquareTangentBackward(x[0], v[0], s, gx[0], gv[0])),
        ("Tanh", (x, v, s, gx, gv) =>
        {
            Tensor result = Tensor.Tanh(x[0]);
            Tensor? gResult = ResultPart(result, gx[0]);
            TensorDerivatives.TanhTangentBackward(x[0], result, v[0], s, gx[0], gResult, gv[0]);
            if (gResult is not null) TensorDerivatives.TanhBackward(x[0], result, gResult, gx[0]);
        }),
        ("Sigmoid", (x, v, s, gx, gv) =>
        {
            Tensor result = Tensor.Sigmoid(x[0]);
            Tensor? gResult = ResultPart(result, gx[0]);
            TensorDerivatives.SigmoidTangentBackward(x[0], result, v[0], s, gx[0], gResult, gv[0]);
            if (gResult is not null) TensorDerivatives.SigmoidBackward(x[0], result, gResult, gx[0]);
        }),
        ("Relu", (x, v, s, gx, gv) => TensorDerivatives.ReluTangentBackward(x[0], v[0], s, gx[0], gv[0])),
        ("LeakyRelu default slope", (x, v, s, gx, gv) =>
        {
            float unusedSlope = 0f, unusedSlopeTangent = 0f;
            TensorDerivatives.LeakyReluTangentBackward(x[0], 0.01f, v[0], 0f, s, gx[0], ref unusedSlope, gv[0], ref unusedSlopeTangent);
        }),
        ("LeakyRelu slope 0.2 (slope differentiable)", (x, v, s, gx, gv) =>
        {
            float gSlope = ReadScalar(gx, 1), gSlopeTangent = ReadScalar(gv, 1);
            TensorDerivatives.LeakyReluTangentBackward(x[0], x[1].Item(), v[0], TangentCatalog.Scalar(v[1]), s,
                gx[0], ref gSlope, gv[0], ref gSlopeTangent);
            WriteScalar(gx, 1, gSlope);
            WriteScalar(gv, 1, gSlopeTangent);
        }),
        ("Abs", (x, v, s, gx, gv) => TensorDerivatives.AbsTangentBackward(x[0], v[0], s, gx[0], gv[0])),
        ("Pow 1.7 (exponent differentiable)", (x, v, s, gx, gv) =>
        {
            float exponent = x[1].Item();
            Tensor result = Tensor.Pow(x[0], exponent);
            // The result moves with x and with the exponent: its part is carried on to both.
            Tensor? gResult = ResultPart(result, gx[0] ?? gx[1]);
            float gExponent = ReadScalar(gx, 1), gExponentTangent = ReadScalar(gv, 1);
            TensorDerivatives.PowTangentBackward(x[0], exponent, result, v[0], TangentCatalog.Scalar(v[1]), s,
                gx[0], ref gExponent, gResult, gv[0], ref gExponentTangent);
            if (gResult is not null) TensorDerivatives.PowBackward(x[0], exponent, result, gResult, gx[0], ref gExponent);
            WriteScalar(gx, 1, gExponent);
            WriteScalar(gv, 1, gExponentTangent);
        }),
        ("Pow 3 of both signs", (x, v, s, gx, gv) =>
        {
            Tensor result = Tensor.Pow(x[0], 3f);
            Tensor? gResult = ResultPart(result, gx[0]);
            float unusedExponent = 0f, unusedExponentTangent = 0f;
            TensorDerivatives.PowTangentBackward(x[0], 3f, result, v[0], 0f, s, gx[0], ref unusedExponent, gResult, gv[0], ref unusedExponentTangent);
            if (gResult is not null) TensorDerivatives.PowBackward(x[0], 3f, result, gResult, gx[0], ref unusedExponent);
        }),
        ("Clamp to [-0.4, 0.5] (bounds differentiable)", (x, v, s, gx, gv) =>
        {
            float gMin = ReadScalar(gx, 1), gMax = ReadScalar(gx, 2), gMinTangent = ReadScalar(gv, 1), gMaxTangent = ReadScalar(gv, 2);
            TensorDerivatives.ClampTangentBackward(x[0], x[1].Item(), x[2].Item(), v[0], TangentCatalog.Scalar(v[1]), TangentCatalog.Scalar(v[2]), s,
                gx[0], ref gMin, ref gMax, gv[0], ref gMinTangent, ref gMaxTangent);
            WriteScalar(gx, 1, gMin);
            WriteScalar(gx, 2, gMax);
            WriteScalar(gv, 1, gMinTangent);
            WriteScalar(gv, 2, gMaxTangent);
        }),
        ("Gelu", (x, v, s, gx, gv) => TensorDerivatives.GeluTangentBackward(x[0], v[0], s, gx[0], gv[0])),
        ("Softplus", (x, v, s, gx, gv) =>
        {
            float unusedThreshold = 0f, unusedThresholdTangent = 0f;
            TensorDerivatives.SoftplusTangentBackward(x[0], 20f, v[0], 0f, s, gx[0], ref unusedThreshold, gv[0], ref unusedThresholdTangent);
        }),
        ("Dropout 0.3, training", (x, v, s, gx, gv) =>
        {
            float unusedP = 0f, unusedPTangent = 0f;
            TensorDerivatives.DropoutTangentBackward(x[0], 0.3f, 11, true, v[0], 0f, s, gx[0], ref unusedP, gv[0], ref unusedPTangent);
        }),
        ("Dropout 0.3, evaluation", (x, v, s, gx, gv) =>
        {
            float unusedP = 0f, unusedPTangent = 0f;
            TensorDerivatives.DropoutTangentBackward(x[0], 0.3f, 11, false, v[0], 0f, s, gx[0], ref unusedP, gv[0], ref unusedPTangent);
        }),
        ("Softmax [3x5]", PointwiseRules.Softmax),
        ("Softmax [7]", PointwiseRules.Softmax),
        ("Softmax [2x3x20]", PointwiseRules.Softmax),
        ("LogSoftmax [3x5]", PointwiseRules.LogSoftmax),
        ("LogSoftmax [2x3x20]", PointwiseRules.LogSoftmax),

        ("Sum", (x, v, s, gx, gv) => TensorDerivatives.SumTangentBackward(x[0], v[0], s, gx[0], gv[0])),
        ("Sum axis 1 of [2x3x4], keepdim", (x, v, s, gx, gv) => TensorDerivatives.SumAxisTangentBackward(x[0], 1, true, v[0], s, gx[0], gv[0])),
        ("Mean axis -1 of [2x3x4], keepdim", (x, v, s, gx, gv) => TensorDerivatives.MeanAxisTangentBackward(x[0], -1, true, v[0], s, gx[0], gv[0])),
        ("Mean axis 0 of [3x4], no keepdim", (x, v, s, gx, gv) => TensorDerivatives.MeanAxisTangentBackward(x[0], 0, false, v[0], s, gx[0], gv[0])),
        ("Max axis 1 of [2x5x3]", (x, v, s, gx, gv) => TensorDerivatives.MaxAxisTangentBackward(x[0], 1, false, v[0], s, gx[0], gv[0])),
        ("Max axis -1 of [4x6], keepdim", (x, v, s, gx, gv) => TensorDerivatives.MaxAxisTangentBackward(x[0], -1, true, v[0], s, gx[0], gv[0])),
        ("Sum axis 0 of [3x4]", (x, v, s, gx, gv) => TensorDerivatives.SumAxisTangentBackward(x[0], 0, v[0], s, gx[0], gv[0])),
        ("Sum axis 1 of [3x4]", (x, v, s, gx, gv) => TensorDerivatives.SumAxisTangentBackward(x[0], 1, v[0], s, gx[0], gv[0])),
        ("Sum axis 1 of [2x3x4]", (x, v, s, gx, gv) => TensorDerivatives.SumAxisTangentBackward(x[0], 1, v[0], s, gx[0], gv[0])),
        ("Sum axis -1 of [2x3x4]", (x, v, s, gx, gv) => TensorDerivatives.SumAxisTangentBackward(x[0], -1, v[0], s, gx[0], gv[0])),
        ("Sum axis 0 of [5]", (x, v, s, gx, gv) => TensorDerivatives.SumAxisTangentBackward(x[0], 0, v[0], s, gx[0], gv[0])),
        ("Mean", (x, v, s, gx, gv) => TensorDerivatives.MeanTangentBackward(x[0], v[0], s, gx[0], gv[0])),
        ("Mean axis 0 of [3x4]", (x, v, s, gx, gv) => TensorDerivatives.MeanAxisTangentBackward(x[0], 0, v[0], s, gx[0], gv[0])),
        ("Mean axis -1 of [3x4]", (x, v, s, gx, gv) => TensorDerivatives.MeanAxisTangentBackward(x[0], -1, v[0], s, gx[0], gv[0])),
        ("Mean axis 1 of [2x3x4]", (x, v, s, gx, gv) => TensorDerivatives.MeanAxisTangentBackward(x[0], 1, v[0], s, gx[0], gv[0])),

        ("Softmax of CausalMask [2x4x4]", (x, v, s, gx, gv) =>
        {
            // Reverse through masked = CausalMask(x), dMasked = CausalMaskTangent(x, dx), then SoftmaxTangent(masked, softmax(masked), dMasked).
            Tensor masked = Tensor.CausalMask(x[0]);
            Tensor result = Tensor.Softmax(masked);
            Tensor? dMasked = v[0] is null ? null : TensorDerivatives.CausalMaskTangent(x[0], v[0]);
            Tensor? gMasked = ResultPart(masked, gx[0]), gResult = ResultPart(result, gx[0]);
            Tensor? gDMasked = ResultPart(masked, gx[0] ?? gv[0]);
            TensorDerivatives.SoftmaxTangentBackward(masked, result, dMasked, s, gMasked, gResult, gDMasked);
            if (gResult is not null) TensorDerivatives.SoftmaxBackward(masked, result, gResult, gMasked);
            if (gMasked is not null) TensorDerivatives.CausalMaskBackward(x[0], gMasked, gx[0]);
            if (gDMasked is not null) TensorDerivatives.CausalMaskTangentBackward(x[0], v[0], gDMasked, gx[0], gv[0]);
        }),
    ];
}

/// <summary>Helpers of this file only (file-local, so other groups' files can use the same names).</summary>
file static class PointwiseRules
{
    public static void Softmax(Tensor[] x, Tensor?[] v, Tensor s, Tensor?[] gx, Tensor?[] gv)
    {
        Tensor result = Tensor.Softmax(x[0]);
        Tensor? gResult = SecondOrderCatalog.ResultPart(result, gx[0]);
        TensorDerivatives.SoftmaxTangentBackward(x[0], result, v[0], s, gx[0], gResult, gv[0]);
        if (gResult is not null) TensorDerivatives.SoftmaxBackward(x[0], result, gResult, gx[0]);
    }

    public static void LogSoftmax(Tensor[] x, Tensor?[] v, Tensor s, Tensor?[] gx, Tensor?[] gv)
    {
        Tensor result = Tensor.LogSoftmax(x[0]);
        Tensor? gResult = SecondOrderCatalog.ResultPart(result, gx[0]);
        TensorDerivatives.LogSoftmaxTangentBackward(x[0], result, v[0], s, gx[0], gResult, gv[0]);
        if (gResult is not null) TensorDerivatives.LogSoftmaxBackward(x[0], result, gResult, gx[0]);
    }
}
