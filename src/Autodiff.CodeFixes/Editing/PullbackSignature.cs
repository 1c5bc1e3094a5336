using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Autodiff.CodeFixes.Editing;

/// <summary>
/// The parameter list of a pullback for a target, in exactly the form the generator checks
/// (RuleMatcher): the target's inputs (the receiver first, as <c>self</c>, for an instance
/// method), optionally <c>result</c>, then <c>seed</c> of the result's type, then one accumulator
/// per differentiable input, <c>ref</c> for scalars and a nullable array or tensor otherwise.
/// The inputs come from the generator's own reading of the target, so the two cannot disagree.
/// </summary>
internal static class PullbackSignature
{
    /// <summary>One parameter: its role-given name, its type, how it is passed, and for an accumulator the input it belongs to.</summary>
    public sealed record Slot(string Name, ITypeSymbol Type, bool ByRef, bool Nullable, string? AccumulatorOf = null);

    public static List<Slot> Slots(IMethodSymbol target, bool withResult)
    {
        var inputs = RuleMatcher.Inputs(target);
        var slots = inputs.Select(input => new Slot(input.Name, input.Type, false, false)).ToList();
        if (withResult)
        {
            slots.Add(new Slot("result", target.ReturnType, false, false));
        }
        slots.Add(new Slot("seed", target.ReturnType, false, false));
        foreach (var input in inputs.Where(i => i.Differentiable))
        {
            bool scalar = TypeClassifier.Classify(input.Type).IsScalar;
            slots.Add(new Slot("d" + input.Name, input.Type, scalar, !scalar, input.Name));
        }
        return Unique(slots);
    }

    /// <summary>
    /// The list as syntax. <paramref name="names"/> replaces the role names where given (a fix that
    /// rewrites a signature keeps the user's names, which its body uses); nullable annotations only
    /// where the file has them enabled, so the fix adds no warning.
    /// </summary>
    public static ParameterListSyntax Syntax(IReadOnlyList<Slot> slots, bool nullableEnabled, IReadOnlyList<string>? names = null)
    {
        var parameters = slots.Select((slot, i) =>
        {
            TypeSyntax type = ParseTypeName(slot.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
            if (slot.Nullable && nullableEnabled)
            {
                type = NullableType(type);
            }
            ParameterSyntax parameter = Parameter(Identifier(Escape(names?[i] ?? slot.Name))).WithType(Tidy.Annotate(type));
            return slot.ByRef ? parameter.WithModifiers(TokenList(Token(SyntaxKind.RefKeyword))) : parameter;
        });
        return ParameterList(SeparatedList(parameters)).NormalizeWhitespace();
    }

    /// <summary>A target with parameters <c>x</c> and <c>dx</c> needs its accumulator for x named otherwise.</summary>
    private static List<Slot> Unique(List<Slot> slots)
    {
        var used = new HashSet<string>();
        var unique = new List<Slot>();
        foreach (Slot slot in slots)
        {
            string name = slot.Name;
            for (int n = 2; !used.Add(name); n++)
            {
                name = slot.Name + n;
            }
            unique.Add(slot with { Name = name });
        }
        return unique;
    }

    private static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
