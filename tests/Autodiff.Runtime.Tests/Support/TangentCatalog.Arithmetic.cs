using System.Collections.Generic;

namespace Autodiff.Runtime.Tests.Support;

// Add, Subtract, Multiply, Divide, Negate, MatMul, Transpose, Dot, CrossEntropy, MseLoss, Where.
internal static partial class TangentCatalog
{
    private static IEnumerable<(string Name, TangentRule Rule)> Arithmetic() =>
    [
    ];
}
