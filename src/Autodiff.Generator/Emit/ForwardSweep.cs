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
    private readonly MethodContext _context;

    public ForwardSweep(MethodContext context) => _context = context;

    public List<Code> Build() => Block(_context.Body, 0, topLevel: true);

    private List<Code> Block(Block block, int depth, bool topLevel)
    {
        var code = new List<Code>();
        foreach (Stmt statement in block.Statements)
        {
            Statement(statement, depth, topLevel, code);
        }
        return code;
    }

    private void Statement(Stmt statement, int depth, bool topLevel, List<Code> code)
    {
        switch (statement)
        {
            case Declare s:
            {
                string? value = SplitCallFirst(s, s.Variable, s.Initializer, depth, code);
                Save(s, s.Variable, depth, code);
                Snapshot(s, s.Initializer, depth, code);
                string name = ExpressionPrinter.Identifier(s.Variable.Name);
                if (topLevel && !_context.IsHoisted(s.Variable.Name))
                {
                    string initializer = s.Initializer is null ? ReverseSweep.DefaultOf(s.Variable.Type) : value ?? Value(s, s.Initializer);
                    code.Add(new Line(s.Variable.Type.Name + " " + name + " = " + initializer + ";"));
                }
                else if (s.Initializer is not null)
                {
                    code.Add(new Line(name + " = " + (value ?? Value(s, s.Initializer)) + ";"));
                }
                return;
            }
            case Assign s:
            {
                string? value = SplitCallFirst(s, s.Target, s.Value, depth, code);
                Save(s, s.Target, depth, code);
                Snapshot(s, s.Value, depth, code);
                code.Add(new Line(ControlFlow.Assignment(s.Target, s.Kind, s.Value, value ?? Value(s, s.Value)) + ";"));
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
        if (!_context.SplitCalls.Contains(site))
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
        if (!_context.IsSaved(site))
        {
            return;
        }
        string value = ExpressionPrinter.Print(target);
        if (depth > 0)
        {
            code.Add(new Line(_context.Stack(target.Type) + ".Push(" + value + ");"));
            return;
        }
        string variable = target is Element e ? e.Array.Name : ((Local)target).Name;
        string saved = _context.Record(site, "saved", target.Type, "saved" + ReverseSweep.Capitalize(variable), ReverseSweep.DefaultOf(target.Type));
        code.Add(new Line(saved + " = " + value + ";"));
    }

    /// <summary>Keeps a copy of each array the call is about to write into: its pullback reruns the callee on the array as it was.</summary>
    private void Snapshot(Stmt site, Expr? value, int depth, List<Code> code)
    {
        foreach ((int _, Local array) in _context.SnapshotArrays(value))
        {
            string copy = "(" + array.Type.Name + ")" + ExpressionPrinter.Identifier(array.Name) + ".Clone()";
            code.Add(new Line(depth > 0
                ? _context.Stack(array.Type) + ".Push(" + copy + ");"
                : _context.SnapshotOf(site, array) + " = " + copy + ";"));
        }
    }

    private void Branch(If statement, int depth, List<Code> code)
    {
        List<Code> then = Block(statement.Then, depth, false);
        List<Code> otherwise = Block(statement.Else, depth, false);
        Expr condition = statement.Condition;
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
            code.Add(new Line(_context.Stack(TypeRef.Bool) + ".Push(" + recorded + ");"));
        }
    }

    private void LoopForward(Loop loop, int depth, List<Code> code)
    {
        bool recorded = _context.HasRecord(loop, "iterations");
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
        body.AddRange(Block(loop.Body, depth + 1, false));
        ControlFlow.Loop(loop, initializer, body, Block(loop.Step, depth + 1, false), code);

        if (count is not null && depth > 0)
        {
            if (start is not null)
            {
                code.Add(new Line(_context.Stack(TypeRef.Int) + ".Push(" + start + ");"));
            }
            code.Add(new Line(_context.Stack(TypeRef.Int) + ".Push(" + count + ");"));
        }
    }

    private void ForEachForward(ForEach loop, int depth, List<Code> code)
    {
        bool recorded = _context.HasRecord(loop, "iterations");
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
        body.AddRange(Block(loop.Body, depth + 1, false));
        code.Add(ControlFlow.ForEach(loop, body));
        if (count is not null && depth > 0)
        {
            code.Add(new Line(_context.Stack(TypeRef.Int) + ".Push(" + count + ");"));
        }
    }

    private static Block Blocks(List<Stmt> statements) => Transforms.Blocks.Of(statements);
}
