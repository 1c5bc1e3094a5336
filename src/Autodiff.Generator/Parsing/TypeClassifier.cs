using System.Linq;
using Autodiff.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Autodiff.Generator.Parsing;

/// <summary>Maps Roslyn types to the <see cref="TypeRef"/>s of the IR.</summary>
internal static class TypeClassifier
{
    /// <summary>global::-qualified names, keywords for special types, nullable annotations kept.</summary>
    public static readonly SymbolDisplayFormat Format = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public const string TensorMetadataName = "Autodiff.Tensor";

    public static TypeRef Classify(ITypeSymbol? type)
    {
        if (type is null)
        {
            return TypeRef.Void;
        }
        switch (type.SpecialType)
        {
            case SpecialType.System_Double:
                return TypeRef.Double;
            case SpecialType.System_Single:
                return TypeRef.Float;
            case SpecialType.System_Void:
                return TypeRef.Void;
        }
        string name = type.ToDisplayString(Format);
        if (type is IArrayTypeSymbol { Rank: 1 } array)
        {
            switch (array.ElementType.SpecialType)
            {
                case SpecialType.System_Double:
                    return new TypeRef(ValueKind.DoubleArray, "double[]");
                case SpecialType.System_Single:
                    return new TypeRef(ValueKind.FloatArray, "float[]");
            }
        }
        if (IsTensor(type))
        {
            return new TypeRef(ValueKind.Tensor, "global::Autodiff.Tensor");
        }
        return new TypeRef(type.IsUnmanagedType ? ValueKind.Unmanaged : ValueKind.Other, name);
    }

    /// <summary>
    /// Whether values of the type hold floating-point numbers or tensors that a user would expect a
    /// gradient for, though the type itself is not differentiable: structs with floating-point fields
    /// (<c>Complex</c>, a user's <c>Vector2</c>), arrays and collections of such values
    /// (<c>double[][]</c>, <c>List&lt;double&gt;</c>, <c>Tensor[]</c>), classes holding tensors (a
    /// sub-model) or arrays of numbers. Classes holding only scalars (settings) and delegates do not count.
    /// </summary>
    public static bool MayCarryGradient(ITypeSymbol type) => MayCarryGradient(type, depth: 0);

    private static bool MayCarryGradient(ITypeSymbol type, int depth)
    {
        if (depth > 4)
        {
            return false;
        }
        if (type.SpecialType is SpecialType.System_Double or SpecialType.System_Single || IsTensor(type))
        {
            return true;
        }
        switch (type)
        {
            case IArrayTypeSymbol array:
                return MayCarryGradient(array.ElementType, depth + 1);
            case INamedTypeSymbol { TypeKind: TypeKind.Delegate }:
                return false;
            case INamedTypeSymbol named:
                if (named.TypeArguments.Any(t => MayCarryGradient(t, depth + 1)))
                {
                    return true;
                }
                if (named.SpecialType != SpecialType.None || named.TypeKind == TypeKind.Enum)
                {
                    return false;
                }
                bool isStruct = named.IsValueType;
                return named.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst)
                    .Any(f => isStruct ? MayCarryGradient(f.Type, depth + 1) : HoldsData(f.Type, depth + 1));
            default:
                return false;
        }
    }

    /// <summary>A class member that makes the class data rather than settings: tensors, or arrays or collections of numbers.</summary>
    private static bool HoldsData(ITypeSymbol type, int depth) =>
        depth <= 4 && (IsTensor(type)
            || type is IArrayTypeSymbol array && (array.ElementType.SpecialType is SpecialType.System_Double or SpecialType.System_Single || HoldsData(array.ElementType, depth + 1))
            || type is INamedTypeSymbol named && named.TypeArguments.Any(t => t.SpecialType is SpecialType.System_Double or SpecialType.System_Single || HoldsData(t, depth + 1)));

    public static bool IsTensor(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "Tensor", ContainingNamespace: { Name: "Autodiff", ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary>The key a rule is registered under: declaring type, name and parameter types.</summary>
    public static string RuleKey(IMethodSymbol method)
    {
        IMethodSymbol definition = method.ReducedFrom ?? method.OriginalDefinition;
        var key = new System.Text.StringBuilder();
        key.Append(definition.ContainingType.OriginalDefinition.ToDisplayString(Format)).Append('.').Append(definition.Name).Append('(');
        for (int i = 0; i < definition.Parameters.Length; i++)
        {
            if (i > 0)
            {
                key.Append(", ");
            }
            key.Append(definition.Parameters[i].Type.ToDisplayString(Format));
        }
        return key.Append(')').ToString();
    }
}
