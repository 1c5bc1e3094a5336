using System.Collections.Generic;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// Local arrays no other variable can name: each is allocated by its declaration in the method's
/// top-level block, never assigned again, and only ever indexed or asked its length, so its
/// reference is never copied, passed or returned. Such an array is a different object from every
/// other array the method sees (parameters included), and so is the adjoint the generated code
/// allocates for it: a loop that writes one may be run several iterations at a time without asking
/// whether another array of the loop is the same one (see <c>Emit/VectorLoop</c>).
/// </summary>
internal static class PrivateArrays
{
    public static HashSet<string> Of(Block body) =>
        LocalArrays.ThatStayInside(body, _ => true, (array, parent) => parent is Element element ? ReferenceEquals(element.Array, array) : parent is ArrayLength);
}
