using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Autodiff.Gradients.Tests.Harness;
using Xunit;

namespace Autodiff.Gradients.Tests;

/// <summary>Forward mode: every [Differentiable] function of Functions/ that has an FTangent, against finite differences and its own gradient.</summary>
public class TangentTests
{
    public static IEnumerable<object[]> Functions() =>
        GradientTests.Functions().Where(f => TangentChecker.TangentOf(GradientTests.Find((string)f[0])) is not null);

    [Theory]
    [MemberData(nameof(Functions))]
    public void Tangent_matches_central_differences_and_the_gradient(string function) => TangentChecker.Check(GradientTests.Find(function));

    /// <summary>Which functions of the gradient suite forward mode leaves out, and so why each is expected to.</summary>
    [Fact]
    public void Forward_mode_covers_the_gradient_suite_except_the_named_gaps()
    {
        var missing = GradientTests.Functions().Select(f => (string)f[0]).Where(f => TangentChecker.TangentOf(GradientTests.Find(f)) is null).OrderBy(f => f).ToList();
        Assert.Equal(ExpectedWithoutTangent.OrderBy(f => f), missing);
    }

    private static readonly string[] ExpectedWithoutTangent =
    [
    ];
}
