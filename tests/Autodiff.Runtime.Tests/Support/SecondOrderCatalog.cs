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

    /// <summary>A float input's accumulator (a rank-0 tensor, or null when it is not wanted: then 0), to pass by ref.</summary>
    public static float ReadScalar(Tensor?[] accumulators, int index) => accumulators[index]?.Span[0] ?? 0f;

    /// <summary>Writes a float accumulator back after <see cref="ReadScalar"/>, if it is wanted.</summary>
    public static void WriteScalar(Tensor?[] accumulators, int index, float value)
    {
        if (accumulators[index] is { } accumulator) accumulator.Span[0] = value;
    }

    /// <summary>A rule taking a float input's two accumulators by ref: its gradient's and its tangent's.</summary>
    public delegate void ScalarPairRule(ref float inputAccumulator, ref float tangentAccumulator);

    /// <summary>
    /// Runs a rule with the float input <paramref name="index"/>'s two accumulators by ref and writes them
    /// back (a lambda cannot capture another lambda's ref parameter, so two OpCase.WithScalar calls cannot nest).
    /// </summary>
    public static void WithScalarPair(Tensor?[] inputGradients, Tensor?[] tangentGradients, int index, ScalarPairRule rule)
    {
        float input = ReadScalar(inputGradients, index), tangent = ReadScalar(tangentGradients, index);
        rule(ref input, ref tangent);
        WriteScalar(inputGradients, index, input);
        WriteScalar(tangentGradients, index, tangent);
    }

    /// <summary>A zero accumulator like <paramref name="like"/> where <paramref name="wanted"/> is, else null: for the result's part, carried on to x afterwards.</summary>
    public static Tensor? ResultPart(Tensor result, Tensor? wanted) => wanted is null ? null : Tensor.ZerosLike(result);
}
