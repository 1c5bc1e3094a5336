using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Autodiff.Gradients.Tests.Harness;
using Xunit;

namespace Autodiff.Gradients.Tests;

/// <summary>Every [Differentiable] method of VectorFunctions/ (array results) against finite differences.</summary>
public class VectorResultTests
{
    private const string Namespace = "Autodiff.Gradients.Tests.VectorFunctions";

    public static IEnumerable<object[]> Functions() => GradientTests.FunctionsIn(Namespace);

    private static MethodInfo Find(string function) => GradientTests.Find(function, Namespace);

    [Theory]
    [MemberData(nameof(Functions))]
    public void Jacobian_pullback_and_tangent_match_central_differences(string function) => VectorChecker.Check(Find(function));

    [Theory]
    [MemberData(nameof(Functions))]
    public void Every_array_result_gets_all_three_members_and_no_gradient(string function)
    {
        MethodInfo method = Find(function);
        Assert.NotNull(VectorChecker.Sibling(method, "Pullback"));
        Assert.NotNull(VectorChecker.Sibling(method, "Tangent"));
        Assert.NotNull(VectorChecker.Sibling(method, "Jacobian"));
        Assert.Null(VectorChecker.Sibling(method, "Gradient"));
    }

    [Fact]
    public void A_seed_of_the_wrong_length_is_an_error_naming_the_member_and_both_lengths()
    {
        var error = Assert.Throws<System.ArgumentException>(() => VectorFunctions.ArrayResults.SoftmaxPullback(new double[4], new double[3], null));
        Assert.Equal("seed", error.ParamName);
        Assert.StartsWith("SoftmaxPullback: the seed array seed has length 3 but the result has length 4; they must match.", error.Message);
    }

    [Fact]
    public void A_result_that_does_not_depend_on_the_inputs_still_has_its_seed_checked()
    {
        double dx = 0;
        Assert.Throws<System.ArgumentException>(() => VectorFunctions.ArrayResults.ConstantPullback(1.0, new double[5], ref dx));
        Assert.Throws<System.ArgumentNullException>(() => VectorFunctions.ArrayResults.ConstantPullback(1.0, null!, ref dx));
    }

    [Fact]
    public void Jacobian_rows_by_reverse_mode_and_columns_by_forward_mode_agree()
    {
        // Features has one input and four outputs: FJacobian takes forward mode; its pullback gives the same rows.
        double[] value = VectorFunctions.ArrayResults.FeaturesJacobian(0.7, out double[] byColumns);
        for (int i = 0; i < value.Length; i++)
        {
            var seed = new double[value.Length];
            seed[i] = 1;
            double row = 0;
            VectorFunctions.ArrayResults.FeaturesPullback(0.7, seed, ref row);
            Assert.Equal(row, byColumns[i], 12);
        }
    }
}
