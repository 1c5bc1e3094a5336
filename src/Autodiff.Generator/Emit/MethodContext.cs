using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Generator.Model;
using Autodiff.Generator.Transforms;

namespace Autodiff.Generator.Emit;

/// <summary>
/// What the forward and reverse sweeps of one method share: the analysed body, the names of
/// generated locals, and the per-statement decisions (is this assignment saved, is this branch
/// recorded) that one sweep makes and the other must mirror exactly.
/// </summary>
internal sealed class MethodContext
{
    private readonly Dictionary<string, string> _adjoints = new();
    private readonly Dictionary<SiteKey, string> _records = new();
    private readonly Dictionary<string, string> _stacks = new();
    private readonly Dictionary<string, TypeRef> _stackTypes = new();
    private readonly Dictionary<string, string> _sinks = new();
    private HashSet<Stmt> _overwritesToSave = new(SameStatement.Instance);

    /// <param name="activity">The method's reverse-mode or forward-mode activity, for the member this context is for.</param>
    public MethodContext(AnalysedMethod method, Activity activity, RuleSet rules, NameAllocator names)
    {
        Method = method;
        Activity = activity;
        Rules = rules;
        Names = names;
    }

    /// <summary>The middle end's output, which this member's sweeps read.</summary>
    public AnalysedMethod Method { get; }

    public MethodSpec Spec => Method.Spec;
    public Block Body => Method.Body;

    private Dictionary<Stmt, string>? _trigCompanions;

    /// <summary>Sines and cosines whose partner of the same angle the forward pass computed earlier (<see cref="Transforms.TrigCompanions"/>).</summary>
    public Dictionary<Stmt, string> TrigCompanions => _trigCompanions ??= Transforms.TrigCompanions.Of(Method.Body);

    private Dictionary<Stmt, string>? _reverseTrigCompanions;

    /// <summary>As <see cref="TrigCompanions"/>, and for the reverse sweep also partners computed later that hold one value for the whole method.</summary>
    public Dictionary<Stmt, string> ReverseTrigCompanions => _reverseTrigCompanions ??= Transforms.TrigCompanions.Of(Method.Body, Method.FixedVariables);
    public Local Result => Method.Result;
    public Activity Activity { get; }
    public RuleSet Rules { get; }
    public ArrayWrites Writes => Method.Writes;

    public NameAllocator Names { get; }

    /// <summary>
    /// The arrays that an assigned call writes into and that carry a gradient: the forward sweep keeps
    /// their contents from before the call, which the pullback needs (it reruns the callee's forward).
    /// </summary>
    public List<(int Index, Local Array)> SnapshotArrays(Expr? value) =>
        value is Invocation call
            ? Writes.WrittenBy(call).Where(w => Activity.IsActive(w.Array.Name)).ToList()
            : new List<(int Index, Local Array)>();

    /// <summary>The local that holds an array's contents from before the call at this site (outside loops).</summary>
    public string SnapshotOf(Stmt site, Local array) =>
        Record(site, "snapshot " + array.Name, array.Type, array.Name.Replace(ParameterSpec.FieldPrefix, string.Empty) + "BeforeCall", "default!");
    public HashSet<string> ParameterNames => Method.ParameterNames;

    /// <summary>Variables that hold one value (name one array) for the whole method: readable anywhere without restoring.</summary>
    public HashSet<string> FixedVariables => Method.FixedVariables;

    /// <summary>The gradients object of a model method's entry point, passed on to the model's other methods.</summary>
    public string? GradientsName { get; set; }

    /// <summary>The array parameters the method writes into (itself or through the methods it calls).</summary>
    public HashSet<string> WrittenParameters => Method.WrittenParameters;

    /// <summary>The generated pullbacks of other [Differentiable] methods that this method's backward pass calls.</summary>
    public List<PullbackCall> PullbackCalls { get; } = new();

