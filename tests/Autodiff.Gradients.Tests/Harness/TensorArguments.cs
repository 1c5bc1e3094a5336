using System;
using System.Linq;
using System.Reflection;

namespace Autodiff.Gradients.Tests.Harness;

/// <summary>
/// The arguments of a static [Differentiable] tensor method seen through reflection, for the
/// forward-mode and Hessian-vector checkers: its generated members, which inputs vary, random
/// directions, inputs moved along them, and tensors and floats as arrays of values.
/// </summary>
internal static class TensorArguments
{
    public static MethodInfo Member(Type type, string name) =>
        type.GetMethod(name, BindingFlags.Public | BindingFlags.Static) ?? throw new InvalidOperationException($"{type.Name}.{name} was not generated");

    /// <summary>The positions of the differentiable inputs: tensors and floats not marked [NoGrad].</summary>
    public static int[] Varied(MethodInfo function)
    {
        ParameterInfo[] parameters = function.GetParameters();
        return Enumerable.Range(0, parameters.Length).Where(i => IsDifferentiable(parameters[i])).ToArray();
    }

    /// <summary>A direction for each varied input, seeded from <paramref name="seed"/> on.</summary>
    public static object[] Directions(object?[] arguments, int[] varied, int seed) =>
        varied.Select((i, k) => Direction(arguments[i]!, seed + k)).ToArray();

    public static object?[] Moved(object?[] arguments, int[] varied, object[] directions, float step)
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

    public static float[] Values(object value) => value switch
    {
        Tensor tensor => tensor.ToArray(),
        float x => [x],
        _ => throw new ArgumentException("not a tensor or a float: " + value),
    };

    private static bool IsDifferentiable(ParameterInfo parameter) =>
        (parameter.ParameterType == typeof(Tensor) || parameter.ParameterType == typeof(float)) && parameter.GetCustomAttribute<NoGradAttribute>() is null;

    private static object Direction(object input, int seed) => input switch
    {
        Tensor tensor => Tensor.RandomUniform(seed, -1f, 1f, tensor.Shape),
        float => 0.5f - (seed % 7) * 0.15f,
        _ => throw new ArgumentException("not differentiable: " + input),
    };
}
