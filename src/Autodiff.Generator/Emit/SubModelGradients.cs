using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Emit;

/// <summary>
/// Where a sub-model's gradients live: the model's Gradients class has a member of the same name
/// and shape for each sub-model, so <c>this.Blocks[i]</c> has its gradients at
/// <c>gradients.Blocks[i]</c>: the receiver of the call, with <c>this</c> replaced.
/// </summary>
internal static class SubModelGradients
{
    public static Expr Of(Expr receiver, string gradients) => receiver switch
    {
        Opaque { Parts.Count: 1, Holes.Count: 0 } self when self.Parts[0] == "this" => new Literal(self.Type, gradients),
        Opaque opaque => opaque with { Holes = opaque.Holes.Select(h => Of(h, gradients)).ToEquatableArray() },
        _ => receiver,
    };
}
