using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// The middle end's output for one <c>[Differentiable]</c> method (see <see cref="MiddleEnd"/>):
/// the lowered, flattened body and every fact about it that does not depend on which member is
/// generated from it. The emitters read it and never change it; what they decide per member (names
/// of generated locals, the save plan their sweeps settle on) lives in their own context.
/// </summary>
internal sealed class AnalysedMethod
{
    private readonly Dictionary<string, TypeRef> _variableTypes = new();
    private readonly List<string> _variableOrder = new();
    private readonly HashSet<string> _hoisted = new();
    private readonly Dictionary<Stmt, bool> _mayOverwrite = new(SameStatement.Instance);
    private readonly HashSet<string> _countedIndices = new();
    private readonly Dictionary<Stmt, Expr> _tripCountBounds = new(SameStatement.Instance);
    private readonly Dictionary<Stmt, string> _rewrittenArrays = new(SameStatement.Instance);
    private readonly Dictionary<Stmt, CheckpointedLoop> _checkpointedLoops;
    private readonly Dictionary<Stmt, List<Loop>> _refills;
    private readonly HashSet<Stmt> _refillWrites = new(SameStatement.Instance);
    private readonly Dictionary<Stmt, List<ReplayedIntegers.Replay>> _replays;
    private readonly HashSet<Stmt> _replayedDeclarations = new(SameStatement.Instance);

    public AnalysedMethod(MethodSpec spec, Block body, Local result, Activity activity, Activity tangentActivity,
        ArrayWrites writes, HashSet<string> writtenParameters, Dictionary<Stmt, CheckpointedLoop> checkpointedLoops)
    {
        _checkpointedLoops = checkpointedLoops;
        Spec = spec;
        Body = body;
        Result = result;
        Activity = activity;
        TangentActivity = tangentActivity;
        Writes = writes;
        WrittenParameters = writtenParameters;
        ParameterNames = new HashSet<string>(spec.Inputs().Select(p => p.Name));
        foreach (ParameterSpec parameter in spec.Inputs())
        {
            Note(parameter.Name, parameter.Type);
        }
        Visit(body, loopDepth: 0, topLevel: true, new HashSet<string>(ParameterNames));
        FixedVariables = Transforms.FixedVariables.Of(body, spec.Inputs());
        PrivateArrays = Transforms.PrivateArrays.Of(body);
        Dictionary<string, Expr> allocatedSizes = WholeArrayWrites.AllocatedSizes(body, FixedVariables);
        foreach (Loop loop in Walk.Statements(body).OfType<Loop>())
        {
            if (TripCounts.RecomputableBound(loop, FixedVariables) is { } bound)
            {
                _tripCountBounds[loop] = bound;
            }
            if (WholeArrayWrites.RewrittenArray(loop, FixedVariables, allocatedSizes) is { } array)
            {
                _rewrittenArrays[loop] = array;
            }
        }
        _refills = RefilledArrays.Of(body, new RefilledArrays.AnalysedFacts(FixedVariables, PrivateArrays, ParameterNames, writtenParameters.Count,
            RewrittenArray, loop => CheckpointOf(loop) is not null));
        foreach (Loop fill in _refills.Values.SelectMany(fills => fills))
        {
            _refillWrites.Add(RefilledArrays.WriteOf(fill)!);
        }
        _replays = ReplayedIntegers.Of(body, new ReplayedIntegers.AnalysedFacts(FixedVariables, TripCountBound, loop => CheckpointOf(loop) is not null));
        foreach (ReplayedIntegers.Replay replay in _replays.Values.SelectMany(replays => replays))
        {
            _replayedDeclarations.Add(replay.Declaration);
        }
    }

    public MethodSpec Spec { get; }

    /// <summary>The body after jump lowering, foreach separation and flattening (one operation per statement).</summary>
    public Block Body { get; }

    /// <summary>The local holding the value the method returns once <see cref="Body"/> has run.</summary>
    public Local Result { get; }

    /// <summary>Which values depend on an input and reach an output (reverse mode's activity).</summary>
    public Activity Activity { get; }

    /// <summary>Forward mode's activity: a step function's result is a constant there.</summary>
    public Activity TangentActivity { get; }

    public ArrayWrites Writes { get; }

    /// <summary>The array parameters the method writes into (itself or through the methods it calls).</summary>
    public HashSet<string> WrittenParameters { get; }

    public HashSet<string> ParameterNames { get; }

    /// <summary>Variables that hold one value (name one array) for the whole method: readable anywhere without restoring.</summary>
    public HashSet<string> FixedVariables { get; }

    /// <summary>Local arrays no other variable can name (see <see cref="Transforms.PrivateArrays"/>).</summary>
    public HashSet<string> PrivateArrays { get; }

