using System;
using System.Linq;
using Autodiff.Runtime.Tests.Reference;

namespace Autodiff.Runtime.Tests.Support;

/// <summary>Directions in which the forward-mode and second-order rule tests move an operation's inputs.</summary>
internal static class Directions
{
    /// <summary>A direction per input, uniform in [−1, 1), of the input's shape.</summary>
    public static Tensor[] Random(Tensor[] inputs, int seed) =>
        inputs.Select((x, i) => Tensor.RandomUniform(seed + i, -1f, 1f, x.Shape.ToArray())).ToArray();

    /// <summary>
    /// The same, with a condition (Where's first input) held still: its zeros would move off zero on both
    /// sides of a difference, choosing the other operand there, whose tangent the difference then measures.
    /// </summary>
    public static Tensor[] ConditionStill(string name, Tensor[] inputs, int seed)
    {
        Tensor[] directions = Random(inputs, seed);
        if (name.StartsWith("Where", StringComparison.Ordinal))
        {
            directions[0] = Tensor.ZerosLike(inputs[0]);
        }
        return directions;
    }

    /// <summary>The double inputs moved by <paramref name="step"/> along the directions.</summary>
    public static DTensor[] Moved(DTensor[] at, Tensor[] directions, double step) =>
        at.Select((x, i) => x.WithData(x.Data.Zip(directions[i].ToArray(), (value, d) => value + step * d).ToArray())).ToArray();
}
