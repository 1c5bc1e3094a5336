using System.Collections.Generic;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Emit;

/// <summary>
/// Forward mode's tangent variables, shared by its printed form (<see cref="TangentSweep"/>) and its
/// IR form (<see cref="TangentProgram"/>): each differentiable parameter's is the one the member
/// takes; each other active scalar, array or tensor variable gets one named d + its name, claimed the first
/// time it is asked for. Variables whose tangent is always zero have none.
/// </summary>
internal sealed class TangentNames
{
    private readonly MethodContext _context;
    private readonly Dictionary<string, string> _tangents = new();

    /// <param name="parameterTangents">The tangent parameter of each differentiable parameter.</param>
    public TangentNames(MethodContext context, IReadOnlyDictionary<string, string> parameterTangents)
    {
        _context = context;
        foreach (KeyValuePair<string, string> parameter in parameterTangents)
        {
            _tangents[parameter.Key] = parameter.Value;
        }
    }

    /// <summary>The variable's tangent, or null; <paramref name="claimed"/> says whether it was named just now.</summary>
    public string? Of(string variable, out bool claimed)
    {
        claimed = false;
        if (_tangents.TryGetValue(variable, out string? name))
        {
            return name;
        }
        TypeRef type = _context.TypeOf(variable);
        if (!type.IsDifferentiable || !_context.Activity.IsActive(variable))
        {
            return null;
        }
        name = _context.Names.Claim("d" + ReverseSweep.Capitalize(variable.Replace(ParameterSpec.FieldPrefix, string.Empty)));
        _tangents.Add(variable, name);
        claimed = true;
        return name;
    }
}
