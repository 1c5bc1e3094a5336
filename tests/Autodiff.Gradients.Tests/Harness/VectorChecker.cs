using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace Autodiff.Gradients.Tests.Harness;

/// <summary>
/// Checks the members generated for a method F that returns an array against central differences
/// of F itself: FJacobian entry by entry, FPullback as seedᵀ·J added into accumulators that already
/// hold something, FTangent as J·v along a random direction; each returns F's value, and the
/// caller's seed and direction are left as they were.
/// </summary>
/// <remarks>Random points from <see cref="GradientChecker.Arguments"/>; PyTorch gradcheck's tolerances for double, looser ones for float.</remarks>
public static class VectorChecker
{
    public static void Check(MethodInfo function, int randomPoints = 4, int seed = 2468)
    {
        var random = new Random(seed);
        for (int p = 0; p < randomPoints; p++)
        {
            object?[] point = GradientChecker.Arguments(function, random, null);
            CheckAt(function, point, random);
        }
    }

    private sealed record Input(ParameterInfo Parameter, int Index)
    {
        public string Name => Parameter.Name + (Index < 0 ? string.Empty : $"[{Index}]");
    }

    private static void CheckAt(MethodInfo function, object?[] point, Random random)
    {
        ParameterInfo[] parameters = function.GetParameters();
        ParameterInfo[] differentiable = parameters.Where(GradientChecker.IsDifferentiable).ToArray();
        bool floatPrecision = function.ReturnType == typeof(float[]) || differentiable.Any(p => p.ParameterType == typeof(float) || p.ParameterType == typeof(float[]));
        double step = floatPrecision ? 1e-2 : 1e-6, atol = floatPrecision ? 2e-2 : 1e-5, rtol = floatPrecision ? 2e-2 : 1e-3;
        double[] value = Values(function.Invoke(null, GradientChecker.Clone(point)));
        var inputs = differentiable.SelectMany(p => point[p.Position] is Array a ? Enumerable.Range(0, a.Length).Select(i => new Input(p, i)) : new[] { new Input(p, -1) }).ToList();
        // numeric[k][i] = ∂F[i]/∂input k
        List<double[]> numeric = inputs.Select(input => Column(function, point, input, step)).ToList();
        string where = $"{function.Name} at {GradientChecker.Show(point)}";

        MethodInfo? jacobian = Sibling(function, "Jacobian");
        if (jacobian is not null)
        {
            object?[] arguments = GradientChecker.Clone(point).Concat(differentiable.Select(_ => (object?)null)).ToArray();
            AssertValue(value, jacobian.Invoke(null, arguments), $"{function.Name}Jacobian value");
            for (int k = 0; k < inputs.Count; k++)
            {
                object matrix = arguments[parameters.Length + Array.IndexOf(differentiable, inputs[k].Parameter)]!;
                for (int i = 0; i < value.Length; i++)
                {
                    double computed = inputs[k].Index < 0 ? Convert.ToDouble(((Array)matrix).GetValue(i)) : Convert.ToDouble(((Array)matrix).GetValue(i, inputs[k].Index));
                    GradientChecker.AssertClose(numeric[k][i], computed, atol, rtol, $"Jacobian ∂{function.Name}[{i}]/∂{inputs[k].Name} of {where}");
                }
            }
        }

        // FPullback: accumulators start at 0.25 and get seedᵀ·J added.
        MethodInfo pullback = Sibling(function, "Pullback") ?? throw new InvalidOperationException($"{function.Name}Pullback was not generated");
        double[] seedValues = value.Select(_ => random.NextDouble() * 2 - 1).ToArray();
        object seedArgument = Typed(function.ReturnType, seedValues);
        object seedCopy = ((Array)seedArgument).Clone();
        object?[] accumulators = differentiable.Select(p => GradientChecker.Prefilled(p.ParameterType, point[p.Position])).ToArray();
        object?[] pullbackArguments = GradientChecker.Clone(point).Append(seedArgument).Concat(accumulators).ToArray();
        AssertValue(value, pullback.Invoke(null, pullbackArguments), $"{function.Name}Pullback value");
        Assert.Equal((Array)seedCopy, (Array)seedArgument);
        for (int k = 0; k < inputs.Count; k++)
        {
            object? accumulated = pullbackArguments[parameters.Length + 1 + Array.IndexOf(differentiable, inputs[k].Parameter)];
            double expected = 0.25 + Enumerable.Range(0, value.Length).Sum(i => seedValues[i] * numeric[k][i]);
            GradientChecker.AssertClose(expected, GradientChecker.Component(accumulated, inputs[k].Index), atol, rtol, $"pullback of {where}, accumulator of {inputs[k].Name}");
        }

        // FTangent: J·v along a random direction.
        MethodInfo? tangent = Sibling(function, "Tangent");
        if (tangent is not null)
        {
            object?[] direction = differentiable.Select(p => TangentChecker.Direction(point[p.Position], random)).ToArray();
            object?[] tangentArguments = GradientChecker.Clone(point).Concat(direction.Select(GradientChecker.CloneValue)).ToArray();
            object result = tangent.Invoke(null, tangentArguments)!;
            AssertValue(value, result.GetType().GetField("Item1")!.GetValue(result), $"{function.Name}Tangent value");
            double[] computed = Values(result.GetType().GetField("Item2")!.GetValue(result));
            for (int i = 0; i < value.Length; i++)
            {
                double expected = Enumerable.Range(0, inputs.Count).Sum(k => numeric[k][i] * GradientChecker.Component(direction[Array.IndexOf(differentiable, inputs[k].Parameter)], inputs[k].Index));
                GradientChecker.AssertClose(expected, computed[i], atol, rtol, $"tangent [{i}] of {where}");
            }
        }
    }

    public static MethodInfo? Sibling(MethodInfo function, string suffix) =>
        function.DeclaringType!.GetMethod(function.Name + suffix, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static);

    private static double[] Column(MethodInfo function, object?[] point, Input input, double step)
    {
        double[] Shifted(double h)
        {
            object?[] arguments = GradientChecker.Clone(point);
            int position = input.Parameter.Position;
            arguments[position] = arguments[position] switch
            {
                double[] a => Shift(a, input.Index, h),
                float[] a => Shift(a, input.Index, (float)h),
                float f => (float)(f + h),
                var d => (double)d! + h,
            };
            return Values(function.Invoke(null, arguments));
        }
        double[] plus = Shifted(step), minus = Shifted(-step);
        return plus.Select((v, i) => (v - minus[i]) / (2 * step)).ToArray();
    }

    private static T[] Shift<T>(T[] array, int index, T h) where T : System.Numerics.INumber<T>
    {
        array[index] += h;
        return array;
    }

    private static void AssertValue(double[] expected, object? actual, string what)
    {
        double[] values = Values(actual);
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            GradientChecker.AssertClose(expected[i], values[i], 1e-12, 1e-12, $"{what} [{i}]");
        }
    }

    private static double[] Values(object? array) => array switch
    {
        double[] a => a,
        float[] a => a.Select(v => (double)v).ToArray(),
        _ => throw new InvalidOperationException("not an array result"),
    };

    private static object Typed(Type arrayType, double[] values) =>
        arrayType == typeof(float[]) ? values.Select(v => (float)v).ToArray() : values;
}
