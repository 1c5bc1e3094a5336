using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;
using Autodiff.Generator.Parsing;
using Autodiff.Generator.Transforms;

namespace Autodiff.Generator.Emit;

/// <summary>
/// Builds the backward pass: the body's statements in reverse order, each replaced by its
/// backward rule (the chain rule for that statement).
/// </summary>
/// <remarks>
/// For an assignment <c>v = f(a, b)</c> the adjoint dv holds ∂result/∂v; the rule adds
/// dv·∂f/∂a into da and dv·∂f/∂b into db, then resets dv when v held an earlier value (whose
/// adjoint accumulates from here on). When the forward sweep saved v's old value, it is restored
/// before the operands are read, so every backward rule reads exactly the values its forward
/// statement read. <c>v += e</c> passes dv to e and keeps it. An if replays the branch the
/// forward sweep recorded; a loop runs its recorded trip count backwards, recomputing a counted
/// index (i = start + k·step) rather than restoring it. While building, the sweep notes every
/// variable it reads: that set decides what the forward sweep must save.
///
/// Tensor adjoints start out null and are allocated (zeroed, from the workspace) when first
/// accumulated into; resetting one sets it back to null. The sweep tracks which are surely
/// allocated at each point, so that it guards a rule with "is not null" only where it may be null.
/// </remarks>
internal sealed class ReverseSweep
{
    private const string Tensor = TypeRef.TensorName;

    private readonly MethodContext _context;
    private readonly Dictionary<Stmt, HashSet<string>> _readsBySite = new(SameStatement.Instance);
    private readonly HashSet<string> _readsOutsideStatements = new();
    private readonly Stack<Stmt> _sites = new();
    private readonly HashSet<string> _resettable;
    private HashSet<string> _allocated;
    private string _lastSource = string.Empty;
    private int _nesting;
    private readonly HashSet<string> _touched = new();

    // Adjoint elements kept in a local while a loop runs (see InvariantElements): the printed
    // element, such as dxCentered[i], and the local that stands for it.
    private readonly Dictionary<string, string> _promoted = new();

    // The arrays whose adjoint elements may be kept so (worked out on the first loop).
    private List<string>? _promotable;

    public ReverseSweep(MethodContext context)
    {
        _context = context;
        _context.SplitCalls.Clear(); // built again from scratch on every build of the sweep
        _allocated = new HashSet<string>(context.AllocatedAdjoints);
        _resettable = new HashSet<string>(Walk.Statements(context.Body)
            .Where(s => s is Declare or Assign { Kind: AssignKind.Set, Target: Local } && context.MayOverwrite(s))
            .Select(Walk.AssignedVariable)
            .Where(v => v is not null && context.TypeOf(v).IsTensor && context.Activity.IsActive(v))
            .Select(v => context.Adjoint(v!)));
    }

    /// <summary>
    /// What the backward code of each statement reads (a compound statement: what its own header
    /// reads, a branch condition or a trip count), for the to-be-recorded analysis.
    /// </summary>
    public IReadOnlyDictionary<Stmt, HashSet<string>> ReadsBySite => _readsBySite;

    /// <summary>Reads that belong to no statement (taken as reads at the method's start, the safe side).</summary>
    public IReadOnlyCollection<string> ReadsOutsideStatements => _readsOutsideStatements;

    /// <summary>
    /// Scalar adjoints declared where they are first assigned (<c>double db = dd * w3;</c>) rather
    /// than zeroed up front and added into: the first contribution at the top level of the backward
    /// pass, when nothing read them before. Besides reading better, it spares an addition of zero
    /// that floating-point rules forbid the JIT to remove.
    /// </summary>
    public HashSet<string> DeclaredInline { get; } = new();

    /// <summary>Notes that an adjoint is read or written before (or without) an inline declaration.</summary>
    private void Touch(string adjoint) => _touched.Add(adjoint);

    public List<Code> Build() => Block(_context.Body, 0);

    private Activity Activity => _context.Activity;

    private List<Code> Block(Block block, int depth)
    {
        var code = new List<Code>();
        for (int i = block.Statements.Count - 1; i >= 0; i--)
        {
            code.AddRange(Statement(block.Statements[i], depth));
        }
        return code;
    }

    private List<Code> Statement(Stmt statement, int depth)
    {
        List<Code> code;
        _sites.Push(statement);
        try
        {
            code = statement switch
            {
                Declare s => Assignment(s, s.Variable, AssignKind.Set, s.Initializer, depth),
                Assign { Target: Local target } s => Assignment(s, target, s.Kind, s.Value, depth),
                Assign { Target: Element target } s => ElementAssignment(s, target, depth),
                // A field or property written with a value that carries no gradient (Grad.Stop, a
                // count); an active one is reported (ADIFF005) before any code is generated.
                Assign s when !Activity.IsVaried(s.Value) => new List<Code>(),
                If s => Branch(s, depth),
                Loop s => LoopBackward(s, depth),
                ForEach s => ForEachBackward(s, depth),
                // A call evaluated for its effects returns nothing that could carry a gradient (one
                // that returns something is assigned to a temporary by the front end), and a throw
                // leaves no gradient to pass back.
                Evaluate or Throw => new List<Code>(),
                _ => throw Unlowered(statement),
            };
        }
        finally
        {
            _sites.Pop();
        }
        if (code.Count > 0 && statement is Declare or Assign && statement.Source.Length > 0 && statement.Source != _lastSource)
        {
            code.Insert(0, new Line("// " + Describe(statement)));
            _lastSource = statement.Source;
        }
        return code;
    }

    /// <summary>Jump lowering removes break, continue and return: one that reaches a sweep is a bug of ours (ADIFF012), never silently skipped.</summary>
    internal static System.InvalidOperationException Unlowered(Stmt statement) =>
        new("a " + statement.GetType().Name.ToLowerInvariant() + " statement reached the sweeps (line " + (statement.Span.StartLine + 1) + ")");

    /// <summary>"line 12: y = x * x;": the source statement a piece of generated code comes from.</summary>
    internal static string Describe(Stmt statement) =>
        statement.Span.Path.Length > 0 ? "line " + (statement.Span.StartLine + 1) + ": " + statement.Source : statement.Source;

