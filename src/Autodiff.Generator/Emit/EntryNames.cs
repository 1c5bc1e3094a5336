using System.Collections.Generic;
using Autodiff.Generator.Model;
using Autodiff.Generator.Transforms;

namespace Autodiff.Generator.Emit;

/// <summary>
/// The names in the generated signatures: <c>seed</c>, and <c>dX</c> for the gradient of parameter
/// <c>x</c> (d + the name capitalised), each moved to <c>dX_2</c>... if the user's method already
/// uses it. Claimed before any other generated name, so both entry points agree.
/// </summary>
internal sealed class EntryNames
{
    private readonly Dictionary<string, string> _accumulators = new();

    public EntryNames(MethodSpec spec, NameAllocator names)
    {
        Seed = names.Claim("seed");
        Residuals = names.Claim("residuals");
        if (spec.HasModelGradients())
        {
            Gradients = names.Claim("gradients");
        }
        foreach (ParameterSpec parameter in spec.Parameters)
        {
            if (parameter.IsDifferentiable)
            {
                _accumulators.Add(parameter.Name, names.Claim("d" + ReverseSweep.Capitalize(parameter.Name)));
            }
        }
    }

    public string Seed { get; }

    /// <summary>The split-mode residuals: a local of the entry points that call split callees, the parameter of the split members.</summary>
    public string Residuals { get; }

    /// <summary>The parameter receiving a model's parameter gradients, or null for methods without model fields.</summary>
    public string? Gradients { get; }

    public string Accumulator(string parameter) => _accumulators[parameter];

    /// <summary>Whether the caller passes an accumulator for this parameter (not for [NoGrad] ones, nor integers).</summary>
    public bool HasAccumulator(string parameter) => _accumulators.ContainsKey(parameter);
}
