using System.Collections.Generic;
using Autodiff.Derivatives;

namespace Autodiff.Runtime.Tests.Support;

// Exp, Log, Sqrt, Square, Tanh, Sigmoid, Relu, LeakyRelu, Softmax, LogSoftmax, CausalMask, Abs, Pow, Clamp, Gelu, Softplus, Dropout, Sum, Mean, Max.
internal static partial class TangentCatalog
{
    private static IEnumerable<(string Name, TangentRule Rule)> Pointwise() =>
    [
        ("Exp", (x, d) => TensorDerivatives.ExpTangent(x[0], Tensor.Exp(x[0]), d[0])),
        ("Log", (x, d) => TensorDerivatives.LogTangent(x[0], d[0])),
        ("Sqrt", (x, d) => TensorDerivatives.SqrtTangent(x[0], Tensor.Sqrt(x[0]), d[0])),
        ("Square", (x, d) => TensorDerivatives.SquareTangent(x[0], d[0])),
        ("Tanh", (x, d) => TensorDerivatives.TanhTangent(x[0], Tensor.Tanh(x[0]), d[0])),
        ("Sigmoid", (x, d) => TensorDerivatives.SigmoidTangent(x[0], Tensor.Sigmoid(x[0]), d[0])),
        ("Relu", (x, d) => TensorDerivatives.ReluTangent(x[0], d[0])),
        ("LeakyRelu default slope", (x, d) => TensorDerivatives.LeakyReluTangent(x[0], 0.01f, d[0], 0f)),
        ("LeakyRelu slope 0.2 (slope differentiable)", (x, d) => TensorDerivatives.LeakyReluTangent(x[0], x[1].Item(), d[0], Scalar(d[1]))),
        ("Abs", (x, d) => TensorDerivatives.AbsTangent(x[0], d[0])),
        ("Pow 1.7 (exponent differentiable)", (x, d) =>
            TensorDerivatives.PowTangent(x[0], x[1].Item(), Tensor.Pow(x[0], x[1].Item()), d[0], Scalar(d[1]))),
        ("Pow 3 of both signs", (x, d) => TensorDerivatives.PowTangent(x[0], 3f, Tensor.Pow(x[0], 3f), d[0], 0f)),
        ("Clamp to [-0.4, 0.5] (bounds differentiable)", (x, d) =>
            TensorDerivatives.ClampTangent(x[0], x[1].Item(), x[2].Item(), d[0], Scalar(d[1]), Scalar(d[2]))),
        ("Gelu", (x, d) => TensorDerivatives.GeluTangent(x[0], d[0])),
        ("Softplus", (x, d) => TensorDerivatives.SoftplusTangent(x[0], 20f, d[0], 0f)),
        ("Dropout 0.3, training", (x, d) => TensorDerivatives.DropoutTangent(x[0], 0.3f, 11, true, d[0], 0f)),
        ("Dropout 0.3, evaluation", (x, d) => TensorDerivatives.DropoutTangent(x[0], 0.3f, 11, false, d[0], 0f)),
        ("Softmax [3x5]", (x, d) => TensorDerivatives.SoftmaxTangent(x[0], Tensor.Softmax(x[0]), d[0])),
        ("Softmax [7]", (x, d) => TensorDerivatives.SoftmaxTangent(x[0], Tensor.Softmax(x[0]), d[0])),
        ("Softmax [2x3x20]", (x, d) => TensorDerivatives.SoftmaxTangent(x[0], Tensor.Softmax(x[0]), d[0])),
        ("LogSoftmax [3x5]", (x, d) => TensorDerivatives.LogSoftmaxTangent(x[0], Tensor.LogSoftmax(x[0]), d[0])),
        ("LogSoftmax [2x3x20]", (x, d) => TensorDerivatives.LogSoftmaxTangent(x[0], Tensor.LogSoftmax(x[0]), d[0])),

        ("Sum", (x, d) => TensorDerivatives.SumTangent(x[0], d[0])),
        ("Sum axis 1 of [2x3x4], keepdim", (x, d) => TensorDerivatives.SumAxisTangent(x[0], 1, true, d[0])),
        ("Mean axis -1 of [2x3x4], keepdim", (x, d) => TensorDerivatives.MeanAxisTangent(x[0], -1, true, d[0])),
        ("Mean axis 0 of [3x4], no keepdim", (x, d) => TensorDerivatives.MeanAxisTangent(x[0], 0, false, d[0])),
        ("Max axis 1 of [2x5x3]", (x, d) => TensorDerivatives.MaxAxisTangent(x[0], 1, false, d[0])),
        ("Max axis -1 of [4x6], keepdim", (x, d) => TensorDerivatives.MaxAxisTangent(x[0], -1, true, d[0])),
        ("Sum axis 0 of [3x4]", (x, d) => TensorDerivatives.SumAxisTangent(x[0], 0, d[0])),
        ("Sum axis 1 of [3x4]", (x, d) => TensorDerivatives.SumAxisTangent(x[0], 1, d[0])),
        ("Sum axis 1 of [2x3x4]", (x, d) => TensorDerivatives.SumAxisTangent(x[0], 1, d[0])),
        ("Sum axis -1 of [2x3x4]", (x, d) => TensorDerivatives.SumAxisTangent(x[0], -1, d[0])),
        ("Sum axis 0 of [5]", (x, d) => TensorDerivatives.SumAxisTangent(x[0], 0, d[0])),
        ("Mean", (x, d) => TensorDerivatives.MeanTangent(x[0], d[0])),
        ("Mean axis 0 of [3x4]", (x, d) => TensorDerivatives.MeanAxisTangent(x[0], 0, d[0])),
        ("Mean axis -1 of [3x4]", (x, d) => TensorDerivatives.MeanAxisTangent(x[0], -1, d[0])),
        ("Mean axis 1 of [2x3x4]", (x, d) => TensorDerivatives.MeanAxisTangent(x[0], 1, d[0])),

        ("Softmax of CausalMask [2x4x4]", (x, d) =>
        {
            Tensor masked = Tensor.CausalMask(x[0]);
            return TensorDerivatives.SoftmaxTangent(masked, Tensor.Softmax(masked), TensorDerivatives.CausalMaskTangent(x[0], d[0]));
        }),
    ];
}
