using System.Collections.Generic;
using System.Globalization;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// The method's own local arrays that a generated gradient or pullback may take from the runtime's
/// <c>ScratchArrays</c> and give back when it ends, instead of allocating them on every call: each is
/// allocated once, by a declaration in the method's top-level block, and never leaves the method.
/// It is only indexed, asked its length, or passed by value to static <c>[Differentiable]</c>
/// methods that return a scalar (whose generated members only index it too); a use anywhere else (returned, assigned to
/// another variable, stored, passed to any other call) keeps its allocation as written.
/// </summary>
internal static class ScratchLocals
{
    /// <summary>
    /// Arrays of a constant length up to this stay as written: the JIT places small arrays that do
    /// not escape on the stack frame, which costs less than taking and clearing a kept one.
    /// </summary>
    public const int LargestLeftToTheJit = 128;

    /// <param name="result">The variable the method returns (the lowered body names it, and never says <c>return</c>).</param>
    public static HashSet<string> Of(Block body, string result) =>
        LocalArrays.ThatStayInside(body, declare => !IsSmallConstant(((NewArray)declare.Initializer!).Size) && declare.Variable.Name != result, StaysInside);

    private static bool IsSmallConstant(Expr size) =>
        size is Literal literal && int.TryParse(literal.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int length)
        && length <= LargestLeftToTheJit;

    /// <summary>Whether this use of the array leaves no reference to it behind.</summary>
    private static bool StaysInside(Local array, Expr? parent) => parent switch
    {
        Element element => ReferenceEquals(element.Array, array),
        ArrayLength => true,
        // A callee returning an array or tensor might return this one.
        Invocation { Receiver: null, Callee: { Pullback: not null, ModelMethod: false } } call
            when !call.Type.IsArray && !call.Type.IsTensor => PassedByValue(call, array),
        _ => false,
    };

    private static bool PassedByValue(Invocation call, Local array)
    {
        foreach (Argument argument in call.Arguments)
        {
            if (ReferenceEquals(argument.Value, array) && argument.Kind != RefMode.Value)
            {
                return false;
            }
        }
        return true;
    }
}
