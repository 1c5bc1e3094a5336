namespace Autodiff.Optimizers;

/// <summary>A trainable tensor, the gradient computed for it, and a name for messages.</summary>
/// <param name="Name">A name for error messages, such as <c>"layer1.weight"</c>.</param>
/// <param name="Parameter">The tensor the optimiser updates in place.</param>
/// <param name="Gradient">The gradient of the loss with respect to <paramref name="Parameter"/>, same shape.</param>
public readonly record struct ParameterGradient(string Name, Tensor Parameter, Tensor Gradient);
