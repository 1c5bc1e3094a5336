using System;

namespace Autodiff;

/// <summary>
/// Gradient checkpointing for a <c>[Differentiable]</c> method, like <c>torch.utils.checkpoint</c>:
/// other differentiable methods that call it keep none of its intermediate values, and run it again
/// during their backward pass instead. Memory for time: without it, a callee with loops leaves what
/// its backward pass reads (its residuals) for the whole of the caller's forward pass, once per
/// call; with it, that memory is never held, and the callee costs one more forward pass per call.
/// </summary>
/// <remarks>
/// It changes how callers differentiate the method, not the method's own gradient. Straight-line
/// methods are always run again (saving their values would cost as much), so the attribute matters
/// for methods with loops, called many times (a time step, a layer applied in a loop).
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CheckpointAttribute : Attribute
{
}
