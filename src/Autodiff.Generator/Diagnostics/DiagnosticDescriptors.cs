using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Autodiff.Generator.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports, in one place. IDs use the ADIFF prefix (AD0001 is
/// Roslyn's own "analyzer threw"); each has a section in docs/diagnostics.md.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Autodiff";

    public static readonly DiagnosticDescriptor TypeNotPartial = Error("ADIFF001",
        "Containing type is not partial",
        "Type '{0}' must be partial: the gradient of '{1}' is generated into it. Add the 'partial' modifier to '{0}'.");

    public static readonly DiagnosticDescriptor UnsupportedReturnType = Error("ADIFF002",
        "Return type cannot be differentiated",
        "'{0}' returns '{1}', which has no gradient: a [Differentiable] method returns double, float, a one-dimensional array of them, or Tensor{2}");

    public static readonly DiagnosticDescriptor UnsupportedParameter = Error("ADIFF003",
        "Parameter cannot be differentiated",
        "Parameter '{0}' of type '{1}' cannot be differentiated: {2}");

    public static readonly DiagnosticDescriptor NoDerivative = Error("ADIFF004",
        "Call without a derivative receives an active value",
        "'{0}' has no derivative but receives the active value '{1}': give it a [DerivativeOf] pullback, mark it [Differentiable], or cut the gradient with Grad.Stop(...)");

    public static readonly DiagnosticDescriptor ActiveWrittenOutside = Error("ADIFF005",
        "Active value written outside the method",
        "The active value '{0}' is written to {1}, where the gradient cannot follow it: keep it in a local, or cut the gradient with Grad.Stop(...)");

    public static readonly DiagnosticDescriptor ActiveByReference = Error("ADIFF006",
        "Active value passed by reference",
        "The active value '{0}' is passed as a '{1}' argument to '{2}', where the gradient cannot follow it: pass it by value, or cut the gradient with Grad.Stop(...)");

    public static readonly DiagnosticDescriptor ActiveCapturedByLambda = Error("ADIFF007",
        "Active value captured by a lambda",
        "The active value '{0}' is captured by a lambda, where the gradient cannot follow it: compute it outside the lambda, or cut the gradient with Grad.Stop(...)");

    public static readonly DiagnosticDescriptor ActiveToInteger = Warning("ADIFF008",
        "Active value converted to an integer",
        "The active value '{0}' is converted to '{1}': the gradient stops here; write Grad.Stop(...) around it to say so");

    public static readonly DiagnosticDescriptor UnsupportedConstruct = Error("ADIFF009",
        "Construct not supported in a differentiable method",
        "{0} is not supported in a [Differentiable] method: {1}");

    public static readonly DiagnosticDescriptor DerivativeSignatureMismatch = Error("ADIFF010",
        "[DerivativeOf] signature does not match its target",
        "'{0}' cannot be the {3} of '{1}': {2}");

    public static readonly DiagnosticDescriptor DerivativeTargetNotFound = Error("ADIFF011",
        "[DerivativeOf] target not found",
        "[DerivativeOf] names '{0}', but '{1}' has no method of that name");

    public static readonly DiagnosticDescriptor InternalError = Error("ADIFF012",
        "The generator failed on a method",
        "The Autodiff generator failed on '{0}' ({1}); no gradient was generated for it. Please report this with the method's source.");

    public static readonly DiagnosticDescriptor NameCollision = Error("ADIFF013",
        "Generated member name already taken",
        "'{0}' already has a member named '{1}', which the generator needs for the gradient of '{2}': rename one of them");

    public static readonly DiagnosticDescriptor ActiveArrayAlias = Error("ADIFF014",
        "Active array aliased or reassigned",
        "The array '{0}' carries a gradient and is {1}");

    public static readonly DiagnosticDescriptor CalleeNotGenerated = Error("ADIFF015",
        "Call to a method whose gradient was not generated",
        "'{0}' is [Differentiable], but its gradient could not be generated (see the error on it), so '{1}' cannot pass the gradient through this call: fix '{0}', or cut the gradient with Grad.Stop(...)");

    public static readonly DiagnosticDescriptor MemberNotParameter = Error("ADIFF016",
        "Model member that holds numbers is not a parameter",
        "'{0}' of type '{1}' holds floating-point numbers or tensors, but only Tensor, float and double members of the model itself (and of its sub-models) are parameters, so its gradient would be silently lost: mark it [NoGrad] if it is a constant, hold each tensor or number in a member of its own, or hold a list of tensors as an array or list of small model classes, one tensor each (sub-models)");

    public static readonly DiagnosticDescriptor NoForwardMode = Info("ADIFF018",
        "No forward mode for this method",
        "'{0}' gets no {1} member: forward mode does not handle {2} yet; its gradient and pullback are generated as usual");

    public static readonly DiagnosticDescriptor NoGraph = Warning("ADIFF019",
        "No graph picture for this method",
        "'{0}' asks for its computation graph (Graph = true), but it has {1}: graph pictures are drawn for straight-line methods; its gradient is generated as usual");

    public static readonly DiagnosticDescriptor ArrayResultShape = Error("ADIFF020",
        "Array result not returned as one new array",
        "'{0}' returns {1}: a method that returns an array must return one local array that it allocates with new, from its last statement; {2}");

    public static readonly DiagnosticDescriptor NoHessianVector = Warning("ADIFF021",
        "No Hessian-vector product for this method",
        "'{0}' asks for its Hessian-vector product (Hessian = true), but reverse mode over forward mode does not handle {1} yet, so FHessianVector is not generated; its gradient is generated as usual");

    public static readonly DiagnosticDescriptor LoopNotCheckpointed = Warning("ADIFF022",
        "Loop not checkpointed",
        "[LoopCheckpoints] on '{0}' does not apply to {1}: {2}; its backward pass keeps what every iteration reads instead");

    public static readonly DiagnosticDescriptor UnreadParameterRead = Error("ADIFF023",
        "[Unread] parameter is read",
        "'{0}' marks its parameter '{1}' [Unread], but reads it: generated code passes default there, so the rule would compute with 0. Remove [Unread] from '{1}', or stop reading it.");

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = Index(
        TypeNotPartial, UnsupportedReturnType, UnsupportedParameter, NoDerivative, ActiveWrittenOutside,
        ActiveByReference, ActiveCapturedByLambda, ActiveToInteger, UnsupportedConstruct,
        DerivativeSignatureMismatch, DerivativeTargetNotFound, InternalError, NameCollision, ActiveArrayAlias,
        CalleeNotGenerated, MemberNotParameter, NoForwardMode, NoGraph, ArrayResultShape, NoHessianVector,
        LoopNotCheckpointed, UnreadParameterRead);

    public static IEnumerable<DiagnosticDescriptor> All => ById.Values;

    public static DiagnosticDescriptor Find(string id) => ById[id];

    private static DiagnosticDescriptor Error(string id, string title, string message) => Descriptor(id, title, message, DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Warning(string id, string title, string message) => Descriptor(id, title, message, DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Info(string id, string title, string message) => Descriptor(id, title, message, DiagnosticSeverity.Info);

    private static DiagnosticDescriptor Descriptor(string id, string title, string message, DiagnosticSeverity severity) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    private static string HelpLink(string id) => HelpLinks.For(id);

    private static Dictionary<string, DiagnosticDescriptor> Index(params DiagnosticDescriptor[] descriptors)
    {
        var map = new Dictionary<string, DiagnosticDescriptor>();
        foreach (DiagnosticDescriptor descriptor in descriptors)
        {
            map.Add(descriptor.Id, descriptor);
        }
        return map;
    }
}
