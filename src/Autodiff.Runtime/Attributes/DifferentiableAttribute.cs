using System;

namespace Autodiff;

/// <summary>
/// Marks a method whose gradient the Autodiff generator writes at compile time.
/// For <c>static double F(double x, ...)</c> it emits, into the same partial type,
/// <c>FGradient</c> (value and gradient of a scalar result), <c>FPullback</c>
/// (value, and <c>seed * ∂F/∂p</c> added into caller-provided accumulators) and, for methods
/// over scalars and arrays, <c>FTangent</c> (forward mode: value and directional derivative
/// along caller-given tangents, a Jacobian-vector product).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
    /// <summary>
    /// Also generate the method's computation graph, each edge labelled with its local derivative,
    /// as two string constants: <c>FGraphMermaid</c> (a Mermaid flowchart) and <c>FGraphDot</c>
    /// (Graphviz). For straight-line methods; a method with loops or branches gets warning ADIFF019.
    /// </summary>
    public bool Graph { get; set; }

    /// <summary>
    /// Also generate <c>FHessianVector</c>, the Hessian-vector product H·u along a direction u (as
    /// torch.autograd.functional.hvp), by reverse mode over forward mode. A method it does not handle
    /// yet (one that calls another method, or a rule without a pushforward) gets warning ADIFF021.
    /// The MSBuild property <c>AutodiffHessianVector=true</c> asks it for every method of a project
    /// (silently skipping those it does not handle).
    /// </summary>
    public bool Hessian { get; set; }
}
