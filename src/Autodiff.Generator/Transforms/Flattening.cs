using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// Names the intermediate values the backward pass needs, a partial A-normal form. In an active
/// statement every call becomes its own statement (its pullback needs its arguments and maybe its
/// result), every non-trivial operand whose value a backward rule reads (the other factor of a
/// product, a divisor) gets a temporary, and active <c>c ? a : b</c> becomes an if/else. Linear
/// parts (sums, differences, negations, conversions) stay as written, so "d = w3 * b + w4 * c"
/// keeps its shape and its backward code reads "dw3 += dd * b".
/// </summary>
internal sealed class Flattening
{
    private readonly Activity _activity;
    private readonly NameAllocator _names;
    private readonly HashSet<string> _temporaries = new();
    private readonly ArrayWrites _writes;
    private int _loopDepth;

    private Flattening(Activity activity, NameAllocator names, ArrayWrites writes)
    {
        _activity = activity;
        _names = names;
        _writes = writes;
    }

    public static Block Flatten(Block body, Activity activity, NameAllocator names, ArrayWrites writes) =>
        new Flattening(activity, names, writes).FlattenBlock(body);

    private Block FlattenBlock(Block block)
    {
        var output = new List<Stmt>();
        foreach (Stmt statement in block.Statements)
        {
            FlattenStatement(statement, output);
        }
        return Blocks.Of(output);
    }

    private void FlattenStatement(Stmt statement, List<Stmt> output)
    {
        switch (statement)
        {
            case Declare { Initializer: Conditional conditional } s when _activity.IsVaried(conditional):
                output.Add(s with { Initializer = null });
                FlattenStatement(Branches(s, s.Variable, conditional), output);
                return;
            case Assign { Kind: AssignKind.Set, Target: Local target, Value: Conditional conditional } s when _activity.IsVaried(conditional):
                FlattenStatement(Branches(s, target, conditional), output);
                return;
            case Declare { Initializer: { } value } s:
                output.Add(s with { Initializer = FlattenRoot(Share(value, s, output), s, output, isRoot: true) });
                return;
            case Evaluate { Expression: Invocation call } s when _activity.IsVaried(call) && _writes.WritesAny(call):
                // Q(x, v) for its effect on v: the backward pass needs Q's pullback all the same, so
                // the call gets a statement of its own whose (unused) result the sweeps know how to treat.
                output.Add(new Declare(s.Span, s.Source, new Local(call.Type, _names.Claim(TemporaryName(call.Callee))), FlattenRoot(call, s, output, isRoot: true)));
                return;
            case Assign s:
                Expr written = s.Target is Element element ? element with { Index = Pure(element.Index, s, output, "index") } : s.Target;
                output.Add(s with { Target = written, Value = FlattenRoot(Share(s.Value, s, output), s, output, isRoot: s.Kind == AssignKind.Set) });
                return;
            case If s:
                output.Add(s with { Then = FlattenBlock(s.Then), Else = FlattenBlock(s.Else) });
                return;
            case Loop s:
                _loopDepth++;
                output.Add(s with { Initializer = FlattenBlock(s.Initializer), Body = FlattenBlock(s.Body), Step = FlattenBlock(s.Step) });
                _loopDepth--;
                return;
            case ForEach s:
                _loopDepth++;
                output.Add(s with { Body = FlattenBlock(s.Body) });
                _loopDepth--;
                return;
            default:
                output.Add(statement);
                return;
        }
    }

    /// <summary>
    /// Computes each active part that the expression repeats once, into a temporary (see
    /// <see cref="SharedSubexpressions"/>): one forward computation, one adjoint.
    /// </summary>
    private Expr Share(Expr value, Stmt origin, List<Stmt> prelude)
    {
        if (!_activity.IsVaried(value))
        {
            return value;
        }
        foreach (Expr part in SharedSubexpressions.Repeated(value))
        {
            if (_activity.IsVaried(part) && SharedSubexpressions.Occurrences(value, part) > 1)
            {
                Local shared = Hoist(Flatten(part, origin, prelude, false), origin, prelude, "t");
                value = SharedSubexpressions.Replace(value, part, shared);
            }
        }
        return value;
    }

    private static If Branches(Stmt origin, Local target, Conditional conditional) =>
        new(origin.Span, origin.Source, conditional.Condition,
            Blocks.Of(new Stmt[] { new Assign(origin.Span, origin.Source, target, AssignKind.Set, conditional.WhenTrue) }),
            Blocks.Of(new Stmt[] { new Assign(origin.Span, origin.Source, target, AssignKind.Set, conditional.WhenFalse) }));

    private Expr FlattenRoot(Expr value, Stmt origin, List<Stmt> prelude, bool isRoot) =>
        _activity.IsVaried(value) ? Flatten(value, origin, prelude, isRoot) : value;

