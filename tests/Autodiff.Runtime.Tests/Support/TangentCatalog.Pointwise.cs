using System.Collections.Generic;
using Autodiff.Derivatives;

namespace Autodiff.Runtime.Tests.Support;

// Exp, Log, Sqrt, Square, Tanh, Sigmoid, Relu, LeakyRelu, Softmax, LogSoftmax, CausalMask, Abs, Pow, Clamp, Gelu, Softplus, Dropout, Sum, Mean, Max.
internal static partial class TangentCatalog
{
    private static IEnumerable<(string Name, TangentRule Rule)> Pointwise() =>
    [
        ("Exp", (x, d) => TensorDerivatives.ExpTangent(x[0], Tensor.Exp(x[0]), d[0])),
    ];
}
