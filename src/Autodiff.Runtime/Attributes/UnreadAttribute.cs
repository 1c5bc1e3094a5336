using System;

namespace Autodiff;

/// <summary>
/// Marks an input or the result parameter of a <c>[DerivativeOf]</c> pullback that the rule never
/// reads: <c>ExpBackward([Unread] T x, T result, T seed, ref T dx)</c> needs exp(x), not x. Generated
/// code then passes <c>default</c> there, and the value is not kept for the backward pass, so a loop
/// that overwrites it saves nothing for this rule. The generator reports ADIFF023 where a rule in
/// source reads a parameter it marks, or marks one that is not an input or the result.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class UnreadAttribute : Attribute
{
}