    private List<Code> Assignment(Stmt site, Local target, AssignKind kind, Expr? value, int depth)
    {
        var code = new List<Code>();
        bool targetActive = Activity.IsActive(target.Name);
        bool saved = _context.IsSaved(site);
        bool undone = _context.IsUndone(site);
        if (!targetActive && _context.SnapshotArrays(value).Count > 0)
        {
            return WritesOnly(site, target, (Invocation)value!, saved, depth);
        }
        if (!targetActive && !saved && !undone)
        {
            return code;
        }
        bool valueActive = targetActive && value is not null && Activity.IsVaried(value);
        var adjoint = new Local(target.Type, _context.Adjoint(target.Name));

        if (kind != AssignKind.Set)
        {
            // v += e keeps dv (the old v gets it too) and passes it to e; when e reads v, dv
            // changes while it is being passed on, so it is taken aside first.
            Local gradient = adjoint;
            if (valueActive && Walk.Reads(value!, target.Name))
            {
                gradient = Bind(site, target, adjoint, code);
            }
            if (saved)
            {
                code.Add(Restore(site, target, depth));
            }
            else if (undone)
            {
                code.Add(Undo(target, kind, value!));
            }
            if (valueActive)
            {
                code.AddRange(Guarded(gradient, () => Propagate(value!, gradient, kind == AssignKind.Subtract, target, kind == AssignKind.Add ? "AddBackward" : "SubBackward", site, depth)));
            }
            return code;
        }

        bool resetAdjoint = targetActive && _context.MayOverwrite(site);
        bool selfReference = value is not null && Walk.Reads(value, target.Name);
        if (valueActive && saved && !selfReference && target.Type.IsScalar)
        {
            // The operands are not the target, so its adjoint can flow to them as it is and be reset
            // after: no local to take it aside (one assignment where gV = dv; dv = 0 took two).
            Expr result = ResultBeforeRestore(site, target, value!, code);
            code.Add(Restore(site, target, depth));
            code.AddRange(Propagate(value!, adjoint, false, result, "CopyBackward", site, depth));
            if (resetAdjoint)
            {
                Reset(adjoint, code);
            }
            return code;
        }
        if (valueActive && (saved || selfReference))
        {
            // The old value's adjoint starts afresh and the old value comes back before the
            // operands are read, so the gradient flowing to them is taken aside first.
            Local gradient = Bind(site, target, adjoint, code);
            if (resetAdjoint)
            {
                Reset(adjoint, code);
            }
            Expr result = saved ? ResultBeforeRestore(site, target, value!, code) : target;
            if (saved)
            {
                code.Add(Restore(site, target, depth));
            }
            code.AddRange(Guarded(gradient, () => Propagate(value!, gradient, false, result, "CopyBackward", site, depth)));
            return code;
        }

        if (saved)
        {
            code.Add(Restore(site, target, depth));
        }
        if (valueActive)
        {
            code.AddRange(Guarded(adjoint, () => Propagate(value!, adjoint, false, target, "CopyBackward", site, depth)));
        }
        if (resetAdjoint)
        {
            Reset(adjoint, code);
        }
        return code;
    }

    /// <summary>The assigned value, for a rule that reads its result (exp), kept aside before the restore overwrites it; otherwise the target itself.</summary>
    private Expr ResultBeforeRestore(Stmt site, Local target, Expr value, List<Code> code)
    {
        if (!NeedsResult(value))
        {
            return target;
        }
        string captured = _context.Record(site, "result", target.Type, target.Name.Replace(ParameterSpec.FieldPrefix, string.Empty) + "Result", ReverseSweep.DefaultOf(target.Type));
        code.Add(new Line(captured + " = " + ExpressionPrinter.Identifier(target.Name) + ";"));
        Read(target);
        return new Local(target.Type, captured);
    }

    /// <summary>
    /// An assignment whose result is not needed, from a call that wrote into arrays that are: their
    /// gradient goes through the pullback all the same, with a zero seed for the result.
    /// </summary>
    private List<Code> WritesOnly(Stmt site, Expr target, Invocation call, bool saved, int depth)
    {
        var code = new List<Code>();
        if (saved)
        {
            code.Add(Restore(site, target, depth));
        }
        Expr zero = target.Type.IsTensor
            ? new Opaque(target.Type, new EquatableArray<string>(new[] { Tensor + ".ZerosLike(", ")" }), new EquatableArray<Expr>(new Expr[] { target }), "zeros", true, SourceSpan.None)
            : Literals.Of(target.Type, 0);
        code.AddRange(CallBackward(call, zero, target, site, depth));
        return code;
    }

    /// <summary>Takes the adjoint aside into a local of its own (gV = dv).</summary>
    private Local Bind(Stmt site, Local target, Local adjoint, List<Code> code)
    {
        string stem = Capitalize(target.Name.Replace(ParameterSpec.FieldPrefix, string.Empty));
        string name = _context.Record(site, "gradient", target.Type.AdjointType, "g" + stem, target.Type.Zero);
        Touch(adjoint.Name);
        code.Add(new Line(name + " = " + adjoint.Name + ";"));
        if (_allocated.Contains(adjoint.Name))
        {
            _allocated.Add(name);
        }
        else
        {
            _allocated.Remove(name);
        }
        return new Local(target.Type, name);
    }

    private void Reset(Local adjoint, List<Code> code)
    {
        Touch(adjoint.Name);
        code.Add(new Line(adjoint.Name + " = " + adjoint.Type.Zero + ";"));
        _allocated.Remove(adjoint.Name);
    }

    /// <summary>A tensor gradient that may still be null means nothing flowed back here: skip the rule then.</summary>
    private List<Code> Guarded(Local gradient, System.Func<List<Code>> body)
    {
        if (!gradient.Type.IsTensor || _allocated.Contains(gradient.Name))
        {
            return body();
        }
        var before = new HashSet<string>(_allocated) { gradient.Name };
        _allocated = new HashSet<string>(before);
        _nesting++;
        List<Code> inner = body();
        _nesting--;
        _allocated = before;
        _allocated.Remove(gradient.Name);
        return new List<Code> { new Nested("if (" + gradient.Name + " is not null)", inner) };
    }

