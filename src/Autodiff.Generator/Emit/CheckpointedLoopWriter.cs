using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Autodiff.Generator.Model;
using Autodiff.Generator.Transforms;

namespace Autodiff.Generator.Emit;

/// <summary>
/// Prints a loop under <c>[LoopCheckpoints]</c> as a driver of the runtime's <c>LoopCheckpoints</c>
/// schedule, in two phases. The forward pass copies the loop's state where the schedule says, runs
/// iterations plainly (saving nothing), and runs the last one saving what its backward code reads.
/// The backward pass takes that iteration back, then follows the schedule to the loop's start:
/// restore a copy, run forward to the next iteration to take back, run it saving, take it back.
/// Only one iteration's saves exist at a time, beside at most n copies of the state.
/// </summary>
internal sealed class CheckpointedLoopWriter
{
    private const string Runtime = "global::Autodiff.Runtime";
    private const string Action = Runtime + ".CheckpointAction";

    private readonly MethodContext _context;
    private readonly Loop _loop;
    private readonly CheckpointedLoop _plan;

    public CheckpointedLoopWriter(MethodContext context, Loop loop, CheckpointedLoop plan)
    {
        _context = context;
        _loop = loop;
        _plan = plan;
    }

    private string Schedule => _context.Record(_loop, "checkpoints", new TypeRef(ValueKind.Other, Runtime + ".LoopCheckpoints"), "checkpoints", "null!");

    private string ActionVariable => _context.Record(_loop, "action", new TypeRef(ValueKind.Unmanaged, Action), "action", "default");

    private string Iteration => _context.Record(_loop, "iteration", TypeRef.Int, "iteration", "0");

    private string Copies(Local variable) =>
        _context.Record(_loop, "copies " + variable.Name, new TypeRef(ValueKind.Other, variable.Type.Name + (_plan.Arrays.Any(a => a.Name == variable.Name) ? "?[]" : "[]")),
            variable.Name + "Copies", "null!");

    /// <summary>The forward pass: the schedule up to the last iteration, run saving.</summary>
    public List<Code> ForwardPhase(string tripCount, List<Code> plain, List<Code> saving)
    {
        string schedule = Schedule;
        var code = new List<Code>
        {
            new Line("// " + ReverseSweep.Describe(_loop) + " (binomial checkpointing: at most " + _plan.Snapshots.ToString(CultureInfo.InvariantCulture)
                + " copies of the loop's state, iterations run again in the backward pass)"),
            new Line(schedule + " = new " + Runtime + ".LoopCheckpoints(" + tripCount + ", " + _plan.Snapshots.ToString(CultureInfo.InvariantCulture) + ");"),
        };
        foreach (Local scalar in _plan.Scalars)
        {
            code.Add(new Line(Copies(scalar) + " = new " + scalar.Type.Name + "[" + schedule + ".Slots];"));
        }
        foreach (Local array in _plan.Arrays)
        {
            // new double[slots][]: an array of copies, each allocated when first stored.
            string element = array.Type.Name.Substring(0, array.Type.Name.Length - 2);
            code.Add(new Line(Copies(array) + " = new " + element + "[" + schedule + ".Slots][];"));
        }
        string action = ActionVariable;
        var cases = new List<Code> { StoreCase(), AdvanceCase(plain), Case("Forward", IndexAt(schedule + ".Step").Concat(saving)) };
        code.Add(new Nested("for (" + action + " = " + schedule + ".Next(); " + action + " != " + Action + ".Reverse && " + action + " != " + Action + ".Done; "
            + action + " = " + schedule + ".Next())", new List<Code> { new Nested("switch (" + action + ")", cases) }));
        return code;
    }

    /// <summary>The backward pass: the last iteration taken back, then the rest of the schedule.</summary>
    public List<Code> ReversePhase(Deferred plain, Deferred saving, List<Code> reverse)
    {
        string schedule = Schedule;
        string action = ActionVariable;
        var cases = new List<Code>
        {
            StoreCase(),
            Case("Restore", _plan.Scalars.Select(s => (Code)new Line(ExpressionPrinter.Identifier(s.Name) + " = " + Copies(s) + "[" + schedule + ".Slot];"))
                .Concat(_plan.Arrays.Select(a => new Line(Runtime + ".LoopCheckpoints.Restore(" + Copies(a) + ", " + schedule + ".Slot, " + ExpressionPrinter.Identifier(a.Name) + ");")))),
            AdvanceCase(new List<Code> { plain }),
            Case("Forward", IndexAt(schedule + ".Step").Concat(new[] { saving })),
            Case("Reverse", IndexAt(schedule + ".Step").Concat(reverse)),
        };
        return new List<Code>
        {
            new Nested("for (" + action + " = " + schedule + ".Current; " + action + " != " + Action + ".Done; " + action + " = " + schedule + ".Next())",
                new List<Code> { new Nested("switch (" + action + ")", cases) }),
        };
    }

    /// <summary>The trip count the schedule was made for, for code that asks whether the loop ran.</summary>
    public string TripCount => Schedule + ".Steps";

    private Code StoreCase() =>
        Case("Store", _plan.Scalars.Select(s => (Code)new Line(Copies(s) + "[" + Schedule + ".Slot] = " + ExpressionPrinter.Identifier(s.Name) + ";"))
            .Concat(_plan.Arrays.Select(a => new Line(Runtime + ".LoopCheckpoints.Store(" + Copies(a) + ", " + Schedule + ".Slot, " + ExpressionPrinter.Identifier(a.Name) + ");"))));

    private Code AdvanceCase(List<Code> plain)
    {
        string k = Iteration;
        var body = new List<Code>(IndexAt(k));
        body.AddRange(plain);
        return Case("Advance", new[] { new Nested("for (" + k + " = " + Schedule + ".Step; " + k + " < " + Schedule + ".Target; " + k + "++)", body) });
    }

    private static Code Case(string action, IEnumerable<Code> body)
    {
        var statements = body.ToList();
        statements.Add(new Line("break;"));
        return new Nested("case " + Action + "." + action + ":", statements);
    }

    /// <summary>The loop's index at iteration k: start + k · step.</summary>
    private IEnumerable<Code> IndexAt(string k)
    {
        CountedLoop counted = _loop.Counted!;
        string step = counted.Step == 1 ? k : k + " * " + counted.Step.ToString(CultureInfo.InvariantCulture);
        string start = ExpressionPrinter.Print(counted.Start);
        string value = start == "0" ? step : (counted.Start is Literal or Local ? start : "(" + start + ")") + " + " + step;
        yield return new Line(ExpressionPrinter.Identifier(counted.Index.Name) + " = " + value + ";");
    }
}
