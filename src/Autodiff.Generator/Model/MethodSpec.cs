namespace Autodiff.Generator.Model;

/// <summary>A type that encloses a differentiable method, as its partial declaration must repeat it.</summary>
/// <param name="Keyword"><c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c> or <c>interface</c>.</param>
/// <param name="Name">The name with its type parameter list, e.g. <c>Model&lt;T&gt;</c>.</param>
internal sealed record ContainingType(string Keyword, string Name);

/// <param name="Name">The parameter's name as the user wrote it.</param>
/// <param name="IsDifferentiable">Floating-point, array or tensor, and not <c>[NoGrad]</c>.</param>
/// <param name="IsAssignable">For a model's field or property: an optimiser can assign it (not readonly, not get- or init-only).</param>
internal sealed record ParameterSpec(string Name, TypeRef Type, bool IsDifferentiable, bool IsAssignable = false)
{
    /// <summary>How the IR names a field of the model: reads of <c>W</c> become the variable <c>this.W</c>.</summary>
    public const string FieldPrefix = "this.";
}

/// <summary>Everything the later stages need to know of one <c>[Differentiable]</c> method.</summary>
/// <param name="FileKey">Groups methods into one generated file per containing type.</param>
/// <param name="Key">Names the method among all others, overloads included (the key its callers' <see cref="Callee.RuleKey"/> has).</param>
/// <param name="Namespace">The namespace, or empty for the global namespace.</param>
/// <param name="Types">The containing types, outermost first.</param>
/// <param name="Body">The lowered body, or null when the front end reported errors.</param>
/// <param name="IsInstance">An instance method of a model class: differentiated with respect to <paramref name="Fields"/> too.</param>
/// <param name="Fields">The containing type's differentiable fields and properties (Tensor, float, double), the model's parameters.</param>
/// <param name="SubModels">The containing model's sub-models (fields holding other models, or arrays and lists of them).</param>
/// <param name="TrainingMember">The model's settable <c>bool Training</c> field or property, which the generated SetTraining assigns; null without one.</param>
/// <param name="DeclaresSetTraining">The model declares SetTraining itself: the generator writes none.</param>
/// <param name="Checkpoint">Marked <c>[Checkpoint]</c>: callers run it again in their backward pass rather than keep its residuals.</param>
/// <param name="LoopSnapshots">From <c>[LoopCheckpoints(n)]</c>: n, the copies of a top-level loop's state its backward pass keeps; null without it.</param>
/// <param name="Hessian"><c>[Differentiable(Hessian = true)]</c>: generate FHessianVector, and say why when it cannot be.</param>
/// <param name="AllHessians">The project asks for FHessianVector wherever it can be generated (AutodiffHessianVector=true).</param>
internal sealed record MethodSpec(
    string FileKey,
    string Key,
    string Namespace,
    EquatableArray<ContainingType> Types,
    string Name,
    string Accessibility,
    TypeRef ReturnType,
    EquatableArray<ParameterSpec> Parameters,
    bool IsInstance,
    EquatableArray<ParameterSpec> Fields,
    EquatableArray<string> LocalNames,
    Block? Body,
    string Signature,
    SourceSpan Span,
    EquatableArray<DiagnosticInfo> Diagnostics,
    bool Checkpoint = false,
    bool Graph = false,
    bool Hessian = false,
    bool AllHessians = false,
    int? LoopSnapshots = null,
    EquatableArray<SubModelSpec> SubModels = default,
    string? TrainingMember = null,
    bool DeclaresSetTraining = false);

internal static class MethodSpecExtensions
{
    /// <summary>What the method is differentiated with respect to: its parameters, then its model's fields (as this.Name).</summary>
    public static System.Collections.Generic.IEnumerable<ParameterSpec> Inputs(this MethodSpec spec)
    {
        foreach (ParameterSpec parameter in spec.Parameters)
        {
            yield return parameter;
        }
        foreach (ParameterSpec field in spec.Fields)
        {
            yield return field with { Name = ParameterSpec.FieldPrefix + field.Name };
        }
    }

    /// <summary>
    /// An instance method of a model with parameters of its own or in its sub-models: its entry
    /// points take the model's generated Gradients, and the file carries that class.
    /// </summary>
    public static bool HasModelGradients(this MethodSpec spec) =>
        spec.IsInstance && (System.Linq.Enumerable.Any(spec.Fields, f => f.IsDifferentiable) || spec.SubModels.Count > 0);

    /// <summary>Whether tensors flow through the method: then it runs inside a workspace that recycles buffers.</summary>
    public static bool UsesTensors(this MethodSpec spec) =>
        spec.ReturnType.IsTensor || System.Linq.Enumerable.Any(spec.Inputs(), p => p.Type.IsTensor);
}
