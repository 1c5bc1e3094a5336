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
    ];
}
