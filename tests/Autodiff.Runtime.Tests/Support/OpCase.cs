using System;
using Autodiff.Runtime.Tests.Reference;

namespace Autodiff.Runtime.Tests.Support;

/// <summary>
/// One tensor operation under test: how to make its inputs, the float32 operation, its double
/// reference, and a call of its backward rule. A float argument is represented among the inputs
/// as a rank-0 tensor, so the same finite-difference code handles it; the rule adapter passes
/// its accumulator by ref.
/// </summary>
/// <param name="Name">Shown as the theory case.</param>
/// <param name="Inputs">Fresh input tensors (created outside any workspace).</param>
/// <param name="Forward">The float32 operation.</param>
/// <param name="Reference">The same operation in double.</param>
/// <param name="Backward">Calls the backward rule with (inputs, seed, accumulators); an accumulator may be null.</param>
internal sealed record OpCase(
    string Name,
    Func<Tensor[]> Inputs,
    Func<Tensor[], Tensor> Forward,
    Func<DTensor[], DTensor> Reference,
    Action<Tensor[], Tensor, Tensor?[]> Backward)
{
    public override string ToString() => Name;

    /// <summary>Runs a rule whose float parameter's accumulator is <paramref name="index"/>, passing it by ref and writing it back.</summary>
    public delegate void ScalarAccumulatorRule(ref float accumulator);

    public static void WithScalar(Tensor?[] accumulators, int index, ScalarAccumulatorRule rule)
    {
        float value = accumulators[index]?.Span[0] ?? 0f;
        rule(ref value);
        if (accumulators[index] is { } accumulator)
        {
            accumulator.Span[0] = value;
        }
    }
}
