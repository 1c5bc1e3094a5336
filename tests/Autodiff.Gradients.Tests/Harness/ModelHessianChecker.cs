using System;
using System.Collections.Generic;
using Autodiff.Optimizers;
using Xunit;

namespace Autodiff.Gradients.Tests.Harness;

/// <summary>
/// A model's Hessian-vector product with respect to its parameters (every leaf, sub-models'
/// included), through its generated Gradients objects: H·u against central differences of the
/// gradient with the parameters moved along u in place (and restored), and symmetric:
/// ⟨v, H·u⟩ = ⟨u, H·v⟩ for a second direction v.
/// </summary>
internal static class ModelHessianChecker
{
    /// <summary>Float gradients differenced over the step: the tolerance of the tensor gradient tests.</summary>
    private const double DifferenceTolerance = 2e-2;
    private const double SymmetryAbsolute = 1e-4;
    private const double SymmetryRelative = 1e-3;

    /// <param name="direction">A direction with random leaves, from a seed (a new Gradients object of the model, filled).</param>
    /// <param name="zero">A new, zero Gradients object of the model.</param>
    /// <param name="leaves">Its <c>Parameters</c>: every leaf by its dotted name.</param>
    /// <param name="gradient">Adds the loss's gradient into the object (FGradient).</param>
    /// <param name="hessianVector">Adds the product along the first object into the second (FHessianVector).</param>
    public static void Check<TGradients>(
        Func<int, TGradients> direction, Func<TGradients> zero, Func<TGradients, IReadOnlyList<ParameterGradient>> leaves,
        Action<TGradients> gradient, Action<TGradients, TGradients> hessianVector, float step = 1e-2f)
    {
        TGradients u = direction(400), v = direction(500);
        TGradients hu = zero(), hv = zero();
        hessianVector(u, hu);
        hessianVector(v, hv);

        IReadOnlyList<ParameterGradient> product = leaves(hu);
        IReadOnlyList<ParameterGradient> up = leaves(GradientAlong(u, step, zero, leaves, gradient));
        IReadOnlyList<ParameterGradient> down = leaves(GradientAlong(u, -step, zero, leaves, gradient));
        double largest = 0;
        for (int p = 0; p < product.Count; p++)
        {
            double[] computed = Values(product[p]), plus = Values(up[p]), minus = Values(down[p]);
            for (int i = 0; i < computed.Length; i++)
            {
                double numeric = (plus[i] - minus[i]) / (2 * step);
                largest = Math.Max(largest, Math.Abs(numeric));
                Assert.True(Math.Abs(numeric - computed[i]) <= DifferenceTolerance + DifferenceTolerance * Math.Abs(numeric),
                    $"(H·u) {product[p].Name}[{i}] = {computed[i]}, differences of the gradient {numeric}");
            }
        }
        Assert.True(largest > 1e-3, "the loss is flat along u: the check would pass for any product");

        double vHu = Dot(leaves(v), product), uHv = Dot(leaves(u), leaves(hv));
        Assert.True(Math.Abs(vHu - uHv) <= SymmetryAbsolute + SymmetryRelative * Math.Abs(vHu), $"⟨v, H·u⟩ = {vHu}, ⟨u, H·v⟩ = {uHv}");
    }

    /// <summary>The gradient with every parameter moved by step·u, the parameters restored after.</summary>
    private static TGradients GradientAlong<TGradients>(
        TGradients u, float step, Func<TGradients> zero, Func<TGradients, IReadOnlyList<ParameterGradient>> leaves, Action<TGradients> gradient)
    {
        TGradients result = zero();
        IReadOnlyList<ParameterGradient> parameters = leaves(result), along = leaves(u);
        var saved = new List<double[]>();
        for (int p = 0; p < parameters.Count; p++)
        {
            saved.Add(ParameterValues(parameters[p]));
            Move(parameters[p], along[p], step);
        }
        try
        {
            gradient(result);
        }
        finally
        {
            for (int p = 0; p < parameters.Count; p++)
            {
                Restore(parameters[p], saved[p]);
            }
        }
        return result;
    }

    private static void Move(ParameterGradient parameter, ParameterGradient direction, float step)
    {
        if (parameter.IsScalar)
        {
            parameter.ScalarValue += step * direction.ScalarGradient;
            return;
        }
        Span<float> values = parameter.Parameter.Span;
        ReadOnlySpan<float> along = direction.Gradient.Span;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] += step * along[i];
        }
    }

    private static double[] ParameterValues(ParameterGradient parameter) =>
        parameter.IsScalar ? new[] { parameter.ScalarValue } : Array.ConvertAll(parameter.Parameter.ToArray(), x => (double)x);

    private static void Restore(ParameterGradient parameter, double[] values)
    {
        if (parameter.IsScalar)
        {
            parameter.ScalarValue = values[0];
            return;
        }
        Span<float> span = parameter.Parameter.Span;
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = (float)values[i];
        }
    }

    private static double[] Values(ParameterGradient leaf) =>
        leaf.IsScalar ? new[] { leaf.ScalarGradient } : Array.ConvertAll(leaf.Gradient.ToArray(), x => (double)x);

    private static double Dot(IReadOnlyList<ParameterGradient> a, IReadOnlyList<ParameterGradient> b)
    {
        double sum = 0;
        for (int p = 0; p < a.Count; p++)
        {
            double[] x = Values(a[p]), y = Values(b[p]);
            for (int i = 0; i < x.Length; i++)
            {
                sum += x[i] * y[i];
            }
        }
        return sum;
    }
}
