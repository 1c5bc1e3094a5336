using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace Autodiff.Gradients.Tests.Harness;

/// <summary>
/// Checks the generated FGradient and FPullback of a [Differentiable] method F against central
/// finite differences of F itself, at random points of its domain and at the points it lists.
/// </summary>
/// <remarks>
/// Tolerances follow PyTorch's gradcheck for double (eps 1e-6, atol 1e-5, rtol 1e-3). For float
/// functions the difference step is 1e-2 and the tolerances 2e-2: float32 rounding (~6e-8 relative)
/// divided by the step dominates a smaller step, the O(h²) truncation error a larger one.
/// </remarks>
public static class GradientChecker
{
    private const int ArrayLength = 4;

    public static void Check(MethodInfo function, int randomPoints = 4, int seed = 1234)
    {
        MethodInfo gradient = Sibling(function, "Gradient");
        MethodInfo pullback = Sibling(function, "Pullback");
        var random = new Random(seed);
        var points = new List<object?[]>();
        foreach (AtAttribute at in function.GetCustomAttributes<AtAttribute>())
        {
            points.Add(Arguments(function, random, at.Values));
        }
        for (int i = 0; i < randomPoints; i++)
        {
            points.Add(Arguments(function, random, null));
        }
        foreach (object?[] point in points)
        {
            CheckAt(function, gradient, pullback, point, random);
        }
    }

