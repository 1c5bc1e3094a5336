using Autodiff.Generator.Model;

namespace Autodiff.Generator.Emit;

/// <summary>The calls that take an array from the runtime's <c>ScratchArrays</c> and give it back.</summary>
internal static class ScratchArrayText
{
    private static string Of(TypeRef arrayType) => "global::Autodiff.Runtime.ScratchArrays<" + arrayType.Element.Name + ">";

    /// <summary>A zeroed array of exactly that length, as <c>new T[length]</c> gives.</summary>
    public static string Take(TypeRef arrayType, string length) => Of(arrayType) + ".Take(" + length + ")";

    public static string Take(TypeRef arrayType, Expr length) => Take(arrayType, ExpressionPrinter.Print(length));

    public static string GiveBack(TypeRef arrayType, string array) => Of(arrayType) + ".GiveBack(" + array + ");";
}
