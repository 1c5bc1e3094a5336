using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Emit;

/// <summary>
/// Builds the forward pass: the method's own computation, plus exactly what the reverse sweep
/// decided it needs — old values saved before the assignments that overwrite them, the outcome
/// of each branch and the trip count of each loop whose backward code is not empty. Outside
/// loops each of these is a local; inside loops it goes on a <c>SaveStack</c>. Nothing else is
/// recorded: no operations, no graph.
/// </summary>
internal sealed class ForwardSweep
{
    /// <summary>At most this many values on a stack the generated method keeps on its own stack frame.</summary>
    public const int MaxFixedStack = 128;

    private readonly MethodContext _context;

    // How many values each save stack receives at most: pushes times the trip counts of the
    // constant loops around them; null inside a loop whose count is only known at run time.
    private readonly Dictionary<string, long> _pushBounds = new();
    private readonly HashSet<string> _unbounded = new();
    private long? _repetitions = 1;

    // Printing a checkpointed loop's iterations as its backward pass runs them again: the method's
    // own statements only, with nothing saved or recorded.
    private bool _plain;

    // Inside a loop whose saves are counted before it runs, the count so far (see ReservedSaves).
    private ReservedSaves? _reservation;

    public ForwardSweep(MethodContext context) => _context = context;

    public List<Code> Build() => Block(_context.Body, 0, topLevel: true);

    /// <summary>A statement inside a loop as the method wrote it, nothing saved: a refill that the backward pass runs again (see <see cref="Transforms.RefilledArrays"/>).</summary>
    public List<Code> Plainly(Stmt statement)
    {
        var code = new List<Code>();
        _plain = true;
        Statement(statement, depth: 1, topLevel: false, code);
        _plain = false;
        return code;
    }

    /// <summary>
    /// After <see cref="Build"/>: the stacks of unmanaged values whose pushes are bounded by a
    /// small constant (every push sits in loops of constant trip counts), with that bound. They
    /// need no pooled storage: see <c>FixedSaveStack</c>.
    /// </summary>
    public Dictionary<string, int> FixedStacks()
    {
        var fixedStacks = new Dictionary<string, int>();
        foreach (KeyValuePair<string, string> stack in _context.Stacks)
        {
            if (!_unbounded.Contains(stack.Value) && _pushBounds.TryGetValue(stack.Value, out long bound) && bound is > 0 and <= MaxFixedStack
                && _context.StackType(stack.Value) is { Kind: ValueKind.Unmanaged or ValueKind.Double or ValueKind.Float })
            {
                fixedStacks[stack.Value] = (int)bound;
            }
        }
        return fixedStacks;
    }

    /// <summary>The line that pushes a value on the stack of its type, counted towards that stack's bound.</summary>
    private Line Push(TypeRef type, string value, Expr? saved = null)
    {
        string stack = _context.Stack(type);
        if (_repetitions is long repetitions)
        {
            _pushBounds[stack] = (_pushBounds.TryGetValue(stack, out long bound) ? bound : 0) + repetitions;
        }
        else
        {
            _unbounded.Add(stack);
        }
        _reservation?.CountPush(stack);
        return new Line(stack + ".Push(" + value + ");", saved is null ? null : new SavePush(stack, saved));
    }

    private List<Code> Block(Block block, int depth, bool topLevel)
    {
        var code = new List<Code>();
        for (int i = 0; i < block.Statements.Count; i++)
        {
            Statement(block.Statements[i], depth, topLevel, code);
            if (topLevel && !_plain && block.Statements[i] is Loop loop)
            {
                // The values the loop carries into calls after it, defined again past it.
                code.AddRange(LoopExitDefinitions.After(loop, block.Statements.Skip(i + 1), _context.TypeOf, v => new[] { ExpressionPrinter.Identifier(v) }));
            }
        }
        return code;
    }

