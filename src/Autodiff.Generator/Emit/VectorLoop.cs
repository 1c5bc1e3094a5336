using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;
using Autodiff.Generator.Transforms;

namespace Autodiff.Generator.Emit;

/// <summary>
/// One iteration of a counted loop, as a sweep built it, read as <see cref="Vector{T}"/> code that
/// runs <c>Vector&lt;T&gt;.Count</c> consecutive iterations at once (the loop's "lanes"). Only an
/// iteration of plain arithmetic assignments qualifies (every line carries its
/// <see cref="ScalarAssignment"/>), and only when running each statement for all lanes before the
/// next gives what running the iterations one after another gives:
/// <list type="bullet">
/// <item>Array elements are read and written at the index plus an offset the loop does not change
/// (<c>a[j]</c>, <c>w[j + 1]</c>, <c>icf[l]</c> for an integer <c>l</c> the loop steps by one), or
/// read at an index the loop does not change at all (<c>x[i]</c>).</item>
/// <item>Where an array is written, every other access to the same array, or to an array that may be
/// the same object, uses the very same index: then no iteration reads what another writes. Arrays
/// that are certainly different objects (the method's private arrays and their adjoints, see
/// <c>Transforms/PrivateArrays</c>) need no such care.</item>
/// <item>A scalar the iteration assigns is either set before it is read (a per-iteration temporary,
/// one value per lane) or, in the backward sweep only, a sum that the iteration only adds into (the
/// lanes are summed after the loop: gradients are sums over paths in any order). The forward sweep
/// keeps every sum in the method's own order, so values are bit-identical to the method's.</item>
/// </list>
/// Anything else (a call, a branch, a save, a conversion of a lane value) leaves the loop as it is.
/// </summary>
/// <remarks>
/// Both sweeps print such a loop as <c>if (vectorIterations == 0) { the loop as written } else {
/// lanes, then the rest one at a time }</c>, although the lanes and their scalar rest would do
/// alone: when the trip count, known only at run time, is below a vector's width (the GMM at d = 2,
/// whose inner loops run 0 to 2 times), the rest then starts from a computed index (the backward
/// one counts down from a difference), and the JIT made slower code of that, and of the lanes it
/// skips, than of the loop as written. Measured on the GMM gradient at d = 2: 9 % of the whole call
/// went to lanes that never ran; the loop as written beside them took back about half of that
/// (the rest is the larger method). Where the lanes run the branch costs one comparison. The price
/// is the scalar iteration printed twice.
/// </remarks>
internal sealed class VectorLoop
{
    private const string LanesClass = "global::Autodiff.Runtime.Lanes";

    private readonly string _index;
    private readonly bool _backward;
    private readonly List<Code> _iteration;
    private readonly HashSet<string> _steps = new();
    private readonly HashSet<string> _assigned = new();
    private readonly List<string> _laneLocals = new();
    private readonly List<string> _reductions = new();
    private readonly List<Access> _accesses = new();

    private VectorLoop(List<Code> iteration, string index, bool backward, TypeRef element)
    {
        _iteration = iteration;
        _index = index;
        _backward = backward;
        ElementType = element;
    }

    /// <summary>double or float: the type of every value computed in lanes.</summary>
    public TypeRef ElementType { get; }

    public string VectorType => "global::System.Numerics.Vector<" + ElementType.Name + ">";

    /// <summary>How many iterations run at once: a constant of the machine the code runs on.</summary>
    public string Width => VectorType + ".Count";

    /// <summary>
    /// One vector local per lane local and reduction, recorded for the loop in the member's context:
    /// the names <see cref="Body"/> prints them by.
    /// </summary>
    public Dictionary<string, string> VectorLocals(MethodContext context, Loop loop) =>
        _laneLocals.Concat(_reductions).ToDictionary(local => local, local => context.Record(loop, "lanes " + local, LaneType, LanesName(local), "default"));

