using System;
using Autodiff.Runtime;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>
/// The entry checks of generated pullbacks and tangents: a null array passes (no gradient wanted, a
/// zero direction), an array of the right length passes, and any other length throws, naming the
/// member, both arrays and both lengths, in both precisions.
/// </summary>
public class GradientArraysTests
{
    [Fact]
    public void Null_and_matching_arrays_pass()
    {
        GradientArrays.CheckLength("FPullback", null, "dX", new double[3], "x");
        GradientArrays.CheckLength("FPullback", new double[3], "dX", new double[3], "x");
        GradientArrays.CheckLength("FPullback", (float[]?)null, "dX", new float[2], "x");
        GradientArrays.CheckTangentLength("FTangent", new float[2], "dX", new float[2], "x");
        GradientArrays.CheckTangentLength("FTangent", (double[]?)null, "dX", new double[2], "x");
    }

    [Fact]
    public void Another_length_throws_naming_the_member_both_arrays_and_both_lengths()
    {
        var gradient = Assert.Throws<ArgumentException>(() => GradientArrays.CheckLength("FPullback", new double[2], "dX", new double[3], "x"));
        Assert.Equal("FPullback: the gradient array dX has length 2 but x has length 3; they must match. (Parameter 'dX')", gradient.Message);
        Assert.Equal("dX", gradient.ParamName);
        var single = Assert.Throws<ArgumentException>(() => GradientArrays.CheckLength("GPullback", new float[5], "dW", new float[1], "w"));
        Assert.Equal("GPullback: the gradient array dW has length 5 but w has length 1; they must match. (Parameter 'dW')", single.Message);
        var tangent = Assert.Throws<ArgumentException>(() => GradientArrays.CheckTangentLength("FTangent", new float[4], "dX", new float[2], "x"));
        Assert.Equal("FTangent: the tangent array dX has length 4 but x has length 2; they must match. (Parameter 'dX')", tangent.Message);
    }
}