    private void Statement(Stmt statement, int depth, bool topLevel, List<Code> code)
    {
        switch (statement)
        {
            case Declare s:
            {
                string? value = _plain ? null : SplitCallFirst(s, s.Variable, s.Initializer, depth, code);
                Save(s, s.Variable, depth, code);
                Snapshot(s, s.Initializer, depth, code);
                string name = ExpressionPrinter.Identifier(s.Variable.Name);
                if (topLevel && !_context.IsHoisted(s.Variable.Name))
                {
                    string initializer = s.Initializer is null ? ReverseSweep.DefaultOf(s.Variable.Type)
                        : _context.ScratchLocals.Contains(s.Variable.Name) && s.Initializer is NewArray array ? ScratchArrayText.Take(s.Variable.Type, array.Size)
                        : value ?? Value(s, s.Initializer);
                    code.Add(new Line(s.Variable.Type.Name + " " + name + " = " + initializer + ";"));
                }
                else if (s.Initializer is not null)
                {
                    code.Add(new Line(name + " = " + (value ?? Value(s, s.Initializer)) + ";", Plain(s, value, s.Variable, AssignKind.Set, s.Initializer)));
                }
                return;
            }
            case Assign s:
            {
                string? value = _plain ? null : SplitCallFirst(s, s.Target, s.Value, depth, code);
                Save(s, s.Target, depth, code);
                Snapshot(s, s.Value, depth, code);
                code.Add(new Line(ControlFlow.Assignment(s.Target, s.Kind, s.Value, value ?? Value(s, s.Value)) + ";", Plain(s, value, s.Target, s.Kind, s.Value)));
                return;
            }
            case Evaluate s:
                code.Add(new Line(ExpressionPrinter.Print(s.Expression) + ";"));
                return;
            case Throw s:
                code.Add(new Line("throw " + ExpressionPrinter.Print(s.Exception) + ";"));
                return;
            case If s:
                Branch(s, depth, code);
                return;
            case Loop s:
                LoopForward(s, depth, code);
                return;
            case ForEach s:
                ForEachForward(s, depth, code);
                return;
            default:
                throw ReverseSweep.Unlowered(statement);
        }
    }

    /// <summary>The assignment a line prints as the method wrote it (no split call's forward member in its place), for <see cref="VectorLoop"/>.</summary>
    private ScalarAssignment? Plain(Stmt site, string? splitValue, Expr target, AssignKind kind, Expr value) =>
        splitValue is null && (_plain || !_context.SplitCalls.Contains(site)) ? new ScalarAssignment(target, kind, value) : null;

    /// <summary>
    /// A split call whose target's old value is saved on a stack: the call goes first, into a local,
    /// and the old value after it. The backward pass restores the target before it runs the callee's
    /// backward pass, so the old value must sit above what the callee left when the two share a
    /// stack (in the split members, whose saves go on the residuals too). Returns that local, or null.
    /// </summary>
    private string? SplitCallFirst(Stmt site, Expr target, Expr? value, int depth, List<Code> code)
    {
        if (value is null || depth == 0 || !_context.SplitCalls.Contains(site) || !_context.IsSaved(site))
        {
            return null;
        }
        string local = _context.Record(site, "call value", target.Type, "callValue", ReverseSweep.DefaultOf(target.Type));
        code.Add(new Line(local + " = " + Value(site, value) + ";"));
        return local;
    }

    /// <summary>
    /// The value an assignment stores; a call whose backward pass the reverse sweep runs in split mode
    /// calls the callee's forward pass instead, which also leaves what that backward pass reads.
    /// </summary>
    private string Value(Stmt site, Expr value)
    {
        if (_plain || !_context.SplitCalls.Contains(site))
        {
            return ExpressionPrinter.Print(value);
        }
        var call = (Invocation)value;
        string printed = ExpressionPrinter.Print(call with { Callee = call.Callee with { Printed = SplitMode.Member(call.Callee, SplitMode.ForwardSuffix) } });
        return printed.Substring(0, printed.Length - 1) + (call.Arguments.Count == 0 ? string.Empty : ", ") + _context.ResidualsName + ")";
    }

    /// <summary>Saves the value an assignment is about to overwrite, when the backward pass will need it back.</summary>
    private void Save(Stmt site, Expr target, int depth, List<Code> code)
    {
        if (_plain || !_context.IsSaved(site))
        {
            return;
        }
        string value = ExpressionPrinter.Print(target);
        if (depth > 0)
        {
            code.Add(Push(target.Type, value, target));
            return;
        }
        string variable = target is Element e ? e.Array.Name : ((Local)target).Name;
        string saved = _context.Record(site, "saved", target.Type, "saved" + ReverseSweep.Capitalize(variable), ReverseSweep.DefaultOf(target.Type));
        code.Add(new Line(saved + " = " + value + ";"));
    }