    /// <summary>Parameters, then locals in the order the body declares them.</summary>
    public IReadOnlyList<string> Variables => _variableOrder;

    public TypeRef TypeOf(string variable) => _variableTypes.TryGetValue(variable, out TypeRef? type) ? type : TypeRef.Double;

    /// <summary>Whether a local is declared below the top level: it is declared once at the method's top instead, so the backward pass sees it.</summary>
    public bool IsHoisted(string name) => _hoisted.Contains(name);

    public bool IsCountedIndex(string name) => _countedIndices.Contains(name);

    /// <summary>
    /// Whether an assignment may overwrite a value assigned before it: it is in a loop, or assigns a
    /// parameter, or another assignment of the same variable comes earlier. Only such assignments
    /// need their old value saved, and their target's adjoint reset afterwards.
    /// </summary>
    public bool MayOverwrite(Stmt site) => !_mayOverwrite.TryGetValue(site, out bool value) || value;

    /// <summary>The bound of a counted loop whose trip count the backward pass recomputes, or null (see <see cref="TripCounts"/>).</summary>
    public Expr? TripCountBound(Loop loop) => _tripCountBounds.TryGetValue(loop, out Expr? bound) ? bound : null;

    /// <summary>The array a loop gives every element of a new value, or null (see <see cref="WholeArrayWrites"/>).</summary>
    public string? RewrittenArray(Stmt loop) => _rewrittenArrays.TryGetValue(loop, out string? array) ? array : null;

    /// <summary>The loops that refill a scratch array at the start of each iteration of this loop, which its backward pass runs again instead of restoring the array (see <see cref="RefilledArrays"/>).</summary>
    public IReadOnlyList<Loop> RefillsOf(Stmt loop) => _refills.TryGetValue(loop, out List<Loop>? fills) ? fills : System.Array.Empty<Loop>();

    /// <summary>Whether an element assignment is such a refill: its overwritten values are never saved.</summary>
    public bool IsRefill(Stmt write) => _refillWrites.Contains(write);

    /// <summary>The integers each iteration of this loop declares and steps, which its backward pass computes again instead of restoring (see <see cref="ReplayedIntegers"/>).</summary>
    public IReadOnlyList<ReplayedIntegers.Replay> ReplaysOf(Stmt loop) =>
        _replays.TryGetValue(loop, out List<ReplayedIntegers.Replay>? replays) ? replays : System.Array.Empty<ReplayedIntegers.Replay>();

    /// <summary>Whether a declaration is such an integer's: the value it overwrites is never saved.</summary>
    public bool IsReplayed(Stmt declaration) => _replayedDeclarations.Contains(declaration);

    /// <summary>The state and budget of a top-level loop under <c>[LoopCheckpoints]</c>, or null (see <see cref="LoopCheckpointing"/>).</summary>
    public CheckpointedLoop? CheckpointOf(Stmt loop) => _checkpointedLoops.TryGetValue(loop, out CheckpointedLoop? state) ? state : null;

    private void Note(string name, TypeRef type)
    {
        if (!_variableTypes.ContainsKey(name))
        {
            _variableOrder.Add(name);
        }
        _variableTypes[name] = type;
    }

    private void Visit(Block block, int loopDepth, bool topLevel, HashSet<string> seen)
    {
        foreach (Stmt statement in block.Statements)
        {
            switch (statement)
            {
                case Declare s:
                    Note(s.Variable.Name, s.Variable.Type);
                    if (!topLevel)
                    {
                        _hoisted.Add(s.Variable.Name);
                    }
                    // "double y;" assigns nothing: the first real assignment may come later.
                    _mayOverwrite[s] = loopDepth > 0 || (s.Initializer is not null && !seen.Add(s.Variable.Name));
                    break;
                case Assign { Target: Local target } s:
                    _mayOverwrite[s] = loopDepth > 0 || !seen.Add(target.Name);
                    break;
                case If s:
                    // The branches exclude each other: what one assigns is not overwritten by the other.
                    var thenSeen = new HashSet<string>(seen);
                    Visit(s.Then, loopDepth, false, thenSeen);
                    Visit(s.Else, loopDepth, false, seen);
                    seen.UnionWith(thenSeen);
                    break;
                case Loop s:
                    if (s.Counted is { } counted)
                    {
                        _countedIndices.Add(counted.Index.Name);
                    }
                    Visit(s.Initializer, loopDepth, false, seen);
                    Visit(s.Body, loopDepth + 1, false, seen);
                    Visit(s.Step, loopDepth + 1, false, seen);
                    break;
                case ForEach s:
                    Visit(s.Body, loopDepth + 1, false, seen);
                    break;
            }
        }
    }
}
