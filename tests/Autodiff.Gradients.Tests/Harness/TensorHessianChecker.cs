using System;
using System.Linq;
using System.Reflection;
using Xunit;

namespace Autodiff.Gradients.Tests.Harness;

/// <summary>
/// Hessian-vector products of a static [Differentiable] tensor method, through reflection:
/// FHessianVector along a random direction u must return F's value, H·u against central
/// differences of FGradient along u, and be symmetric: ⟨v, H·u⟩ = ⟨u, H·v⟩ for a second direction v.
/// </summary>
internal static class TensorHessianChecker
{
    /// <summary>Float gradients differenced over the step: the tolerance of the tensor gradient tests.</summary>
    private const double DifferenceTolerance = 2e-2;

    /// <summary>Two products in float32 differ by rounding only.</summary>
    private const double SymmetryAbsolute = 1e-4;
    private const double SymmetryRelative = 1e-3;

    /// <param name="step">1e-2, or smaller where a kink (ReLU, max pooling) lies within 1e-2 of the point along u.</param>
    public static void Check(Type type, string name, float step, params object?[] arguments)
    {
        MethodInfo function = Member(type, name);
        ParameterInfo[] parameters = function.GetParameters();
        int[] varied = Enumerable.Range(0, parameters.Length).Where(i => IsDifferentiable(parameters[i])).ToArray();
        object[] u = varied.Select((i, k) => Direction(arguments[i]!, 400 + k)).ToArray();
        object[] v = varied.Select((i, k) => Direction(arguments[i]!, 500 + k)).ToArray();

        (object value, float[][] hu) = Product(type, name, arguments, u);
        (_, float[][] hv) = Product(type, name, arguments, v);

        Assert.Equal(Values(function.Invoke(null, arguments)!), Values(value));
        float[][] plus = Gradient(type, name, Moved(arguments, varied, u, step), varied.Length);
        float[][] minus = Gradient(type, name, Moved(arguments, varied, u, -step), varied.Length);
        for (int k = 0; k < varied.Length; k++)
        {
            for (int j = 0; j < hu[k].Length; j++)
            {
                double numeric = ((double)plus[k][j] - minus[k][j]) / (2 * step);
                Assert.True(Math.Abs(numeric - hu[k][j]) <= DifferenceTolerance + DifferenceTolerance * Math.Abs(numeric),
                    $"{type.Name}.{name}HessianVector, input {parameters[varied[k]].Name} element {j}: differences of the gradient {numeric}, generated {hu[k][j]}");
            }
        }
        (double vHu, double magnitude1) = Dot(v, hu);
        (double uHv, double magnitude2) = Dot(u, hv);
        Assert.True(Math.Abs(vHu - uHv) <= SymmetryAbsolute + SymmetryRelative * Math.Max(magnitude1, magnitude2),
            $"{type.Name}.{name}HessianVector: ⟨v, H·u⟩ = {vHu}, ⟨u, H·v⟩ = {uHv}");
    }

    private static (object Value, float[][] Products) Product(Type type, string name, object?[] arguments, object[] direction)
    {
        object?[] call = arguments.Concat(direction).Concat(new object?[direction.Length]).ToArray();
        object value = Member(type, name + "HessianVector").Invoke(null, call)!;
        return (value, call.Skip(arguments.Length + direction.Length).Select(h => Values(h!)).ToArray());
    }

    private static float[][] Gradient(Type type, string name, object?[] arguments, int count)
    {
        object?[] call = arguments.Concat(new object?[count]).ToArray();
        Member(type, name + "Gradient").Invoke(null, call);
        return call.Skip(arguments.Length).Select(g => Values(g!)).ToArray();
    }

    private static (double Sum, double Magnitude) Dot(object[] directions, float[][] products)
    {
        double sum = 0, magnitude = 0;
        for (int k = 0; k < directions.Length; k++)
        {
            float[] d = Values(directions[k]);
            for (int j = 0; j < d.Length; j++)
            {
                double term = (double)d[j] * products[k][j];
                sum += term;
                magnitude += Math.Abs(term);
            }
        }
        return (sum, magnitude);
    }

    /// <summary>Whether the method got its product (tensor methods that call other [Differentiable] methods do not yet).</summary>
    public static bool Has(Type type, string name) => type.GetMethod(name + "HessianVector", BindingFlags.Public | BindingFlags.Static) is not null;

    private static MethodInfo Member(Type type, string name) =>
        type.GetMethod(name, BindingFlags.Public | BindingFlags.Static) ?? throw new InvalidOperationException($"{type.Name}.{name} was not generated");

    private static bool IsDifferentiable(ParameterInfo parameter) =>
        (parameter.ParameterType == typeof(Tensor) || parameter.ParameterType == typeof(float)) && parameter.GetCustomAttribute<NoGradAttribute>() is null;

    private static object Direction(object input, int seed) => input switch
    {
        Tensor tensor => Tensor.RandomUniform(seed, -1f, 1f, tensor.Shape),
        float => 0.5f - (seed % 7) * 0.15f,
        _ => throw new ArgumentException("not differentiable: " + input),
    };

    private static object?[] Moved(object?[] arguments, int[] varied, object[] directions, float step)
    {
        object?[] moved = (object?[])arguments.Clone();
        for (int k = 0; k < varied.Length; k++)
        {
            moved[varied[k]] = arguments[varied[k]] switch
            {
                Tensor tensor => Tensor.FromArray(tensor.ToArray().Zip(((Tensor)directions[k]).ToArray(), (x, d) => x + step * d).ToArray(), tensor.Shape),
                float x => x + step * (float)directions[k],
                _ => throw new InvalidOperationException(),
            };
        }
        return moved;
    }

    private static float[] Values(object value) => value switch
    {
        Tensor tensor => tensor.ToArray(),
        float x => [x],
        _ => throw new ArgumentException("not a tensor or a float: " + value),
    };
}