    /// <summary>Keeps a copy of each array the call is about to write into: its pullback reruns the callee on the array as it was.</summary>
    private void Snapshot(Stmt site, Expr? value, int depth, List<Code> code)
    {
        if (_plain)
        {
            return;
        }
        foreach ((int _, Local array) in _context.SnapshotArrays(value))
        {
            string copy = "(" + array.Type.Name + ")" + ExpressionPrinter.Identifier(array.Name) + ".Clone()";
            code.Add(depth > 0 ? Push(array.Type, copy) : new Line(_context.SnapshotOf(site, array) + " = " + copy + ";"));
        }
    }

    private void Branch(If statement, int depth, List<Code> code)
    {
        _reservation?.EnterUncounted();
        List<Code> then = Block(statement.Then, depth, false);
        List<Code> otherwise = Block(statement.Else, depth, false);
        _reservation?.Leave();
        Expr condition = statement.Condition;
        if (_plain)
        {
            code.Add(ControlFlow.If(condition, then, otherwise));
            return;
        }
        if (_context.HasRecord(statement, "branch"))
        {
            string branch = _context.Record(statement, "branch", TypeRef.Bool, "branch", "false");
            code.Add(new Line(branch + " = " + ExpressionPrinter.Print(condition) + ";"));
            condition = new Local(TypeRef.Bool, branch);
        }
        code.Add(ControlFlow.If(condition, then, otherwise));
        if (!_context.HasRecord(statement, "branch"))
        {
            return;
        }
        string recorded = _context.Record(statement, "branch", TypeRef.Bool, "branch", "false");
        if (depth > 0)
        {
            code.Add(Push(TypeRef.Bool, recorded));
        }
    }

    private void LoopForward(Loop loop, int depth, List<Code> code)
    {
        if (depth == 0 && _context.ReversedCheckpointedLoops.Contains(loop) && _context.Checkpointed(loop) is { } plan)
        {
            CheckpointedLoopForward(loop, plan, code);
            return;
        }
        ReservedSaves? reserving = _reservation is null && !_plain ? ReservedSaves.Around(loop, _context) : null;
        _reservation ??= reserving;
        int first = code.Count;
        bool recorded = !_plain && _context.HasRecord(loop, "iterations");
        string? count = recorded ? _context.Record(loop, "iterations", TypeRef.Int, "iterations", "0") : null;
        string? start = recorded && loop.Counted is { Start: not Literal } ? _context.Record(loop, "start", TypeRef.Int, "start", "0") : null;
        if (count is not null)
        {
            code.Add(new Line(count + " = 0;"));
        }
        var initializer = new List<Code>();
        if (start is not null)
        {
            // The backward pass recomputes the index from where it started.
            code.Add(new Line(start + " = " + ExpressionPrinter.Print(loop.Counted!.Start) + ";"));
            var rest = loop.Initializer.Statements.Skip(1).ToList();
            initializer.Add(new Line(ExpressionPrinter.Identifier(loop.Counted.Index.Name) + " = " + start + ";"));
            initializer.AddRange(Block(Blocks(rest), depth, false));
        }
        else
        {
            initializer.AddRange(Block(loop.Initializer, depth, false));
        }

        var body = new List<Code>();
        if (count is not null)
        {
            body.Add(new Line(count + "++;"));
        }
        long? outside = _repetitions;
        _repetitions = Transforms.TripCounts.Constant(loop) is int trips && outside * trips <= int.MaxValue ? outside * trips : null;
        _reservation?.EnterIterations(loop);
        body.AddRange(Block(loop.Body, depth + 1, false));
        List<Code> step = Block(loop.Step, depth + 1, false);
        _reservation?.Leave();
        _repetitions = outside;
        if (count is null && Vectorised(loop, initializer, body, step) is { } vectorised)
        {
            code.AddRange(vectorised);
        }
        else
        {
            ControlFlow.Loop(loop, initializer, body, step, code);
        }

        if (count is not null && depth > 0)
        {
            if (start is not null)
            {
                code.Add(Push(TypeRef.Int, start));
            }
            code.Add(Push(TypeRef.Int, count));
        }
        if (reserving is not null)
        {
            _reservation = null;
            List<Code> loopCode = code.GetRange(first, code.Count - first);
            code.RemoveRange(first, code.Count - first);
            code.AddRange(reserving.Reserved(loopCode));
        }
    }

