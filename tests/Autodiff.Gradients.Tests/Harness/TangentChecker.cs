using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace Autodiff.Gradients.Tests.Harness;

/// <summary>
/// Checks the generated FTangent (forward mode) of a [Differentiable] method F: its value is F's,
/// and its tangent along a random direction v matches central differences of F along v and the
/// generated gradient's dot product with v; an array F writes into gets the tangent of its final
/// contents, checked against central differences of those contents.
/// </summary>
/// <remarks>Same points and tolerances as <see cref="GradientChecker"/> (PyTorch gradcheck's for double).</remarks>
public static class TangentChecker
{
    public static MethodInfo? TangentOf(MethodInfo function) =>
        function.DeclaringType!.GetMethod(function.Name + "Tangent", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static);

    public static void Check(MethodInfo function, int randomPoints = 4, int seed = 4321)
    {
        MethodInfo tangent = TangentOf(function) ?? throw new InvalidOperationException($"{function.Name}Tangent was not generated");
        MethodInfo gradient = function.DeclaringType!.GetMethod(function.Name + "Gradient", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!;
        var random = new Random(seed);
        ParameterInfo[] differentiable = function.GetParameters().Where(GradientChecker.IsDifferentiable).ToArray();
        // The listed points sit on kinks and guards, where only the one-sided coordinate steps of
        // the gradient check are meaningful: there, each coordinate direction in turn.
        foreach (AtAttribute listed in function.GetCustomAttributes<AtAttribute>())
        {
            object?[] point = GradientChecker.Arguments(function, random, listed.Values);
            foreach (object?[] direction in CoordinateDirections(point, differentiable))
            {
                CheckAt(function, tangent, gradient, point, direction);
            }
        }
        for (int i = 0; i < randomPoints; i++)
        {
            object?[] point = GradientChecker.Arguments(function, random, null);
            CheckAt(function, tangent, gradient, point, differentiable.Select(p => Direction(point[p.Position], random)).ToArray());
        }
    }

    private static IEnumerable<object?[]> CoordinateDirections(object?[] point, ParameterInfo[] differentiable)
    {
        for (int d = 0; d < differentiable.Length; d++)
        {
            int count = point[differentiable[d].Position] is Array array ? array.Length : 1;
            for (int i = 0; i < count; i++)
            {
                object?[] direction = differentiable.Select(p => Scaled(point[p.Position], 0)).ToArray();
                direction[d] = point[differentiable[d].Position] switch
                {
                    double[] a => a.Select((_, j) => j == i ? 1.0 : 0.0).ToArray(),
                    float[] a => a.Select((_, j) => j == i ? 1f : 0f).ToArray(),
                    var scalar => Scaled(scalar, 1),
                };
                yield return direction;
            }
        }
    }

    private static object? Scaled(object? like, double value) => like switch
    {
        double => value,
        float => (float)value,
        double[] a => a.Select(_ => value).ToArray(),
        float[] a => a.Select(_ => (float)value).ToArray(),
        _ => null,
    };

    private static void CheckAt(MethodInfo function, MethodInfo tangent, MethodInfo gradient, object?[] point, object?[] direction)
    {
        ParameterInfo[] parameters = function.GetParameters();
        ParameterInfo[] differentiable = parameters.Where(GradientChecker.IsDifferentiable).ToArray();
        bool floatPrecision = function.ReturnType == typeof(float) || differentiable.Any(p => p.ParameterType == typeof(float) || p.ParameterType == typeof(float[]));

        object?[] tangentArguments = GradientChecker.Clone(point).Concat(direction.Select(GradientChecker.CloneValue)).ToArray();
        object result = tangent.Invoke(null, tangentArguments)!;
        double value = GradientChecker.ToDouble(result.GetType().GetField("Item1")!.GetValue(result));
        double computed = GradientChecker.ToDouble(result.GetType().GetField("Item2")!.GetValue(result));
        string at = $"{function.Name}Tangent at {GradientChecker.Show(point)} along {GradientChecker.Show(direction)}";

        double expectedValue = GradientChecker.ToDouble(function.Invoke(null, GradientChecker.Clone(point)));
        GradientChecker.AssertClose(expectedValue, value, 1e-12, 1e-12, at + ": value");

        double step = floatPrecision ? 1e-2 : 1e-6;
        double atol = floatPrecision ? 2e-2 : 1e-5, rtol = floatPrecision ? 2e-2 : 1e-3;
        double numeric = (Along(function, point, differentiable, direction, step).Result - Along(function, point, differentiable, direction, -step).Result) / (2 * step);
        GradientChecker.AssertClose(numeric, computed, atol, rtol, at + ": against central differences");

        // The gradient's dot product with v: the same derivative by the other mode.
        object?[] gradientArguments = GradientChecker.Clone(point).Concat(differentiable.Select(_ => (object?)null)).ToArray();
        gradient.Invoke(null, gradientArguments);
        double dot = 0;
        for (int d = 0; d < differentiable.Length; d++)
        {
            dot += Dot(gradientArguments[parameters.Length + d], direction[d]);
        }
        GradientChecker.AssertClose(dot, computed, floatPrecision ? 1e-4 : 1e-10, floatPrecision ? 1e-4 : 1e-9, at + ": against the gradient's dot product with v");

        // Arrays the function writes into carry their contents' tangent out.
        for (int d = 0; d < differentiable.Length; d++)
        {
            ParameterInfo parameter = differentiable[d];
            if (!GradientChecker.WritesInto(function, point, parameter.Position))
            {
                continue;
            }
            Array plus = (Array)Along(function, point, differentiable, direction, step).Arguments[parameter.Position]!;
            Array minus = (Array)Along(function, point, differentiable, direction, -step).Arguments[parameter.Position]!;
            Array carried = (Array)tangentArguments[parameters.Length + d]!;
            for (int i = 0; i < carried.Length; i++)
            {
                double expected = (Convert.ToDouble(plus.GetValue(i)) - Convert.ToDouble(minus.GetValue(i))) / (2 * step);
                GradientChecker.AssertClose(expected, Convert.ToDouble(carried.GetValue(i)), atol, rtol, $"{at}: tangent of {parameter.Name}[{i}] after the call");
            }
        }
    }

    /// <summary>F at x + h·v, and the arguments after the call (for the arrays it writes).</summary>
    private static (double Result, object?[] Arguments) Along(MethodInfo function, object?[] point, ParameterInfo[] differentiable, object?[] direction, double h)
    {
        object?[] arguments = Moved(point, differentiable, direction, h);
        double result = GradientChecker.ToDouble(function.Invoke(null, arguments));
        return (result, arguments);
    }

    /// <summary>The point moved by h·v along the differentiable inputs (a copy).</summary>
    internal static object?[] Moved(object?[] point, ParameterInfo[] differentiable, object?[] direction, double h)
    {
        object?[] arguments = GradientChecker.Clone(point);
        for (int d = 0; d < differentiable.Length; d++)
        {
            int position = differentiable[d].Position;
            arguments[position] = arguments[position] switch
            {
                double x => x + h * (double)direction[d]!,
                float x => (float)(x + h * (float)direction[d]!),
                double[] x => x.Select((e, i) => e + h * ((double[])direction[d]!)[i]).ToArray(),
                float[] x => x.Select((e, i) => (float)(e + h * ((float[])direction[d]!)[i])).ToArray(),
                var other => other,
            };
        }
        return arguments;
    }

    /// <summary>A random direction shaped like the input (a scalar or an array), entries in [-1, 1].</summary>
    internal static object? Direction(object? like, Random random) => like switch
    {
        double => random.NextDouble() * 2 - 1,
        float => (float)(random.NextDouble() * 2 - 1),
        double[] a => a.Select(_ => random.NextDouble() * 2 - 1).ToArray(),
        float[] a => a.Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(),
        _ => null,
    };

    private static double Dot(object? gradient, object? direction) => (gradient, direction) switch
    {
        (double g, double v) => g * v,
        (float g, float v) => (double)g * v,
        (double[] g, double[] v) => g.Zip(v, (a, b) => a * b).Sum(),
        (float[] g, float[] v) => g.Zip(v, (a, b) => (double)a * b).Sum(),
        _ => throw new InvalidOperationException("no gradient to dot with the direction"),
    };
}
