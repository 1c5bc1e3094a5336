using System;
using Autodiff.Derivatives;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>Every shape error is an ArgumentException whose message names the operation and the shapes.</summary>
public sealed class ShapeErrorTests
{
    private static readonly Tensor M23 = Tensor.Zeros(2, 3);
    private static readonly Tensor M45 = Tensor.Zeros(4, 5);
    private static readonly Tensor V4 = Tensor.Zeros(4);
    private static readonly Tensor V3 = Tensor.Zeros(3);

    [Fact]
    public void MatMul_reports_the_inner_dimensions()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Tensor.MatMul(M23, M45));
        Assert.Equal("MatMul: cannot multiply [2x3] by [4x5]: inner dimensions 3 and 4 differ.", error.Message);
    }

    public static TheoryData<string, Func<object>, string[]> Cases => new()
    {
        { "Add", () => M23 + V4, ["[2x3]", "[4]"] },
        { "Subtract", () => Tensor.Subtract(V4, M23), ["[4]", "[2x3]"] },
        { "Multiply", () => M23 * Tensor.Zeros(3, 3), ["[2x3]", "[3x3]"] },
        { "Divide", () => Tensor.Zeros(2, 1, 3) / Tensor.Zeros(4, 2), ["[2x1x3]", "[4x2]"] },
        { "MatMul", () => Tensor.MatMul(V3, M23), ["[3]", "[2x3]"] },
        { "Dot", () => Tensor.Dot(V3, V4), ["[3]", "[4]"] },
        { "Concat", () => Tensor.Concat(M23, Tensor.Zeros(2, 4)), ["[2x3]", "[2x4]"] },
        { "Slice", () => Tensor.Slice(M23, 1, 2), ["[2x3]"] },
        { "Concat", () => Tensor.Concat(M23, Tensor.Zeros(3, 3), 1), ["[2x3]", "[3x3]", "axis 1"] },
        { "Slice", () => Tensor.Slice(M23, 1, 2, 2), ["[2x3]", "axis 1", "entries 2 to 3"] },
        { "MatMul", () => Tensor.MatMul(Tensor.Zeros(2, 3, 4), Tensor.Zeros(3, 4, 5)), ["[2x3x4]", "[3x4x5]", "batch axes", "2 against 3"] },
        { "Permute", () => Tensor.Permute(M23, 0, 0), ["[2x3]", "not a permutation"] },
        { "LayerNorm", () => Tensor.LayerNorm(M23, V4, V4), ["[2x3]", "[4]"] },
        { "Where", () => Tensor.Where(V4, M23, M23), ["condition [4]", "a [2x3]", "b [2x3]"] },
        { "BatchNorm", () => Tensor.BatchNorm(M23, V4, V4, V4, V4, true), ["x [2x3]", "gamma [4]", "running mean [4]"] },
        { "BatchNorm", () => Tensor.BatchNorm(V3, V3, V3, V3, V3, true), ["x [3]"] },
        { "Where", () => Tensor.Where(V3, M23, Tensor.Zeros(3, 2)), ["condition [3]", "a [2x3]", "b [3x2]"] },
        { "Where", () => Tensor.Where(M23, V3, 0f), ["condition [2x3]", "a [3]"] },
        { "CausalMask", () => Tensor.CausalMask(V3), ["[3]"] },
        { "Max", () => Tensor.Max(M23, 2), ["[2x3]", "axis 2"] },
        { "MseLoss", () => Tensor.MseLoss(V3, V4), ["[3]", "[4]"] },
        { "CrossEntropy", () => Tensor.CrossEntropy(M23, [0, 1, 2]), ["[2x3]", "need 2 labels, got 3"] },
        { "CrossEntropy", () => Tensor.CrossEntropy(M23, [0, 3]), ["label 3", "3 classes"] },
        { "CrossEntropy", () => Tensor.CrossEntropy(V3, [0]), ["[3]"] },
        { "Transpose", () => Tensor.Transpose(V3), ["[3]"] },
        { "Reshape", () => M23.Reshape(4, 2), ["[2x3]", "[4x2]"] },
        { "Sum", () => Tensor.Sum(M23, 2), ["[2x3]", "axis 2"] },
        { "Softmax", () => Tensor.Softmax(Tensor.Scalar(1f)), ["[]"] },
        { "FromArray", () => Tensor.FromArray([1f, 2f], 3), ["[3]", "2 values"] },
        { "Zeros", () => Tensor.Zeros(1, 1, 1, 1, 1), ["[1x1x1x1x1]"] },
        { "CopyFrom", () => { M23.CopyFrom(V3); return M23; }, ["[2x3]", "[3]"] },
        { "AddInPlace", () => { Tensor.AddInPlace(V3, V4); return V3; }, ["[3]", "[4]"] },
        { "AccumulateReduced", () => { Tensor.AccumulateReduced(V3, M45); return V3; }, ["[3]", "[4x5]"] },
        { "Gather", () => Tensor.Gather(M23, [0, 2]), ["row 2", "[2x3]"] },
        { "ExpBackward", () => { TensorDerivatives.ExpBackward(V3, V3, V4, null); return V3; }, ["seed", "[4]", "[3]"] },
        { "AddBackward", () => { TensorDerivatives.AddBackward(M23, V3, M23, null, V4); return V3; }, ["accumulator", "[4]", "[3]"] },
        { "MatMulBackward", () => { TensorDerivatives.MatMulBackward(M23, Tensor.Zeros(3, 5), M45, null, null); return M23; }, ["seed", "[4x5]", "[2x5]"] },
        { "SumAxisBackward", () => { TensorDerivatives.SumAxisBackward(M23, 0, V4, null); return M23; }, ["seed", "[4]", "[3]"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Message_names_the_operation_and_the_shapes(string operation, Func<object> action, string[] mentions)
    {
        var error = Assert.ThrowsAny<ArgumentException>(action);
        Assert.StartsWith(operation + ":", error.Message);
        foreach (string mention in mentions)
        {
            Assert.Contains(mention, error.Message);
        }
    }
}