    /// <summary>
    /// The method's local arrays this entry point takes from <c>ScratchArrays</c> and gives back at its
    /// end (see <see cref="Transforms.ScratchLocals"/>): the joint gradient and pullback only, since the
    /// split forward pass leaves what it computes to its backward pass.
    /// </summary>
    public HashSet<string> ScratchLocals { get; set; } = new();

    /// <summary>
    /// The checkpointing plan of a top-level loop under <c>[LoopCheckpoints]</c>, or null. The split
    /// members (whose saves go on the caller's residuals) keep every iteration instead; callers of such
    /// a method call its pullback anyway, as they do a [Checkpoint] method's.
    /// </summary>
    public Transforms.CheckpointedLoop? Checkpointed(Stmt loop) => SavesIntoResiduals ? null : Method.CheckpointOf(loop);

    /// <summary>
    /// A checkpointed loop's iterations as the forward sweep prints them, run plainly and saving what
    /// the backward code reads, for the reverse sweep's schedule; set by the forward sweep.
    /// </summary>
    public Dictionary<Stmt, (List<Code> Plain, List<Code> Saving)> CheckpointedIterations { get; } = new(Transforms.SameStatement.Instance);

    /// <summary>Whether the backward pass sets the variable back to earlier values by restoring copies of a checkpointed loop's state.</summary>
    public bool RestoredByCheckpoints(string variable) =>
        ReversedCheckpointedLoops.Select(Checkpointed).Any(plan => plan is not null
            && (plan.Scalars.Any(v => v.Name == variable) || plan.Arrays.Any(a => a.Name == variable)));

    /// <summary>The checkpointed loops whose reverse sweep has backward code: the forward sweep runs their schedule; the others it runs plainly.</summary>
    public HashSet<Stmt> ReversedCheckpointedLoops { get; } = new(Transforms.SameStatement.Instance);

    /// <summary>Tensor adjoints that exist when the backward pass starts (the seed, the caller's accumulators).</summary>
    public HashSet<string> AllocatedAdjoints { get; } = new();

    /// <summary>Variables the reverse sweep reads (as far as its last build said); null before <see cref="PlanSaves"/>.</summary>
    public HashSet<string>? ToBeRecorded { get; private set; }

    /// <summary>Whether a local is declared below the top level: it is declared once at the method's top instead, so the backward pass sees it.</summary>
    public bool IsHoisted(string name) => Method.IsHoisted(name);

    /// <summary>Generated locals (records, saved values, sinks) with their types, in order of creation.</summary>
    public List<(TypeRef Type, string Name, string Initializer)> GeneratedLocals { get; } = new();

    public IEnumerable<KeyValuePair<string, string>> Stacks => _stacks.OrderBy(s => s.Value, System.StringComparer.Ordinal);

    /// <summary>Parameters, then locals in the order the body declares them.</summary>
    public IReadOnlyList<string> Variables => Method.Variables;

    /// <summary>Scalar accumulators for arguments that need no gradient, by type name.</summary>
    public IEnumerable<KeyValuePair<string, string>> Sinks => _sinks.OrderBy(s => s.Value, System.StringComparer.Ordinal);

    public string Sink(TypeRef type)
    {
        if (!_sinks.TryGetValue(type.Name, out string? name))
        {
            name = Names.Claim(type.Kind == ValueKind.Float ? "unusedGradientF" : "unusedGradient");
            _sinks.Add(type.Name, name);
        }
        return name;
    }

    public TypeRef TypeOf(string variable) => Method.TypeOf(variable);

    public bool IsCountedIndex(string name) => Method.IsCountedIndex(name);

    /// <summary>The adjoint ("gradient of") variable of a variable: d + its name.</summary>
    public string Adjoint(string variable)
    {
        if (!_adjoints.TryGetValue(variable, out string? name))
        {
            name = Names.Claim("d" + variable.Replace(ParameterSpec.FieldPrefix, string.Empty));
            _adjoints.Add(variable, name);
        }
        return name;
    }

