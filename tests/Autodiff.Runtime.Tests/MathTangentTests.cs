using System;
using System.Linq;
using System.Reflection;
using Autodiff.Derivatives;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>
/// Every pushforward of <see cref="MathRules"/> against the pullback of the same function beside it: the
/// tangent along random directions equals Σ (pullback with seed 1)ᵢ · dxᵢ, for double and float,
/// at random points and at the kinks (ties of Max and Min, Abs at 0, Pow with a zero base).
/// </summary>
public class MathTangentTests
{
    public static TheoryData<string> Pushforwards() =>
        new(typeof(MathRules).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name.EndsWith("Tangent", StringComparison.Ordinal)).Select(m => m.Name));

    [Theory]
    [MemberData(nameof(Pushforwards))]
    public void Pushforward_agrees_with_the_pullback(string name)
    {
        MethodInfo generic = typeof(MathRules).GetMethod(name)!;
        string function = name.Substring(0, name.Length - "Tangent".Length);
        foreach ((Type type, Type math) in new[] { (typeof(double), typeof(Math)), (typeof(float), typeof(MathF)) })
        {
            MethodInfo pushforward = generic.MakeGenericMethod(type);
            ParameterInfo[] parameters = pushforward.GetParameters();
            bool takesResult = parameters.Any(p => p.Name == "result");
            int inputs = (parameters.Length - (takesResult ? 1 : 0)) / 2;
            Type[] inputTypes = Enumerable.Repeat(type, inputs).ToArray();
            MethodInfo target = (math.GetMethod(function, inputTypes) ?? typeof(Math).GetMethod(function, inputTypes))!;
            MethodInfo pullback = typeof(MathRules).GetMethods().Single(m => m.Name == function + "Backward"
                && m.GetParameters().Length == inputs * 2 + 1 + (takesResult ? 1 : 0)).MakeGenericMethod(type);
            var random = new Random(name.Length * 31 + inputs);
            var points = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, inputs).Select(_ => random.NextDouble() * 1.6 - 0.8).ToArray()).ToList();
            points.Add(Enumerable.Repeat(0.0, inputs).ToArray());
            points.Add(Enumerable.Repeat(0.5, inputs).ToArray());
            foreach (double[] point in points)
            {
                if (function == "Clamp" && point[1] > point[2])
                {
                    (point[1], point[2]) = (point[2], point[1]); // Math.Clamp needs min ≤ max
                }
                double[] direction = Enumerable.Range(0, inputs).Select(_ => random.NextDouble() * 2 - 1).ToArray();
                object[] x = point.Select(v => Convert.ChangeType(v, type)).ToArray();
                object result = target.Invoke(null, x)!;
                object[] pushArguments = x.Concat(takesResult ? new[] { result } : Array.Empty<object>()).Concat(direction.Select(v => Convert.ChangeType(v, type))).ToArray();
                double tangent = Convert.ToDouble(pushforward.Invoke(null, pushArguments));
                object[] pullArguments = x.Concat(takesResult ? new[] { result } : Array.Empty<object>()).Append(Convert.ChangeType(1.0, type))
                    .Concat(Enumerable.Repeat(Convert.ChangeType(0.0, type), inputs)).ToArray();
                pullback.Invoke(null, pullArguments);
                double expected = 0;
                for (int i = 0; i < inputs; i++)
                {
                    expected += Convert.ToDouble(pullArguments[pullArguments.Length - inputs + i]) * Convert.ToDouble(Convert.ChangeType(direction[i], type));
                }
                bool close = (double.IsNaN(expected) && double.IsNaN(tangent)) || expected == tangent
                    || Math.Abs(expected - tangent) <= (type == typeof(float) ? 1e-5 : 1e-12) * (1 + Math.Abs(expected));
                Assert.True(close, $"{name}<{type.Name}> at ({string.Join(", ", point)}) along ({string.Join(", ", direction)}): {tangent:R}, the pullback gives {expected:R}");
            }
        }
    }

    [Fact]
    public void A_zero_tangent_contributes_nothing_even_through_an_undefined_partial()
    {
        // Math.Pow(x, 3) with x < 0: ∂/∂y = x³·ln x is NaN, but y does not vary.
        double x = -1.5, result = Math.Pow(x, 3);
        Assert.Equal(3 * x * x * 0.5, MathRules.PowTangent(x, 3.0, result, 0.5, 0.0), 12);
        Assert.Equal(0f, MathRules.PowTangent(0f, -2f, MathF.Pow(0f, -2f), 0f, 0f));
    }
}
