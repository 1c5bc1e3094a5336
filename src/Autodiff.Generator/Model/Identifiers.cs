using Microsoft.CodeAnalysis.CSharp;

namespace Autodiff.Generator.Model;

/// <summary>
/// The one rule for names the generator makes up: never a C# keyword, reserved or contextual
/// (<c>do</c>, <c>double</c>, <c>default</c>, but also <c>var</c>, <c>value</c>, <c>nameof</c>),
/// so that a generated local can be printed as it is, and composed names (<c>g</c> + name) stay valid.
/// </summary>
internal static class Identifiers
{
    public static bool IsKeyword(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None;
}
