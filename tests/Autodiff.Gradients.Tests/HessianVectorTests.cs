using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Autodiff.Gradients.Tests.Harness;
using Xunit;

namespace Autodiff.Gradients.Tests;

/// <summary>Hessian-vector products: every function of Functions/ that has an FHessianVector, against differences of its gradient.</summary>
public class HessianVectorTests
{
    public static IEnumerable<object[]> Functions() =>
        GradientTests.Functions().Where(f => HessianChecker.HessianVectorOf(GradientTests.Find((string)f[0])) is not null);

    [Theory]
    [MemberData(nameof(Functions))]
    public void Hessian_vector_product_matches_differences_of_the_gradient(string function) => HessianChecker.Check(GradientTests.Find(function));

    [Fact]
    public void Most_of_the_gradient_suite_has_a_Hessian_vector_product() =>
        Assert.True(Functions().Count() >= 80, $"only {Functions().Count()} of {GradientTests.Functions().Count()} functions");
}