    private List<Code> ElementAssignment(Assign site, Element target, int depth)
    {
        var code = new List<Code>();
        bool targetActive = Activity.IsActive(target.Array.Name);
        bool saved = _context.IsSaved(site);
        if (!targetActive && _context.SnapshotArrays(site.Value).Count > 0)
        {
            Read(target.Index);
            return WritesOnly(site, target, (Invocation)site.Value, saved, depth);
        }
        if (!targetActive && !saved)
        {
            return code;
        }
        bool valueActive = targetActive && Activity.IsVaried(site.Value);
        var adjoint = target with { Array = new Local(target.Array.Type, _context.Adjoint(target.Array.Name)) };
        Read(target.Index);
        if (site.Kind != AssignKind.Set)
        {
            // v[i] += e keeps dv[i] and passes it to e. When e reads the array, any of its
            // elements may be v[i] itself (v[j] with j == i), whose adjoint changes while it is
            // being passed on: take it aside first.
            Expr passed = adjoint;
            if (valueActive && Walk.Reads(site.Value, target.Array.Name))
            {
                string name = _context.Record(site, "gradient", target.Type, "g" + Capitalize(target.Array.Name), target.Type.Zero);
                code.Add(new Line(name + " = " + ExpressionPrinter.Print(adjoint) + ";", new ScalarAssignment(new Local(target.Type, name), AssignKind.Set, adjoint)));
                passed = new Local(target.Type, name);
            }
            if (saved)
            {
                code.Add(Restore(site, target, depth));
            }
            if (valueActive)
            {
                code.AddRange(Propagate(site.Value, passed, site.Kind == AssignKind.Subtract, target, site.Kind == AssignKind.Add ? "AddBackward" : "SubBackward", site, depth));
            }
            return code;
        }
        Expr gradient = adjoint;
        if (targetActive)
        {
            if (valueActive)
            {
                string name = _context.Record(site, "gradient", target.Type, "g" + Capitalize(target.Array.Name), target.Type.Zero);
                code.Add(new Line(name + " = " + ExpressionPrinter.Print(adjoint) + ";", new ScalarAssignment(new Local(target.Type, name), AssignKind.Set, adjoint)));
                gradient = new Local(target.Type, name);
            }
            code.Add(new Line(ExpressionPrinter.Print(adjoint) + " = " + target.Type.Zero + ";", new ScalarAssignment(adjoint, AssignKind.Set, new Literal(target.Type, target.Type.Zero))));
        }
        Expr result = target;
        if (saved && valueActive && NeedsResult(site.Value))
        {
            string captured = _context.Record(site, "result", target.Type, target.Array.Name + "Result", target.Type.Zero);
            code.Add(new Line(captured + " = " + ExpressionPrinter.Print(target) + ";"));
            Read(target);
            result = new Local(target.Type, captured);
        }
        if (saved)
        {
            code.Add(Restore(site, target, depth));
        }
        if (valueActive)
        {
            code.AddRange(Propagate(site.Value, gradient, false, result, "CopyBackward", site, depth));
        }
        return code;
    }

    private bool NeedsResult(Expr value) =>
        value is Invocation call && _context.Rules.Resolve(call.Callee) is { TakesResult: true } rule && !rule.Unread(RuleInputs.Of(call).Count);

    /// <summary>Puts back an integer's old value by stepping it back (see <see cref="MethodContext.IsUndone"/>).</summary>
    private Line Undo(Local target, AssignKind kind, Expr step)
    {
        Read(step);
        Read(target); // stepping back reads the value the step gave it
        string name = ExpressionPrinter.Identifier(target.Name);
        if (step is Literal { Text: "1" })
        {
            return new Line(name + (kind == AssignKind.Add ? "--;" : "++;"), new ScalarAssignment(target, kind == AssignKind.Add ? AssignKind.Subtract : AssignKind.Add, step));
        }
        return new Line(name + (kind == AssignKind.Add ? " -= " : " += ") + ExpressionPrinter.Print(step) + ";");
    }

    /// <summary>Puts back the value the forward sweep saved before this assignment.</summary>
    private Line Restore(Stmt site, Expr target, int depth)
    {
        string name = target is Element e ? e.Array.Name : ((Local)target).Name;
        if (depth > 0)
        {
            string stack = _context.Stack(target.Type);
            return new Line(ExpressionPrinter.Print(target) + " = " + stack + ".Pop();", new SavePop(target, stack));
        }
        string saved = _context.Record(site, "saved", target.Type, "saved" + Capitalize(name.Replace(ParameterSpec.FieldPrefix, string.Empty)), DefaultOf(target.Type));
        return new Line(ExpressionPrinter.Print(target) + " = " + saved + ";");
    }

    private List<Code> Propagate(Expr value, Expr gradient, bool negate, Expr result, string rule, Stmt? site = null, int depth = 0)
    {
        if (gradient is Local read)
        {
            Touch(read.Name);
        }
        var code = new List<Code>();
        if (value is Invocation call)
        {
            code.AddRange(CallBackward(call, negate ? new Unary(gradient.Type, UnaryOp.Negate, gradient) : gradient, result, site, depth));
        }
        else
        {
            Backward(value, gradient, negate, rule, code);
        }
        return code;
    }

    /// <summary>Passes <paramref name="gradient"/> (∂result/∂value) down an expression tree to its active leaves.</summary>
    private void Backward(Expr value, Expr gradient, bool negate, string rule, List<Code> code)
    {
        if (!Activity.IsVaried(value))
        {
            return;
        }
        switch (value)
        {
            case Local local:
                Accumulate(local, gradient, negate, rule, code);
                return;
            case Element element:
                Read(element.Index);
                Expr adjointElement = AdjointOf(element);
                code.Add(new Line(ExpressionPrinter.Print(adjointElement) + (negate ? " -= " : " += ") + ExpressionPrinter.Print(gradient) + "; // " + rule,
                    new ScalarAssignment(adjointElement, negate ? AssignKind.Subtract : AssignKind.Add, gradient)));
                return;
            case Binary { Op: BinaryOp.Add } e:
                Backward(e.Left, gradient, negate, "AddBackward", code);
                Backward(e.Right, gradient, negate, "AddBackward", code);
                return;
            case Binary { Op: BinaryOp.Subtract } e:
                Backward(e.Left, gradient, negate, "SubBackward", code);
                Backward(e.Right, gradient, !negate, "SubBackward", code);
                return;
            case Unary { Op: UnaryOp.Negate } e:
                Backward(e.Operand, gradient, !negate, "NegBackward", code);
                return;
            case Unary { Op: UnaryOp.Plus } e:
                Backward(e.Operand, gradient, negate, rule, code);
                return;
            case Binary { Op: BinaryOp.Multiply } e when e.Left == e.Right && Flattening.IsSimple(e.Left):
                // x * x: both factors are x, so x gets 2·g·x in one step (what the product rule gives in two).
                Backward(e.Left, Times(Times(Literals.Of(value.Type, 2), gradient), Read(e.Left)), negate, "MulBackward", code);
                return;
            case Binary { Op: BinaryOp.Multiply } e when Flattening.ScaledSquare(e) is { } square && Doubled(square.Scale) is double twice:
            {
                // c * x * x: x gets 2c·g·x in one step (doubling a literal is exact): g·x for c = ½, −g·x for c = −½.
                Expr scaled = twice is 1 or -1 ? gradient : Times(Literals.Of(value.Type, twice), gradient);
                Backward(square.Operand, Times(scaled, Read(square.Operand)), twice == -1 ? !negate : negate, "MulBackward", code);
                return;
            }
            // A factor's value is read only where the other factor receives a gradient: 0.5 * s
            // reads nothing of s, so s need not be kept for the backward pass (see ToBeRecorded).
            case Binary { Op: BinaryOp.Multiply } e:
                if (Activity.IsVaried(e.Left))
                {
                    Backward(e.Left, Times(gradient, Read(e.Right)), negate, "MulBackward", code);
                }
                if (Activity.IsVaried(e.Right))
                {
                    Backward(e.Right, Times(gradient, Read(e.Left)), negate, "MulBackward", code);
                }
                return;
            case Binary { Op: BinaryOp.Divide } e:
                // d(a/b) = da/b - a·db/b²
                if (Activity.IsVaried(e.Left))
                {
                    Backward(e.Left, new Binary(value.Type, BinaryOp.Divide, gradient, Read(e.Right)), negate, "DivBackward", code);
                }
                if (Activity.IsVaried(e.Right))
                {
                    Backward(e.Right, new Binary(value.Type, BinaryOp.Divide, Times(gradient, Read(e.Left)), Times(Read(e.Right), e.Right)), !negate, "DivBackward", code);
                }
                return;
            case Binary { Op: BinaryOp.Remainder } e:
                // a % b = a - trunc(a/b)·b, so ∂/∂a = 1 and ∂/∂b = -trunc(a/b) (C#'s % truncates, like torch.fmod).
                Backward(e.Left, gradient, negate, "FmodBackward", code);
                string truncate = value.Type.Kind == ValueKind.Float ? "global::System.MathF.Truncate" : "global::System.Math.Truncate";
                var quotient = new Opaque(value.Type, new EquatableArray<string>(new[] { truncate + "(", ")" }),
                    new EquatableArray<Expr>(new Expr[] { new Binary(value.Type, BinaryOp.Divide, Read(e.Left), Read(e.Right)) }), "truncate", true, SourceSpan.None);
                Backward(e.Right, Times(gradient, quotient), !negate, "FmodBackward", code);
                return;
            case Cast e:
                Backward(e.Operand, new Cast(e.Operand.Type, gradient, SourceSpan.None), negate, "ConvertBackward", code);
                return;
            default:
                // Flattening leaves no calls or conditionals inside active expressions.
                throw new System.InvalidOperationException("no backward rule for " + value.GetType().Name + " inside an expression");
        }
    }