    /// <summary>The type of a vector local (a lane local, or the partial sums of a reduction).</summary>
    private TypeRef LaneType => new(ValueKind.Unmanaged, VectorType);

    /// <summary>
    /// The preferred name of the vector local standing for a scalar: the scalar's name with "Lanes",
    /// made an identifier (a model's scalar parameter has its adjoint at <c>gradients.W</c>).
    /// </summary>
    private static string LanesName(string scalar) =>
        new string(scalar.Where(c => char.IsLetterOrDigit(c) || c == '_').ToArray()) + "Lanes";

    /// <summary>Loops shorter than this (known from literal bounds) are left as they are: their few iterations gain nothing.</summary>
    public const int FewestIterations = 8;

    /// <summary>
    /// Whether a loop has the shape the vector form needs: counted upwards by one, its trip count
    /// computed from bounds it does not change, and not known to be short.
    /// </summary>
    public static bool Qualifies(Loop loop, MethodContext context) =>
        loop is { TestAfterBody: false, Counted.Step: 1, Condition: Binary { Op: BinaryOp.Less or BinaryOp.LessOrEqual } }
        && context.TripCountBound(loop) is not null
        && (TripCounts.Constant(loop) is not int trips || trips >= FewestIterations);

    /// <summary>
    /// The iterations to run in lanes: whole vectors. When the iteration sets scalars (lane locals),
    /// one iteration at least is left to the scalar loop, so that they end with the values the
    /// method's loop leaves in them; otherwise every whole vector runs in lanes.
    /// </summary>
    public string Iterations(string tripCount) =>
        LanesClass + "." + (_laneLocals.Count > 0 ? "WholeVectorsBeforeLast" : "WholeVectors") + "<" + ElementType.Name + ">(" + tripCount + ")";

    /// <summary><c>start + count</c>, or the count alone from 0.</summary>
    public static string Plus(string start, string count) => start == "0" ? count : start + " + " + count;

    /// <summary>Scalars the iteration only adds into: a vector of partial sums each, added to the scalar after the loop.</summary>
    public IReadOnlyList<string> Reductions => _reductions;

    /// <summary>
    /// The iteration as vector code, or null when it does not qualify. <paramref name="index"/> is the
    /// loop's counted index; <paramref name="backward"/> says the iteration is the reverse sweep's
    /// (integer steps undone at its start, sums allowed); <paramref name="distinct"/> the arrays that
    /// are certainly different objects from every other array.
    /// </summary>
    public static VectorLoop? Of(List<Code> iteration, string index, bool backward, ISet<string> distinct)
    {
        var effects = new List<LineEffect>();
        foreach (Code code in iteration)
        {
            if (code is not Line line)
            {
                return null;
            }
            if (line.Effect is { } effect)
            {
                effects.Add(effect);
            }
            else if (!IsComment(line))
            {
                return null;
            }
        }
        List<LineEffect> lanes = effects.Where(e => !IsStep(e, index, backward)).ToList();
        if (lanes.Count == 0 || TypeOf(lanes[0]) is not { IsScalar: true } element)
        {
            return null;
        }
        var loop = new VectorLoop(iteration, index, backward, element);
        return loop.FindSteps(effects) && loop.Classify(lanes) && loop.Independent(distinct) ? loop : null;
    }

    /// <summary>The vector iteration: the lines of the scalar one, each for all lanes; integer steps by the width.</summary>
    public List<Code> Body(IReadOnlyDictionary<string, string> vectorNames)
    {
        var body = new List<Code>();
        foreach (Line line in _iteration.Cast<Line>())
        {
            string? text = line.Effect switch
            {
                null => null,
                ScalarAssignment { Target: Local stepped } when _steps.Contains(stepped.Name) =>
                    ExpressionPrinter.Identifier(stepped.Name) + (_backward ? " -= " : " += ") + Width + ";",
                ScalarAssignment statement => Statement(statement, vectorNames) + RuleComment(line.Text),
                SavePush push => push.Stack + ".PushLanes(" + Lanes(push.Value, vectorNames) + ");",
                SavePop { Target: Element target } pop => Store("Store", target, pop.Stack + ".PopLanes()"),
                SavePop pop => vectorNames[((Local)pop.Target).Name] + " = " + pop.Stack + ".PopLanes();",
                _ => throw new System.InvalidOperationException("a line effect VectorLoop does not know: " + line.Effect.GetType().Name),
            };
            body.Add(text is null ? line : new Line(text));
        }
        return body;
    }

