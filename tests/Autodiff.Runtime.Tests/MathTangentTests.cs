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
            string mathName = function == "LogBase" ? "Log" : function; // Math.Log(x, newBase)
            MethodInfo target = (math.GetMethod(mathName, inputTypes) ?? typeof(Math).GetMethod(mathName, inputTypes))!;
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

    public static TheoryData<string> SecondOrderRules() =>
        new(typeof(MathRules).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name.EndsWith("TangentBackward", StringComparison.Ordinal)).Select(m => m.Name));

    [Fact]
    public void Every_pushforward_has_its_own_pullback() =>
        Assert.Equal(
            typeof(MathRules).GetMethods().Where(m => m.Name.EndsWith("Tangent", StringComparison.Ordinal)).Select(m => m.Name + "Backward").Order(),
            typeof(MathRules).GetMethods().Where(m => m.Name.EndsWith("TangentBackward", StringComparison.Ordinal)).Select(m => m.Name).Order());

    /// <summary>
    /// The pullback of each pushforward (second derivatives) against central differences of the
    /// pushforward itself, input by input, in double, at random points away from the kinks.
    /// </summary>
    [Theory]
    [MemberData(nameof(SecondOrderRules))]
    public void Pullback_of_a_pushforward_matches_central_differences(string name)
    {
        MethodInfo pullback = typeof(MathRules).GetMethod(name)!.MakeGenericMethod(typeof(double));
        MethodInfo pushforward = typeof(MathRules).GetMethod(name.Substring(0, name.Length - "Backward".Length))!.MakeGenericMethod(typeof(double));
        int inputs = pushforward.GetParameters().Length;
        var random = new Random(name.Length * 17);
        for (int trial = 0; trial < 6; trial++)
        {
            // Inputs in (0.2, 0.8): inside every domain (Asin, Log, Sqrt), and ties of Max and Min are unlikely.
            double[] point = Enumerable.Range(0, inputs).Select(_ => 0.2 + 0.6 * random.NextDouble()).ToArray();
            if (name.StartsWith("Clamp", StringComparison.Ordinal) && point[1] > point[2])
            {
                (point[1], point[2]) = (point[2], point[1]);
            }
            if (pushforward.GetParameters().Any(p => p.Name == "result"))
            {
                // The result input is the function's value at x (it is one in every program that calls the rule).
                int at = Array.FindIndex(pushforward.GetParameters(), p => p.Name == "result");
                MethodInfo function = typeof(Math).GetMethod(name.Substring(0, name.Length - "TangentBackward".Length), Enumerable.Repeat(typeof(double), at).ToArray())!;
                point[at] = (double)function.Invoke(null, point.Take(at).Cast<object>().ToArray())!;
            }
            double seed = 0.5 + random.NextDouble();
            object[] arguments = point.Cast<object>().Append(seed).Concat(Enumerable.Repeat((object)0.0, inputs)).ToArray();
            pullback.Invoke(null, arguments);
            for (int i = 0; i < inputs; i++)
            {
                const double h = 1e-6;
                double[] plus = (double[])point.Clone(), minus = (double[])point.Clone();
                plus[i] += h;
                minus[i] -= h;
                double numeric = seed * ((double)pushforward.Invoke(null, plus.Cast<object>().ToArray())! - (double)pushforward.Invoke(null, minus.Cast<object>().ToArray())!) / (2 * h);
                double analytic = (double)arguments[inputs + 1 + i];
                Assert.True(Math.Abs(numeric - analytic) <= 1e-5 + 1e-3 * Math.Abs(numeric),
                    $"{name}: ∂/∂{pushforward.GetParameters()[i].Name} at ({string.Join(", ", point)}) is {analytic:R}, central differences give {numeric:R}");
            }
        }
    }
}
