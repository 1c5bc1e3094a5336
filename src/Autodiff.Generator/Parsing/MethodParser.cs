using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Autodiff.Generator.Diagnostics;
using Autodiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Autodiff.Generator.Parsing;

/// <summary>
/// The front end for one <c>[Differentiable]</c> method: checks where it lives and what it takes and
/// returns, then lowers its body. Everything it hands on is plain, value-equal data.
/// </summary>
internal static class MethodParser
{
    public const string CheckpointAttributeName = "Autodiff.CheckpointAttribute";
    public const string LoopCheckpointsAttributeName = "Autodiff.LoopCheckpointsAttribute";
    public const string DifferentiableAttributeName = "Autodiff.DifferentiableAttribute";

    public static MethodSpec Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        Parse(context.TargetNode, (IMethodSymbol)context.TargetSymbol, context.SemanticModel, cancellationToken);

    /// <summary>
    /// The same front end for the generator's pipeline and for <see cref="DifferentiableAnalyzer"/>,
    /// so that the IDE's live diagnostics are exactly the ones a build reports.
    /// </summary>
    public static MethodSpec Parse(SyntaxNode node, IMethodSymbol method, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        SourceSpan nameSpan = node is MethodDeclarationSyntax declaration ? Spans.Of(declaration.Identifier) : Spans.Of(node);
        try
        {
            return ParseChecked(node, semanticModel, method, nameSpan, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A bug of ours must not take the user's build down with it: report it against the method.
            return Failed(method, nameSpan, DiagnosticInfo.Create(DiagnosticDescriptors.InternalError.Id, nameSpan,
                method.Name, exception.GetType().Name + ": " + exception.Message));
        }
    }

    private static MethodSpec ParseChecked(SyntaxNode node, SemanticModel semanticModel, IMethodSymbol method, SourceSpan nameSpan, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        if (node is not MethodDeclarationSyntax syntax)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedConstruct.Id, nameSpan,
                "A [Differentiable] local function", "make it a static method of a partial type"));
            return Failed(method, nameSpan, diagnostics.ToArray());
        }

        CheckContainingTypes(method, diagnostics);
        CheckMethod(method, syntax, nameSpan, diagnostics);
        var parameters = new List<ParameterSpec>();
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            parameters.Add(CheckParameter(parameter, diagnostics));
        }
        CheckNames(method, nameSpan, diagnostics);
        List<ParameterSpec> fields = method.IsStatic ? new List<ParameterSpec>() : ModelFields(method.ContainingType);
        List<SubModelSpec> subModels = method.IsStatic ? new List<SubModelSpec>() : SubModels.Of(method.ContainingType);
        if ((fields.Count > 0 || subModels.Count > 0) && method.ContainingType.GetMembers(GradientsTypeName).Any(m => !GeneratedFile.IsGenerated(m)))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameCollision.Id, nameSpan, method.ContainingType.Name, GradientsTypeName, method.Name));
        }

        var names = new LocalNames(method.Parameters.Select(p => p.Name));
        Block? body = null;
        if (diagnostics.Count == 0 && semanticModel.GetOperation(syntax, cancellationToken) is IMethodBodyOperation operation)
        {
            var lowerer = new BodyLowerer(method, names, new HashSet<string>(fields.Where(f => f.IsDifferentiable).Select(f => f.Name)),
                subModels.ToDictionary(m => m.Name, m => m.Shape), cancellationToken);
            body = lowerer.LowerBody(operation);
            diagnostics.AddRange(lowerer.Diagnostics);
            if (diagnostics.Count > 0 || lowerer.HasInvalidCode)
            {
                body = null;
            }
        }
        return Spec(method, nameSpan, parameters, fields, names.All, body, diagnostics) with
        {
            SubModels = subModels.ToEquatableArray(),
            TrainingMember = method.IsStatic ? null : SubModels.TrainingMember(method.ContainingType),
            DeclaresSetTraining = !method.IsStatic && SubModels.DeclaresSetTraining(method.ContainingType),
        };
    }

    /// <summary>The nested type that holds a model's gradients, one per parameter.</summary>
    public const string GradientsTypeName = "Gradients";

    /// <summary>
    /// A model's parameters: its instance fields and readable properties of type Tensor, float or
    /// double, in declaration order, [NoGrad] ones marked as constants.
    /// </summary>
    private static List<ParameterSpec> ModelFields(INamedTypeSymbol type)
    {
        var fields = new List<ParameterSpec>();
        foreach ((ISymbol member, ITypeSymbol memberType) in SubModels.InstanceMembers(type))
        {
            TypeRef typeRef = TypeClassifier.Classify(memberType);
            if (!(typeRef.IsScalar || typeRef.IsTensor))
            {
                continue;
            }
            bool noGrad = SubModels.IsNoGrad(member);
            bool assignable = member is IFieldSymbol { IsReadOnly: false } or IPropertySymbol { SetMethod.IsInitOnly: false };
            fields.Add(new ParameterSpec(member.Name, typeRef, !noGrad, assignable));
        }
        return fields;
    }

    private static void CheckContainingTypes(IMethodSymbol method, List<DiagnosticInfo> diagnostics)
    {
        for (INamedTypeSymbol? type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is TypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeNotPartial.Id, Spans.Of(declaration.Identifier), type.Name, method.Name));
                }
            }
        }
    }

    private static void CheckMethod(IMethodSymbol method, MethodDeclarationSyntax syntax, SourceSpan nameSpan, List<DiagnosticInfo> diagnostics)
    {
        if (method.IsGenericMethod)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedConstruct.Id, nameSpan,
                "A generic [Differentiable] method", "write it for double or float"));
        }
        if (!method.IsStatic && method.ContainingType.TypeKind != TypeKind.Class)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedConstruct.Id, nameSpan,
                "An instance [Differentiable] method of a struct", "make it static, or make the model a class"));
        }
        if (method.IsAbstract || method.IsExtern || syntax.Body is null && syntax.ExpressionBody is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedConstruct.Id, nameSpan,
                "A [Differentiable] method without a body", "give it a body, or declare its derivative with [DerivativeOf]"));
        }
        TypeRef returnType = TypeClassifier.Classify(method.ReturnType);
        if (method.ReturnsByRef || method.ReturnsByRefReadonly || !(returnType.IsScalar || returnType.IsTensor || returnType.IsArray))
        {
            string hint = method.ReturnType is IArrayTypeSymbol array && IsFloatingArray(array)
                ? " (return a one-dimensional array, with computed indices)"
                : method.ReturnType.SpecialType == SpecialType.System_Void ? " (return the value you want the gradient of)" : string.Empty;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedReturnType.Id, Spans.Of(syntax.ReturnType),
                method.Name, method.ReturnType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), hint));
        }
    }

    private static ParameterSpec CheckParameter(IParameterSymbol parameter, List<DiagnosticInfo> diagnostics)
    {
        TypeRef type = TypeClassifier.Classify(parameter.Type);
        bool noGrad = parameter.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "Autodiff.NoGradAttribute");
        SourceSpan span = parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is { } syntax ? Spans.Of(syntax) : SourceSpan.None;
        string typeName = parameter.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        if (parameter.RefKind != RefKind.None)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedParameter.Id, span, parameter.Name, typeName,
                "ref, out and in parameters are not supported; pass it by value and return the result"));
        }
        else if (!noGrad && parameter.Type is IArrayTypeSymbol array && !type.IsArray && IsFloatingArray(array))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedParameter.Id, span, parameter.Name, typeName,
                "multi-dimensional and jagged arrays have no gradient support; use a one-dimensional array with computed indices, or mark it [NoGrad] to treat it as a constant"));
        }
        else if (!noGrad && !type.IsDifferentiable && TypeClassifier.MayCarryGradient(parameter.Type))
        {
            // It holds numbers the user may expect a gradient for; treating it as a constant in silence would be a silent zero.
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedParameter.Id, span, parameter.Name, typeName,
                "values of this type hold floating-point numbers or tensors, but only double, float, their one-dimensional arrays and Tensor carry gradients; pass the numbers as such (a double[] for a list, one parameter per component of a struct), or mark it [NoGrad] to treat it as a constant"));
        }
        return new ParameterSpec(parameter.Name, type, type.IsDifferentiable && !noGrad && parameter.RefKind == RefKind.None);
    }

    private static bool IsFloatingArray(IArrayTypeSymbol array)
    {
        ITypeSymbol element = array.ElementType;
        while (element is IArrayTypeSymbol inner)
        {
            element = inner.ElementType;
        }
        return element.SpecialType is SpecialType.System_Double or SpecialType.System_Single;
    }

    /// <summary>FGradient and FPullback must be free: a user member of that name would clash with them.</summary>
    private static void CheckNames(IMethodSymbol method, SourceSpan nameSpan, List<DiagnosticInfo> diagnostics)
    {
        foreach (string suffix in MemberSuffixes.Reserved)
        {
            string name = method.Name + suffix;
            if (method.ContainingType.GetMembers(name).Any(m => !GeneratedFile.IsGenerated(m)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameCollision.Id, nameSpan, method.ContainingType.Name, name, method.Name));
            }
        }
    }

    private static MethodSpec Failed(IMethodSymbol method, SourceSpan span, params DiagnosticInfo[] diagnostics) =>
        Spec(method, span, new List<ParameterSpec>(), new List<ParameterSpec>(), Enumerable.Empty<string>(), null, diagnostics.ToList());

    private static MethodSpec Spec(IMethodSymbol method, SourceSpan span, List<ParameterSpec> parameters, List<ParameterSpec> fields, IEnumerable<string> localNames, Block? body, List<DiagnosticInfo> diagnostics)
    {
        var types = new List<ContainingType>();
        for (INamedTypeSymbol? type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            types.Insert(0, new ContainingType(Keyword(type), type.ToDisplayString(TypeDeclarationFormat)));
        }
        INamespaceSymbol ns = method.ContainingType.ContainingNamespace;
        return new MethodSpec(
            FileKey: method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty),
            Key: TypeClassifier.RuleKey(method),
            Namespace: ns.IsGlobalNamespace ? string.Empty : ns.ToDisplayString(),
            Types: types.ToEquatableArray(),
            Name: method.Name,
            Accessibility: Accessibility(method.DeclaredAccessibility),
            ReturnType: TypeClassifier.Classify(method.ReturnType),
            Parameters: parameters.ToEquatableArray(),
            IsInstance: !method.IsStatic,
            Fields: fields.ToEquatableArray(),
            LocalNames: localNames.OrderBy(n => n, StringComparer.Ordinal).ToEquatableArray(),
            Body: body,
            Signature: method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat),
            Span: span,
            Diagnostics: diagnostics.ToEquatableArray(),
            Checkpoint: method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == CheckpointAttributeName),
            Graph: Flag(method, "Graph"),
            Hessian: Flag(method, "Hessian"),
            LoopSnapshots: LoopSnapshots(method));
    }

    /// <summary>The number of copies <c>[LoopCheckpoints(n)]</c> asks for, or null without the attribute.</summary>
    private static int? LoopSnapshots(IMethodSymbol method) =>
        method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == LoopCheckpointsAttributeName) is { } attribute
            ? attribute.ConstructorArguments is { Length: 1 } arguments && arguments[0].Value is int snapshots ? snapshots : 0
            : null;

    /// <summary>A bool property set on the method's [Differentiable] (<c>Graph = true</c>).</summary>
    private static bool Flag(IMethodSymbol method, string name) =>
        method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == DifferentiableAttributeName
            && a.NamedArguments.Any(n => n.Key == name && n.Value.Value is true));

    private static readonly SymbolDisplayFormat TypeDeclarationFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameOnly,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters | SymbolDisplayGenericsOptions.IncludeVariance,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    private static string Keyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Interface } => "interface",
        _ => "class",
    };

    private static string Accessibility(Accessibility accessibility) => accessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };
}
