using System;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Emit;

/// <summary>
/// The pushforward rules of the operators: the tangent of an expression from the tangents of its
/// operands (forward mode's counterpart of the operator cases of <see cref="ReverseSweep"/>). A null
/// tangent is an exact zero, so constant parts cost nothing and print nothing.
/// </summary>
internal sealed class TangentExpressions
{
    private readonly Func<Expr, bool> _isVaried;
    private readonly Func<string, string?> _tangentOf;

    /// <param name="isVaried">Whether an expression depends on a differentiated input (activity).</param>
    /// <param name="tangentOf">The tangent variable of a variable, or null when it has none (its tangent is zero).</param>
    public TangentExpressions(Func<Expr, bool> isVaried, Func<string, string?> tangentOf)
    {
        _isVaried = isVaried;
        _tangentOf = tangentOf;
    }

    /// <summary>The tangent of a variable or array element, or null when it is zero.</summary>
    public Expr? OfPlace(Expr place) => place switch
    {
        Local local when _tangentOf(local.Name) is { } tangent => new Local(local.Type, tangent),
        Element element when _tangentOf(element.Array.Name) is { } tangent => element with { Array = new Local(element.Array.Type, tangent) },
        _ => null,
    };

    /// <summary>The tangent of an expression without active calls (flattening names those), or null when it is zero.</summary>
    public Expr? Of(Expr expression)
    {
        if (!expression.Type.IsScalar || !_isVaried(expression))
        {
            return null;
        }
        switch (expression)
        {
            case Local or Element:
                return OfPlace(expression);
            case Unary { Op: UnaryOp.Negate } e:
                return Negate(Of(e.Operand));
            case Unary { Op: UnaryOp.Plus } e:
                return Of(e.Operand);
            case Binary e:
                return OfBinary(e);
            case Cast e:
                // float <-> double converts the tangent alike; from an integer there is nothing to carry.
                return e.Operand.Type.IsScalar && Of(e.Operand) is { } operand ? new Cast(e.Type, operand, SourceSpan.None) : null;
            case Conditional e:
            {
                Expr? whenTrue = Of(e.WhenTrue);
                Expr? whenFalse = Of(e.WhenFalse);
                return whenTrue is null && whenFalse is null ? null
                    : new Conditional(e.Type, e.Condition, whenTrue ?? Zero(e.Type), whenFalse ?? Zero(e.Type));
            }
            case StopGradient:
                return null;
            default:
                throw new TangentUnsupportedException("a " + Describe(expression) + " inside an expression");
        }
    }

    private Expr? OfBinary(Binary e)
    {
        Expr? left = Of(e.Left);
        Expr? right = Of(e.Right);
        switch (e.Op)
        {
            case BinaryOp.Add:
                return Sum(left, right);
            case BinaryOp.Subtract:
                return Sum(left, Negate(right));
            case BinaryOp.Multiply:
                // d(a·b) = da·b + a·db
                return Sum(Times(left, e.Right), Times(e.Left, right));
            case BinaryOp.Divide:
            {
                // d(a/b) = da/b − a·db/b²
                Expr? fromLeft = left is null ? null : new Binary(e.Type, BinaryOp.Divide, left, e.Right);
                Expr? fromRight = right is null ? null
                    : new Binary(e.Type, BinaryOp.Divide, new Binary(e.Type, BinaryOp.Multiply, e.Left, right), new Binary(e.Type, BinaryOp.Multiply, e.Right, e.Right));
                return Sum(fromLeft, Negate(fromRight));
            }
            case BinaryOp.Remainder:
            {
                // a % b = a − trunc(a/b)·b (C#'s % truncates, like torch.fmod): d = da − trunc(a/b)·db.
                string truncate = e.Type.Kind == ValueKind.Float ? "global::System.MathF.Truncate" : "global::System.Math.Truncate";
                var quotient = new Opaque(e.Type, new EquatableArray<string>(new[] { truncate + "(", ")" }),
                    new EquatableArray<Expr>(new Expr[] { new Binary(e.Type, BinaryOp.Divide, e.Left, e.Right) }), "truncate", true, SourceSpan.None);
                return Sum(left, Negate(Times(quotient, right)));
            }
            default:
                return null;
        }
    }

    public static Literal Zero(TypeRef type) => new(type, type.Zero);

    private static Expr? Sum(Expr? left, Expr? right) => (left, right) switch
    {
        (null, _) => right,
        (_, null) => left,
        (_, Unary { Op: UnaryOp.Negate } negated) => new Binary(left.Type, BinaryOp.Subtract, left, negated.Operand),
        _ => new Binary(left.Type, BinaryOp.Add, left, right),
    };

    private static Expr? Negate(Expr? value) => value switch
    {
        null => null,
        Unary { Op: UnaryOp.Negate } negated => negated.Operand,
        _ => new Unary(value.Type, UnaryOp.Negate, value),
    };

    /// <summary>A tangent times a primal value (or the other way round); null when the tangent is.</summary>
    private static Expr? Times(Expr? left, Expr? right) =>
        left is null || right is null ? null : new Binary(left.Type, BinaryOp.Multiply, left, right);

    public static string Describe(Expr expression) => expression switch
    {
        Invocation call => "call of " + call.Callee.Display,
        Opaque opaque => opaque.Construct,
        _ => expression.GetType().Name.ToLowerInvariant(),
    };
}

/// <summary>
/// A construct forward mode does not handle yet: the method then gets no tangent member (its
/// gradient members are unaffected), and the message says which construct.
/// </summary>
internal sealed class TangentUnsupportedException : Exception
{
    public TangentUnsupportedException(string construct) : base(construct)
    {
    }
}
