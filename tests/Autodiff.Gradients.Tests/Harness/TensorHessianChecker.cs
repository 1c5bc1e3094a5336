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
        MethodInfo function = TensorArguments.Member(type, name);
        ParameterInfo[] parameters = function.GetParameters();
        int[] varied = TensorArguments.Varied(function);
        object[] u = TensorArguments.Directions(arguments, varied, 400);
        object[] v = TensorArguments.Directions(arguments, varied, 500);

        (object value, float[][] hu) = Product(type, name, arguments, u);
        (_, float[][] hv) = Product(type, name, arguments, v);

        Assert.Equal(TensorArguments.Values(function.Invoke(null, arguments)!), TensorArguments.Values(value));
        float[][] plus = Gradient(type, name, TensorArguments.Moved(arguments, varied, u, step), varied.Length);
        float[][] minus = Gradient(type, name, TensorArguments.Moved(arguments, varied, u, -step), varied.Length);
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
        object value = TensorArguments.Member(type, name + "HessianVector").Invoke(null, call)!;
        return (value, call.Skip(arguments.Length + direction.Length).Select(h => TensorArguments.Values(h!)).ToArray());
    }

    private static float[][] Gradient(Type type, string name, object?[] arguments, int count)
    {
        object?[] call = arguments.Concat(new object?[count]).ToArray();
        TensorArguments.Member(type, name + "Gradient").Invoke(null, call);
        return call.Skip(arguments.Length).Select(g => TensorArguments.Values(g!)).ToArray();
    }

    private static (double Sum, double Magnitude) Dot(object[] directions, float[][] products)
    {
        double sum = 0, magnitude = 0;
        for (int k = 0; k < directions.Length; k++)
        {
            float[] d = TensorArguments.Values(directions[k]);
            for (int j = 0; j < d.Length; j++)
            {
                double term = (double)d[j] * products[k][j];
                sum += term;
                magnitude += Math.Abs(term);
            }
        }
        return (sum, magnitude);
    }
}
