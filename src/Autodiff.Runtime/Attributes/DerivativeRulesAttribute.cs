using System;

namespace Autodiff;

/// <summary>
/// Lists the types of an assembly that hold <see cref="DerivativeOfAttribute"/> pullbacks, so that
/// the generator finds them when the assembly is referenced (it does not scan every type of every
/// reference). Autodiff.Runtime lists its own rules for <c>System.Math</c>, <c>System.MathF</c> and tensors.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class DerivativeRulesAttribute : Attribute
{
    /// <summary>Names the types holding the rules.</summary>
    public DerivativeRulesAttribute(params Type[] types)
    {
        Types = types;
    }

    /// <summary>The types holding the rules.</summary>
    public Type[] Types { get; }
}