    /// <summary>Twice a literal, when that is finite in the literal's own type (3e38f doubled is not a float); else null, and the product rule applies.</summary>
    private static double? Doubled(Literal scale)
    {
        if (Literals.ValueOf(scale) is not double value)
        {
            return null;
        }
        double twice = scale.Type.Kind == ValueKind.Float ? (float)(2 * value) : 2 * value;
        return double.IsInfinity(twice) || double.IsNaN(twice) ? null : twice;
    }

    private static Expr Times(Expr gradient, Expr factor) => new Binary(gradient.Type, BinaryOp.Multiply, gradient, factor);

    /// <summary>dv += g for scalars; for tensors, allocate dv if needed and add g into it.</summary>
    private void Accumulate(Local variable, Expr gradient, bool negate, string rule, List<Code> code)
    {
        string adjoint = _context.Adjoint(variable.Name);
        if (!variable.Type.IsTensor)
        {
            if (_nesting == 0 && !_touched.Contains(adjoint) && _context.CanDeclareInline(adjoint))
            {
                _touched.Add(adjoint);
                DeclaredInline.Add(adjoint);
                Expr value = negate ? new Unary(gradient.Type, UnaryOp.Negate, gradient) : gradient;
                code.Add(new Line(variable.Type.Name + " " + adjoint + " = " + ExpressionPrinter.Print(value) + "; // " + rule));
                return;
            }
            Touch(adjoint);
            code.Add(new Line(adjoint + (negate ? " -= " : " += ") + ExpressionPrinter.Print(gradient) + "; // " + rule,
                new ScalarAssignment(new Local(variable.Type, adjoint), negate ? AssignKind.Subtract : AssignKind.Add, gradient)));
            return;
        }
        EnsureAllocated(variable, code);
        code.Add(new Line(negate
            ? Tensor + ".AddScaledInPlace(" + adjoint + ", " + ExpressionPrinter.Print(gradient) + ", -1f); // " + rule
            : Tensor + ".AddInPlace(" + adjoint + ", " + ExpressionPrinter.Print(gradient) + "); // " + rule));
    }

    /// <summary>A tensor adjoint is allocated, zeroed and shaped like its variable, the first time something is added into it.</summary>
    private void EnsureAllocated(Local variable, List<Code> code)
    {
        string adjoint = _context.Adjoint(variable.Name);
        if (_allocated.Add(adjoint))
        {
            Read(variable);
            code.Add(new Line(adjoint + " ??= " + Tensor + ".ZerosLike(" + ExpressionPrinter.Identifier(variable.Name) + ");"));
        }
    }

