using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Autodiff.Generator.Parsing;

/// <summary>
/// Finds a model's sub-models: fields and properties whose type is a model class (one with
/// [Differentiable] instance methods, so that the generator gives it a Gradients class), or an
/// array or list of such classes. torch.nn.Module finds its sub-modules the same way, by looking
/// at what its attributes hold.
/// </summary>
internal static class SubModels
{
    /// <summary>The name of the bool member that train/eval switches, as module.training is.</summary>
    public const string TrainingName = "Training";

    public static List<SubModelSpec> Of(INamedTypeSymbol type)
    {
        var subModels = new List<SubModelSpec>();
        foreach ((ISymbol member, ITypeSymbol memberType) in Members(type))
        {
            if (Shape(memberType) is ({ } shape, { } model))
            {
                subModels.Add(new SubModelSpec(member.Name, model.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), shape));
            }
        }
        return subModels;
    }

    /// <summary>How a member of this type holds models: one, an array, a list; null when it holds none.</summary>
    public static (SubModelShape? Shape, INamedTypeSymbol? Model) Shape(ITypeSymbol type)
    {
        if (IsModel(type))
        {
            return (SubModelShape.One, (INamedTypeSymbol)type);
        }
        if (type is IArrayTypeSymbol { Rank: 1 } array && IsModel(array.ElementType))
        {
            return (SubModelShape.Array, (INamedTypeSymbol)array.ElementType);
        }
        if (type is INamedTypeSymbol { TypeArguments.Length: 1 } generic && IsModel(generic.TypeArguments[0]) && IsList(generic))
        {
            return (SubModelShape.List, (INamedTypeSymbol)generic.TypeArguments[0]);
        }
        return (null, null);
    }

    /// <summary>
    /// A class with a [Differentiable] instance method and parameters (its own, or its sub-models'):
    /// the generator gives it a Gradients class. One without parameters has nothing to nest.
    /// </summary>
    public static bool IsModel(ITypeSymbol type) => IsModel(type, depth: 0);

    private static bool IsModel(ITypeSymbol type, int depth) =>
        depth < 8 && type is INamedTypeSymbol { TypeKind: TypeKind.Class } named
        && named.GetMembers().OfType<IMethodSymbol>().Any(m => !m.IsStatic
            && m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == MethodParser.DifferentiableAttributeName))
        && Members(named).Any(member => TypeClassifier.Classify(member.Type) is { } classified && (classified.IsScalar || classified.IsTensor)
            || HoldsModels(member.Type, depth + 1));

    private static bool HoldsModels(ITypeSymbol type, int depth) =>
        IsModel(type, depth)
        || type is IArrayTypeSymbol { Rank: 1 } array && IsModel(array.ElementType, depth)
        || type is INamedTypeSymbol { TypeArguments.Length: 1 } generic && IsList(generic) && IsModel(generic.TypeArguments[0], depth);

    /// <summary>A model's instance fields and readable properties, in declaration order: where its parameters and sub-models live.</summary>
    public static IEnumerable<(ISymbol Member, ITypeSymbol Type)> InstanceMembers(INamedTypeSymbol type)
    {
        foreach (ISymbol member in type.GetMembers())
        {
            ITypeSymbol? memberType = member switch
            {
                IFieldSymbol { IsStatic: false, IsImplicitlyDeclared: false, IsConst: false } field => field.Type,
                IPropertySymbol { IsStatic: false, IsIndexer: false, GetMethod: not null } property => property.Type,
                _ => null,
            };
            if (memberType is not null)
            {
                yield return (member, memberType);
            }
        }
    }

    public static bool IsNoGrad(ISymbol member) => member.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == BodyLowerer.NoGradAttributeName);

    /// <summary>The instance members that may hold parameters: not [NoGrad].</summary>
    private static IEnumerable<(ISymbol Member, ITypeSymbol Type)> Members(INamedTypeSymbol type) =>
        InstanceMembers(type).Where(m => !IsNoGrad(m.Member));

    /// <summary>List&lt;T&gt;, IList&lt;T&gt; or IReadOnlyList&lt;T&gt;: indexable by an int, with a Count.</summary>
    private static bool IsList(INamedTypeSymbol type) =>
        type.OriginalDefinition.ToDisplayString() is "System.Collections.Generic.List<T>"
            or "System.Collections.Generic.IList<T>" or "System.Collections.Generic.IReadOnlyList<T>";

    /// <summary>The name of the generated method that sets Training on a model and all its sub-models.</summary>
    public const string SetTrainingName = "SetTraining";

    /// <summary>The user wrote SetTraining: the generator then leaves it to them (and calls theirs).</summary>
    public static bool DeclaresSetTraining(INamedTypeSymbol type) => type.GetMembers(SetTrainingName).Any(m => !GeneratedFile.IsGenerated(m));

    /// <summary>The model's settable <c>bool Training</c> field or property, if it declares one.</summary>
    public static string? TrainingMember(INamedTypeSymbol type) =>
        type.GetMembers(TrainingName).Any(m => m is IFieldSymbol { IsStatic: false, IsReadOnly: false, Type.SpecialType: SpecialType.System_Boolean }
            or IPropertySymbol { IsStatic: false, SetMethod.IsInitOnly: false, Type.SpecialType: SpecialType.System_Boolean })
            ? TrainingName
            : null;
}
