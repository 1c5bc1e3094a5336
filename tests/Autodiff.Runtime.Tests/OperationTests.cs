using System;
using System.Linq;
using Autodiff.Runtime.Tests.Reference;
using Autodiff.Runtime.Tests.Support;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>Every operation of <see cref="OpCatalog"/>: forward values, backward rule, accumulator handling.</summary>
public sealed class OperationTests
{
    /// <summary>
    /// Rule against finite differences: the rule runs in float32, so its own rounding (a few
    /// ulps per operation, accumulated over a row or a matrix product of up to ~40 terms of
    /// order 1) dominates; atol 1e-4 with rtol 1e-3 sits well above that and far below any real
    /// error, which would be of the order of the gradient itself.
    /// </summary>
    private const double GradientAbsolute = 1e-4;
    private const double GradientRelative = 1e-3;

    public static TheoryData<string> Names => new(OpCatalog.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_matches_the_double_reference(string name)
    {
        OpCase op = OpCatalog.Find(name);
        Tensor[] inputs = op.Inputs();
        DTensor expected = op.Reference(inputs.Select(DTensor.From).ToArray());

        Tensor actual = op.Forward(inputs);

        TensorAssert.Close(expected, actual, what: name);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Backward_adds_the_finite_difference_gradient_into_nonzero_accumulators(string name)
    {
        OpCase op = OpCatalog.Find(name);
        Tensor[] inputs = op.Inputs();
        float[][] inputsBefore = inputs.Select(x => x.ToArray()).ToArray();
        Tensor seed = Tensor.RandomUniform(77, -1f, 1f, op.Forward(inputs).Shape.ToArray());
        // Start from non-zero values, so a rule that overwrites instead of adding fails.
        Tensor?[] accumulators = inputs.Select((x, i) => (Tensor?)Tensor.RandomUniform(100 + i, -1f, 1f, x.Shape.ToArray())).ToArray();
        float[][] before = accumulators.Select(a => a!.ToArray()).ToArray();

        op.Backward(inputs, seed, accumulators);

        double[][] expected = FiniteDifferences.Gradient(op.Reference, inputs.Select(DTensor.From).ToArray(), DTensor.From(seed));
        for (int i = 0; i < inputs.Length; i++)
        {
            float[] after = accumulators[i]!.ToArray();
            for (int j = 0; j < after.Length; j++)
            {
                TensorAssert.Close(expected[i][j], (double)after[j] - before[i][j], GradientAbsolute, GradientRelative,
                    $"{name}: gradient of input {i}, element {j}");
            }
            Assert.Equal(inputsBefore[i], inputs[i].ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Backward_skips_null_accumulators_and_treats_each_independently(string name)
    {
        OpCase op = OpCatalog.Find(name);
        Tensor[] inputs = op.Inputs();
        Tensor seed = Tensor.RandomUniform(77, -1f, 1f, op.Forward(inputs).Shape.ToArray());
        Tensor?[] all = inputs.Select(x => (Tensor?)Tensor.ZerosLike(x)).ToArray();
        op.Backward(inputs, seed, all);

        op.Backward(inputs, seed, new Tensor?[inputs.Length]);

        for (int i = 0; i < inputs.Length; i++)
        {
            var only = new Tensor?[inputs.Length];
            only[i] = Tensor.ZerosLike(inputs[i]);
            op.Backward(inputs, seed, only);
            Assert.Equal(all[i]!.ToArray(), only[i]!.ToArray());
        }
    }
}
