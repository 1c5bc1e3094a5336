using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Diagnostics;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// An array result must be one array the method allocates and returns once, at the end (ADIFF020):
/// the pullback seeds that array's adjoint, and the tangent is that array's tangent. Returning a
/// parameter would give the input and the result one adjoint; returning from several places would
/// give the result several arrays, which the gradient cannot follow (as ADIFF014 says of aliases).
/// </summary>
internal static class ArrayResults
{
    public static void Check(MethodSpec spec, Block body, LoweredMethod lowered, List<DiagnosticInfo> diagnostics)
    {
        if (!spec.ReturnType.IsArray)
        {
            return;
        }
        List<Return> returns = Walk.Statements(body).OfType<Return>().ToList();
        if (returns.Count > 1 || returns.Count == 1 && !ReferenceEquals(body.Statements.LastOrDefault(), returns[0]))
        {
            Return early = returns.First(r => !ReferenceEquals(body.Statements.LastOrDefault(), r));
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ArrayResultShape.Id, early.Span, spec.Name,
                "an array from more than one place", "declare the result array before the branches, fill it in each, and return it at the end"));
            return;
        }
        if (returns.Count == 1 && returns[0].Value is Conditional)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ArrayResultShape.Id, returns[0].Span, spec.Name,
                "one of two arrays, chosen by a conditional expression", "declare the result array, fill it in each branch of an if, and return it at the end"));
            return;
        }
        if (spec.Parameters.FirstOrDefault(p => p.Name == lowered.Result.Name) is { } parameter)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ArrayResultShape.Id, returns[0].Span, spec.Name,
                "its parameter '" + parameter.Name + "'", "allocate a new array and copy the elements into it"));
        }
    }
}
