namespace Autodiff.Generator.Model;

// The expression IR: what the front end makes of a differentiable method's expressions. Every
// name is resolved (locals are unique per method, everything else is printed global::-qualified),
// so later passes never look at symbols again and the records can be cached by value.

internal enum BinaryOp
{
    Add, Subtract, Multiply, Divide, Remainder,
    Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual,
    And, Or, BitAnd, BitOr, BitXor, ShiftLeft, ShiftRight,
}

internal enum UnaryOp { Negate, Plus, Not, BitNot }

internal abstract record Expr(TypeRef Type);

/// <summary>A constant, already spelled as C# (<c>2.0</c>, <c>1.5f</c>, <c>global::System.Math.PI</c> folded to its value).</summary>
internal sealed record Literal(TypeRef Type, string Text) : Expr(Type);

/// <summary>A local variable or parameter, by its unique name in the method.</summary>
internal sealed record Local(TypeRef Type, string Name) : Expr(Type);

/// <summary><c>array[index]</c> for a one-dimensional array held in a local or parameter.</summary>
internal sealed record Element(TypeRef Type, Local Array, Expr Index) : Expr(Type);

internal sealed record Unary(TypeRef Type, UnaryOp Op, Expr Operand) : Expr(Type);

internal sealed record Binary(TypeRef Type, BinaryOp Op, Expr Left, Expr Right) : Expr(Type);

internal sealed record Conditional(TypeRef Type, Expr Condition, Expr WhenTrue, Expr WhenFalse) : Expr(Type);

/// <summary>A numeric conversion (<c>(float)x</c>, <c>(int)x</c>, an implicit <c>int</c> to <c>double</c>).</summary>
internal sealed record Cast(TypeRef Type, Expr Operand, SourceSpan Span) : Expr(Type);

/// <summary><c>Grad.Stop(x)</c>: the value of x, cut from the gradient; with an empty <see cref="Printed"/>, a tensor's shape query (<c>x.Dim(0)</c>), printed as itself.</summary>
internal sealed record StopGradient(TypeRef Type, Expr Operand, string Printed) : Expr(Type);

/// <summary><c>array.Length</c>: reads the reference, not the values.</summary>
internal sealed record ArrayLength(TypeRef Type, Local Array) : Expr(Type);

/// <summary><c>new double[size]</c>.</summary>
internal sealed record NewArray(TypeRef Type, Expr Size) : Expr(Type);

/// <summary>A method call; the receiver is null for static calls (extension calls are made static).</summary>
internal sealed record Invocation(TypeRef Type, Callee Callee, Expr? Receiver, EquatableArray<Argument> Arguments, SourceSpan Span) : Expr(Type);

internal enum RefMode { Value, Ref, Out, In }

internal sealed record Argument(Expr Value, RefMode Kind);

/// <summary>
/// Everything else, which can never carry a gradient (member accesses, object creations, string
/// interpolations...): printed as Parts[0] Holes[0] Parts[1] ... Holes[n-1] Parts[n], the holes being
/// sub-expressions. <see cref="Printable"/> is false for constructs that can only be diagnosed (lambdas).
/// </summary>
internal sealed record Opaque(TypeRef Type, EquatableArray<string> Parts, EquatableArray<Expr> Holes, string Construct, bool Printable, SourceSpan Span) : Expr(Type);

/// <summary>What the passes know of a called method.</summary>
/// <param name="Display">The name users know (<c>Math.Sin</c>), for messages and comments.</param>
/// <param name="Printed">The name to call (<c>global::System.Math.Sin</c>, or the member name for instance calls).</param>
/// <param name="RuleKey">The key under which a <c>[DerivativeOf]</c> rule for it is registered.</param>
/// <param name="Pullback">For a <c>[Differentiable]</c> method: its generated pullback, printed; otherwise null.</param>
/// <param name="DifferentiableParameters">Which parameters take an accumulator in a pullback.</param>
/// <param name="ModelMethod">
/// A <c>[Differentiable]</c> instance method of the same model called on <c>this</c>: its pullback,
/// <c>FPullback</c>, is called on the receiver, and it reads the model's parameters (<see cref="ReadsParameters"/>), whose
/// gradients it adds into the caller's gradients object.
/// </param>
/// <param name="SubModel">
/// With <see cref="ModelMethod"/>: called on a sub-model the model holds (<c>Block.F(x)</c>,
/// <c>Blocks[i].F(x)</c>, the call's receiver); its pullback adds into the sub-model's gradients
/// (<c>gradients.Blocks[i]</c>).
/// </param>
internal sealed record Callee(
    string Display,
    string Printed,
    string RuleKey,
    string? Pullback,
    EquatableArray<TypeRef> ParameterTypes,
    EquatableArray<bool> DifferentiableParameters,
    bool ModelMethod = false,
    bool ReadsParameters = false,
    bool SubModel = false)
{
    /// <summary>Whether the parameter at that position takes a gradient (and so an accumulator, or a tangent).</summary>
    public bool Differentiates(int parameter) => parameter < DifferentiableParameters.Count && DifferentiableParameters[parameter];
}
