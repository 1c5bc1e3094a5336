using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Autodiff.Gradients.Tests.Harness;
using Xunit;

namespace Autodiff.Gradients.Tests;

/// <summary>Every [Differentiable] function of Functions/ against finite differences.</summary>
public class GradientTests
{
    public static IEnumerable<object[]> Functions() =>
        typeof(GradientTests).Assembly.GetTypes()
            .Where(t => t.Namespace == "Autodiff.Gradients.Tests.Functions")
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<DifferentiableAttribute>() is not null)
            .OrderBy(m => m.DeclaringType!.Name).ThenBy(m => m.Name)
            .Select(m => new object[] { m.DeclaringType!.Name + "." + m.Name });

    [Theory]
    [MemberData(nameof(Functions))]
    public void Gradient_matches_central_differences(string function)
    {
        string[] parts = function.Split('.');
        System.Type type = typeof(GradientTests).Assembly.GetTypes().Single(t => t.Namespace == "Autodiff.Gradients.Tests.Functions" && t.Name == parts[0]);
        MethodInfo method = type.GetMethod(parts[1], BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!;
        GradientChecker.Check(method);
    }

    [Fact]
    public void The_suite_covers_at_least_sixty_functions() =>
        Assert.True(Functions().Count() >= 60, $"only {Functions().Count()} differentiable functions");
}
