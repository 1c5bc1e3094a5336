using System;
using System.Linq;
using System.Reflection;
using Xunit;

namespace Autodiff.Gradients.Tests.Harness;

/// <summary>
/// Checks the generated FHessianVector of a [Differentiable] method F: its value is F's, and H·u
/// along a random direction u matches central differences of the generated gradient along u,
/// (∇F(x + h·u) − ∇F(x − h·u)) / 2h; and the product is symmetric, vᵀ(H·u) = uᵀ(H·v), as a Hessian is.
/// </summary>
/// <remarks>The gradient is itself checked against differences of F (GradientTests); PyTorch gradcheck's tolerances on the first derivatives' differences.</remarks>
public static class HessianChecker
{
    public static MethodInfo? HessianVectorOf(MethodInfo function) =>
        function.DeclaringType!.GetMethod(function.Name + "HessianVector", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static);

    public static void Check(MethodInfo function, int randomPoints = 4, int seed = 8642)
    {
        MethodInfo hvp = HessianVectorOf(function) ?? throw new InvalidOperationException($"{function.Name}HessianVector was not generated");
        MethodInfo gradient = function.DeclaringType!.GetMethod(function.Name + "Gradient", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!;
        var random = new Random(seed);
        ParameterInfo[] parameters = function.GetParameters();
        ParameterInfo[] differentiable = parameters.Where(GradientChecker.IsDifferentiable).ToArray();
        bool floatPrecision = function.ReturnType == typeof(float) || differentiable.Any(p => p.ParameterType == typeof(float) || p.ParameterType == typeof(float[]));
        for (int i = 0; i < randomPoints; i++)
        {
            object?[] point = GradientChecker.Arguments(function, random, null);
            object?[] u = differentiable.Select(p => TangentChecker.Direction(point[p.Position], random)).ToArray();
            object?[] v = differentiable.Select(p => TangentChecker.Direction(point[p.Position], random)).ToArray();
            string at = $"{function.Name}HessianVector at {GradientChecker.Show(point)} along {GradientChecker.Show(u)}";

            (double value, object?[] hu) = Product(function, hvp, point, u, differentiable.Length);
            GradientChecker.AssertClose(GradientChecker.ToDouble(function.Invoke(null, GradientChecker.Clone(point))), value, 1e-12, 1e-12, at + ": value");

            double step = floatPrecision ? 1e-2 : 1e-6;
            double atol = floatPrecision ? 2e-2 : 1e-5, rtol = floatPrecision ? 2e-2 : 1e-3;
            object?[] plus = Gradient(gradient, TangentChecker.Moved(point, differentiable, u, step), differentiable.Length);
            object?[] minus = Gradient(gradient, TangentChecker.Moved(point, differentiable, u, -step), differentiable.Length);
            for (int d = 0; d < differentiable.Length; d++)
            {
                double[] computed = Values(hu[d]), up = Values(plus[d]), down = Values(minus[d]);
                for (int k = 0; k < computed.Length; k++)
                {
                    GradientChecker.AssertClose((up[k] - down[k]) / (2 * step), computed[k], atol, rtol,
                        $"{at}: (H·u) for {differentiable[d].Name}{(hu[d] is Array ? $"[{k}]" : "")} against central differences of the gradient");
                }
            }

            CheckFullHessian(function, gradient, point, differentiable, floatPrecision);

            (_, object?[] hv) = Product(function, hvp, point, v, differentiable.Length);
            double vHu = Dot(v, hu), uHv = Dot(u, hv);
            GradientChecker.AssertClose(vHu, uHv, floatPrecision ? 1e-4 : 1e-9, floatPrecision ? 1e-4 : 1e-9, at + ": symmetry, vᵀHu against uᵀHv");
        }
    }

    /// <summary>FHessian, for a method of one differentiable input: each column against central differences of the gradient along that input's unit direction.</summary>
    private static void CheckFullHessian(MethodInfo function, MethodInfo gradient, object?[] point, ParameterInfo[] differentiable, bool floatPrecision)
    {
        MethodInfo? full = function.DeclaringType!.GetMethod(function.Name + "Hessian", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static);
        Assert.Equal(differentiable.Length == 1, full is not null);
        if (full is null)
        {
            return;
        }
        object?[] arguments = GradientChecker.Clone(point).Append(null).ToArray();
        double value = GradientChecker.ToDouble(full.Invoke(null, arguments));
        GradientChecker.AssertClose(GradientChecker.ToDouble(function.Invoke(null, GradientChecker.Clone(point))), value, 1e-12, 1e-12, function.Name + "Hessian value");
        double step = floatPrecision ? 1e-2 : 1e-6;
        double atol = floatPrecision ? 2e-2 : 1e-5, rtol = floatPrecision ? 2e-2 : 1e-3;
        int n = point[differentiable[0].Position] is Array a ? a.Length : 1;
        for (int j = 0; j < n; j++)
        {
            object? unit = point[differentiable[0].Position] switch
            {
                double[] x => x.Select((_, k) => k == j ? 1.0 : 0.0).ToArray(),
                float[] x => x.Select((_, k) => k == j ? 1f : 0f).ToArray(),
                float => 1f,
                _ => (object)1.0,
            };
            double[] up = Values(Gradient(gradient, TangentChecker.Moved(point, differentiable, new[] { unit }, step), 1)[0]);
            double[] down = Values(Gradient(gradient, TangentChecker.Moved(point, differentiable, new[] { unit }, -step), 1)[0]);
            for (int i = 0; i < n; i++)
            {
                double entry = arguments[^1] is Array matrix ? Convert.ToDouble(matrix.Rank == 2 ? matrix.GetValue(i, j) : matrix.GetValue(i)) : GradientChecker.ToDouble(arguments[^1]);
                GradientChecker.AssertClose((up[i] - down[i]) / (2 * step), entry, atol, rtol, $"{function.Name}Hessian[{i}, {j}] at {GradientChecker.Show(point)}");
            }
        }
    }

    private static (double Value, object?[] Product) Product(MethodInfo function, MethodInfo hvp, object?[] point, object?[] direction, int count)
    {
        object?[] arguments = GradientChecker.Clone(point).Concat(direction.Select(GradientChecker.CloneValue)).Concat(new object?[count]).ToArray();
        double value = GradientChecker.ToDouble(hvp.Invoke(null, arguments));
        return (value, arguments.Skip(point.Length + count).ToArray());
    }

    private static object?[] Gradient(MethodInfo gradient, object?[] point, int count)
    {
        object?[] arguments = point.Concat(new object?[count]).ToArray();
        gradient.Invoke(null, arguments);
        return arguments.Skip(point.Length).ToArray();
    }

    private static double[] Values(object? value) => value switch
    {
        double d => new[] { d },
        float f => new[] { (double)f },
        double[] a => a,
        float[] a => a.Select(x => (double)x).ToArray(),
        _ => throw new InvalidOperationException("no value"),
    };

    private static double Dot(object?[] a, object?[] b) =>
        a.Zip(b, (x, y) => Values(x).Zip(Values(y), (p, q) => p * q).Sum()).Sum();
}