    private Expr Flatten(Expr expression, Stmt origin, List<Stmt> prelude, bool isRoot)
    {
        if (!_activity.IsVaried(expression))
        {
            return expression;
        }
        switch (expression)
        {
            case Element e:
                return e with { Index = Pure(e.Index, origin, prelude, "index") };
            case Binary { Op: BinaryOp.Add or BinaryOp.Subtract } e:
                return e with { Left = Flatten(e.Left, origin, prelude, false), Right = Flatten(e.Right, origin, prelude, false) };
            case Binary e:
            {
                // Products, quotients and remainders read their operands' values backwards.
                Expr left = Flatten(e.Left, origin, prelude, false);
                Expr right = Flatten(e.Right, origin, prelude, false);
                if (ScaledSquare(e with { Left = left, Right = right }) is not null)
                {
                    // c * x * x stays whole: its backward rule reads only x (see ScaledSquare).
                    return e with { Left = left, Right = right };
                }
                return e with { Left = Value(left, origin, prelude), Right = Value(right, origin, prelude) };
            }
            case Unary e:
                return e with { Operand = Flatten(e.Operand, origin, prelude, false) };
            case Cast e:
                return e with { Operand = Flatten(e.Operand, origin, prelude, false) };
            case Conditional e:
            {
                var temporary = new Local(e.Type, _names.Claim("choice"));
                _activity.AddVaried(temporary.Name);
                prelude.Add(new Declare(origin.Span, origin.Source, temporary, null));
                FlattenStatement(Branches(origin, temporary, e), prelude);
                return temporary;
            }
            case Invocation e:
            {
                Expr? receiver = e.Receiver is null ? null : e.Callee.SubModel ? SubModelReceiver(e.Receiver, origin, prelude) : Argument(e.Receiver, origin, prelude);
                var arguments = e.Arguments.Select(a => a with { Value = Argument(a.Value, origin, prelude) }).ToEquatableArray();
                Invocation call = e with { Receiver = receiver, Arguments = arguments };
                return isRoot ? call : Hoist(call, origin, prelude, TemporaryName(e.Callee));
            }
            default:
                return expression;
        }
    }

    /// <summary>
    /// <c>this.Blocks[i]</c> stays as written: the backward pass prints it again, and the same path
    /// into the gradients (<c>gradients.Blocks[i]</c>); only an index that calls something is named.
    /// </summary>
    private Expr SubModelReceiver(Expr receiver, Stmt origin, List<Stmt> prelude) => receiver switch
    {
        Opaque { Holes.Count: 0 } => receiver,
        Opaque { Parts.Count: 3 } element when element.Parts[1] == "[" =>
            element with { Holes = new EquatableArray<Expr>(System.Collections.Immutable.ImmutableArray.Create(SubModelReceiver(element.Holes[0], origin, prelude), Pure(element.Holes[1], origin, prelude, "index"))) },
        Opaque member => member with { Holes = member.Holes.Select(h => SubModelReceiver(h, origin, prelude)).ToEquatableArray() },
        _ => receiver,
    };

    /// <summary>A call argument: an active one must be a variable or element (its accumulator is passed by ref).</summary>
    private Expr Argument(Expr argument, Stmt origin, List<Stmt> prelude)
    {
        Expr flattened = Flatten(argument, origin, prelude, false);
        if (_activity.IsVaried(flattened))
        {
            return flattened is Local or Element ? flattened : Hoist(flattened, origin, prelude, "t");
        }
        return Pure(flattened, origin, prelude, "t");
    }

    /// <summary>
    /// An operand whose value the backward pass reads: cheap to re-read, or named. Inside loops a
    /// sum, difference or product of two simple operands (<c>l[k] * u[i]</c>) is recomputed where
    /// the backward pass reads it rather than named: a named one would be saved and restored on every
    /// iteration, which costs more than one arithmetic operation (rematerialisation).
    /// </summary>
    private Expr Value(Expr operand, Stmt origin, List<Stmt> prelude) =>
        IsSimple(operand) || (!_activity.IsVaried(operand) && IsPure(operand)) || (_loopDepth > 0 && IsCheapToRecompute(operand))
            ? operand
            : Hoist(operand, origin, prelude, "t");

    private static bool IsCheapToRecompute(Expr operand) =>
        operand is Binary { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply } e && IsSimple(e.Left) && IsSimple(e.Right);

    /// <summary>An expression the backward pass re-evaluates must not call anything.</summary>
    private Expr Pure(Expr expression, Stmt origin, List<Stmt> prelude, string name) =>
        IsPure(expression) ? expression : Hoist(expression, origin, prelude, name);

    private Local Hoist(Expr value, Stmt origin, List<Stmt> prelude, string name)
    {
        var temporary = new Local(value.Type, _names.Claim(name == "t" ? DescriptiveName(value) ?? name : name));
        _temporaries.Add(temporary.Name);
        if (_activity.IsVaried(value))
        {
            _activity.AddVaried(temporary.Name);
        }
        prelude.Add(new Declare(origin.Span, origin.Source, temporary, value));
        return temporary;
    }

