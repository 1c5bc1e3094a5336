using System;
using System.Linq;
using Autodiff.Runtime.Tests.Reference;
using Autodiff.Runtime.Tests.Support;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>
/// The pullbacks of the pushforwards (<c>&lt;Op&gt;TangentBackward</c>), which reverse mode over
/// forward mode runs for a Hessian-vector product. For Φ(x, v) = ⟨s, J(x)·v⟩: its derivative in v is
/// Jᵀ·s, the operation's own pullback; its derivative in x along u is uᵀ·∇²⟨s, f⟩·v, against a
/// four-point second difference of the double reference.
/// </summary>
public sealed class SecondOrderRuleTests
{
    /// <summary>Float32 rounding of the rules, as in <see cref="OperationTests"/>, relative to the size of the terms summed.</summary>
    private const double Absolute = 1e-4;
    private const double Relative = 1e-3;

    /// <summary>
    /// The step of the second difference, in double: its truncation error is O(h²) ≈ 1e-7 and its
    /// rounding ≈ 1e-16·|Φ| / h² ≈ 1e-8, both far below the float tolerance.
    /// </summary>
    private const double Step = 3e-4;

    public static TheoryData<string> Names => new(OpCatalog.All.Select(c => c.Name));

    [Fact]
    public void Every_operation_has_a_second_order_case()
    {
        var missing = OpCatalog.All.Select(c => c.Name).Where(name => SecondOrderCatalog.Find(name) is null).ToList();
        var unknown = SecondOrderCatalog.Names.Where(name => !OpCatalog.All.Any(c => c.Name == name)).ToList();
        Assert.Empty(missing);
        Assert.Empty(unknown);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_tangents_part_is_the_operations_pullback(string name)
    {
        OpCase op = OpCatalog.Find(name);
        Tensor[] inputs = op.Inputs();
        Tensor[] directions = Directions.ConditionStill(name, inputs, 200);
        Tensor seed = Tensor.RandomUniform(77, -1f, 1f, op.Forward(inputs).Shape.ToArray());
        Tensor?[] expected = inputs.Select(x => (Tensor?)Tensor.ZerosLike(x)).ToArray();
        op.Backward(inputs, seed, expected);
        // Accumulators start away from zero: the rule adds.
        Tensor?[] tangentGradients = inputs.Select((x, i) => (Tensor?)Tensor.RandomUniform(500 + i, -1f, 1f, x.Shape.ToArray())).ToArray();
        float[][] before = tangentGradients.Select(g => g!.ToArray()).ToArray();

        Rule(name)(inputs, directions, seed, new Tensor?[inputs.Length], tangentGradients);

        for (int i = 0; i < inputs.Length; i++)
        {
            float[] after = tangentGradients[i]!.ToArray(), wanted = expected[i]!.ToArray();
            for (int j = 0; j < after.Length; j++)
            {
                TensorAssert.Close(wanted[j], (double)after[j] - before[i][j], Absolute, Relative, $"{name}: ∂⟨s, J·v⟩/∂v of input {i}, element {j}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_inputs_part_is_the_second_derivative_along_the_tangent(string name)
    {
        OpCase op = OpCatalog.Find(name);
        Tensor[] inputs = op.Inputs();
        Tensor[] directions = Directions.ConditionStill(name, inputs, 200);
        Tensor[] others = Directions.ConditionStill(name, inputs, 300);
        Tensor seed = Tensor.RandomUniform(77, -1f, 1f, op.Forward(inputs).Shape.ToArray());
        Tensor?[] inputGradients = inputs.Select((x, i) => (Tensor?)Tensor.RandomUniform(600 + i, -1f, 1f, x.Shape.ToArray())).ToArray();
        float[][] before = inputGradients.Select(g => g!.ToArray()).ToArray();

        Rule(name)(inputs, directions, seed, inputGradients, new Tensor?[inputs.Length]);

        // ⟨∂Φ/∂x, u⟩ against uᵀ·∇²⟨s, f⟩·v by the four-point second difference.
        double actual = 0, magnitude = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            float[] after = inputGradients[i]!.ToArray(), u = others[i].ToArray();
            for (int j = 0; j < after.Length; j++)
            {
                double term = ((double)after[j] - before[i][j]) * u[j];
                actual += term;
                magnitude += Math.Abs(term);
            }
        }
        DTensor[] at = inputs.Select(DTensor.From).ToArray();
        DTensor s = DTensor.From(seed);
        double Phi(double a, double b) => Dot(s, op.Reference(Directions.Moved(Directions.Moved(at, directions, a), others, b)));
        double expected = (Phi(Step, Step) - Phi(Step, -Step) - Phi(-Step, Step) + Phi(-Step, -Step)) / (4 * Step * Step);
        double tolerance = Absolute + Relative * Math.Max(magnitude, Math.Abs(expected));
        Assert.True(Math.Abs(actual - expected) <= tolerance, $"{name}: ⟨∂⟨s, J·v⟩/∂x, u⟩ = {actual:R}, second difference {expected:R} (tolerance {tolerance:G3})");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Null_tangents_and_null_accumulators_are_skipped(string name)
    {
        OpCase op = OpCatalog.Find(name);
        Tensor[] inputs = op.Inputs();
        Tensor seed = Tensor.RandomUniform(77, -1f, 1f, op.Forward(inputs).Shape.ToArray());
        Tensor?[] inputGradients = inputs.Select(x => (Tensor?)Tensor.ZerosLike(x)).ToArray();

        Rule(name)(inputs, new Tensor?[inputs.Length], seed, inputGradients, new Tensor?[inputs.Length]);
        Rule(name)(inputs, Directions.ConditionStill(name, inputs, 200), seed, new Tensor?[inputs.Length], new Tensor?[inputs.Length]);

        // Along no direction, ⟨s, J·0⟩ is zero whatever x is.
        Assert.All(inputGradients, g => Assert.All(g!.ToArray(), v => Assert.Equal(0f, v)));
    }

    private static SecondOrderRule Rule(string name) =>
        SecondOrderCatalog.Find(name) ?? throw new Xunit.Sdk.XunitException($"{name}: no pullback of its pushforward in SecondOrderCatalog");

    private static double Dot(DTensor a, DTensor b) => a.Data.Zip(b.Data, (x, y) => x * y).Sum();
}
