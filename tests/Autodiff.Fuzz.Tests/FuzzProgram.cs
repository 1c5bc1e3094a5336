using System.Collections.Generic;

namespace Autodiff.Fuzz.Tests;

public enum InputKind
{
    /// <summary>A double or float parameter with a gradient.</summary>
    Scalar,
    /// <summary>A double[] or float[] parameter with a gradient.</summary>
    Array,
    /// <summary>A [NoGrad] double or float parameter.</summary>
    NoGradScalar,
    /// <summary>An int parameter (a recursion depth).</summary>
    Int,
    /// <summary>A Tensor parameter with a gradient.</summary>
    Tensor,
    /// <summary>A [NoGrad] Tensor parameter.</summary>
    NoGradTensor,
}

/// <summary>One parameter of a generated method, or one field of a generated model.</summary>
public sealed record InputSpec(string Name, InputKind Kind, int[]? Shape = null, int IntValue = 0)
{
    public bool IsDifferentiable => Kind is InputKind.Scalar or InputKind.Array or InputKind.Tensor;
}

/// <summary>A [Differentiable] method of a generated program whose gradient the checker compares.</summary>
public sealed record MethodUnderTest(string Name, IReadOnlyList<InputSpec> Parameters, bool IsInstance);

public enum ProgramKind
{
    Static,
    Model,
    TensorModel,
}

/// <summary>A generated program: one partial class (and, for float programs, its double twin).</summary>
public sealed class FuzzProgram
{
    public required int Seed { get; init; }
    public required string ClassName { get; init; }
    public required ProgramKind Kind { get; init; }
    public required bool IsFloat { get; init; }
    /// <summary>Array length of every array in the program.</summary>
    public required int N { get; init; }
    public required string Source { get; init; }
    public required IReadOnlyList<MethodUnderTest> Methods { get; init; }
    /// <summary>Model fields (parameters of the model), in declaration order.</summary>
    public required IReadOnlyList<InputSpec> Fields { get; init; }
    /// <summary>Class holding the double twin (for float programs) or the class itself.</summary>
    public string TwinClassName => IsFloat && Kind != ProgramKind.TensorModel ? ClassName + "Twin" : ClassName;
    public required IReadOnlyCollection<string> Features { get; init; }
    public string FileName => ClassName + ".cs";
}