    private static MethodInfo Sibling(MethodInfo function, string suffix) =>
        function.DeclaringType!.GetMethod(function.Name + suffix, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
        ?? throw new InvalidOperationException($"{function.Name}{suffix} was not generated");

    internal static bool IsDifferentiable(ParameterInfo parameter) =>
        parameter.GetCustomAttribute<NoGradAttribute>() is null
        && (parameter.ParameterType == typeof(double) || parameter.ParameterType == typeof(float)
            || parameter.ParameterType == typeof(double[]) || parameter.ParameterType == typeof(float[]));

    private static bool IsFloat(MethodInfo function) => function.ReturnType == typeof(float);

    internal static object?[] Arguments(MethodInfo function, Random random, double[]? fixedValues)
    {
        DomainAttribute domain = function.GetCustomAttribute<DomainAttribute>() ?? new DomainAttribute(-2, 2);
        int[] ints = function.GetCustomAttribute<IntsAttribute>()?.Values ?? Array.Empty<int>();
        int nextInt = 0, nextFixed = 0;
        double Next() => fixedValues is not null ? fixedValues[nextFixed++] : domain.Low + (domain.High - domain.Low) * random.NextDouble();
        var arguments = new object?[function.GetParameters().Length];
        foreach (ParameterInfo parameter in function.GetParameters())
        {
            Type type = parameter.ParameterType;
            arguments[parameter.Position] = type switch
            {
                _ when type == typeof(double) => Next(),
                _ when type == typeof(float) => (float)Next(),
                _ when type == typeof(double[]) => Enumerable.Range(0, ArrayLength).Select(_ => Next()).ToArray(),
                _ when type == typeof(float[]) => Enumerable.Range(0, ArrayLength).Select(_ => (float)Next()).ToArray(),
                _ when type == typeof(int) => nextInt < ints.Length ? ints[nextInt++] : 3,
                _ when type == typeof(int[]) => new[] { 2, 0, 3, 1 },
                _ => throw new NotSupportedException($"harness cannot make a {type.Name} for {function.Name}"),
            };
        }
        return arguments;
    }

    private static void CheckAt(MethodInfo function, MethodInfo gradient, MethodInfo pullback, object?[] point, Random random)
    {
        bool isFloat = IsFloat(function);
        ParameterInfo[] parameters = function.GetParameters();
        var differentiable = parameters.Where(IsDifferentiable).ToArray();

        // FGradient: value and every gradient.
        object?[] gradientArguments = Clone(point).Concat(differentiable.Select(_ => (object?)null)).ToArray();
        double value = ToDouble(gradient.Invoke(null, gradientArguments));
        double expectedValue = ToDouble(function.Invoke(null, Clone(point)));
        AssertClose(expectedValue, value, 1e-12, 1e-12, $"{function.Name} value at {Show(point)}");
        for (int d = 0; d < differentiable.Length; d++)
        {
            ParameterInfo parameter = differentiable[d];
            // A float input (or a float result) is only known to float precision: use float settings.
            bool floatPrecision = isFloat || parameter.ParameterType == typeof(float) || parameter.ParameterType == typeof(float[]);
            double step = floatPrecision ? 1e-2 : 1e-6;
            double atol = floatPrecision ? 2e-2 : 1e-5, rtol = floatPrecision ? 2e-2 : 1e-3;
            object? analytic = gradientArguments[parameters.Length + d];
            foreach ((int index, double numeric) in FiniteDifferences(function, point, parameter.Position, step))
            {
                double computed = Component(analytic, index);
                AssertClose(numeric, computed, atol, rtol,
                    $"∂{function.Name}/∂{parameter.Name}{(index < 0 ? string.Empty : $"[{index}]")} at {Show(point)}");
            }
        }

        // FPullback: adds seed × gradient into accumulators that already hold something. For an array
        // the function writes into, the accumulator holds on entry the gradient of the array's final
        // contents (how one generated method chains through another): there, start from zero.
        double seedValue = 0.5 + random.NextDouble();
        object?[] accumulators = differentiable.Select(p => WritesInto(function, point, p.Position)
            ? Prefilled(p.ParameterType, point[p.Position], fill: 0)
            : Prefilled(p.ParameterType, point[p.Position])).ToArray();
        object?[] initial = accumulators.Select(CloneValue).ToArray();
        object seedArgument = isFloat ? (object)(float)seedValue : seedValue;
        object?[] pullbackArguments = Clone(point).Append(seedArgument).Concat(accumulators).ToArray();
        double pulledValue = ToDouble(pullback.Invoke(null, pullbackArguments));
        AssertClose(expectedValue, pulledValue, 1e-12, 1e-12, $"{function.Name}Pullback value");
        for (int d = 0; d < differentiable.Length; d++)
        {
            object? accumulated = pullbackArguments[parameters.Length + 1 + d];
            object? analytic = gradientArguments[parameters.Length + d];
            int count = analytic is Array array ? array.Length : 1;
            for (int i = 0; i < count; i++)
            {
                int index = analytic is Array ? i : -1;
                // Float accumulators add in float: allow float rounding.
                bool floatAccumulator = isFloat || accumulated is float or float[];
                double expected = Component(initial[d], index) + (isFloat ? (float)seedValue : seedValue) * Component(analytic, index);
                AssertClose(expected, Component(accumulated, index), floatAccumulator ? 1e-5 : 1e-12, floatAccumulator ? 1e-6 : 1e-12,
                    $"{function.Name}Pullback accumulator of {differentiable[d].Name}");
            }
        }
    }

    /// <summary>Central differences with respect to one parameter (each element of an array).</summary>
    private static IEnumerable<(int Index, double Value)> FiniteDifferences(MethodInfo function, object?[] point, int position, double step)
    {
        object? original = point[position];
        if (original is double[] doubles)
        {
            for (int i = 0; i < doubles.Length; i++)
            {
                yield return (i, Central(h => { var x = (double[])doubles.Clone(); x[i] += h; return Evaluate(function, point, position, x); }, step));
            }
        }
        else if (original is float[] floats)
        {
            for (int i = 0; i < floats.Length; i++)
            {
                yield return (i, Central(h => { var x = (float[])floats.Clone(); x[i] += (float)h; return Evaluate(function, point, position, x); }, step));
            }
        }
        else if (original is float f)
        {
            yield return (-1, Central(h => Evaluate(function, point, position, (float)(f + h)), step));
        }
        else
        {
            double x0 = (double)original!;
            yield return (-1, Central(h => Evaluate(function, point, position, x0 + h), step));
        }
    }

    private static double Central(Func<double, double> f, double step) => (f(step) - f(-step)) / (2 * step);

    private static double Evaluate(MethodInfo function, object?[] point, int position, object replacement)
    {
        object?[] arguments = Clone(point);
        arguments[position] = replacement;
        return ToDouble(function.Invoke(null, arguments));
    }

    internal static object? Prefilled(Type type, object? like, double fill = 0.25) => type switch
    {
        _ when type == typeof(double) => fill,
        _ when type == typeof(float) => (float)fill,
        _ when type == typeof(double[]) => Enumerable.Repeat(fill, ((double[])like!).Length).ToArray(),
        _ when type == typeof(float[]) => Enumerable.Repeat((float)fill, ((float[])like!).Length).ToArray(),
        _ => null,
    };

    /// <summary>Whether calling the function changes the array at that position.</summary>
    internal static bool WritesInto(MethodInfo function, object?[] point, int position)
    {
        if (point[position] is not Array array)
        {
            return false;
        }
        object?[] arguments = Clone(point);
        function.Invoke(null, arguments);
        Array after = (Array)arguments[position]!;
        for (int i = 0; i < array.Length; i++)
        {
            if (!Equals(array.GetValue(i), after.GetValue(i)))
            {
                return true;
            }
        }
        return false;
    }

    internal static double Component(object? value, int index) => value switch
    {
        double[] a => a[index],
        float[] a => a[index],
        float f => f,
        double d => d,
        _ => throw new InvalidOperationException("no gradient value"),
    };

    internal static double ToDouble(object? value) => value is float f ? f : (double)value!;

    internal static object?[] Clone(object?[] point) => point.Select(CloneValue).ToArray();

    internal static object? CloneValue(object? value) => value is Array array ? array.Clone() : value;

    internal static string Show(object?[] point) => "(" + string.Join(", ", point.Select(p => p is Array a ? "[" + string.Join(", ", a.Cast<object>()) + "]" : p?.ToString())) + ")";

    public static void AssertClose(double expected, double actual, double atol, double rtol, string what)
    {
        bool bothNaN = double.IsNaN(expected) && double.IsNaN(actual);
        bool close = bothNaN || expected == actual || Math.Abs(expected - actual) <= atol + rtol * Math.Abs(expected);
        Assert.True(close, $"{what}: expected {expected:R}, got {actual:R}");
    }
}