    /// <summary>Calls the rule's pullback: primal arguments, the result if it wants it, the seed, then one accumulator per differentiable parameter.</summary>
    private List<Code> CallBackward(Invocation call, Expr gradient, Expr result, Stmt? site, int depth)
    {
        var code = new List<Code>();
        List<string> snapshots = site is null ? new List<string>() : RestoreSnapshots(site, call, depth, code);
        DerivativeRule rule = _context.Rules.Resolve(call.Callee)
            ?? throw new System.InvalidOperationException("no rule for " + call.Callee.Display);
        if (_context.Rules.UsesGeneratedPullback(call.Callee))
        {
            _context.PullbackCalls.Add(new PullbackCall(call.Callee.RuleKey, call.Callee.Display, call.Span));
        }
        List<(Expr Value, bool Differentiable)> primal = RuleInputs.Of(call);
        if (site is not null && _context.ReverseTrigCompanions.TryGetValue(site, out string? companion) && TrigCompanions.OfSine(rule) is bool sine
            && primal.Count == 1 && Activity.IsVaried(primal[0].Value) && AdjointOf(primal[0].Value) is Local accumulated)
        {
            // sin' = cos and cos' = −sin, which the forward pass computed already for the same angle.
            Touch(accumulated.Name);
            Expr product = new Binary(primal[0].Value.Type, BinaryOp.Multiply, gradient, Read(new Local(primal[0].Value.Type, companion)));
            code.Add(new Line(accumulated.Name + (sine ? " += " : " -= ") + ExpressionPrinter.Print(product) + ";" + TrigCompanions.Comment(rule, sine, companion)));
            return code;
        }
        if (FirstContributionByPushforward(call, rule, primal, gradient, result) is { } first)
        {
            code.Add(first);
            return code;
        }
        var arguments = new List<string>();
        // An input or result the rule marks [Unread] is not read here, so nothing keeps it for this
        // rule; an element's index still is, for the element's accumulator (ref dv[i - 1]) below.
        for (int i = 0; i < primal.Count; i++)
        {
            if (!rule.Unread(i))
            {
                arguments.Add(ExpressionPrinter.Print(Read(primal[i].Value)));
                continue;
            }
            if (primal[i].Value is Element element)
            {
                Read(element.Index);
            }
            arguments.Add("default");
        }
        if (rule.TakesResult)
        {
            arguments.Add(rule.Unread(primal.Count) ? "default" : ExpressionPrinter.Print(Read(result)));
        }
        arguments.Add(ExpressionPrinter.Print(gradient));
        if (call.Callee.ModelMethod && call.Callee.ReadsParameters)
        {
            // The model's own method adds its parameters' gradients into the same gradients object; a
            // sub-model's, into the sub-model's share of it (gradients.Blocks[i] for Blocks[i]).
            string gradients = _context.GradientsName ?? throw new System.InvalidOperationException("a model method called without a gradients object");
            arguments.Add(call.Callee.SubModel ? ExpressionPrinter.Print(SubModelGradients.Of(Read(call.Receiver!), gradients)) : gradients);
        }
        foreach ((Expr argument, bool differentiable) in primal)
        {
            if (!differentiable)
            {
                continue;
            }
            bool active = Activity.IsVaried(argument);
            if (argument.Type.IsScalar)
            {
                if (active && AdjointOf(argument) is Local accumulator)
                {
                    Touch(accumulator.Name);
                }
                arguments.Add("ref " + (active ? ExpressionPrinter.Print(AdjointOf(argument)) : _context.Sink(argument.Type)));
            }
            else
            {
                if (active && argument is Local { Type.IsTensor: true } tensor)
                {
                    EnsureAllocated(tensor, code);
                }
                arguments.Add(active ? ExpressionPrinter.Print(AdjointOf(argument)) : "null");
            }
        }
        bool split = site is not null && SplitMode.Applies(call, _context);
        string member = split ? SplitMode.Member(call.Callee, SplitMode.BackwardSuffix) : rule.PrintedFor(call);
        // A model method's members are called on its receiver: this, or the sub-model (this.Blocks[i]).
        string pullback = call.Callee.ModelMethod ? ExpressionPrinter.Print(Read(call.Receiver!)) + "." + member : member;
        if (split)
        {
            // The forward sweep calls the callee's forward pass at this site (it reads SplitCalls).
            _context.SplitCalls.Add(site!);
            arguments.Add(_context.ResidualsName);
        }
        code.Add(new Line(pullback + "(" + string.Join(", ", arguments) + ");"));
        foreach (string line in snapshots)
        {
            // The pullback reran the callee, which wrote into the array again: the statements before
            // the call read it as it was.
            code.Add(new Line(line));
        }
        return code;
    }

    /// <summary>
    /// The first contribution to a scalar adjoint from a built-in one-input rule, declared with its
    /// value: <c>double dt = MathRules.ExpTangent&lt;double&gt;(default, y, dy);</c>. A function of one input
    /// has a 1×1 Jacobian, so its pushforward of the seed is its pullback's contribution, the same
    /// product (MathRules writes both with the same factors); the pullback would add it to a zero
    /// first, an addition IEEE rules keep (it turns −0 into +0) on the backward pass's critical path.
    /// Null where that does not apply (the rule adds into the accumulator then).
    /// </summary>
    private Line? FirstContributionByPushforward(Invocation call, DerivativeRule rule, List<(Expr Value, bool Differentiable)> primal, Expr gradient, Expr result)
    {
        if (primal.Count != 1 || !primal[0].Differentiable || !primal[0].Value.Type.IsScalar || !Activity.IsVaried(primal[0].Value)
            || AdjointOf(primal[0].Value) is not Local accumulator
            || _nesting != 0 || _touched.Contains(accumulator.Name) || !_context.CanDeclareInline(accumulator.Name)
            || !rule.IsBuiltIn || _context.Rules.ResolvePushforward(call.Callee) is not { IsBuiltIn: true } pushforward
            || pushforward.TakesResult != rule.TakesResult)
        {
            return null;
        }
        _touched.Add(accumulator.Name);
        DeclaredInline.Add(accumulator.Name);
        // The pushforwards of the rules whose pullbacks leave an input unread do not read it either.
        var arguments = new List<string> { rule.Unread(0) ? "default" : ExpressionPrinter.Print(Read(primal[0].Value)) };
        if (rule.TakesResult)
        {
            arguments.Add(rule.Unread(1) ? "default" : ExpressionPrinter.Print(Read(result)));
        }
        arguments.Add(ExpressionPrinter.Print(gradient));
        return new Line(accumulator.Type.Name + " " + accumulator.Name + " = " + pushforward.PrintedFor(call) + "(" + string.Join(", ", arguments) + "); // "
            + rule.Name + ", as its pushforward of the seed (one input: the same product)");
    }

    /// <summary>Puts back each array the call wrote into, as it was before the call; returns the lines that do it again after the pullback.</summary>
    private List<string> RestoreSnapshots(Stmt site, Invocation call, int depth, List<Code> code)
    {
        List<(int Index, Local Array)> arrays = _context.SnapshotArrays(call);
        if (depth > 0)
        {
            // Pushed in argument order, so they come off the stack in reverse.
            for (int i = arrays.Count - 1; i >= 0; i--)
            {
                code.Add(new Line(_context.SnapshotOf(site, arrays[i].Array) + " = " + _context.Stack(arrays[i].Array.Type) + ".Pop();"));
            }
        }
        var lines = new List<string>();
        foreach ((int _, Local array) in arrays)
        {
            string name = ExpressionPrinter.Identifier(array.Name);
            string restore = "global::System.Array.Copy(" + _context.SnapshotOf(site, array) + ", " + name + ", " + name + ".Length); // the array as the call found it";
            code.Add(new Line(restore));
            lines.Add(restore);
            Read(array);
        }
        return lines;
    }

    private Expr AdjointOf(Expr argument) => argument switch
    {
        Local local => new Local(local.Type, _context.Adjoint(local.Name)),
        Element element => Promoted(AdjointElement(element)),
        _ => throw new System.InvalidOperationException("an active argument must be a variable or element after flattening"),
    };

    private List<Code> Branch(If statement, int depth)
    {
        var before = new HashSet<string>(_allocated);
        _nesting++;
        List<Code> then = Block(statement.Then, depth);
        var afterThen = _allocated;
        _allocated = new HashSet<string>(before);
        List<Code> otherwise = Block(statement.Else, depth);
        _nesting--;
        // Only what both branches left allocated is allocated after the if.
        _allocated.IntersectWith(afterThen);
        if (then.Count == 0 && otherwise.Count == 0)
        {
            return new List<Code>();
        }
        string branch = _context.Record(statement, "branch", TypeRef.Bool, "branch", "false");
        var code = new List<Code>();
        if (depth > 0)
        {
            code.Add(new Line(branch + " = " + _context.Stack(TypeRef.Bool) + ".Pop();"));
        }
        code.Add(then.Count > 0
            ? new Nested("if (" + branch + ")", then, otherwise)
            : new Nested("if (!" + branch + ")", otherwise));
        return code;
    }

