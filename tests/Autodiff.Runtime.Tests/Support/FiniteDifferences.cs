using System;
using System.Linq;
using Autodiff.Runtime.Tests.Reference;

namespace Autodiff.Runtime.Tests.Support;

/// <summary>
/// Central finite differences of the scalar ⟨seed, op(x)⟩ through the DOUBLE reference, at the
/// same (float) input values the float32 rule sees. With h = 1e-6 on inputs of order 1 the
/// truncation error is O(h²) ≈ 1e-12 and the cancellation error ≈ 1e-16 / h ≈ 1e-10, both far
/// below the float32 tolerance, so a mismatch can only come from the rule.
/// </summary>
internal static class FiniteDifferences
{
    private const double Step = 1e-6;

    public static double[][] Gradient(Func<DTensor[], DTensor> reference, DTensor[] inputs, DTensor seed)
    {
        var gradients = new double[inputs.Length][];
        for (int i = 0; i < inputs.Length; i++)
        {
            gradients[i] = new double[inputs[i].Length];
            for (int j = 0; j < inputs[i].Length; j++)
            {
                double original = inputs[i].Data[j];
                inputs[i].Data[j] = original + Step;
                double plus = Objective(reference, inputs, seed);
                inputs[i].Data[j] = original - Step;
                double minus = Objective(reference, inputs, seed);
                inputs[i].Data[j] = original;
                gradients[i][j] = (plus - minus) / (2 * Step);
            }
        }
        return gradients;
    }

    private static double Objective(Func<DTensor[], DTensor> reference, DTensor[] inputs, DTensor seed)
    {
        DTensor output = reference(inputs);
        return output.Data.Zip(seed.Data, (y, s) => y * s).Sum();
    }
}