    /// <summary>
    /// A counted loop of plain arithmetic run <c>Vector&lt;T&gt;.Count</c> iterations at a time (see
    /// <see cref="VectorLoop"/>), then one at a time to its end (see <see cref="VectorLoop.Iterations"/>).
    /// Null when the loop does not qualify.
    /// </summary>
    private List<Code>? Vectorised(Loop loop, List<Code> initializer, List<Code> body, List<Code> step)
    {
        if (!VectorLoop.Qualifies(loop, _context) || initializer.Count != 1 || step.Count != 1
            || initializer[0] is not Line { Text: var init } || step[0] is not Line { Text: var increment }
            || VectorLoop.Of(body, loop.Counted!.Index.Name, backward: false, _context.DistinctArrays()) is not { } vector)
        {
            return null;
        }
        Dictionary<string, string> names = vector.VectorLocals(_context, loop);
        string index = ExpressionPrinter.Identifier(loop.Counted.Index.Name);
        string lanes = _context.Record(loop, "vector iterations", TypeRef.Int, "vectorIterations", "0");
        string tripCount = ReverseSweep.TripCountText(loop.Counted, (Binary)loop.Condition!, _context.TripCountBound(loop)!);
        // A loop shorter than a vector runs as written (VectorLoop's remarks say why).
        var asWritten = new List<Code>();
        ControlFlow.Loop(loop, initializer, new List<Code>(body), step, asWritten);
        var inLanes = new List<Code>
        {
            new Nested("for (" + init.TrimEnd(';') + "; " + index + " < " + VectorLoop.Plus(ReverseSweep.Parenthesized(loop.Counted.Start), lanes) + "; " + index + " += " + vector.Width + ")", vector.Body(names)),
            new Nested("for (; " + ExpressionPrinter.Print(loop.Condition!) + "; " + increment.TrimEnd(';') + ")", body),
        };
        return new List<Code>
        {
            new Line("// " + index + " runs " + vector.Width + " iterations at a time, then one at a time to the end; a shorter loop runs as written"),
            new Line(lanes + " = " + vector.Iterations(tripCount) + ";"),
            new Nested("if (" + lanes + " == 0)", asWritten, inLanes),
        };
    }

    /// <summary>
    /// A loop under [LoopCheckpoints]: its iterations printed twice (plainly, and saving what the
    /// backward code reads), for the schedule here and in the reverse sweep. One iteration's saves
    /// exist at a time, so the loop does not multiply the bound of the stacks' sizes.
    /// </summary>
    private void CheckpointedLoopForward(Loop loop, Transforms.CheckpointedLoop plan, List<Code> code)
    {
        _plain = true;
        List<Code> plain = Block(loop.Body, 1, false);
        _plain = false;
        List<Code> saving = Block(loop.Body, 1, false);
        _context.CheckpointedIterations[loop] = (plain, saving);
        string tripCount = ReverseSweep.TripCountText(loop.Counted!, (Binary)loop.Condition!, _context.TripCountBound(loop)!);
        code.AddRange(new CheckpointedLoopWriter(_context, loop, plan).ForwardPhase(tripCount, plain, saving));
    }

    private void ForEachForward(ForEach loop, int depth, List<Code> code)
    {
        bool recorded = !_plain && _context.HasRecord(loop, "iterations");
        string? count = recorded ? _context.Record(loop, "iterations", TypeRef.Int, "iterations", "0") : null;
        if (count is not null)
        {
            code.Add(new Line(count + " = 0;"));
        }
        var body = new List<Code>();
        if (count is not null)
        {
            body.Add(new Line(count + "++;"));
        }
        long? outside = _repetitions;
        _repetitions = null; // as many times as the array has elements
        _reservation?.EnterUncounted();
        body.AddRange(Block(loop.Body, depth + 1, false));
        _reservation?.Leave();
        _repetitions = outside;
        code.Add(ControlFlow.ForEach(loop, body));
        if (count is not null && depth > 0)
        {
            code.Add(Push(TypeRef.Int, count));
        }
    }

    private static Block Blocks(List<Stmt> statements) => Transforms.Blocks.Of(statements);
}