    /// <summary>A loop body may run any number of times: only adjoints no iteration resets stay surely allocated.</summary>
    private List<Code> LoopBody(System.Func<List<Code>> build)
    {
        _allocated.ExceptWith(_resettable);
        var before = new HashSet<string>(_allocated);
        _nesting++;
        List<Code> code = build();
        _nesting--;
        _allocated = before;
        return code;
    }

    /// <summary>The same element of the array's adjoint (<c>dv[i]</c> for <c>v[i]</c>).</summary>
    private Element AdjointElement(Element element) => element with { Array = new Local(element.Array.Type, _context.Adjoint(element.Array.Name)) };

    /// <summary>The local standing for an adjoint element inside a loop that keeps it in one (see <see cref="InvariantElements"/>), or the element.</summary>
    private Expr Promoted(Element adjoint) =>
        _promoted.TryGetValue(ExpressionPrinter.Print(adjoint), out string? local) ? new Local(adjoint.Type, local) : adjoint;

    /// <summary>
    /// Adjoint elements the loop only adds into at an index it does not change: local arrays'
    /// adjoints only (the method allocates them, so no other array of the loop is the same one).
    /// </summary>
    private List<(string Element, string Local)> PromoteInvariantElements(Loop loop)
    {
        _promotable ??= _context.Variables.Where(v => _context.TypeOf(v) is { IsArray: true } type && type.Element.IsScalar
            && !_context.ParameterNames.Contains(v) && Activity.IsActive(v) && _context.FixedVariables.Contains(v)).ToList();
        var promoted = new List<(string, string)>();
        foreach (Element element in InvariantElements.Of(loop, _promotable))
        {
            string adjoint = ExpressionPrinter.Print(AdjointElement(element));
            if (_promoted.ContainsKey(adjoint))
            {
                continue; // an enclosing loop keeps it already
            }
            string local = _context.Record(loop, "invariantGradient " + element.Array.Name, element.Type, _context.Adjoint(element.Array.Name) + "Element", element.Type.Zero);
            _promoted[adjoint] = local;
            Read(element.Index);
            promoted.Add((adjoint, local));
        }
        return promoted;
    }

    /// <summary>
    /// Loads each kept adjoint element into its local before the loop and stores it back after,
    /// under a test that the loop runs at all (otherwise the index may be out of range).
    /// </summary>
    private List<Code> WithPromoted(List<(string Element, string Local)> promoted, string count, List<Code> loop)
    {
        EndPromotion(promoted);
        if (promoted.Count == 0)
        {
            return loop;
        }
        var body = new List<Code>();
        body.AddRange(promoted.Select(p => new Line(p.Local + " = " + p.Element + ";")));
        body.AddRange(loop);
        body.AddRange(promoted.Select(p => new Line(p.Element + " = " + p.Local + ";")));
        return new List<Code> { new Nested("if (" + count + " > 0)", body) };
    }

    /// <summary>Outside the loop the elements are written as themselves again.</summary>
    private void EndPromotion(List<(string Element, string Local)> promoted)
    {
        foreach ((string element, string _) in promoted)
        {
            _promoted.Remove(element);
        }
    }

    private List<Code> LoopBackward(Loop loop, int depth)
    {
        List<(string Element, string Local)> promoted = PromoteInvariantElements(loop);
        List<Code> iteration = LoopBody(() =>
        {
            var steps = Block(loop.Step, depth + 1);
            steps.AddRange(Block(loop.Body, depth + 1));
            return steps;
        });
        List<Code> initializer = Block(loop.Initializer, depth);
        if (iteration.Count == 0)
        {
            EndPromotion(promoted);
            return initializer;
        }
        (List<Code> replayedBefore, List<Code> replayed) = Replays(loop);
        iteration.InsertRange(0, Refills(loop).Concat(replayed));
        var code = new List<Code>(replayedBefore);
        if (depth == 0 && _context.Checkpointed(loop) is { } plan && SavesEachIteration(loop))
        {
            // Iterations run again from copies of the loop's state; the save plan keeps what they read
            // (ToBeRecorded's rereadAfter).
            _context.ReversedCheckpointedLoops.Add(loop);
            var writer = new CheckpointedLoopWriter(_context, loop, plan);
            var plain = new Deferred(() => _context.CheckpointedIterations[loop].Plain);
            var saving = new Deferred(() => _context.CheckpointedIterations[loop].Saving);
            code.AddRange(WithPromoted(promoted, writer.TripCount, writer.ReversePhase(plain, saving, iteration)));
            code.AddRange(initializer);
            return code;
        }
        if (_context.TripCountBound(loop) is { } bound)
        {
            // Nothing counted or saved in the forward sweep: the count follows from the bounds.
            CountedLoop bounded = loop.Counted!;
            string tripCount = _context.Record(loop, "tripCount", TypeRef.Int, "tripCount", "0");
            code.Add(new Line(tripCount + " = " + TripCountText(bounded, (Binary)loop.Condition!, bound) + ";"));
            foreach (Local integer in TripCounts.IntegersRead(bound).Concat(TripCounts.IntegersRead(bounded.Start)))
            {
                Read(integer);
            }
            code.AddRange(WithPromoted(promoted, tripCount, Vectorised(loop, bounded, tripCount, iteration)
                ?? new List<Code> { CountedHeader(loop, bounded, tripCount, Parenthesized(bounded.Start), iteration) }));
            code.AddRange(initializer);
            return code;
        }
        string count = _context.Record(loop, "iterations", TypeRef.Int, "iterations", "0");
        string? start = loop.Counted is { Start: not Literal } ? _context.Record(loop, "start", TypeRef.Int, "start", "0") : null;
        if (depth > 0)
        {
            code.Add(new Line(count + " = " + _context.Stack(TypeRef.Int) + ".Pop();"));
            if (start is not null)
            {
                code.Add(new Line(start + " = " + _context.Stack(TypeRef.Int) + ".Pop();"));
            }
        }
        code.AddRange(WithPromoted(promoted, count, new List<Code>
        {
            loop.Counted is { } counted
                ? CountedHeader(loop, counted, count, start ?? ExpressionPrinter.Print(counted.Start), iteration)
                : new Nested("for (" + IterationVariable(loop) + " = " + count + "; " + IterationVariable(loop) + " > 0; " + IterationVariable(loop) + "--)", iteration),
        }));
        code.AddRange(initializer);
        return code;
    }