    private static bool IsComment(Line line) => line.Text.StartsWith("//", System.StringComparison.Ordinal);

    private static TypeRef TypeOf(LineEffect effect) => effect switch
    {
        ScalarAssignment statement => statement.Target.Type,
        SavePush push => push.Value.Type,
        SavePop pop => pop.Target.Type,
        _ => TypeRef.Void,
    };

    /// <summary><c>l++</c> in the forward sweep, <c>l--</c> (its undoing) in the reverse one, for an integer other than the index.</summary>
    private static bool IsStep(LineEffect effect, string index, bool backward) =>
        effect is ScalarAssignment { Target: Local target } statement && target.Type == TypeRef.Int && target.Name != index
        && statement.Value is Literal { Text: "1" } && statement.Kind == (backward ? AssignKind.Subtract : AssignKind.Add);

    /// <summary>The steps come after everything else forward (before everything backward), once per variable: each lane then reads its own value.</summary>
    private bool FindSteps(List<LineEffect> effects)
    {
        int steps = effects.Count(e => IsStep(e, _index, _backward));
        IEnumerable<LineEffect> placed = _backward ? effects.Take(steps) : effects.Skip(effects.Count - steps);
        foreach (LineEffect step in placed)
        {
            if (!IsStep(step, _index, _backward) || !_steps.Add(((Local)((ScalarAssignment)step).Target).Name))
            {
                return false;
            }
        }
        return true;
    }

    private bool Classify(List<LineEffect> effects)
    {
        foreach (LineEffect effect in effects)
        {
            if (((effect as ScalarAssignment)?.Target ?? (effect as SavePop)?.Target) is Local assigned)
            {
                _assigned.Add(assigned.Name);
            }
        }
        var stacks = new HashSet<string>();
        foreach (LineEffect effect in effects)
        {
            bool qualifies = effect switch
            {
                ScalarAssignment statement => Assignment(statement),
                // One value per iteration on a stack: its lanes go on (come off) in the iterations' order.
                SavePush push => stacks.Add(push.Stack) && push.Value.Type == ElementType && Reads(push.Value) && LaneValued(push.Value, out _),
                SavePop pop => stacks.Add(pop.Stack) && Set(pop.Target, AssignKind.Set),
                _ => false,
            };
            if (!qualifies)
            {
                return false;
            }
        }
        return true;
    }

    private bool Assignment(ScalarAssignment statement) =>
        Reads(statement.Value) && LaneValued(statement.Value, out _) && Set(statement.Target, statement.Kind);

    /// <summary>Whether the target takes a value per lane: an element at a lane index, a per-iteration temporary, or (backward) a sum.</summary>
    private bool Set(Expr target, AssignKind kind)
    {
        if (target.Type != ElementType)
        {
            return false;
        }
        switch (target)
        {
            case Element element:
                if (!Reads(element.Index) || LaneIndex(element.Index) is not { } key)
                {
                    return false;
                }
                _accesses.Add(new Access(element.Array.Name, key, Write: true));
                return true;
            case Local local when _laneLocals.Contains(local.Name):
                return true;
            case Local local when kind == AssignKind.Set && !_reductions.Contains(local.Name):
                _laneLocals.Add(local.Name);
                return true;
            case Local local when kind != AssignKind.Set && _backward:
                if (!_reductions.Contains(local.Name))
                {
                    _reductions.Add(local.Name);
                }
                return true;
            default:
                return false;
        }
    }

