namespace Autodiff.Generator.Model;

/// <summary>How a model holds a sub-model: one field, or an array or list of them.</summary>
internal enum SubModelShape
{
    /// <summary><c>public Block Block;</c></summary>
    One,
    /// <summary><c>public Block[] Blocks;</c></summary>
    Array,
    /// <summary><c>public List&lt;Block&gt; Blocks;</c> (or any IReadOnlyList, IList).</summary>
    List,
}

/// <summary>
/// A field or property of a model whose type is itself a model (a class with [Differentiable]
/// instance methods), or an array or list of them: its parameters belong to the outer model too,
/// as a torch.nn.Module's sub-modules do, and its gradients nest in the outer model's Gradients.
/// </summary>
/// <param name="Name">The member's name.</param>
/// <param name="TypeName">The sub-model's class, as generated code spells it (<c>global::Ns.Block</c>).</param>
/// <param name="Shape">One sub-model, or an array or list of them.</param>
internal sealed record SubModelSpec(string Name, string TypeName, SubModelShape Shape);