    /// <summary>
    /// The scratch arrays the loop refills at the start of each iteration, filled again for the
    /// iteration the backward pass takes back (<see cref="RefilledArrays"/>): their old values were not saved.
    /// </summary>
    private List<Code> Refills(Loop loop)
    {
        var code = new List<Code>();
        foreach (Loop fill in _context.Method.RefillsOf(loop))
        {
            foreach (Local input in RefilledArrays.InputsOf(fill))
            {
                Read(input);
            }
            Assign write = RefilledArrays.WriteOf(fill)!;
            code.Add(new Line("// " + ExpressionPrinter.Identifier(((Element)write.Target).Array.Name) + " filled again for this iteration instead of restored; " + Describe(write)));
            code.AddRange(new ForwardSweep(_context).Plainly(fill));
        }
        return code;
    }

    /// <summary>
    /// The integers the loop's iterations declare and step, computed again for the iteration the
    /// backward pass takes back and brought to the iteration's end by replaying their steps
    /// (<see cref="ReplayedIntegers"/>): their old values were not saved. Steps that take the
    /// integer as far in every iteration are replayed once, before the loop (the first list), into
    /// a local of the distance; each iteration then adds it.
    /// </summary>
    private (List<Code> Before, List<Code> EachIteration) Replays(Loop loop)
    {
        var before = new List<Code>();
        var code = new List<Code>();
        // Only an integer whose value some backward code reads (the plan of the previous build says which).
        foreach (ReplayedIntegers.Replay replay in _context.Method.ReplaysOf(loop).Where(r => _context.ToBeRecorded?.Contains(r.Declaration.Variable.Name) == true))
        {
            Declare declare = replay.Declaration;
            string variable = ExpressionPrinter.Identifier(declare.Variable.Name);
            List<Code> steps = ReplayedSteps(replay.After, declare.Variable.Name, variable);
            var recompute = new Line(variable + " = " + ExpressionPrinter.Print(Read(declare.Initializer!)) + ";");
            if (steps.Count == 0)
            {
                code.Add(new Line("// " + variable + " computed again for this iteration instead of restored; " + Describe(declare)));
                code.Add(recompute);
                continue;
            }
            if (replay.SameTravel)
            {
                string travel = _context.Record(declare, "travel", TypeRef.Int, declare.Variable.Name.TrimStart('@') + "Travel", "0");
                before.Add(new Line("// How far " + variable + "'s steps take it in each iteration of the loop below (the same in every one)"));
                before.Add(new Line(travel + " = 0;"));
                before.AddRange(ReplayedSteps(replay.After, declare.Variable.Name, travel));
                code.Add(new Line("// " + variable + " computed again for this iteration, plus how far its steps took it, instead of restored; " + Describe(declare)));
                code.Add(recompute);
                code.Add(new Line(variable + " += " + travel + ";"));
                continue;
            }
            code.Add(new Line("// " + variable + " computed again for this iteration and its steps replayed, instead of restored; " + Describe(declare)));
            code.Add(recompute);
            code.AddRange(steps);
        }
        return (before, code);
    }

    /// <summary>The steps of the integer among the statements, in their order: a counted loop whose body steps it (and holds no loop that does) as one product with its trip count.</summary>
    private List<Code> ReplayedSteps(IEnumerable<Stmt> statements, string variable, string name)
    {
        var code = new List<Code>();
        foreach (Stmt statement in statements)
        {
            if (ReplayedIntegers.IsStep(statement, variable, _context.FixedVariables))
            {
                var step = (Assign)statement;
                code.Add(new Line(name + ControlFlow.Operator(step.Kind) + ExpressionPrinter.Print(Read(step.Value)) + ";"));
                continue;
            }
            if (statement is not Loop { Counted: { } counted } loop || !ReplayedIntegers.Changes(statement, variable))
            {
                continue;
            }
            Expr bound = _context.TripCountBound(loop)!;
            Read(counted.Start);
            Read(bound);
            string tripCount = TripCountText(counted, (Binary)loop.Condition!, bound);
            if (loop.Body.Statements.OfType<Loop>().Any(inner => ReplayedIntegers.Changes(inner, variable)))
            {
                string index = ExpressionPrinter.Identifier(counted.Index.Name);
                string next = counted.Step == 1 ? index + "++" : counted.Step == -1 ? index + "--"
                    : index + " += " + counted.Step.ToString(System.Globalization.CultureInfo.InvariantCulture);
                code.Add(new Nested("for (" + index + " = " + ExpressionPrinter.Print(counted.Start) + "; " + ExpressionPrinter.Print(loop.Condition!) + "; " + next + ")",
                    ReplayedSteps(loop.Body.Statements, variable, name)));
                continue;
            }
            code.Add(new Line(name + NetStepTimes(loop.Body.Statements.Where(s => ReplayedIntegers.IsStep(s, variable, _context.FixedVariables)).Cast<Assign>().ToList(), tripCount)));
        }
        return code;
    }

