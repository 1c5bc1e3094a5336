using System;
using System.Linq;
using Autodiff.Runtime.Tests.Reference;
using Autodiff.Runtime.Tests.Support;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>
/// Every operation of <see cref="OpCatalog"/> through its pushforward (forward mode's rule):
/// against directional central differences of the double reference, against its own pullback
/// (a pushforward is the transpose of the pullback: ⟨s, J·v⟩ = ⟨Jᵀ·s, v⟩ for every seed s and
/// direction v), and with null tangents as zero directions.
/// </summary>
public sealed class TangentRuleTests
{
    /// <summary>The tolerance of <see cref="OperationTests"/>: float32 rounding of the rule, far below any real error.</summary>
    private const double Absolute = 1e-4;
    private const double Relative = 1e-3;
    private const double Step = 1e-6;

    public static TheoryData<string> Names => new(OpCatalog.All.Select(c => c.Name));

    [Fact]
    public void Every_operation_has_a_pushforward_case()
    {
        var withoutPushforward = OpCatalog.All.Select(c => c.Name).Where(name => TangentCatalog.Find(name) is null).ToList();
        var withoutOperation = TangentCatalog.Names.Where(name => !OpCatalog.All.Any(c => c.Name == name)).ToList();
        Assert.Empty(withoutPushforward);
        Assert.Empty(withoutOperation);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Tangent_matches_directional_central_differences_of_the_double_reference(string name)
    {
        OpCase op = OpCatalog.Find(name);
        TangentRule tangentRule = Rule(name);
        Tensor[] inputs = op.Inputs();
        Tensor[] directions = Directions.ConditionStill(name, inputs, 200);
        float[][] inputsBefore = inputs.Select(x => x.ToArray()).ToArray();
        float[][] directionsBefore = directions.Select(x => x.ToArray()).ToArray();

        Tensor tangent = tangentRule(inputs, directions);

        DTensor[] at = inputs.Select(DTensor.From).ToArray();
        DTensor plus = op.Reference(Directions.Moved(at, directions, Step));
        DTensor minus = op.Reference(Directions.Moved(at, directions, -Step));
        Assert.Equal(plus.Shape, tangent.Shape.ToArray());
        float[] actual = tangent.ToArray();
        for (int j = 0; j < actual.Length; j++)
        {
            double expected = (plus.Data[j] - minus.Data[j]) / (2 * Step);
            TensorAssert.Close(expected, actual[j], Absolute, Relative, $"{name}: tangent element {j}");
        }
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(inputsBefore[i], inputs[i].ToArray());
            Assert.Equal(directionsBefore[i], directions[i].ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Tangent_is_the_transpose_of_the_pullback(string name)
    {
        OpCase op = OpCatalog.Find(name);
        Tensor[] inputs = op.Inputs();
        Tensor[] directions = Directions.Random(inputs, 200);
        Tensor seed = Tensor.RandomUniform(77, -1f, 1f, op.Forward(inputs).Shape.ToArray());
        Tensor?[] gradients = inputs.Select(x => (Tensor?)Tensor.ZerosLike(x)).ToArray();

        Tensor tangent = Rule(name)(inputs, directions);
        op.Backward(inputs, seed, gradients);

        // ⟨s, J·v⟩ against Σᵢ ⟨(Jᵀ·s)ᵢ, vᵢ⟩, both summed in double; the bound is the rounding of the terms' magnitudes.
        (double forward, double forwardMagnitude) = Dot(seed.ToArray(), tangent.ToArray());
        (double reverse, double reverseMagnitude) = inputs.Select((_, i) => Dot(gradients[i]!.ToArray(), directions[i].ToArray()))
            .Aggregate((0.0, 0.0), (sum, term) => (sum.Item1 + term.Item1, sum.Item2 + term.Item2));
        double tolerance = Absolute + Relative * Math.Max(forwardMagnitude, reverseMagnitude);
        Assert.True(Math.Abs(forward - reverse) <= tolerance, $"{name}: ⟨s, J·v⟩ = {forward:R}, ⟨Jᵀ·s, v⟩ = {reverse:R} (tolerance {tolerance:G3})");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Null_tangents_are_zero_directions_and_each_input_adds_its_own_part(string name)
    {
        OpCase op = OpCatalog.Find(name);
        TangentRule tangentRule = Rule(name);
        Tensor[] inputs = op.Inputs();
        Tensor[] directions = Directions.Random(inputs, 200);
        int[] shape = op.Forward(inputs).Shape.ToArray();

        Tensor none = tangentRule(inputs, new Tensor?[inputs.Length]);
        Tensor all = tangentRule(inputs, directions);

        Assert.Equal(shape, none.Shape.ToArray());
        Assert.All(none.ToArray(), v => Assert.Equal(0f, v));
        var sum = new double[all.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            var only = new Tensor?[inputs.Length];
            only[i] = directions[i];
            float[] part = tangentRule(inputs, only).ToArray();
            for (int j = 0; j < sum.Length; j++)
            {
                sum[j] += part[j];
            }
        }
        float[] together = all.ToArray();
        for (int j = 0; j < sum.Length; j++)
        {
            TensorAssert.Close(together[j], sum[j], Absolute, Relative, $"{name}: the inputs' parts against all at once, element {j}");
        }
    }

    private static TangentRule Rule(string name) =>
        TangentCatalog.Find(name) ?? throw new Xunit.Sdk.XunitException($"{name}: no pushforward in TangentCatalog");

    private static (double Sum, double Magnitude) Dot(float[] a, float[] b)
    {
        double sum = 0, magnitude = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double term = (double)a[i] * b[i];
            sum += term;
            magnitude += Math.Abs(term);
        }
        return (sum, magnitude);
    }
}
