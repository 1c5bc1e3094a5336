using System;
using System.Linq;
using System.Reflection;
using Xunit;

namespace Autodiff.Gradients.Tests.Harness;

/// <summary>
/// Forward mode of a static [Differentiable] tensor method, through reflection: FTangent along a
/// random direction (a tensor of each differentiable tensor input's shape, a number for each float
/// input) must return F's own value, a tangent that agrees with central differences of F along the
/// direction, and, for a scalar result, the generated gradient's ⟨∇F, v⟩.
/// </summary>
internal static class TensorTangentChecker
{
    /// <summary>
    /// The float step and tolerance of the tensor gradient tests: float rounding over the step, and
    /// the O(h²) truncation error (no double reference exists for these functions).
    /// </summary>
    private const float Step = 1e-2f;
    private const double DifferenceTolerance = 2e-2;

    /// <summary>⟨∇F, v⟩ from reverse mode and F's tangent from forward mode differ by float rounding only.</summary>
    private const double GradientAbsolute = 1e-4;
    private const double GradientRelative = 1e-3;

    public static void Check(Type type, string name, params object?[] arguments) => Check(type, name, differences: true, arguments);

    /// <summary>
    /// A step of 1e-3 along the direction, for functions whose kinks (ReLU, max pooling) lie within
    /// 1e-2 of the point along some direction; float rounding over the smaller step stays below the tolerance.
    /// </summary>
    public static void CheckNearKinks(Type type, string name, params object?[] arguments) => Check(type, name, differences: true, arguments, step: 1e-3f);

    /// <param name="differences">
    /// False where F's value and its derivative part ways by design (Grad.Stop): the tangent is then
    /// checked against the gradient only.
    /// </param>
    public static void Check(Type type, string name, bool differences, params object?[] arguments) => Check(type, name, differences, arguments, Step);

    private static void Check(Type type, string name, bool differences, object?[] arguments, float step)
    {
        MethodInfo function = TensorArguments.Member(type, name);
        int[] varied = TensorArguments.Varied(function);
        object[] directions = TensorArguments.Directions(arguments, varied, 300);

        object tangentResult = TensorArguments.Member(type, name + "Tangent").Invoke(null, arguments.Concat(directions).ToArray())!;
        object value = tangentResult.GetType().GetField("Item1")!.GetValue(tangentResult)!;
        object tangent = tangentResult.GetType().GetField("Item2")!.GetValue(tangentResult)!;

        Assert.Equal(TensorArguments.Values(function.Invoke(null, arguments)!), TensorArguments.Values(value));
        float[] tangentValues = TensorArguments.Values(tangent);
        if (tangentValues.Length == 1)
        {
            double alongGradient = AlongGradient(type, name, arguments, varied, directions, out double magnitude);
            Assert.True(Math.Abs(alongGradient - tangentValues[0]) <= GradientAbsolute + GradientRelative * magnitude,
                $"{type.Name}.{name}Tangent: ⟨∇F, v⟩ = {alongGradient}, generated tangent {tangentValues[0]}");
        }
        if (!differences)
        {
            return;
        }
        float[] plus = TensorArguments.Values(function.Invoke(null, TensorArguments.Moved(arguments, varied, directions, step))!);
        float[] minus = TensorArguments.Values(function.Invoke(null, TensorArguments.Moved(arguments, varied, directions, -step))!);
        Assert.Equal(plus.Length, tangentValues.Length);
        for (int j = 0; j < tangentValues.Length; j++)
        {
            double numeric = ((double)plus[j] - minus[j]) / (2 * step);
            Assert.True(Math.Abs(numeric - tangentValues[j]) <= DifferenceTolerance + DifferenceTolerance * Math.Abs(numeric),
                $"{type.Name}.{name}Tangent element {j}: central difference {numeric}, generated {tangentValues[j]}");
        }
    }

    /// <summary>⟨∇F, v⟩ through <c>FGradient</c>, summed in double; <paramref name="magnitude"/> is Σ|terms|.</summary>
    private static double AlongGradient(Type type, string name, object?[] arguments, int[] varied, object[] directions, out double magnitude)
    {
        object?[] withGradients = arguments.Concat(new object?[varied.Length]).ToArray();
        TensorArguments.Member(type, name + "Gradient").Invoke(null, withGradients);
        double sum = 0;
        magnitude = 0;
        for (int k = 0; k < varied.Length; k++)
        {
            float[] gradient = TensorArguments.Values(withGradients[arguments.Length + k]!), direction = TensorArguments.Values(directions[k]);
            for (int j = 0; j < gradient.Length; j++)
            {
                double term = (double)gradient[j] * direction[j];
                sum += term;
                magnitude += Math.Abs(term);
            }
        }
        return sum;
    }
}
