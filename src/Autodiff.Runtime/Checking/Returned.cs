using System;

namespace Autodiff;

/// <summary>Checks what a user's delegates return: null, or a length that does not fit, is an error naming the delegate.</summary>
internal static class Returned
{
    /// <summary>A gradient (or a pullback's result) must have one element per element of the point.</summary>
    public static double[] RequireInputs(double[]? returned, int pointLength, string delegateName)
    {
        if (returned is null)
        {
            throw new ArgumentException($"GradCheck: {delegateName} returned null instead of {pointLength} derivatives.", delegateName);
        }
        if (returned.Length != pointLength)
        {
            throw new ArgumentException(
                $"GradCheck: {delegateName} returned {returned.Length} elements but the point has {pointLength}; "
                + "it must return one derivative per element of the point.", delegateName);
        }
        return returned;
    }

    /// <summary>A vector function must return the same number of outputs at every point.</summary>
    /// <param name="returned">What the function returned.</param>
    /// <param name="outputs">The length it returned at the unperturbed point; null for that first call.</param>
    public static double[] RequireOutputs(double[]? returned, int? outputs)
    {
        if (returned is null)
        {
            throw new ArgumentException("GradCheck: the function returned null.", "function");
        }
        if (outputs is not null && returned.Length != outputs)
        {
            throw new ArgumentException(
                $"GradCheck: the function returned {outputs} values at the point but {returned.Length} at a perturbed point; "
                + "its output length must not depend on the input values.", "function");
        }
        return returned;
    }
}
