namespace Autodiff.Generator.Model;

/// <summary>What the differentiation passes need to know of a type.</summary>
internal enum ValueKind
{
    /// <summary><c>double</c>: differentiable scalar.</summary>
    Double,
    /// <summary><c>float</c>: differentiable scalar.</summary>
    Float,
    /// <summary><c>double[]</c>: differentiable, element by element.</summary>
    DoubleArray,
    /// <summary><c>float[]</c>: differentiable, element by element.</summary>
    FloatArray,
    /// <summary><c>Autodiff.Tensor</c>: differentiable as a whole.</summary>
    Tensor,
    /// <summary>Integers, booleans, enums and other unmanaged values: never active, but savable.</summary>
    Unmanaged,
    /// <summary>Anything else (strings, objects): never active, not savable.</summary>
    Other,
    /// <summary>No value (<c>void</c>).</summary>
    Void,
}

/// <summary>A type as the generated code spells it (<c>double</c>, <c>global::Ns.T</c>) and its kind.</summary>
internal sealed record TypeRef(ValueKind Kind, string Name)
{
    public static readonly TypeRef Double = new(ValueKind.Double, "double");
    public static readonly TypeRef Float = new(ValueKind.Float, "float");
    public static readonly TypeRef Int = new(ValueKind.Unmanaged, "int");
    public static readonly TypeRef Bool = new(ValueKind.Unmanaged, "bool");
    public static readonly TypeRef Void = new(ValueKind.Void, "void");

    public bool IsScalar => Kind is ValueKind.Double or ValueKind.Float;

    public bool IsArray => Kind is ValueKind.DoubleArray or ValueKind.FloatArray;

    public bool IsTensor => Kind == ValueKind.Tensor;

    /// <summary>Can carry a gradient.</summary>
    public bool IsDifferentiable => IsScalar || IsArray || IsTensor;

    /// <summary>The element type of a differentiable array.</summary>
    public TypeRef Element => Kind == ValueKind.DoubleArray ? Double : Float;

    /// <summary>The zero adjoint: 0.0, 0f, or null for a tensor (allocated when first needed).</summary>
    public string Zero => Kind switch { ValueKind.Float => "0f", ValueKind.Tensor => "null", _ => "0.0" };

    public const string TensorName = "global::Autodiff.Tensor";

    /// <summary>The type of this type's adjoint variable: tensors' adjoints start out null.</summary>
    public TypeRef AdjointType => IsTensor ? new TypeRef(ValueKind.Tensor, TensorName + "?") : this;

    public override string ToString() => Name;
}
