using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Derivatives;
using Autodiff.Runtime.Tests.Reference;
using static Autodiff.Runtime.Tests.Support.Inputs;

namespace Autodiff.Runtime.Tests.Support;

/// <summary>
/// Every differentiable tensor operation, with broadcasting variants, as (inputs, float32 op,
/// double reference, backward rule). The forward and gradient theories run over this table.
/// </summary>
internal static class OpCatalog
{
    private static readonly int[] Labels = [0, 3, 1, 4];
    private static readonly int[] Rows = [3, 0, 3, 1, 3];

    public static readonly IReadOnlyList<OpCase> All =
    [
        // Addition: same shapes, row broadcast, column broadcast, both sides broadcast, rank 0, floats.
        new("Add [3x4]+[3x4]", () => [Uniform(1, 3, 4), Uniform(2, 3, 4)], x => x[0] + x[1], r => Ref.Add(r[0], r[1]),
            (x, s, d) => TensorDerivatives.AddBackward(x[0], x[1], s, d[0], d[1])),
        new("Add [3x4]+[4]", () => [Uniform(1, 3, 4), Uniform(2, 4)], x => x[0] + x[1], r => Ref.Add(r[0], r[1]),
            (x, s, d) => TensorDerivatives.AddBackward(x[0], x[1], s, d[0], d[1])),
        new("Add [3x4]+[3x1]", () => [Uniform(1, 3, 4), Uniform(2, 3, 1)], x => Tensor.Add(x[0], x[1]), r => Ref.Add(r[0], r[1]),
            (x, s, d) => TensorDerivatives.AddBackward(x[0], x[1], s, d[0], d[1])),
        new("Add [2x1x3]+[4x1]", () => [Uniform(1, 2, 1, 3), Uniform(2, 4, 1)], x => x[0] + x[1], r => Ref.Add(r[0], r[1]),
            (x, s, d) => TensorDerivatives.AddBackward(x[0], x[1], s, d[0], d[1])),
        new("Add [3x4]+[]", () => [Uniform(1, 3, 4), Uniform(2)], x => x[0] + x[1], r => Ref.Add(r[0], r[1]),
            (x, s, d) => TensorDerivatives.AddBackward(x[0], x[1], s, d[0], d[1])),
        new("Add [3x4]+float", () => [Uniform(1, 3, 4), Tensor.Scalar(0.3f)], x => x[0] + x[1].Item(), r => Ref.Add(r[0], r[1]),
            (x, s, d) => OpCase.WithScalar(d, 1, (ref float db) => TensorDerivatives.AddScalarBackward(x[0], x[1].Item(), s, d[0], ref db))),
        new("Add float+[3x4]", () => [Tensor.Scalar(0.3f), Uniform(2, 3, 4)], x => x[0].Item() + x[1], r => Ref.Add(r[0], r[1]),
            (x, s, d) => OpCase.WithScalar(d, 0, (ref float da) => TensorDerivatives.ScalarAddBackward(x[0].Item(), x[1], s, ref da, d[1]))),

        new("Subtract [3x4]-[3x4]", () => [Uniform(1, 3, 4), Uniform(2, 3, 4)], x => x[0] - x[1], r => Ref.Subtract(r[0], r[1]),
            (x, s, d) => TensorDerivatives.SubtractBackward(x[0], x[1], s, d[0], d[1])),
        new("Subtract [3x4]-[4]", () => [Uniform(1, 3, 4), Uniform(2, 4)], x => x[0] - x[1], r => Ref.Subtract(r[0], r[1]),
            (x, s, d) => TensorDerivatives.SubtractBackward(x[0], x[1], s, d[0], d[1])),
        new("Subtract [3x1]-[3x4]", () => [Uniform(1, 3, 1), Uniform(2, 3, 4)], x => Tensor.Subtract(x[0], x[1]), r => Ref.Subtract(r[0], r[1]),
            (x, s, d) => TensorDerivatives.SubtractBackward(x[0], x[1], s, d[0], d[1])),
        new("Subtract [3x4]-float", () => [Uniform(1, 3, 4), Tensor.Scalar(0.3f)], x => x[0] - x[1].Item(), r => Ref.Subtract(r[0], r[1]),
            (x, s, d) => OpCase.WithScalar(d, 1, (ref float db) => TensorDerivatives.SubtractScalarBackward(x[0], x[1].Item(), s, d[0], ref db))),
        new("Subtract float-[3x4]", () => [Tensor.Scalar(0.3f), Uniform(2, 3, 4)], x => x[0].Item() - x[1], r => Ref.Subtract(r[0], r[1]),
            (x, s, d) => OpCase.WithScalar(d, 0, (ref float da) => TensorDerivatives.ScalarSubtractBackward(x[0].Item(), x[1], s, ref da, d[1]))),

        new("Multiply [3x4]*[3x4]", () => [Uniform(1, 3, 4), Uniform(2, 3, 4)], x => x[0] * x[1], r => Ref.Multiply(r[0], r[1]),
            (x, s, d) => TensorDerivatives.MultiplyBackward(x[0], x[1], s, d[0], d[1])),
        new("Multiply [3x4]*[3x1]", () => [Uniform(1, 3, 4), Uniform(2, 3, 1)], x => x[0] * x[1], r => Ref.Multiply(r[0], r[1]),
            (x, s, d) => TensorDerivatives.MultiplyBackward(x[0], x[1], s, d[0], d[1])),
        new("Multiply [4]*[3x4]", () => [Uniform(1, 4), Uniform(2, 3, 4)], x => Tensor.Multiply(x[0], x[1]), r => Ref.Multiply(r[0], r[1]),
            (x, s, d) => TensorDerivatives.MultiplyBackward(x[0], x[1], s, d[0], d[1])),
        new("Multiply [2x1x3]*[4x1]", () => [Uniform(1, 2, 1, 3), Uniform(2, 4, 1)], x => x[0] * x[1], r => Ref.Multiply(r[0], r[1]),
            (x, s, d) => TensorDerivatives.MultiplyBackward(x[0], x[1], s, d[0], d[1])),
        new("Multiply [3x4]*[]", () => [Uniform(1, 3, 4), Uniform(2)], x => x[0] * x[1], r => Ref.Multiply(r[0], r[1]),
            (x, s, d) => TensorDerivatives.MultiplyBackward(x[0], x[1], s, d[0], d[1])),
        new("Multiply [3x4]*float", () => [Uniform(1, 3, 4), Tensor.Scalar(-0.7f)], x => x[0] * x[1].Item(), r => Ref.Multiply(r[0], r[1]),
            (x, s, d) => OpCase.WithScalar(d, 1, (ref float db) => TensorDerivatives.MultiplyScalarBackward(x[0], x[1].Item(), s, d[0], ref db))),
        new("Multiply float*[3x4]", () => [Tensor.Scalar(-0.7f), Uniform(2, 3, 4)], x => x[0].Item() * x[1], r => Ref.Multiply(r[0], r[1]),
            (x, s, d) => OpCase.WithScalar(d, 0, (ref float da) => TensorDerivatives.ScalarMultiplyBackward(x[0].Item(), x[1], s, ref da, d[1]))),

        new("Divide [3x4]/[3x4]", () => [Uniform(1, 3, 4), Positive(2, 3, 4)], x => x[0] / x[1], r => Ref.Divide(r[0], r[1]),
            (x, s, d) => TensorDerivatives.DivideBackward(x[0], x[1], x[0] / x[1], s, d[0], d[1])),
        new("Divide [3x4]/[4]", () => [Uniform(1, 3, 4), Positive(2, 4)], x => x[0] / x[1], r => Ref.Divide(r[0], r[1]),
            (x, s, d) => TensorDerivatives.DivideBackward(x[0], x[1], x[0] / x[1], s, d[0], d[1])),
        new("Divide [3x1]/[3x4]", () => [Uniform(1, 3, 1), Positive(2, 3, 4)], x => Tensor.Divide(x[0], x[1]), r => Ref.Divide(r[0], r[1]),
            (x, s, d) => TensorDerivatives.DivideBackward(x[0], x[1], x[0] / x[1], s, d[0], d[1])),
        new("Divide [2x1x3]/[4x1]", () => [Uniform(1, 2, 1, 3), Positive(2, 4, 1)], x => x[0] / x[1], r => Ref.Divide(r[0], r[1]),
            (x, s, d) => TensorDerivatives.DivideBackward(x[0], x[1], x[0] / x[1], s, d[0], d[1])),
        new("Divide [3x4]/float", () => [Uniform(1, 3, 4), Tensor.Scalar(1.3f)], x => x[0] / x[1].Item(), r => Ref.Divide(r[0], r[1]),
            (x, s, d) => OpCase.WithScalar(d, 1, (ref float db) => TensorDerivatives.DivideScalarBackward(x[0], x[1].Item(), s, d[0], ref db))),
        new("Divide float/[3x4]", () => [Tensor.Scalar(1.3f), Positive(2, 3, 4)], x => x[0].Item() / x[1], r => Ref.Divide(r[0], r[1]),
            (x, s, d) => OpCase.WithScalar(d, 0, (ref float da) =>
                TensorDerivatives.ScalarDivideBackward(x[0].Item(), x[1], x[0].Item() / x[1], s, ref da, d[1]))),

        new("Negate [3x4]", () => [Uniform(1, 3, 4)], x => -x[0], r => r[0].Map(v => -v),
            (x, s, d) => TensorDerivatives.NegateBackward(x[0], s, d[0])),

        // Element-wise functions, away from kinks.
        new("Exp", () => [Uniform(1, 3, 5)], x => Tensor.Exp(x[0]), r => Ref.Exp(r[0]),
            (x, s, d) => TensorDerivatives.ExpBackward(x[0], Tensor.Exp(x[0]), s, d[0])),
        new("Log", () => [Positive(1, 3, 5)], x => Tensor.Log(x[0]), r => Ref.Log(r[0]),
            (x, s, d) => TensorDerivatives.LogBackward(x[0], s, d[0])),
        new("Sqrt", () => [Positive(1, 3, 5)], x => Tensor.Sqrt(x[0]), r => Ref.Sqrt(r[0]),
            (x, s, d) => TensorDerivatives.SqrtBackward(x[0], Tensor.Sqrt(x[0]), s, d[0])),
        new("Square", () => [Uniform(1, 3, 5)], x => Tensor.Square(x[0]), r => Ref.Square(r[0]),
            (x, s, d) => TensorDerivatives.SquareBackward(x[0], s, d[0])),
        new("Tanh", () => [AwayFromZero(1, 3, 5)], x => Tensor.Tanh(x[0]), r => Ref.Tanh(r[0]),
            (x, s, d) => TensorDerivatives.TanhBackward(x[0], Tensor.Tanh(x[0]), s, d[0])),
        new("Sigmoid", () => [AwayFromZero(1, 3, 5)], x => Tensor.Sigmoid(x[0]), r => Ref.Sigmoid(r[0]),
            (x, s, d) => TensorDerivatives.SigmoidBackward(x[0], Tensor.Sigmoid(x[0]), s, d[0])),
        new("Relu", () => [AwayFromZero(1, 7, 5)], x => Tensor.Relu(x[0]), r => Ref.Relu(r[0]),
            (x, s, d) => TensorDerivatives.ReluBackward(x[0], s, d[0])),
        new("LeakyRelu default slope", () => [AwayFromZero(1, 7, 5)], x => Tensor.LeakyRelu(x[0]), r => Ref.LeakyRelu(r[0], 0.01f),
            (x, s, d) => { float unused = 0; TensorDerivatives.LeakyReluBackward(x[0], 0.01f, s, d[0], ref unused); }),
        new("LeakyRelu slope 0.2 (slope differentiable)", () => [AwayFromZero(1, 7, 5), Tensor.Scalar(0.2f)],
            x => Tensor.LeakyRelu(x[0], x[1].Item()), r => Ref.LeakyRelu(r[0], r[1].Data[0]),
            (x, s, d) => OpCase.WithScalar(d, 1, (ref float dSlope) => TensorDerivatives.LeakyReluBackward(x[0], x[1].Item(), s, d[0], ref dSlope))),
        // Where: a mask of zeros and ones (a central difference of the condition never flips a choice).
        new("Where [3x4] by a [3x4] mask", () => [Mask(3, 4), Uniform(1, 3, 4), Uniform(2, 3, 4)],
            x => Tensor.Where(x[0], x[1], x[2]), r => Ref.Where(r[0], r[1], r[2]),
            (x, s, d) => TensorDerivatives.WhereBackward(x[0], x[1], x[2], s, d[0], d[1], d[2])),
        new("Where [2x3x4] by a [3x4] mask repeated", () => [Mask(3, 4), Uniform(1, 2, 3, 4), Uniform(2, 2, 3, 4)],
            x => Tensor.Where(x[0], x[1], x[2]), r => Ref.Where(r[0], r[1], r[2]),
            (x, s, d) => TensorDerivatives.WhereBackward(x[0], x[1], x[2], s, d[0], d[1], d[2])),
        new("Where [2x3x4] or a constant (value differentiable)", () => [Mask(1, 3, 4), Uniform(1, 2, 3, 4), Tensor.Scalar(-0.7f)],
            x => Tensor.Where(x[0], x[1], x[2].Item()), r => Ref.Where(r[0], r[1], Ref.Full(r[1].Shape, r[2].Data[0])),
            (x, s, d) => OpCase.WithScalar(d, 2, (ref float dv) => TensorDerivatives.WhereValueBackward(x[0], x[1], x[2].Item(), s, d[0], d[1], ref dv))),

        // Abs, Pow, Clamp, Gelu, Softplus (issue 10), away from their kinks and bounds.
        new("Abs", () => [AwayFromZero(1, 4, 5)], x => Tensor.Abs(x[0]), r => Ref.Abs(r[0]),
            (x, s, d) => TensorDerivatives.AbsBackward(x[0], s, d[0])),
        new("Pow 1.7 (exponent differentiable)", () => [Positive(1, 3, 4), Tensor.Scalar(1.7f)],
            x => Tensor.Pow(x[0], x[1].Item()), r => Ref.Pow(r[0], r[1].Data[0]),
            (x, s, d) => OpCase.WithScalar(d, 1, (ref float dp) => TensorDerivatives.PowBackward(x[0], x[1].Item(), Tensor.Pow(x[0], x[1].Item()), s, d[0], ref dp))),
        new("Pow 3 of both signs", () => [Uniform(1, 3, 4)], x => Tensor.Pow(x[0], 3f), r => Ref.Pow(r[0], 3.0),
            (x, s, d) => { float unused = 0; TensorDerivatives.PowBackward(x[0], 3f, Tensor.Pow(x[0], 3f), s, d[0], ref unused); }),
        new("Clamp to [-0.4, 0.5] (bounds differentiable)", () => [Uniform(1, 5, 4), Tensor.Scalar(-0.4f), Tensor.Scalar(0.5f)],
            x => Tensor.Clamp(x[0], x[1].Item(), x[2].Item()), r => Ref.Clamp(r[0], r[1].Data[0], r[2].Data[0]),
            (x, s, d) =>
            {
                float dMin = d[1]?.Span[0] ?? 0f, dMax = d[2]?.Span[0] ?? 0f;
                TensorDerivatives.ClampBackward(x[0], x[1].Item(), x[2].Item(), s, d[0], ref dMin, ref dMax);
                if (d[1] is { } minAccumulator) minAccumulator.Span[0] = dMin;
                if (d[2] is { } maxAccumulator) maxAccumulator.Span[0] = dMax;
            }),
        new("Gelu", () => [Tensor.RandomUniform(1, -4f, 4f, 4, 6)], x => Tensor.Gelu(x[0]), r => Ref.Gelu(r[0]),
            (x, s, d) => TensorDerivatives.GeluBackward(x[0], s, d[0])),
        new("Softplus", () => [Tensor.RandomUniform(1, -6f, 6f, 4, 6)], x => Tensor.Softplus(x[0]), r => Ref.Softplus(r[0]),
            (x, s, d) => { float unused = 0; TensorDerivatives.SoftplusBackward(x[0], 20f, s, d[0], ref unused); }),
        new("Dropout 0.3, training", () => [Uniform(1, 6, 7)], x => Tensor.Dropout(x[0], 0.3f, 11), r => Ref.Dropout(r[0], 0.3f, 11),
            (x, s, d) => { float unused = 0; TensorDerivatives.DropoutBackward(x[0], 0.3f, 11, true, s, d[0], ref unused); }),
        new("Dropout 0.3, evaluation", () => [Uniform(1, 6, 7)], x => Tensor.Dropout(x[0], 0.3f, 11, training: false), r => r[0],
            (x, s, d) => { float unused = 0; TensorDerivatives.DropoutBackward(x[0], 0.3f, 11, false, s, d[0], ref unused); }),
        new("Softmax [3x5]", () => [Uniform(1, 3, 5)], x => Tensor.Softmax(x[0]), r => Ref.Softmax(r[0]),
            (x, s, d) => TensorDerivatives.SoftmaxBackward(x[0], Tensor.Softmax(x[0]), s, d[0])),
        new("Softmax [7]", () => [Uniform(1, 7)], x => Tensor.Softmax(x[0]), r => Ref.Softmax(r[0]),
            (x, s, d) => TensorDerivatives.SoftmaxBackward(x[0], Tensor.Softmax(x[0]), s, d[0])),
        new("Softmax [2x3x20]", () => [Uniform(1, 2, 3, 20)], x => Tensor.Softmax(x[0]), r => Ref.Softmax(r[0]),
            (x, s, d) => TensorDerivatives.SoftmaxBackward(x[0], Tensor.Softmax(x[0]), s, d[0])),
        new("LogSoftmax [3x5]", () => [Uniform(1, 3, 5)], x => Tensor.LogSoftmax(x[0]), r => Ref.LogSoftmax(r[0]),
            (x, s, d) => TensorDerivatives.LogSoftmaxBackward(x[0], Tensor.LogSoftmax(x[0]), s, d[0])),
        new("LogSoftmax [2x3x20]", () => [Uniform(1, 2, 3, 20)], x => Tensor.LogSoftmax(x[0]), r => Ref.LogSoftmax(r[0]),
            (x, s, d) => TensorDerivatives.LogSoftmaxBackward(x[0], Tensor.LogSoftmax(x[0]), s, d[0])),

        // Reductions, over everything and along each axis (negative axes count from the end).
        new("Sum", () => [Uniform(1, 3, 4)], x => Tensor.Sum(x[0]), r => Ref.Sum(r[0]),
            (x, s, d) => TensorDerivatives.SumBackward(x[0], s, d[0])),
        // Reductions along any axis with keepdim, and Max (issue 10).
        new("Sum axis 1 of [2x3x4], keepdim", () => [Uniform(1, 2, 3, 4)], x => Tensor.Sum(x[0], 1, keepDim: true), r => Ref.KeepDim(Ref.Sum(r[0], 1), r[0], 1),
            (x, s, d) => TensorDerivatives.SumAxisBackward(x[0], 1, true, s, d[0])),
        new("Mean axis -1 of [2x3x4], keepdim", () => [Uniform(1, 2, 3, 4)], x => Tensor.Mean(x[0], -1, keepDim: true), r => Ref.KeepDim(Ref.Mean(r[0], -1), r[0], -1),
            (x, s, d) => TensorDerivatives.MeanAxisBackward(x[0], -1, true, s, d[0])),
        new("Mean axis 0 of [3x4], no keepdim", () => [Uniform(1, 3, 4)], x => Tensor.Mean(x[0], 0, keepDim: false), r => Ref.Mean(r[0], 0),
            (x, s, d) => TensorDerivatives.MeanAxisBackward(x[0], 0, false, s, d[0])),
        new("Max axis 1 of [2x5x3]", () => [Uniform(1, 2, 5, 3)], x => Tensor.Max(x[0], 1), r => Ref.Max(r[0], 1),
            (x, s, d) => TensorDerivatives.MaxAxisBackward(x[0], 1, false, s, d[0])),
        new("Max axis -1 of [4x6], keepdim", () => [Uniform(1, 4, 6)], x => Tensor.Max(x[0], -1, keepDim: true), r => Ref.KeepDim(Ref.Max(r[0], -1), r[0], -1),
            (x, s, d) => TensorDerivatives.MaxAxisBackward(x[0], -1, true, s, d[0])),
        // Concat and Slice along any axis (issue 10).
        new("Concat [2x3x4] and [2x2x4] along axis 1", () => [Uniform(1, 2, 3, 4), Uniform(2, 2, 2, 4)], x => Tensor.Concat(x[0], x[1], 1), r => Ref.Concat(r[0], r[1], 1),
            (x, s, d) => TensorDerivatives.ConcatAxisBackward(x[0], x[1], 1, s, d[0], d[1])),
        new("Concat [3x2] and [3x5] along axis -1", () => [Uniform(1, 3, 2), Uniform(2, 3, 5)], x => Tensor.Concat(x[0], x[1], -1), r => Ref.Concat(r[0], r[1], -1),
            (x, s, d) => TensorDerivatives.ConcatAxisBackward(x[0], x[1], -1, s, d[0], d[1])),
        new("Slice 1..3 of axis 1 of [2x5x3]", () => [Uniform(1, 2, 5, 3)], x => Tensor.Slice(x[0], 1, 1, 3), r => Ref.Slice(r[0], 1, 1, 3),
            (x, s, d) => TensorDerivatives.SliceAxisBackward(x[0], 1, 1, 3, s, d[0])),
        new("Slice 2..5 of axis -1 of [3x6]", () => [Uniform(1, 3, 6)], x => Tensor.Slice(x[0], -1, 2, 4), r => Ref.Slice(r[0], -1, 2, 4),
            (x, s, d) => TensorDerivatives.SliceAxisBackward(x[0], -1, 2, 4, s, d[0])),
        // Convolution and pooling over NCHW (issue 10).
        new("Conv2d [2x3x5x5] by [4x3x3x3] with bias, padding 1", () => [Uniform(1, 2, 3, 5, 5), Uniform(2, 4, 3, 3, 3), Uniform(3, 4)],
            x => Tensor.Conv2d(x[0], x[1], x[2], stride: 1, padding: 1), r => Ref.Conv2d(r[0], r[1], r[2], 1, 1),
            (x, s, d) => TensorDerivatives.Conv2dBackward(x[0], x[1], x[2], 1, 1, s, d[0], d[1], d[2])),
        new("Conv2d [1x2x7x6] by [3x2x3x2], stride 2, no bias", () => [Uniform(1, 1, 2, 7, 6), Uniform(2, 3, 2, 3, 2)],
            x => Tensor.Conv2d(x[0], x[1], stride: 2), r => Ref.Conv2d(r[0], r[1], null, 2, 0),
            (x, s, d) => TensorDerivatives.Conv2dBackward(x[0], x[1], 2, 0, s, d[0], d[1])),
        new("MaxPool2d 2x2 of [2x3x4x4]", () => [Uniform(1, 2, 3, 4, 4)], x => Tensor.MaxPool2d(x[0], 2), r => Ref.Pool2d(r[0], 2, 2, average: false),
            (x, s, d) => TensorDerivatives.MaxPool2dBackward(x[0], 2, 0, s, d[0])),
        new("AvgPool2d 2x2 stride 1 of [1x2x5x5]", () => [Uniform(1, 1, 2, 5, 5)], x => Tensor.AvgPool2d(x[0], 2, 1), r => Ref.Pool2d(r[0], 2, 1, average: true),
            (x, s, d) => TensorDerivatives.AvgPool2dBackward(x[0], 2, 1, s, d[0])),
        new("Sum axis 0 of [3x4]", () => [Uniform(1, 3, 4)], x => Tensor.Sum(x[0], 0), r => Ref.Sum(r[0], 0),
            (x, s, d) => TensorDerivatives.SumAxisBackward(x[0], 0, s, d[0])),
        new("Sum axis 1 of [3x4]", () => [Uniform(1, 3, 4)], x => Tensor.Sum(x[0], 1), r => Ref.Sum(r[0], 1),
            (x, s, d) => TensorDerivatives.SumAxisBackward(x[0], 1, s, d[0])),
        new("Sum axis 1 of [2x3x4]", () => [Uniform(1, 2, 3, 4)], x => Tensor.Sum(x[0], 1), r => Ref.Sum(r[0], 1),
            (x, s, d) => TensorDerivatives.SumAxisBackward(x[0], 1, s, d[0])),
        new("Sum axis -1 of [2x3x4]", () => [Uniform(1, 2, 3, 4)], x => Tensor.Sum(x[0], -1), r => Ref.Sum(r[0], -1),
            (x, s, d) => TensorDerivatives.SumAxisBackward(x[0], -1, s, d[0])),
        new("Sum axis 0 of [5]", () => [Uniform(1, 5)], x => Tensor.Sum(x[0], 0), r => Ref.Sum(r[0], 0),
            (x, s, d) => TensorDerivatives.SumAxisBackward(x[0], 0, s, d[0])),
        new("Mean", () => [Uniform(1, 3, 4)], x => Tensor.Mean(x[0]), r => Ref.Mean(r[0]),
            (x, s, d) => TensorDerivatives.MeanBackward(x[0], s, d[0])),
        new("Mean axis 0 of [3x4]", () => [Uniform(1, 3, 4)], x => Tensor.Mean(x[0], 0), r => Ref.Mean(r[0], 0),
            (x, s, d) => TensorDerivatives.MeanAxisBackward(x[0], 0, s, d[0])),
        new("Mean axis -1 of [3x4]", () => [Uniform(1, 3, 4)], x => Tensor.Mean(x[0], -1), r => Ref.Mean(r[0], -1),
            (x, s, d) => TensorDerivatives.MeanAxisBackward(x[0], -1, s, d[0])),
        new("Mean axis 1 of [2x3x4]", () => [Uniform(1, 2, 3, 4)], x => Tensor.Mean(x[0], 1), r => Ref.Mean(r[0], 1),
            (x, s, d) => TensorDerivatives.MeanAxisBackward(x[0], 1, s, d[0])),

        // Linear algebra.
        new("MatMul [3x4]·[4x5]", () => [Uniform(1, 3, 4), Uniform(2, 4, 5)], x => Tensor.MatMul(x[0], x[1]), r => Ref.MatMul(r[0], r[1]),
            (x, s, d) => TensorDerivatives.MatMulBackward(x[0], x[1], s, d[0], d[1])),
        new("MatMul [1x7]·[7x2]", () => [Uniform(1, 1, 7), Uniform(2, 7, 2)], x => Tensor.MatMul(x[0], x[1]), r => Ref.MatMul(r[0], r[1]),
            (x, s, d) => TensorDerivatives.MatMulBackward(x[0], x[1], s, d[0], d[1])),
        // Batched products (issue 10): one matrix for all rows, per-batch, broadcast batch axes both ways.
        new("MatMul [2x3x4]·[4x5]", () => [Uniform(1, 2, 3, 4), Uniform(2, 4, 5)], x => Tensor.MatMul(x[0], x[1]), r => Ref.BatchedMatMul(r[0], r[1]),
            (x, s, d) => TensorDerivatives.MatMulBackward(x[0], x[1], s, d[0], d[1])),
        new("MatMul [2x3x4]·[2x4x5]", () => [Uniform(1, 2, 3, 4), Uniform(2, 2, 4, 5)], x => Tensor.MatMul(x[0], x[1]), r => Ref.BatchedMatMul(r[0], r[1]),
            (x, s, d) => TensorDerivatives.MatMulBackward(x[0], x[1], s, d[0], d[1])),
        new("MatMul [2x1x3x4]·[3x4x2]", () => [Uniform(1, 2, 1, 3, 4), Uniform(2, 3, 4, 2)], x => Tensor.MatMul(x[0], x[1]), r => Ref.BatchedMatMul(r[0], r[1]),
            (x, s, d) => TensorDerivatives.MatMulBackward(x[0], x[1], s, d[0], d[1])),
        new("MatMul [3x4]·[2x2x4x3]", () => [Uniform(1, 3, 4), Uniform(2, 2, 2, 4, 3)], x => Tensor.MatMul(x[0], x[1]), r => Ref.BatchedMatMul(r[0], r[1]),
            (x, s, d) => TensorDerivatives.MatMulBackward(x[0], x[1], s, d[0], d[1])),
        new("Transpose [2x3x4x5]", () => [Uniform(1, 2, 3, 4, 5)], x => Tensor.Transpose(x[0]), r => Ref.BatchedTranspose(r[0]),
            (x, s, d) => TensorDerivatives.TransposeBackward(x[0], s, d[0])),
        // Attention's other operations (issue 10).
        new("Permute [2x3x4x5] to (0,2,1,3)", () => [Uniform(1, 2, 3, 4, 5)], x => Tensor.Permute(x[0], 0, 2, 1, 3), r => Ref.Permute(r[0], [0, 2, 1, 3]),
            (x, s, d) => TensorDerivatives.Permute4Backward(x[0], 0, 2, 1, 3, s, d[0])),
        new("Permute [2x3x4x5] to (3,1,0,2) by an array", () => [Uniform(1, 2, 3, 4, 5)], x => Tensor.Permute(x[0], new[] { 3, 1, 0, 2 }), r => Ref.Permute(r[0], [3, 1, 0, 2]),
            (x, s, d) => TensorDerivatives.PermuteBackward(x[0], [3, 1, 0, 2], s, d[0])),
        new("Permute [2x3x4] to (1,2,0)", () => [Uniform(1, 2, 3, 4)], x => Tensor.Permute(x[0], 1, 2, 0), r => Ref.Permute(r[0], [1, 2, 0]),
            (x, s, d) => TensorDerivatives.Permute3Backward(x[0], 1, 2, 0, s, d[0])),
        new("Permute [2x3x4] to (1,0,2)", () => [Uniform(1, 2, 3, 4)], x => Tensor.Permute(x[0], 1, 0, 2), r => Ref.Permute(r[0], [1, 0, 2]),
            (x, s, d) => TensorDerivatives.Permute3Backward(x[0], 1, 0, 2, s, d[0])),
        new("Softmax of CausalMask [2x4x4]", () => [Uniform(1, 2, 4, 4)], x => Tensor.Softmax(Tensor.CausalMask(x[0])), r => Ref.CausalSoftmax(r[0]),
            (x, s, d) =>
            {
                Tensor masked = Tensor.CausalMask(x[0]);
                Tensor dMasked = Tensor.Zeros(4 * 2, 4).Reshape(2, 4, 4);
                TensorDerivatives.SoftmaxBackward(masked, Tensor.Softmax(masked), s, dMasked);
                TensorDerivatives.CausalMaskBackward(x[0], dMasked, d[0]);
            }),
        new("LayerNorm [2x3x6]", () => [Uniform(1, 2, 3, 6), Uniform(2, 6), Uniform(3, 6)],
            x => Tensor.LayerNorm(x[0], x[1], x[2]), r => Ref.LayerNorm(r[0], r[1], r[2], 1e-5f),
            (x, s, d) => { float unused = 0; TensorDerivatives.LayerNormBackward(x[0], x[1], x[2], 1e-5f, s, d[0], d[1], d[2], ref unused); }),
        new("LayerNorm [4x5], epsilon 0.1 (differentiable)", () => [Uniform(1, 4, 5), Uniform(2, 5), Uniform(3, 5), Tensor.Scalar(0.1f)],
            x => Tensor.LayerNorm(x[0], x[1], x[2], x[3].Item()), r => Ref.LayerNorm(r[0], r[1], r[2], r[3].Data[0]),
            (x, s, d) => OpCase.WithScalar(d, 3, (ref float de) => TensorDerivatives.LayerNormBackward(x[0], x[1], x[2], x[3].Item(), s, d[0], d[1], d[2], ref de))),
        // In training BatchNorm moves the running statistics it is given: the table's inputs stay as they were, so it gets copies.
        new("BatchNorm [5x3] training", () => [Uniform(1, 5, 3), Uniform(2, 3), Uniform(3, 3), Uniform(4, 3), Positive(5, 3)],
            x => Tensor.BatchNorm(x[0], x[1], x[2], x[3].Clone(), x[4].Clone(), training: true), r => Ref.BatchNorm(r[0], r[1], r[2], r[3], r[4], training: true, 1e-5),
            (x, s, d) => { float m = 0, e = 0; TensorDerivatives.BatchNormBackward(x[0], x[1], x[2], x[3], x[4], true, 0.1f, 1e-5f, s, d[0], d[1], d[2], d[3], d[4], ref m, ref e); }),
        new("BatchNorm [3x2x2x3] training, epsilon 0.1 (differentiable)", () => [Uniform(1, 3, 2, 2, 3), Uniform(2, 2), Uniform(3, 2), Uniform(4, 2), Positive(5, 2), Tensor.Scalar(0.1f)],
            x => Tensor.BatchNorm(x[0], x[1], x[2], x[3].Clone(), x[4].Clone(), true, 0.1f, x[5].Item()), r => Ref.BatchNorm(r[0], r[1], r[2], r[3], r[4], training: true, r[5].Data[0]),
            (x, s, d) => OpCase.WithScalar(d, 5, (ref float de) => { float m = 0; TensorDerivatives.BatchNormBackward(x[0], x[1], x[2], x[3], x[4], true, 0.1f, x[5].Item(), s, d[0], d[1], d[2], d[3], d[4], ref m, ref de); })),
        new("BatchNorm [3x2x2x3] evaluation (running statistics differentiable)", () => [Uniform(1, 3, 2, 2, 3), Uniform(2, 2), Uniform(3, 2), Uniform(4, 2), Positive(5, 2)],
            x => Tensor.BatchNorm(x[0], x[1], x[2], x[3], x[4], training: false), r => Ref.BatchNorm(r[0], r[1], r[2], r[3], r[4], training: false, 1e-5),
            (x, s, d) => { float m = 0, e = 0; TensorDerivatives.BatchNormBackward(x[0], x[1], x[2], x[3], x[4], false, 0.1f, 1e-5f, s, d[0], d[1], d[2], d[3], d[4], ref m, ref e); }),
        new("Transpose [3x5]", () => [Uniform(1, 3, 5)], x => Tensor.Transpose(x[0]), r => Ref.Transpose(r[0]),
            (x, s, d) => TensorDerivatives.TransposeBackward(x[0], s, d[0])),
        new("Transpose [40x35]", () => [Uniform(1, 40, 35)], x => Tensor.Transpose(x[0]), r => Ref.Transpose(r[0]),
            (x, s, d) => TensorDerivatives.TransposeBackward(x[0], s, d[0])),
        new("Dot [6]", () => [Uniform(1, 6), Uniform(2, 6)], x => Tensor.Dot(x[0], x[1]), r => Ref.Dot(r[0], r[1]),
            (x, s, d) => TensorDerivatives.DotBackward(x[0], x[1], s, d[0], d[1])),

        // Losses.
        new("CrossEntropy [4x5]", () => [Tensor.RandomUniform(1, -3f, 3f, 4, 5)], x => Tensor.CrossEntropy(x[0], Labels),
            r => Ref.CrossEntropy(r[0], Labels), (x, s, d) => TensorDerivatives.CrossEntropyBackward(x[0], Labels, s, d[0])),
        new("MseLoss [3x4]", () => [Uniform(1, 3, 4), Uniform(2, 3, 4)], x => Tensor.MseLoss(x[0], x[1]), r => Ref.MseLoss(r[0], r[1]),
            (x, s, d) => TensorDerivatives.MseLossBackward(x[0], x[1], s, d[0], d[1])),

        // Moving values around.
        new("Concat [2x3]+[3x3]", () => [Uniform(1, 2, 3), Uniform(2, 3, 3)], x => Tensor.Concat(x[0], x[1]), r => Ref.Concat(r[0], r[1]),
            (x, s, d) => TensorDerivatives.ConcatBackward(x[0], x[1], s, d[0], d[1])),
        new("Slice rows 1..4 of [5x3]", () => [Uniform(1, 5, 3)], x => Tensor.Slice(x[0], 1, 3), r => Ref.Slice(r[0], 1, 3),
            (x, s, d) => TensorDerivatives.SliceBackward(x[0], 1, 3, s, d[0])),
        new("Gather rows 3,0,3,1,3 of [4x3] (repeats add up)", () => [Uniform(1, 4, 3)], x => Tensor.Gather(x[0], Rows), r => Ref.Gather(r[0], Rows),
            (x, s, d) => TensorDerivatives.GatherBackward(x[0], Rows, s, d[0])),
        new("Gather rows 2,2 of [3x2x2]", () => [Uniform(1, 3, 2, 2)], x => Tensor.Gather(x[0], new[] { 2, 2 }), r => Ref.Gather(r[0], [2, 2]),
            (x, s, d) => TensorDerivatives.GatherBackward(x[0], new[] { 2, 2 }, s, d[0])),
        new("Gather span rows 1,0 of [2x3]", () => [Uniform(1, 2, 3)], x => Tensor.Gather(x[0], new[] { 1, 0 }.AsSpan()), r => Ref.Gather(r[0], [1, 0]),
            (x, s, d) => TensorDerivatives.GatherBackward(x[0], new[] { 1, 0 }.AsSpan(), s, d[0])),
        new("Clone [3x4]", () => [Uniform(1, 3, 4)], x => x[0].Clone(), r => r[0],
            (x, s, d) => TensorDerivatives.CloneBackward(x[0], s, d[0])),
        new("Reshape [3x4] to [2x2x3]", () => [Uniform(1, 3, 4)], x => x[0].Reshape(new[] { 2, 2, 3 }), r => Ref.Reshape(r[0], 2, 2, 3),
            (x, s, d) => TensorDerivatives.ReshapeBackward(x[0], [2, 2, 3], s, d[0])),
        new("Reshape [3x4] to [2x-1x3]", () => [Uniform(1, 3, 4)], x => x[0].Reshape(2, -1, 3), r => Ref.Reshape(r[0], 2, 2, 3),
            (x, s, d) => TensorDerivatives.Reshape3Backward(x[0], 2, -1, 3, s, d[0])),
        new("Reshape [3x4] to [1x2x2x3]", () => [Uniform(1, 3, 4)], x => x[0].Reshape(1, 2, 2, 3), r => Ref.Reshape(r[0], 1, 2, 2, 3),
            (x, s, d) => TensorDerivatives.Reshape4Backward(x[0], 1, 2, 2, 3, s, d[0])),
        new("Reshape [3x4] to [-1]", () => [Uniform(1, 3, 4)], x => x[0].Reshape(-1), r => Ref.Reshape(r[0], 12),
            (x, s, d) => TensorDerivatives.ReshapeVectorBackward(x[0], -1, s, d[0])),
        new("Reshape [3x4] to [6x-1]", () => [Uniform(1, 3, 4)], x => x[0].Reshape(6, -1), r => Ref.Reshape(r[0], 6, 2),
            (x, s, d) => TensorDerivatives.ReshapeMatrixBackward(x[0], 6, -1, s, d[0])),
        new("Item of [1x1]", () => [Uniform(1, 1, 1)], x => Tensor.Scalar(x[0].Item()), r => DTensor.Scalar(r[0].Data[0]),
            (x, s, d) => TensorDerivatives.ItemBackward(x[0], s.Item(), d[0])),
        new("Element [2] of [5]", () => [Uniform(1, 5)], x => Tensor.Scalar(x[0][2]), r => DTensor.Scalar(r[0].Data[2]),
            (x, s, d) => TensorDerivatives.ElementBackward(x[0], 2, s.Item(), d[0])),
        new("Element [1,2] of [3x4]", () => [Uniform(1, 3, 4)], x => Tensor.Scalar(x[0][1, 2]), r => DTensor.Scalar(r[0].Data[6]),
            (x, s, d) => TensorDerivatives.ElementMatrixBackward(x[0], 1, 2, s.Item(), d[0])),
        new("Element [1,0,2] of [2x3x4]", () => [Uniform(1, 2, 3, 4)], x => Tensor.Scalar(x[0][1, 0, 2]), r => DTensor.Scalar(r[0].Data[14]),
            (x, s, d) => TensorDerivatives.ElementIndexBackward(x[0], [1, 0, 2], s.Item(), d[0])),
    ];

    public static OpCase Find(string name) => All.Single(c => c.Name == name);
}
