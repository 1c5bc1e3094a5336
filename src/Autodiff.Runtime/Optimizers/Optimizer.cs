using System.Collections.Generic;

namespace Autodiff.Optimizers;

/// <summary>
/// Updates parameters in place from their gradients, like a <c>torch.optim.Optimizer</c> whose
/// <c>step()</c> receives the parameters and gradients explicitly.
/// </summary>
/// <remarks>
/// Pass the parameters in the same order, with the same shapes, at every step: per-parameter
/// state (momentum, moments) is kept by position and checked against the shape. Scalar
/// parameters (<see cref="ParameterGradient.IsScalar"/>, a model's float and double fields) are
/// updated by the same formulas in double precision. A step
/// allocates nothing after the first one, and its state never comes from a
/// <see cref="TensorWorkspace"/>, so stepping inside a workspace scope is safe.
/// </remarks>
public abstract class Optimizer
{
    /// <summary>Applies one update to every parameter, in place.</summary>
    /// <exception cref="System.ArgumentException">
    /// A gradient's shape differs from its parameter's, or the parameters differ in number or
    /// shape from the first step's.
    /// </exception>
    public abstract void Step(IReadOnlyList<ParameterGradient> parameters);
}
