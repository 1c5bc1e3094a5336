namespace Autodiff.Generator.Model;

/// <summary>A type that encloses a differentiable method, as its partial declaration must repeat it.</summary>
/// <param name="Keyword"><c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c> or <c>interface</c>.</param>
/// <param name="Name">The name with its type parameter list, e.g. <c>Model&lt;T&gt;</c>.</param>
internal sealed record ContainingType(string Keyword, string Name);

/// <param name="Name">The parameter's name as the user wrote it.</param>
/// <param name="IsDifferentiable">Floating-point, array or tensor, and not <c>[NoGrad]</c>.</param>
internal sealed record ParameterSpec(string Name, TypeRef Type, bool IsDifferentiable);

/// <summary>Everything the later stages need to know of one <c>[Differentiable]</c> method.</summary>
/// <param name="FileKey">Groups methods into one generated file per containing type.</param>
/// <param name="Namespace">The namespace, or empty for the global namespace.</param>
/// <param name="Types">The containing types, outermost first.</param>
/// <param name="Body">The lowered body, or null when the front end reported errors.</param>
/// <param name="SourceLines">The method's source lines, for the header comment of the generated members.</param>
internal sealed record MethodSpec(
    string FileKey,
    string Namespace,
    EquatableArray<ContainingType> Types,
    string Name,
    string Accessibility,
    TypeRef ReturnType,
    EquatableArray<ParameterSpec> Parameters,
    EquatableArray<string> LocalNames,
    Block? Body,
    string Signature,
    SourceSpan Span,
    EquatableArray<DiagnosticInfo> Diagnostics);