    /// <summary>
    /// A constant times the square of a simple operand, as <c>100 * b * b</c> parses (<c>(c * x) * x</c>,
    /// or with either product's operands the other way round): its derivative is 2c·x, one product, so
    /// x receives <c>2c·g·x</c> in one step where the product rule takes two (and a temporary for c·x).
    /// The forward value is computed as written. Returns the literal and the operand, or null.
    /// </summary>
    public static (Literal Scale, Expr Operand)? ScaledSquare(Expr expression)
    {
        if (expression is not Binary { Op: BinaryOp.Multiply } product || !product.Type.IsScalar)
        {
            return null;
        }
        (Expr outer, Expr inner) = product.Left is Binary ? (product.Right, product.Left) : (product.Left, product.Right);
        if (!IsSimple(outer) || outer is Literal || inner is not Binary { Op: BinaryOp.Multiply } scaled)
        {
            return null;
        }
        (Expr scale, Expr operand) = scaled.Left is Literal ? (scaled.Left, scaled.Right) : (scaled.Right, scaled.Left);
        return scale is Literal { Type.IsScalar: true } literal && operand.Equals(outer) ? (literal, operand) : null;
    }

    public static bool IsSimple(Expr expression) => expression switch
    {
        Local or Literal => true,
        Element e => IsPure(e.Index),
        Cast e => IsSimple(e.Operand),
        Unary { Op: UnaryOp.Negate } e => IsSimple(e.Operand),
        _ => false,
    };

    /// <summary>No calls or opaque constructs anywhere inside: re-evaluating it has no effect and costs little.</summary>
    public static bool IsPure(Expr expression) =>
        Walk.Expressions(expression).All(e => e is not (Invocation or Opaque or NewArray or Conditional) || Walk.IsThis(e));

    /// <summary>Longest descriptive name a temporary gets; longer ones read worse than <c>t</c>.</summary>
    private const int MaxDescriptiveName = 24;

    /// <summary>
    /// A name for a temporary that says what it holds, built from the variables it combines:
    /// <c>xMinusMu</c> for <c>x - mu</c>, <c>wTimesX</c> for <c>w[j] * x[i]</c>, <c>aTimesBTimesC</c>,
    /// <c>cosThetaComplement</c> for <c>1 - cosTheta</c>; null (the temporary stays <c>t</c>) for
    /// anything else or anything longer, where a name would not read more clearly than the code.
    /// </summary>
    private string? DescriptiveName(Expr value)
    {
        string? name = value is Binary { Op: BinaryOp.Subtract, Left: Literal { Text: "1" or "1.0" or "1f" or "1.0f" or "1d" } } complement
            ? Leaf(complement.Right) is { } operand ? operand + "Complement" : null
            : Combination(value, null);
        if (name is null || name.Length > MaxDescriptiveName)
        {
            return null;
        }
        name = char.ToLowerInvariant(name[0]) + name.Substring(1);
        return IsKeyword(name) ? null : name;
    }

    /// <summary>Variables joined by one operator (a chain only for + and *, which read the same either way).</summary>
    private string? Combination(Expr value, BinaryOp? chained)
    {
        if (value is not Binary { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide } binary)
        {
            return chained is null ? null : Leaf(value);
        }
        if (chained is not null && (binary.Op != chained || binary.Op is BinaryOp.Subtract or BinaryOp.Divide))
        {
            return null;
        }
        string? left = Combination(binary.Left, binary.Op);
        string? right = Leaf(binary.Right);
        return left is null || right is null ? null
            : left + binary.Op switch { BinaryOp.Add => "Plus", BinaryOp.Subtract => "Minus", BinaryOp.Multiply => "Times", _ => "Over" }
                + char.ToUpperInvariant(right[0]) + right.Substring(1);
    }

    /// <summary>A variable or an element's array, by its plain name (<c>this.scale</c> gives <c>scale</c>); null for anything else, temporaries included.</summary>
    private string? Leaf(Expr value)
    {
        string? name = value switch
        {
            Local local => local.Name,
            Element element => element.Array.Name,
            Cast cast => cast.Operand is Local or Element ? Leaf(cast.Operand) : null,
            _ => null,
        };
        if (name is null || _temporaries.Contains(name))
        {
            return null;
        }
        string plain = name.Substring(name.LastIndexOf('.') + 1).Replace(ParameterSpec.FieldPrefix, string.Empty);
        return plain.Length > 0 && char.IsLetter(plain[0]) && plain.All(char.IsLetterOrDigit) ? plain : null;
    }

    private static string TemporaryName(Callee callee)
    {
        string name = callee.Display.Substring(callee.Display.LastIndexOf('.') + 1);
        if (name.StartsWith("op_", System.StringComparison.Ordinal) || name.Length == 0 || !char.IsLetter(name[0]))
        {
            return "t";
        }
        name = char.ToLowerInvariant(name[0]) + name.Substring(1);
        return IsKeyword(name) ? name + "Value" : name;
    }

    private static bool IsKeyword(string name) =>
        Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None;
}