    /// <summary>Whether every scalar the expression reads that the iteration assigns is already a lane local (set earlier in it).</summary>
    private bool Reads(Expr expression) =>
        Walk.Expressions(expression).OfType<Local>().All(local => !_assigned.Contains(local.Name) || _laneLocals.Contains(local.Name));

    /// <summary>
    /// Whether the value differs between lanes (false: the same for all lanes, computed once per
    /// vector iteration); false with a null result is "does not qualify". Records the element reads.
    /// </summary>
    private bool LaneValued(Expr expression, out bool lanes)
    {
        lanes = false;
        switch (expression)
        {
            case Literal:
                return true;
            case Local local:
                if (_laneLocals.Contains(local.Name))
                {
                    lanes = true;
                    return local.Type == ElementType;
                }
                return IsInvariant(local);
            case Element element:
                if (LaneIndex(element.Index) is { } key)
                {
                    _accesses.Add(new Access(element.Array.Name, key, Write: false));
                    lanes = true;
                    return element.Type == ElementType;
                }
                if (IsInvariant(element.Index))
                {
                    _accesses.Add(new Access(element.Array.Name, Key: null, Write: false));
                    return true;
                }
                return false;
            case Binary { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide } binary:
                if (!LaneValued(binary.Left, out bool left) || !LaneValued(binary.Right, out bool right))
                {
                    return false;
                }
                lanes = left || right;
                return !lanes || (binary.Type == ElementType && binary.Left.Type == ElementType && binary.Right.Type == ElementType);
            case Unary { Op: UnaryOp.Negate or UnaryOp.Plus } unary:
                if (!LaneValued(unary.Operand, out lanes))
                {
                    return false;
                }
                return !lanes || unary.Type == ElementType;
            default:
                return IsInvariant(expression);
        }
    }

    /// <summary>The same value in every iteration, and free of effects: it may be computed once for all lanes.</summary>
    private bool IsInvariant(Expr expression) => expression switch
    {
        Literal => true,
        Local local => local.Name != _index && !_steps.Contains(local.Name) && !_assigned.Contains(local.Name),
        ArrayLength => true,
        Element element => IsInvariant(element.Index) && RecordInvariantRead(element),
        Binary binary => IsInvariant(binary.Left) && IsInvariant(binary.Right),
        Unary unary => IsInvariant(unary.Operand),
        Cast cast => IsInvariant(cast.Operand),
        Conditional conditional => IsInvariant(conditional.Condition) && IsInvariant(conditional.WhenTrue) && IsInvariant(conditional.WhenFalse),
        _ => false,
    };

    private bool RecordInvariantRead(Element element)
    {
        _accesses.Add(new Access(element.Array.Name, Key: null, Write: false));
        return true;
    }

    /// <summary>
    /// For an index that is the counted index or a stepped integer plus terms the loop does not
    /// change (<c>j</c>, <c>j + 1</c>, <c>k * d + j</c>, <c>l</c>): a key equal for equal indexes. Otherwise null.
    /// </summary>
    private string? LaneIndex(Expr index)
    {
        var terms = new List<(Expr Term, bool Positive)>();
        Terms(index, positive: true, terms);
        var lane = terms.Where(t => t.Term is Local local && (local.Name == _index || _steps.Contains(local.Name))).ToList();
        if (lane.Count != 1 || !lane[0].Positive || index.Type != TypeRef.Int)
        {
            return null;
        }
        var offset = terms.Where(t => !ReferenceEquals(t.Term, lane[0].Term)).ToList();
        if (!offset.All(t => IsInvariant(t.Term)))
        {
            return null;
        }
        return ((Local)lane[0].Term).Name + string.Concat(offset.Select(t => (t.Positive ? " + " : " - ") + ExpressionPrinter.Print(t.Term)));
    }

    private static void Terms(Expr expression, bool positive, List<(Expr, bool)> terms)
    {
        switch (expression)
        {
            case Binary { Op: BinaryOp.Add } sum:
                Terms(sum.Left, positive, terms);
                Terms(sum.Right, positive, terms);
                break;
            case Binary { Op: BinaryOp.Subtract } difference:
                Terms(difference.Left, positive, terms);
                Terms(difference.Right, !positive, terms);
                break;
            default:
                terms.Add((expression, positive));
                break;
        }
    }

