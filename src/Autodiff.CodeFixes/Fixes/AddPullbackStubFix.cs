using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Autodiff.CodeFixes.Editing;
using Autodiff.CodeFixes.Reading;
using Autodiff.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace Autodiff.CodeFixes.Fixes;

/// <summary>
/// ADIFF004: add a <c>[DerivativeOf]</c> pullback for the called method, with the exact signature
/// the generator checks and a body that throws until the user writes the derivative. Throwing,
/// not returning, because an empty pullback would be a silent zero gradient, the one outcome the
/// generator exists to refuse. The stub goes next to the callee when its source is in the
/// solution, otherwise into the caller's type (naming the callee's type in the attribute).
/// Not offered for a model's own instance helpers called on <c>this</c>: a pullback has no
/// accumulator for the model's parameters, so their gradient through the helper would be lost.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddPullbackStubFix)), Shared]
public sealed class AddPullbackStubFix : CodeFixProvider
{
    public const string EquivalenceKey = "Autodiff.AddPullbackStub";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticDescriptors.NoDerivative.Id);

    public override FixAllProvider? GetFixAllProvider() => null; // each stub is a derivative the user must write

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            CallWithoutDerivative? call = CallWithoutDerivative.Read(root, model, diagnostic, context.CancellationToken);
            // A method that returns nothing, or hands values back through ref or out, has no pullback
            // form (there is no result to seed): no stub to offer (found by running the fixes over the corpus).
            if (call?.Callee is not { IsGenericMethod: false, ReturnsVoid: false } callee || callee.Parameters.Any(p => p.RefKind is RefKind.Ref or RefKind.Out)
                || CalledOnThis(call.Operation, callee)
                || Placement(context.Document.Project.Solution, call.Operation, callee, context.CancellationToken) is not { } place)
            {
                continue;
            }
            string title = "Add a [DerivativeOf] pullback for '" + callee.Name + "' to fill in";
            context.RegisterCodeFix(CodeAction.Create(title, token => AddAsync(place, callee, token), EquivalenceKey), diagnostic);
        }
    }

    /// <summary>Where the stub goes: after this member of this type, in this document.</summary>
    private sealed record Place(Document Document, TypeDeclarationSyntax Type, MemberDeclarationSyntax After, bool BesideTarget);

    private static Place? Placement(Solution solution, ExpressionSyntax operation, IMethodSymbol callee, CancellationToken cancellationToken)
    {
        if (callee.DeclaringSyntaxReferences.Length == 1
            && callee.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is MethodDeclarationSyntax { Parent: TypeDeclarationSyntax calleeType } declaration
            && solution.GetDocument(declaration.SyntaxTree) is { } calleeDocument)
        {
            return new Place(calleeDocument, calleeType, declaration, BesideTarget: true);
        }
        MemberDeclarationSyntax? caller = operation.Ancestors().OfType<MemberDeclarationSyntax>().FirstOrDefault(m => m.Parent is TypeDeclarationSyntax);
        return caller is { Parent: TypeDeclarationSyntax callerType } && solution.GetDocument(caller.SyntaxTree) is { } callerDocument
            ? new Place(callerDocument, callerType, caller, BesideTarget: false)
            : null;
    }

    private static bool CalledOnThis(ExpressionSyntax operation, IMethodSymbol callee) =>
        !callee.IsStatic && operation is InvocationExpressionSyntax { Expression: IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax or BaseExpressionSyntax } };

    private static async Task<Solution> AddAsync(Place place, IMethodSymbol callee, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await place.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        SemanticModel model = (await place.Document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
        INamedTypeSymbol holder = model.GetDeclaredSymbol(place.Type, cancellationToken)!;
        bool nullable = model.GetNullableContext(place.After.SpanStart).AnnotationsEnabled();
        string newLine = AttributePlacement.NewLineOf(root).ToFullString();
        MemberDeclarationSyntax stub = Stub(callee, holder, place.BesideTarget, nullable, newLine);
        int index = place.Type.Members.IndexOf(place.After);
        TypeDeclarationSyntax withStub = place.Type.WithMembers(place.Type.Members.Insert(index + 1, stub));
        Document changed = place.Document.WithSyntaxRoot(root.ReplaceNode(place.Type, withStub));
        return (await Tidy.DocumentAsync(changed, cancellationToken).ConfigureAwait(false)).Project.Solution;
    }

    private static MemberDeclarationSyntax Stub(IMethodSymbol target, INamedTypeSymbol holder, bool besideTarget, bool nullable, string newLine)
    {
        List<PullbackSignature.Slot> slots = PullbackSignature.Slots(target, withResult: false);
        string parameters = PullbackSignature.Syntax(slots, nullable).ToFullString();
        string type = target.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        string attribute = besideTarget
            ? "nameof(" + target.Name + ")"
            : "typeof(" + type + "), nameof(" + type + "." + target.Name + ")";
        // Private only beside a private target: the one case the generator lets a pullback be private.
        string access = besideTarget && target.DeclaredAccessibility == Accessibility.Private ? "private" : "internal";
        string name = FreeName(holder, target.Name + "Backward");
        IEnumerable<string> steps = slots.Where(s => s.AccumulatorOf is not null).Select(accumulator => accumulator.ByRef
            ? "// " + accumulator.Name + " += seed * d" + target.Name + "/d" + accumulator.AccumulatorOf + ";"
            : "// " + accumulator.Name + ", when not null: add seed times d" + target.Name + "/d" + accumulator.AccumulatorOf + " into it, element by element (a vector-Jacobian product).");
        string text = string.Join(newLine, new[]
        {
            "[global::Autodiff.DerivativeOf(" + attribute + ")]",
            access + " static void " + name + parameters,
            "{",
            "// For each input, add seed times the derivative of " + target.Name + " with respect to it:",
        }.Concat(steps).Concat(new[]
        {
            "throw new global::System.NotImplementedException(\"The derivative of " + target.Name + " is not written yet: fill in " + name + ".\");",
            "}",
        })) + newLine;
        MemberDeclarationSyntax stub = SyntaxFactory.ParseMemberDeclaration(text)!;
        return stub.WithLeadingTrivia(SyntaxFactory.ParseLeadingTrivia(newLine))
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation, Formatter.Annotation);
    }

    private static string FreeName(INamedTypeSymbol holder, string wanted)
    {
        string name = wanted;
        for (int n = 2; holder.GetMembers(name).Length > 0; n++)
        {
            name = wanted + n;
        }
        return name;
    }
}
