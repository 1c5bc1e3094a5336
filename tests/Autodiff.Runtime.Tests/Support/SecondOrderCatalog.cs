using System;
using System.Collections.Generic;
using System.Linq;

namespace Autodiff.Runtime.Tests.Support;

/// <summary>
/// Calls the pullback of an operation's pushforward (<c>&lt;Op&gt;TangentBackward</c>, what reverse
/// mode over forward mode needs for a Hessian-vector product): given the inputs x, their tangents v
/// (null: a zero direction) and a seed s of the result's shape, adds ∂⟨s, J(x)·v⟩/∂x into
/// <c>inputGradients</c> and ∂⟨s, J(x)·v⟩/∂v = Jᵀ·s into <c>tangentGradients</c> (null ones are
/// skipped). Where the pushforward takes the operation's <c>result</c>, the result's part is carried
/// on to x through the operation's own pullback, so the input part is the total derivative. Float
/// inputs, tangents and seeds are rank-0 tensors, as in <see cref="TangentCatalog"/>.
/// </summary>
internal delegate void SecondOrderRule(Tensor[] inputs, Tensor?[] tangents, Tensor seed, Tensor?[] inputGradients, Tensor?[] tangentGradients);

/// <summary>The second-order rule of every case of <see cref="OpCatalog"/>, by case name, grouped as <see cref="TangentCatalog"/> is.</summary>
internal static partial class SecondOrderCatalog
{
    private static readonly Lazy<Dictionary<string, SecondOrderRule>> ByName = new(() =>
        Arithmetic().Concat(Pointwise()).Concat(Shapes()).Concat(Layers()).ToDictionary(pair => pair.Name, pair => pair.Rule));

    public static SecondOrderRule? Find(string name) => ByName.Value.TryGetValue(name, out SecondOrderRule? rule) ? rule : null;

    public static IEnumerable<string> Names => ByName.Value.Keys;

    /// <summary>
    /// Runs a rule whose float accumulator is <paramref name="accumulators"/>[<paramref name="index"/>]
    /// (a rank-0 tensor or null), passing it by ref and writing it back; null runs with a discarded one.
    /// </summary>
    public static void WithScalar(Tensor?[] accumulators, int index, OpCase.ScalarAccumulatorRule rule) => OpCase.WithScalar(accumulators, index, rule);

    /// <summary>A zero accumulator like <paramref name="like"/> where <paramref name="wanted"/> is, else null: for the result's part, carried on to x afterwards.</summary>
    public static Tensor? ResultPart(Tensor result, Tensor? wanted) => wanted is null ? null : Tensor.ZerosLike(result);
}