    /// <summary>
    /// " += count;" for one step of 1 a trip, otherwise the net step of a trip (its steps summed:
    /// <c>k += 5; k -= 5;</c> travels nowhere) times the count, the product unchecked, as the forward
    /// pass's additions wrap in an unchecked build and never overflowed in a checked one.
    /// </summary>
    private string NetStepTimes(List<Assign> steps, string tripCount)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (steps.All(step => step.Value is Literal literal && int.TryParse(literal.Text, System.Globalization.NumberStyles.AllowLeadingSign, invariant, out _)))
        {
            long net = steps.Sum(step => (step.Kind == AssignKind.Add ? 1L : -1L) * int.Parse(((Literal)step.Value).Text, System.Globalization.NumberStyles.AllowLeadingSign, invariant));
            return net == 1 ? " += " + tripCount + ";" : net == -1 ? " -= " + tripCount + ";"
                : " += unchecked(" + net.ToString(invariant) + " * " + tripCount + ");";
        }
        string sum = string.Join(" ", steps.Select((step, i) =>
            (step.Kind == AssignKind.Add ? (i == 0 ? string.Empty : "+ ") : (i == 0 ? "-" : "- ")) + Parenthesized(Read(step.Value))));
        return " += unchecked((" + sum + ") * " + tripCount + ");";
    }

    /// <summary>
    /// The loop's last iterations (the first the backward pass takes) run <c>Vector&lt;T&gt;.Count</c>
    /// at a time (see <see cref="VectorLoop"/>), then the rest one at a time down to the start. Null
    /// when the loop does not qualify.
    /// </summary>
    private List<Code>? Vectorised(Loop loop, CountedLoop counted, string tripCount, List<Code> iteration)
    {
        if (!VectorLoop.Qualifies(loop, _context) || _context.Checkpointed(loop) is not null
            || VectorLoop.Of(iteration, counted.Index.Name, backward: true, _context.DistinctArrays()) is not { } vector)
        {
            return null;
        }
        Dictionary<string, string> names = vector.VectorLocals(_context, loop);
        string i = ExpressionPrinter.Identifier(counted.Index.Name);
        string start = Parenthesized(counted.Start);
        string lanes = _context.Record(loop, "vector iterations", TypeRef.Int, "vectorIterations", "0");
        string top = VectorLoop.Plus(start, tripCount);
        var lanesLoop = new Nested("for (" + i + " = " + top + " - " + vector.Width + "; " + i + " >= " + top + " - " + lanes + "; " + i + " -= " + vector.Width + ")",
            vector.Body(names));
        // Partial sums per lane, summed across once after the lanes.
        var inLanes = vector.Reductions.Select(sum => (Code)new Line(names[sum] + " = default;")).ToList();
        inLanes.Add(lanesLoop);
        inLanes.AddRange(vector.Reductions.Select(sum => new Line(ExpressionPrinter.Identifier(sum) + " += global::System.Numerics.Vector.Sum(" + names[sum] + ");")));
        inLanes.Add(CountedHeader(loop, counted, tripCount + " - " + lanes, start, iteration));
        // A loop shorter than a vector runs as written (VectorLoop's remarks say why).
        var asWritten = new List<Code> { CountedHeader(loop, counted, tripCount, start, new List<Code>(iteration)) };
        return new List<Code>
        {
            new Line("// " + i + " runs " + vector.Width + " iterations at a time down to the last few, then one at a time; a shorter loop runs as written"),
            new Line(lanes + " = " + vector.Iterations(tripCount) + ";"),
            new Nested("if (" + lanes + " == 0)", asWritten, inLanes),
        };
    }

    /// <summary>
    /// Whether the forward sweep keeps something for each iteration of the loop (an overwritten value,
    /// a branch taken, a trip count, a callee's residuals): only then does checkpointing save memory.
    /// </summary>
    private bool SavesEachIteration(Loop loop) =>
        Walk.Statements(loop.Body).Any(s => _context.IsSaved(s) || _context.IsUndone(s) || _context.SplitCalls.Contains(s)
            || (s is If && _context.HasRecord(s, "branch")) || (s is Loop or ForEach && _context.HasRecord(s, "iterations"))
            || (s is Declare or Assign && _context.SnapshotArrays(s is Declare d ? d.Initializer : ((Assign)s).Value).Count > 0));

    /// <summary>max(0, ⌈(end − start) / c⌉) for i &lt; end (one more before the division for &lt;=), in long so that it cannot overflow.</summary>
    internal static string TripCountText(CountedLoop counted, Binary condition, Expr bound)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        int step = System.Math.Abs(counted.Step);
        bool inclusive = condition.Op is BinaryOp.LessOrEqual or BinaryOp.GreaterOrEqual;
        int extra = inclusive ? step : step - 1; // rounds the division up; one more for <= and >=
        (Expr from, Expr to) = counted.Step > 0 ? (counted.Start, bound) : (bound, counted.Start);
        if (from is Literal { Text: "0" } && to is ArrayLength && counted.Step == 1 && !inclusive)
        {
            return ExpressionPrinter.Print(to); // for (i = 0; i < a.Length; i++) runs a.Length times
        }
        if (counted.Start is Literal { Text: var low } && bound is Literal { Text: var high }
            && long.TryParse(low, System.Globalization.NumberStyles.Integer, invariant, out long first)
            && long.TryParse(high, System.Globalization.NumberStyles.Integer, invariant, out long last))
        {
            // for (i = 0; i < 3; i++): the count is a constant.
            return TripCounts.Between(first, last, condition.Op, counted.Step).ToString(invariant);
        }
        string span = from is Literal { Text: "0" } ? "(long)" + Parenthesized(to) : "(long)" + Parenthesized(to) + " - " + Parenthesized(from);
        string numerator = extra == 0 ? span : span + " + " + extra.ToString(invariant);
        string divided = step == 1 ? numerator : "(" + numerator + ") / " + step.ToString(invariant);
        return "(int)global::System.Math.Max(0L, " + divided + ")";
    }

    internal static string Parenthesized(Expr expression) =>
        expression is Literal or Local ? ExpressionPrinter.Print(expression) : "(" + ExpressionPrinter.Print(expression) + ")";

    private string IterationVariable(object loop) => _context.Record(loop, "k", TypeRef.Int, "k", "0");

    /// <summary>Runs i back down: for step 1, i goes from start + count - 1 to start.</summary>
    private Nested CountedHeader(Loop loop, CountedLoop counted, string count, string start, List<Code> iteration)
    {
        string i = ExpressionPrinter.Identifier(counted.Index.Name);
        string offset = start == "0" ? string.Empty : start + " + ";
        if (counted.Step == 1)
        {
            return new Nested("for (" + i + " = " + offset + count + " - 1; " + i + " >= " + start + "; " + i + "--)", iteration);
        }
        if (counted.Step == -1)
        {
            return new Nested("for (" + i + " = " + start + " - " + count + " + 1; " + i + " <= " + start + "; " + i + "++)", iteration);
        }
        string k = IterationVariable(loop);
        iteration.Insert(0, new Line(i + " = " + offset + k + " * " + counted.Step.ToString(System.Globalization.CultureInfo.InvariantCulture) + ";"));
        return new Nested("for (" + k + " = " + count + " - 1; " + k + " >= 0; " + k + "--)", iteration);
    }

    private List<Code> ForEachBackward(ForEach loop, int depth)
    {
        List<Code> iteration = LoopBody(() => Block(loop.Body, depth + 1));
        if (iteration.Count == 0)
        {
            return iteration;
        }
        var code = new List<Code>();
        string count = _context.Record(loop, "iterations", TypeRef.Int, "iterations", "0");
        if (depth > 0)
        {
            code.Add(new Line(count + " = " + _context.Stack(TypeRef.Int) + ".Pop();"));
        }
        string k = IterationVariable(loop);
        code.Add(new Nested("for (" + k + " = " + count + "; " + k + " > 0; " + k + "--)", iteration));
        return code;
    }

    private Expr Read(Expr expression)
    {
        foreach (Expr e in Walk.Expressions(expression))
        {
            if (e is Local local)
            {
                if (_sites.Count == 0)
                {
                    _readsOutsideStatements.Add(local.Name);
                }
                else
                {
                    if (!_readsBySite.TryGetValue(_sites.Peek(), out HashSet<string>? site))
                    {
                        _readsBySite[_sites.Peek()] = site = new HashSet<string>();
                    }
                    site.Add(local.Name);
                }
            }
        }
        return expression;
    }

    public static string DefaultOf(TypeRef type) => type.Kind is ValueKind.Double or ValueKind.Float ? type.Zero : type.Kind == ValueKind.Unmanaged ? "default" : "default!";

    public static string Capitalize(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);
}
