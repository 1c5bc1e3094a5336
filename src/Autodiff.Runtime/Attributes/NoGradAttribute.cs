using System;

namespace Autodiff;

/// <summary>
/// Marks a parameter, field or property as a constant of differentiation, like
/// PyTorch's <c>requires_grad=False</c>: no gradient is computed for it and the
/// generated entry points take no accumulator for it.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class NoGradAttribute : Attribute
{
}
