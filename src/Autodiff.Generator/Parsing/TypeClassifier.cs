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
