using System;
using System.Collections.Generic;
using System.Linq;

namespace Autodiff.Runtime.Tests.Support;

/// <summary>
/// Calls the pushforward of an operation of <see cref="OpCatalog"/>: given its inputs and one
/// tangent per input (null is a zero direction), returns the tangent of its result. A float
/// input is a rank-0 tensor among the inputs, as in <see cref="OpCase"/>, and its tangent too
/// (<see cref="TangentCatalog.Scalar"/> reads it); a float result is returned as a rank-0 tensor.
/// </summary>
internal delegate Tensor TangentRule(Tensor[] inputs, Tensor?[] tangents);

/// <summary>
/// The pushforward of every case of <see cref="OpCatalog"/>, by case name, one group per file as
/// the rules are grouped in <c>TensorDerivatives</c>. <c>TangentRuleTests</c> runs over it.
/// </summary>
internal static partial class TangentCatalog
{
    private static readonly Lazy<Dictionary<string, TangentRule>> ByName = new(() =>
        Arithmetic().Concat(Pointwise()).Concat(Shapes()).Concat(Layers()).ToDictionary(pair => pair.Name, pair => pair.Rule));

    /// <summary>The pushforward of the case named <paramref name="name"/>, or null if it has none yet.</summary>
    public static TangentRule? Find(string name) => ByName.Value.TryGetValue(name, out TangentRule? rule) ? rule : null;

    public static IEnumerable<string> Names => ByName.Value.Keys;

    /// <summary>The tangent of a float input, carried as a rank-0 tensor: zero when there is none.</summary>
    public static float Scalar(Tensor? tangent) => tangent?.Item() ?? 0f;
}
