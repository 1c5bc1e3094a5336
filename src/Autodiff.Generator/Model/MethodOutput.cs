namespace Autodiff.Generator.Model;

/// <summary>Where a method's generated members go: the file of its containing type, and how that file opens.</summary>
/// <param name="FileKey">The containing type's full name: one generated file per type.</param>
internal sealed record FileHeader(string FileKey, string Namespace, EquatableArray<ContainingType> Types);

/// <summary>A call from generated code into another method's generated pullback: it compiles only if that pullback exists.</summary>
/// <param name="CalleeKey">The callee's <see cref="MethodSpec.Key"/>.</param>
/// <param name="CalleeDisplay">The callee as users know it (<c>C.F</c>), for messages.</param>
internal sealed record PullbackCall(string CalleeKey, string CalleeDisplay, SourceSpan Span);

/// <summary>
/// What the emitter made of one <c>[Differentiable]</c> method, on the assumption that the
/// pullbacks it calls exist: the file assembler drops it (and reports at the call) when one does not.
/// </summary>
/// <param name="Members">The generated entry points, or null when the method has errors.</param>
/// <param name="GradientsType">For a model method, the model's nested Gradients class.</param>
/// <param name="Tangent">The forward-mode member (<c>FTangent</c>), or null when forward mode does not handle the method.</param>
/// <param name="TangentCalls">The methods whose tangent members <paramref name="Tangent"/> calls.</param>
/// <param name="Jacobian">For an array result, <c>FJacobian</c> using <paramref name="Tangent"/> where forward mode is cheaper; null otherwise.</param>
/// <param name="ReverseJacobian"><c>FJacobian</c> by reverse mode alone, for when the tangent member is dropped.</param>
/// <param name="HessianVector">The Hessian-vector product members (<c>[Differentiable(Hessian = true)]</c>), or null.</param>
/// <param name="HessianCalls">The methods whose tangent programs <paramref name="HessianVector"/> calls.</param>
/// <param name="HessianAsked">The method itself asks for it (<c>Hessian = true</c>): losing it to a callee is reported (ADIFF021).</param>
internal sealed record MethodOutput(
    FileHeader File,
    string Key,
    string Name,
    SourceSpan Span,
    string? Members,
    string? GradientsType,
    EquatableArray<DiagnosticInfo> Diagnostics,
    EquatableArray<PullbackCall> Calls,
    string? Tangent = null,
    EquatableArray<PullbackCall> TangentCalls = default,
    string? Jacobian = null,
    string? ReverseJacobian = null,
    string? HessianVector = null,
    EquatableArray<PullbackCall> HessianCalls = default,
    bool HessianAsked = false);

/// <summary>
/// What a method does to its array parameters, as far as the method itself says: which it writes
/// elements of, and which it hands on to other <c>[Differentiable]</c> methods (that may write them).
/// </summary>
/// <param name="StaticCallees">The static [Differentiable] methods the method calls, by key.</param>
/// <param name="HasLoops">Whether the method has loops: running it again in a caller's backward pass would cost a loop.</param>
/// <param name="Checkpoint">Marked [Checkpoint]: callers run it again rather than keep its residuals.</param>
/// <param name="ModelCallees">The [Differentiable] methods of this model or its sub-models it calls.</param>
/// <param name="ReturnsTensor">Running it again would cost a whole tensor forward pass: callers keep its residuals instead.</param>
internal sealed record ArrayEffects(string Key, EquatableArray<int> Writes, EquatableArray<ArrayHandOff> HandOffs, EquatableArray<string> StaticCallees, bool HasLoops, bool Checkpoint,
    EquatableArray<string> ModelCallees = default, bool ReturnsTensor = false)
{
    /// <summary>Every [Differentiable] method it calls, static or of a model.</summary>
    public System.Collections.Generic.IEnumerable<string> Callees => System.Linq.Enumerable.Concat(StaticCallees, ModelCallees);
}

/// <summary>
/// What the methods of a compilation know of each other: which array parameters are written ("key#index",
/// see <see cref="Transforms.CallGraph.Written"/>), and which static methods other [Differentiable]
/// methods call (they get split-mode members, see the emitter's <c>SplitMode</c>).
/// </summary>
internal sealed record CrossMethodFacts(EquatableArray<string> WrittenArrays, EquatableArray<string> SplitCallees);

/// <summary>Parameter <paramref name="Parameter"/> is passed as parameter <paramref name="CalleeParameter"/> of <paramref name="CalleeKey"/>.</summary>
internal sealed record ArrayHandOff(int Parameter, string CalleeKey, int CalleeParameter);