    public void SetAdjoint(string variable, string name) => _adjoints[variable] = name;

    /// <summary>
    /// Arrays that are certainly different objects from every other array the code names: the
    /// method's private arrays (see <see cref="Transforms.PrivateArrays"/>) and the adjoints this
    /// member allocates for them (parameters' adjoints may be the caller's arrays, so they are not).
    /// </summary>
    public HashSet<string> DistinctArrays()
    {
        var distinct = new HashSet<string>(Method.PrivateArrays);
        foreach (string array in Method.PrivateArrays)
        {
            if (_adjoints.TryGetValue(array, out string? adjoint) && !ParameterNames.Contains(array))
            {
                distinct.Add(adjoint);
            }
        }
        return distinct;
    }

    /// <summary>Adjoints that belong to the caller or a gradients object, or start at the seed, are never declared by the backward pass.</summary>
    public HashSet<string> PredeclaredAdjoints { get; } = new();

    public bool CanDeclareInline(string adjoint) => !PredeclaredAdjoints.Contains(adjoint);

    /// <summary>A generated local tied to one statement (a branch record, a saved value...), made once.</summary>
    public string Record(object site, string role, TypeRef type, string preferred, string initializer)
    {
        var key = new SiteKey(site, role);
        if (!_records.TryGetValue(key, out string? name))
        {
            name = Names.Claim(preferred);
            _records.Add(key, name);
            GeneratedLocals.Add((type, name, initializer));
        }
        return name;
    }

    public bool HasRecord(object site, string role) => _records.ContainsKey(new SiteKey(site, role));

    /// <summary>The stack that saves values of a type inside loops, e.g. doubleSaves.</summary>
    public string Stack(TypeRef type)
    {
        if (SavesIntoResiduals)
        {
            return ResidualStack(type);
        }
        if (!_stacks.TryGetValue(type.Name, out string? name))
        {
            string stem = type.Name.Substring(type.Name.LastIndexOf('.') + 1).Replace("[]", "Array").Replace("?", string.Empty);
            name = Names.Claim(char.ToLowerInvariant(stem[0]) + stem.Substring(1) + "Saves");
            _stacks.Add(type.Name, name);
            _stackTypes.Add(name, type);
        }
        return name;
    }

    /// <summary>The type of the values a stack named by <see cref="Stack"/> holds.</summary>
    public TypeRef StackType(string stack) => _stackTypes[stack];

    /// <summary>In the split members, the saves go on the caller's residuals, which outlive the forward pass.</summary>
    public bool SavesIntoResiduals { get; set; }

    /// <summary>The residuals' name in this entry point (see <see cref="EntryNames.Residuals"/>).</summary>
    public string ResidualsName { get; set; } = "residuals";

    /// <summary>Which other methods are called in split mode by some [Differentiable] method (they have split members), by rule key.</summary>
    public HashSet<string> SplitCallees { get; init; } = new();

    /// <summary>
    /// The call statements whose callee's backward pass this method runs in split mode: the forward
    /// sweep calls the callee's forward pass there, the reverse sweep its backward pass. Filled by the
    /// reverse sweep, read by the forward sweep, so the two always pair up.
    /// </summary>
    public HashSet<Stmt> SplitCalls { get; } = new(SameStatement.Instance);

    /// <summary>The residuals' stack for a type: a typed field for the common ones, else one kept per type.</summary>
    public string ResidualStack(TypeRef type) => type.Name switch
    {
        "double" => ResidualsName + ".Doubles",
        "float" => ResidualsName + ".Floats",
        "int" => ResidualsName + ".Ints",
        "long" => ResidualsName + ".Longs",
        "bool" => ResidualsName + ".Bools",
        _ => ResidualsName + ".Of<" + type.Name + ">()",
    };

    public bool MayOverwrite(Stmt site) => Method.MayOverwrite(site);

