using System.Collections.Generic;
using System.Linq;
using System;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Emit;

/// <summary>
/// The pushforward rules of the operators: the tangent of an expression from the tangents of its
/// operands (forward mode's counterpart of the operator cases of <see cref="ReverseSweep"/>). A
/// tangent is kept as a linear combination Σ ∂e/∂u · du over the tangents du it reads, with the
/// local derivatives ∂e/∂u written in primal values only: the same row of the Jacobian the graph
/// pictures label their edges with, and the fastest form to run, since the coefficients do not
/// wait on any tangent (for p = r·p·(1 − p) the tangent's own chain is one product and one sum, as
/// the value's is). An empty combination is an exact zero, so constant parts print nothing.
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

    /// <summary>The tangent passed for a scalar argument of a call: zero when it has none, converted to the parameter's type.</summary>
    public Expr OfArgument(Expr value, TypeRef parameterType)
    {
        Expr? tangent = Of(value);
        if (tangent is null)
        {
            return Zero(parameterType);
        }
        return value.Type == parameterType ? tangent : new Cast(parameterType, tangent, SourceSpan.None);
    }

    /// <summary>The tangent of an expression without active calls (flattening names those), printed as Σ ∂e/∂u · du; null when it is zero.</summary>
    public Expr? Of(Expr expression) => Print(Combination(expression), expression.Type);

    /// <summary>The tangent as (du, ∂e/∂u) pairs, one per distinct tangent read, in the order of first appearance.</summary>
    public List<(Expr Place, Expr Coefficient)> Combination(Expr expression)
    {
        if (!expression.Type.IsScalar || !_isVaried(expression))
        {
            return new();
        }
        switch (expression)
        {
            case Local or Element:
                return OfPlace(expression) is { } place ? new() { (place, One(expression.Type)) } : new();
            case Unary { Op: UnaryOp.Negate } e:
                return Scale(Combination(e.Operand), Negate);
            case Unary { Op: UnaryOp.Plus } e:
                return Combination(e.Operand);
            case Binary e:
                return OfBinary(e);
            case Cast e:
            {
                // float <-> double converts the tangent alike; from an integer there is nothing to carry.
                Expr? inner = e.Operand.Type.IsScalar ? Of(e.Operand) : null;
                return inner is null ? new() : new() { (new Cast(e.Type, inner, SourceSpan.None), One(e.Type)) };
            }
            case Conditional e:
            {
                Expr? whenTrue = Of(e.WhenTrue);
                Expr? whenFalse = Of(e.WhenFalse);
                return whenTrue is null && whenFalse is null ? new()
                    : new() { (new Conditional(e.Type, e.Condition, whenTrue ?? Zero(e.Type), whenFalse ?? Zero(e.Type)), One(e.Type)) };
            }
            case StopGradient:
                return new();
            default:
                throw new TangentUnsupportedException("a " + Describe(expression) + " inside an expression");
        }
    }

    private List<(Expr Place, Expr Coefficient)> OfBinary(Binary e)
    {
        List<(Expr, Expr)> left = Combination(e.Left);
        List<(Expr, Expr)> right = Combination(e.Right);
        switch (e.Op)
        {
            case BinaryOp.Add:
                return Sum(left, right);
            case BinaryOp.Subtract:
                return Sum(left, Scale(right, Negate));
            case BinaryOp.Multiply:
                // d(a·b) = b·da + a·db
                return Sum(Scale(left, c => Times(c, e.Right)), Scale(right, c => Times(c, e.Left)));
            case BinaryOp.Divide:
                // d(a/b) = da/b − (a/b²)·db
                return Sum(Scale(left, c => Over(c, e.Right)),
                    Scale(right, c => Negate(Times(c, new Binary(e.Type, BinaryOp.Divide, e.Left, new Binary(e.Type, BinaryOp.Multiply, e.Right, e.Right))))));
            case BinaryOp.Remainder:
            {
                // a % b = a − trunc(a/b)·b (C#'s % truncates, like torch.fmod): d = da − trunc(a/b)·db.
                string truncate = e.Type.Kind == ValueKind.Float ? "global::System.MathF.Truncate" : "global::System.Math.Truncate";
                var quotient = new Opaque(e.Type, new EquatableArray<string>(new[] { truncate + "(", ")" }),
                    new EquatableArray<Expr>(new Expr[] { new Binary(e.Type, BinaryOp.Divide, e.Left, e.Right) }), "truncate", true, SourceSpan.None);
                return Sum(left, Scale(right, c => Negate(Times(c, quotient))));
            }
            default:
                return new();
        }
    }

    /// <summary>Σ c·du printed, du alone where c is 1, differences where c is negated; null for no terms.</summary>
    private static Expr? Print(List<(Expr Place, Expr Coefficient)> terms, TypeRef type)
    {
        Expr? sum = null;
        foreach ((Expr place, Expr coefficient) in terms)
        {
            bool negative = coefficient is Unary { Op: UnaryOp.Negate } || coefficient is Literal { Text: "-1" };
            Expr magnitude = coefficient switch
            {
                Unary { Op: UnaryOp.Negate } negated => negated.Operand,
                Literal { Text: "-1" } => One(type),
                _ => coefficient,
            };
            Expr term = magnitude switch
            {
                Literal { Text: "1" } => place,
                Binary { Op: BinaryOp.Divide, Left: Literal { Text: "1" } } reciprocal => new Binary(type, BinaryOp.Divide, place, reciprocal.Right),
                _ => new Binary(type, BinaryOp.Multiply, magnitude, place),
            };
            sum = sum is null ? (negative ? new Unary(type, UnaryOp.Negate, term) : term)
                : new Binary(type, negative ? BinaryOp.Subtract : BinaryOp.Add, sum, term);
        }
        return sum;
    }

    private static List<(Expr Place, Expr Coefficient)> Sum(List<(Expr Place, Expr Coefficient)> left, List<(Expr Place, Expr Coefficient)> right)
    {
        var sum = new List<(Expr Place, Expr Coefficient)>(left);
        foreach ((Expr place, Expr coefficient) in right)
        {
            int index = sum.FindIndex(t => t.Place == place);
            if (index < 0)
            {
                sum.Add((place, coefficient));
                continue;
            }
            Expr existing = sum[index].Coefficient;
            sum[index] = (place, existing == coefficient ? Times(new Literal(existing.Type, "2"), existing)
                : coefficient is Unary { Op: UnaryOp.Negate } negated ? new Binary(existing.Type, BinaryOp.Subtract, existing, negated.Operand)
                : new Binary(existing.Type, BinaryOp.Add, existing, coefficient));
        }
        return sum;
    }

    private static List<(Expr Place, Expr Coefficient)> Scale(List<(Expr Place, Expr Coefficient)> terms, Func<Expr, Expr> scale) =>
        terms.Select(t => (t.Place, scale(t.Coefficient))).ToList();

    private static Literal One(TypeRef type) => new(type, "1");

    public static Literal Zero(TypeRef type) => new(type, type.Zero);

    private static Expr Negate(Expr value) => value switch
    {
        Unary { Op: UnaryOp.Negate } negated => negated.Operand,
        Literal { Text: "1" } => new Literal(value.Type, "-1"),
        Literal { Text: "-1" } => new Literal(value.Type, "1"),
        _ => new Unary(value.Type, UnaryOp.Negate, value),
    };

    /// <summary>A coefficient times a primal value, with the signs and ones folded.</summary>
    private static Expr Times(Expr coefficient, Expr factor) => coefficient switch
    {
        Literal { Text: "1" } => factor,
        Literal { Text: "-1" } => Negate(factor),
        Unary { Op: UnaryOp.Negate } negated => Negate(Times(negated.Operand, factor)),
        _ => new Binary(coefficient.Type, BinaryOp.Multiply, coefficient, factor),
    };

    private static Expr Over(Expr coefficient, Expr denominator) => coefficient switch
    {
        Unary { Op: UnaryOp.Negate } negated => Negate(Over(negated.Operand, denominator)),
        Literal { Text: "-1" } => Negate(Over(One(coefficient.Type), denominator)),
        _ => new Binary(coefficient.Type, BinaryOp.Divide, coefficient, denominator),
    };

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