    /// <summary>Where an array is written, every access to it or to an array it may be has the very same index.</summary>
    private bool Independent(ISet<string> distinct)
    {
        foreach (Access write in _accesses.Where(a => a.Write))
        {
            foreach (Access other in _accesses)
            {
                if (ReferenceEquals(other, write))
                {
                    continue;
                }
                bool mayBeSame = other.Array == write.Array || !(distinct.Contains(other.Array) || distinct.Contains(write.Array));
                if (mayBeSame && (other.Key is null || other.Key != write.Key))
                {
                    return false;
                }
            }
        }
        return true;
    }

    private string Statement(ScalarAssignment statement, IReadOnlyDictionary<string, string> vectorNames)
    {
        string value = Lanes(statement.Value, vectorNames);
        if (statement.Target is Element element)
        {
            return Store(statement.Kind switch { AssignKind.Add => "Add", AssignKind.Subtract => "Subtract", _ => "Store" }, element, value);
        }
        return vectorNames[((Local)statement.Target).Name] + ControlFlow.Operator(statement.Kind) + value + ";";
    }

    private static string Store(string method, Element target, string value) =>
        LanesClass + "." + method + "(" + ExpressionPrinter.Identifier(target.Array.Name) + ", " + ExpressionPrinter.Print(target.Index) + ", " + value + ");";

    /// <summary>The value for all lanes: lane values as vectors, the rest as scalars broadcast (or scaling a vector).</summary>
    private string Lanes(Expr expression, IReadOnlyDictionary<string, string> vectorNames)
    {
        if (!Varies(expression))
        {
            return "new " + VectorType + "(" + ExpressionPrinter.Print(expression) + ")";
        }
        switch (expression)
        {
            case Local local:
                return vectorNames[local.Name];
            case Element element:
                return LanesClass + ".Load(" + ExpressionPrinter.Identifier(element.Array.Name) + ", " + ExpressionPrinter.Print(element.Index) + ")";
            case Unary { Op: UnaryOp.Negate } negation:
                return "(-" + Lanes(negation.Operand, vectorNames) + ")";
            case Unary plus:
                return Lanes(plus.Operand, vectorNames);
            default:
                var binary = (Binary)expression;
                string op = binary.Op switch { BinaryOp.Add => " + ", BinaryOp.Subtract => " - ", BinaryOp.Multiply => " * ", _ => " / " };
                // A vector times (or divided by) a scalar needs no broadcast: Vector<T> has those operators.
                string left = !Varies(binary.Left) && binary.Op == BinaryOp.Multiply ? Scalar(binary.Left) : Lanes(binary.Left, vectorNames);
                string right = !Varies(binary.Right) && binary.Op is BinaryOp.Multiply or BinaryOp.Divide ? Scalar(binary.Right) : Lanes(binary.Right, vectorNames);
                return "(" + left + op + right + ")";
        }
    }

    /// <summary>
    /// Whether a qualifying expression differs between lanes: it reads a lane local, or an element at
    /// a lane index (the only place the index and the stepped integers may appear).
    /// </summary>
    private bool Varies(Expr expression) =>
        Walk.Expressions(expression).Any(e => e is Local local && (_laneLocals.Contains(local.Name) || local.Name == _index || _steps.Contains(local.Name)));

    private static string Scalar(Expr expression) =>
        expression is Literal or Local or Element ? ExpressionPrinter.Print(expression) : "(" + ExpressionPrinter.Print(expression) + ")";

    private static string RuleComment(string text)
    {
        int comment = text.IndexOf("; //", System.StringComparison.Ordinal);
        return comment >= 0 ? text.Substring(comment + 1) : string.Empty;
    }

    private sealed record Access(string Array, string? Key, bool Write);
}