    /// <summary>
    /// Decides, from what the backward code of each statement reads, which assignments overwrite a
    /// value that is read later (the to-be-recorded analysis); the sweeps are then built again.
    /// </summary>
    public void PlanSaves(IReadOnlyDictionary<Stmt, HashSet<string>> readsBySite, IReadOnlyCollection<string> readsAtStart)
    {
        ToBeRecorded = new HashSet<string>(readsAtStart.Concat(readsBySite.Values.SelectMany(reads => reads)));
        // A checkpointed loop's iterations run again in the backward pass, in code printed after this
        // plan (its reads are in no statement's): what they read is read by the backward pass too, so
        // a later write of it (var[0] += e, which a running sum would not save) must save.
        foreach (Loop loop in Transforms.Walk.Statements(Body).OfType<Loop>())
        {
            if (Checkpointed(loop) is { } checkpointed)
            {
                ToBeRecorded.UnionWith(checkpointed.Reads);
            }
        }
        _overwritesToSave = Transforms.ToBeRecorded.OverwritesToSave(Body, readsBySite, readsAtStart,
            Method.RewrittenArray, loop => Checkpointed(loop)?.Reads, Method.IsRefill);
    }

    /// <summary>The bound of a counted loop whose trip count the backward pass recomputes, or null (see <see cref="TripCounts"/>).</summary>
    public Expr? TripCountBound(Loop loop) => Method.TripCountBound(loop);

    /// <summary>Whether the forward sweep saves the old value at this assignment (and the reverse restores it).</summary>
    public bool IsSaved(Stmt site) => NeedsOldValue(site) && !IsSteppedInteger(site);

    /// <summary>Whether the reverse sweep gets the old value back by stepping the integer back instead of saving it.</summary>
    public bool IsUndone(Stmt site) => IsSteppedInteger(site) && NeedsOldValue(site);

    /// <summary>
    /// An integer stepped by a constant or by a variable that never changes (<c>index++</c>,
    /// <c>offset += d</c>). Integer addition is exact and invertible (wrapping included), so
    /// <c>index--</c> in the backward pass restores exactly what was there.
    /// </summary>
    private bool IsSteppedInteger(Stmt site) =>
        site is Assign { Target: Local target, Kind: AssignKind.Add or AssignKind.Subtract, Value: var step }
        && target.Type == TypeRef.Int
        && step.Type == TypeRef.Int
        && (step is Literal || step is Local steppedBy && steppedBy.Name != target.Name && FixedVariables.Contains(steppedBy.Name));

    private bool NeedsOldValue(Stmt site)
    {
        if (ToBeRecorded is null)
        {
            return false;
        }
        return site switch
        {
            Declare s => ToBeRecorded.Contains(s.Variable.Name) && MayOverwrite(site) && !IsCountedIndex(s.Variable.Name) && _overwritesToSave.Contains(site)
                && !Method.IsReplayed(site),
            Assign { Target: Local target } => ToBeRecorded.Contains(target.Name) && MayOverwrite(site) && !IsCountedIndex(target.Name) && _overwritesToSave.Contains(site),
            Assign { Target: Element target } => ToBeRecorded.Contains(target.Array.Name) && _overwritesToSave.Contains(site),
            _ => false,
        };
    }

    /// <summary>A statement (by identity) and the role of a generated local tied to it.</summary>
    private readonly struct SiteKey : System.IEquatable<SiteKey>
    {
        private readonly object _site;
        private readonly string _role;

        public SiteKey(object site, string role)
        {
            _site = site;
            _role = role;
        }

        public bool Equals(SiteKey other) => ReferenceEquals(_site, other._site) && _role == other._role;

        public override bool Equals(object? obj) => obj is SiteKey other && Equals(other);

        public override int GetHashCode() => RuntimeHelpers.GetHashCode(_site) * 31 + _role.GetHashCode();
    }
}
