using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Autodiff.Gradients.Tests.Harness;
using Xunit;

namespace Autodiff.Gradients.Tests;

/// <summary>Every [Differentiable] function of Functions/ against finite differences.</summary>
public class GradientTests
{
    private const string FunctionsNamespace = "Autodiff.Gradients.Tests.Functions";

    public static IEnumerable<object[]> Functions() => FunctionsIn(FunctionsNamespace);

    /// <summary>Every [Differentiable] method of the namespace's types, as "Type.Method" (one theory case each).</summary>
    internal static IEnumerable<object[]> FunctionsIn(string ns) =>
        typeof(GradientTests).Assembly.GetTypes()
            .Where(t => t.Namespace == ns)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<DifferentiableAttribute>() is not null)
            .OrderBy(m => m.DeclaringType!.Name).ThenBy(m => m.Name)
            .Select(m => new object[] { m.DeclaringType!.Name + "." + m.Name });

    /// <summary>The method a theory case names.</summary>
    internal static MethodInfo Find(string function, string ns = FunctionsNamespace)
    {
        string[] parts = function.Split('.');
        System.Type type = typeof(GradientTests).Assembly.GetTypes().Single(t => t.Namespace == ns && t.Name == parts[0]);
        return type.GetMethod(parts[1], BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!;
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Gradient_matches_central_differences(string function) => GradientChecker.Check(Find(function));

    [Fact]
    public void The_suite_covers_at_least_sixty_functions() =>
        Assert.True(Functions().Count() >= 60, $"only {Functions().Count()} differentiable functions");
}
