using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;
using Autodiff.Generator.Parsing;

namespace Autodiff.Generator.Emit;

/// <summary>Prints one entry point (<c>FGradient</c> or <c>FPullback</c>): signature, forward pass, backward pass.</summary>
internal sealed class EntryPointWriter
{
    private const string Runtime = "global::Autodiff.Runtime";
    private const string Tensor = TypeRef.TensorName;

    private readonly MethodContext _context;
    private readonly EntryNames _names;
    private readonly EntryPoint _entry;
    private readonly MethodSpec _spec;
    private HashSet<string> _declaredInline = new();
    private Dictionary<string, int> _fixedStacks = new();

    // The joint members take their local arrays and adjoint arrays from ScratchArrays and give them
    // back at the end; the split forward pass cannot, since its backward pass reads what it leaves.
    private bool _scratch;
    private readonly List<(TypeRef Type, string Name)> _scratchAdjoints = new();
    private readonly Dictionary<string, string> _outArrayLocals = new();

    public EntryPointWriter(MethodContext context, EntryNames names, EntryPoint entry)
    {
        _context = context;
        _names = names;
        _entry = entry;
        _spec = context.Spec;
        _context.ResidualsName = names.Residuals;
    }

    /// <summary>The save stacks with storage of their own (not a <c>FixedSaveStack</c>): each has a capacity field and is disposed.</summary>
    private IEnumerable<KeyValuePair<string, string>> PooledStacks => _context.Stacks.Where(s => !_fixedStacks.ContainsKey(s.Value));

    private string MemberName => _spec.Name + (_entry == EntryPoint.Gradient ? MemberSuffixes.Gradient : MemberSuffixes.Pullback);

    private string WorkspaceField => "autodiff" + MemberName + "Workspace";

    private string CapacityField(string stack) => "autodiff" + MemberName + ReverseSweep.Capitalize(stack) + "Capacity";

    public void Write(SourceWriter writer)
    {
        _context.ScratchLocals = Transforms.ScratchLocals.Of(_context.Body, _context.Result.Name);
        _scratch = true;
        (List<Code> forward, List<Code> backward) = BuildSweeps();
        WriteJoint(writer, forward, backward);
    }

    /// <summary>Binds the inputs' adjoints, then builds the reverse sweep and the forward sweep that saves what it reads.</summary>
    private (List<Code> Forward, List<Code> Backward) BuildSweeps()
    {
        BindInputAdjoints();
        (ReverseSweep sweep, List<Code> backward) = BuildReverseSweep();
        _declaredInline = sweep.DeclaredInline;
        var forwardSweep = new ForwardSweep(_context);
        List<Code> forward = forwardSweep.Build();
        _fixedStacks = forwardSweep.FixedStacks();
        Dictionary<string, string> integers = IntegerTypes();
        string? TypeOf(string name) => integers.TryGetValue(name, out string? type) ? type : null;
        return (LoopRegisters.Promote(forward, TypeOf, _context.Names.Claim), LoopRegisters.Promote(AdjointResets.Fold(backward), TypeOf, _context.Names.Claim));
    }

    /// <summary>The integer locals (the method's and the sweeps' own), by their printed names, with their types.</summary>
    private Dictionary<string, string> IntegerTypes()
    {
        static bool IsInteger(TypeRef type) => type.Name is "int" or "long";
        var types = new Dictionary<string, string>();
        foreach (string variable in _context.Variables.Where(v => IsInteger(_context.TypeOf(v))))
        {
            types[ExpressionPrinter.Identifier(variable)] = _context.TypeOf(variable).Name;
        }
        foreach ((TypeRef type, string name, string _) in _context.GeneratedLocals.Where(l => IsInteger(l.Type)))
        {
            types[name] = type.Name;
        }
        return types;
    }

    /// <summary>
    /// Builds the reverse sweep until what it reads stops growing: what each statement's backward
    /// code reads decides, through the to-be-recorded analysis, which assignments the forward sweep
    /// saves, and restoring a saved value reads more (the index of an element that a while loop
    /// overwrites). Reads only grow, so this ends.
    /// </summary>
    private (ReverseSweep Sweep, List<Code> Backward) BuildReverseSweep()
    {
        var readsBySite = new Dictionary<Stmt, HashSet<string>>(Transforms.SameStatement.Instance);
        var readsAtStart = new HashSet<string>();
        ReverseSweep sweep;
        List<Code> backward;
        while (true)
        {
            _context.PlanSaves(readsBySite, readsAtStart);
            sweep = new ReverseSweep(_context);
            backward = sweep.Build();
            bool grew = !readsAtStart.IsSupersetOf(sweep.ReadsOutsideStatements);
            readsAtStart.UnionWith(sweep.ReadsOutsideStatements);
            foreach (KeyValuePair<Stmt, HashSet<string>> site in sweep.ReadsBySite)
            {
                if (!readsBySite.TryGetValue(site.Key, out HashSet<string>? known))
                {
                    readsBySite[site.Key] = known = new HashSet<string>();
                }
                grew |= !known.IsSupersetOf(site.Value);
                known.UnionWith(site.Value);
            }
            if (!grew)
            {
                break;
            }
        }
        return (sweep, backward);
    }

    private void WriteJoint(SourceWriter writer, List<Code> forward, List<Code> backward)
    {
        bool tensors = _spec.UsesTensors();
        if (tensors)
        {
            // Recycled buffers: after the first call, the forward and backward passes allocate nothing.
            // One workspace per thread (per object and thread for instance methods), so that
            // several threads can call the method at once.
            // A ThreadLocal rather than a [ThreadStatic] field for static methods too: the per-thread
            // storage then belongs to the runtime, which matters when generated code is loaded into
            // a collectible context (thread statics there crashed the finalizer in a long test run).
            writer.Line("private " + (_spec.IsInstance ? string.Empty : "static ") + "global::System.Threading.ThreadLocal<" + WorkspaceType + ">? " + WorkspaceField + ";");
            writer.Line();
        }
        foreach (KeyValuePair<string, string> stack in PooledStacks)
        {
            // How large this stack grew last time: later calls take storage of that size at once,
            // so the steady state neither grows nor copies (one pooled rent and return per call).
            writer.Line("private static readonly " + Runtime + ".SaveStackCapacity " + CapacityField(stack.Value) + " = new();");
            writer.Line();
        }
        WriteDocumentation(writer);
        writer.Line(GeneratorInfo.GeneratedCodeAttribute);
        writer.Open(_spec.Accessibility + (_spec.IsInstance ? " " : " static ") + _spec.ReturnType.Name + " " + MemberName + "(" + string.Join(", ", Parameters()) + ")");
        WritePrologue(writer, MemberName);
        if (tensors)
        {
            writer.Line("using " + WorkspaceType + ".Scope " + _context.Names.Claim("workspaceScope") + " = " + WorkspaceType
                + ".EnterPerThread(ref " + WorkspaceField + ");");
        }

        writer.Line("// Forward pass");
        foreach (string hoisted in _context.Variables.Where(_context.IsHoisted))
        {
            TypeRef type = _context.TypeOf(hoisted);
            writer.Line(type.Name + " " + ExpressionPrinter.Identifier(hoisted) + " = " + ReverseSweep.DefaultOf(type) + ";");
        }
        // Generated locals the forward pass never mentions (gradients taken aside, trip counts) are
        // declared under the backward heading, where they are used.
        HashSet<string> forwardWords = Identifiers(forward);
        // A local an earlier build of the reverse sweep asked for, which neither pass mentions now (a
        // loop's trip count, before the save plan settled on checkpointing the loop), is not declared.
        HashSet<string> backwardWords = Identifiers(backward);
        var backwardOnly = _context.GeneratedLocals.Where(l => !forwardWords.Contains(l.Name) && backwardWords.Contains(l.Name)).ToList();
        var unused = _context.GeneratedLocals.Where(l => !forwardWords.Contains(l.Name) && !backwardWords.Contains(l.Name)).ToList();
        foreach ((TypeRef type, string name, string initializer) in _context.GeneratedLocals.Except(backwardOnly).Except(unused))
        {
            writer.Line(type.Name + " " + name + " = " + initializer + ";");
        }
        foreach (KeyValuePair<string, string> stack in _context.Stacks)
        {
            writer.Line(_fixedStacks.TryGetValue(stack.Value, out int size)
                ? Runtime + ".FixedSaveStack<" + stack.Key + "> " + stack.Value + " = new(stackalloc " + stack.Key + "[" + size + "]);"
                : Runtime + ".SaveStack<" + stack.Key + "> " + stack.Value + " = new(" + CapacityField(stack.Value) + ");");
        }
        if (_context.SplitCalls.Count > 0)
        {
            writer.Line(Runtime + ".Residuals " + _context.ResidualsName + " = " + Runtime + ".Residuals.Rent();");
        }
        writer.Write(forward);
        // The backward pass restores overwritten values, the result's among them: keep it first.
        string result = ExpressionPrinter.Identifier(_context.Result.Name);
        if (_context.ToBeRecorded!.Contains(_context.Result.Name) || _context.RestoredByCheckpoints(_context.Result.Name))
        {
            string value = _context.Names.Claim("value");
            // An array result's elements are restored too: the caller gets a copy of its final contents.
            writer.Line(_spec.ReturnType.Name + " " + value + " = " + (_spec.ReturnType.IsArray ? "(" + _spec.ReturnType.Name + ")" + result + ".Clone()" : result) + ";");
            result = value;
        }
        // So do they in the arrays the method writes into: keep what the method leaves there, and
        // leave it there at the end, as calling the method itself would.
        var finalContents = new List<(string Array, string Copy)>();
        foreach (ParameterSpec written in _spec.Parameters.Where(p => _context.WrittenParameters.Contains(p.Name)))
        {
            string name = ExpressionPrinter.Identifier(written.Name);
            string copy = _context.Names.Claim(written.Name + "After");
            writer.Line(written.Type.Name + " " + copy + " = (" + written.Type.Name + ")" + name + ".Clone();");
            finalContents.Add((name, copy));
        }
        writer.Line();

        WriteScalarResultCheck(writer);
        writer.Line("// Backward pass: d<v> holds the gradient of the result with respect to v");
        WriteAdjointDeclarations(writer, backward);
        foreach ((TypeRef type, string name, string initializer) in FirstAssignments.Fold(backward, backwardOnly))
        {
            writer.Line(type.Name + " " + name + " = " + initializer + ";");
        }
        writer.Write(MarkPeaks(writer, backward));
        WriteEpilogue(writer);
        foreach ((string array, string copy) in finalContents)
        {
            writer.Line("global::System.Array.Copy(" + copy + ", " + array + ", " + array + ".Length);");
        }
        writer.Line("return " + result + ";");
        writer.Close();
    }

    /// <summary>
    /// Writes <c>FForwardPass</c> and <c>FBackwardPass</c>, the split-mode members that generated
    /// callers use (see <see cref="SplitMode"/>). Built like the pullback, with the saves on the
    /// caller's residuals; the forward pass then leaves there the locals the backward pass reads, and
    /// the backward pass starts by taking them back.
    /// </summary>
    public void WriteSplit(SourceWriter writer, bool canSplit)
    {
        if (_entry != EntryPoint.Pullback)
        {
            throw new System.InvalidOperationException("the split members take the pullback's form");
        }
        string residuals = Runtime + ".Residuals " + _context.ResidualsName;
        string forwardName = _spec.Name + SplitMode.ForwardSuffix;
        string backwardName = _spec.Name + SplitMode.BackwardSuffix;
        string modifiers = _spec.Accessibility + (_spec.IsInstance ? " " : " static ");
        string forwardSignature = modifiers + _spec.ReturnType.Name + " " + forwardName + "(" + string.Join(", ", Parameters().Take(_spec.Parameters.Count).Append(residuals)) + ")";
        string backwardSignature = modifiers + "void " + backwardName + "(" + string.Join(", ", Parameters().Append(residuals)) + ")";
        if (!canSplit)
        {
            // Nothing is left behind: the backward pass is the pullback, which runs the method again.
            string arguments = string.Join(", ", _spec.Parameters.Select(p => ExpressionPrinter.Identifier(p.Name)));
            WriteSplitDocumentation(writer, forward: true, joint: true);
            writer.Line(forwardSignature + " =>");
            writer.Line("    " + _spec.Name + "(" + arguments + ");");
            writer.Line();
            var pullbackArguments = _spec.Parameters.Select(p => ExpressionPrinter.Identifier(p.Name)).Append(_names.Seed)
                .Concat(_names.Gradients is { } gradients ? new[] { gradients } : System.Array.Empty<string>())
                .Concat(_spec.Parameters.Where(p => p.IsDifferentiable).Select(p => (p.Type.IsScalar ? "ref " : string.Empty) + _names.Accumulator(p.Name)));
            WriteSplitDocumentation(writer, forward: false, joint: true);
            writer.Line(backwardSignature + " =>");
            writer.Line("    " + _spec.Name + "Pullback(" + string.Join(", ", pullbackArguments) + ");");
            return;
        }

        _context.SavesIntoResiduals = true;
        (List<Code> forward, List<Code> backward) = BuildSweeps();
        var forwardWords = Identifiers(forward);
        var backwardWords = Identifiers(backward);
        // The adjoint declarations read variables too: an adjoint array takes its array's length.
        var declarations = new SourceWriter();
        WriteAdjointDeclarations(declarations, backward);
        backwardWords.UnionWith(Words(declarations.ToString().Split('\n')));

        // What crosses from one member to the other: every variable the forward pass may have set
        // and the backward code mentions (parameters only if the method assigns them).
        var declaredAtTop = _context.Variables.Where(_context.IsHoisted).Select(v => (Type: _context.TypeOf(v), Name: ExpressionPrinter.Identifier(v), Initializer: ReverseSweep.DefaultOf(_context.TypeOf(v))))
            .Concat(_context.GeneratedLocals).ToList();
        var statements = Transforms.Walk.Statements(_context.Body).ToList();
        var changed = new HashSet<string>(statements.Select(Transforms.Walk.AssignedVariable).OfType<string>()
            .Concat(statements.SelectMany(Transforms.Walk.PassedByReference)));
        var crossing = new List<(TypeRef Type, string Name, bool IsParameter)>();
        var setAgain = IndicesSetAgain(statements);
        foreach (string variable in _context.Variables)
        {
            string name = ExpressionPrinter.Identifier(variable);
            if (!backwardWords.Contains(name) || !forwardWords.Contains(name) || setAgain.Contains(variable))
            {
                continue;
            }
            bool parameter = _context.ParameterNames.Contains(variable);
            if (parameter && !changed.Contains(variable))
            {
                continue; // the caller passes the same value again
            }
            crossing.Add((_context.TypeOf(variable), name, parameter));
        }
        foreach ((TypeRef type, string name, string _) in _context.GeneratedLocals)
        {
            if (backwardWords.Contains(name) && forwardWords.Contains(name))
            {
                crossing.Add((type, name, false));
            }
        }
        var crossingNames = new HashSet<string>(crossing.Select(c => c.Name));

        WriteSplitDocumentation(writer, forward: true, joint: false);
        writer.Open(forwardSignature);
        WriteNullChecks(writer);
        foreach ((TypeRef type, string name, string initializer) in declaredAtTop.Where(d => forwardWords.Contains(d.Name)))
        {
            writer.Line(type.Name + " " + name + " = " + initializer + ";");
        }
        writer.Write(forward);
        if (crossing.Count > 0)
        {
            writer.Line("// Left for " + backwardName + ", which takes them back in the reverse order");
        }
        foreach ((TypeRef type, string name, bool _) in crossing)
        {
            writer.Line(_context.ResidualStack(type) + ".Push(" + name + ");");
        }
        writer.Line("return " + ExpressionPrinter.Identifier(_context.Result.Name) + ";");
        writer.Close();
        writer.Line();

        WriteSplitDocumentation(writer, forward: false, joint: false);
        writer.Open(backwardSignature);
        WritePrologue(writer, backwardName);
        foreach ((TypeRef type, string name, string initializer) in declaredAtTop.Where(d => backwardWords.Contains(d.Name) && !crossingNames.Contains(d.Name)))
        {
            writer.Line(type.Name + " " + name + " = " + initializer + ";");
        }
        if (crossing.Count > 0)
        {
            writer.Line("// What " + forwardName + " left");
        }
        for (int i = crossing.Count - 1; i >= 0; i--)
        {
            (TypeRef type, string name, bool isParameter) = crossing[i];
            writer.Line((isParameter ? string.Empty : type.Name + " ") + name + " = " + _context.ResidualStack(type) + ".Pop();");
        }
        if (crossing.Count > 0)
        {
            writer.Line();
        }
        writer.Line("// Backward pass: d<v> holds the gradient of the result with respect to v");
        WriteAdjointDeclarations(writer, backward);
        writer.Write(backward);
        WriteEpilogue(writer);
        writer.Close();
    }

    /// <summary>
    /// The indices of counted loops that declare them (<c>for (int i = ...)</c>): the backward pass's
    /// loop header gives them their values again before anything reads them, and nothing outside the
    /// loop can read them, so the value the forward pass leaves in them need not cross.
    /// </summary>
    private static HashSet<string> IndicesSetAgain(IEnumerable<Stmt> statements) =>
        new(statements.OfType<Loop>()
            .Where(loop => loop.Counted is { } counted && loop.Initializer.Statements.Any(s => s is Declare declare && declare.Variable.Name == counted.Index.Name))
            .Select(loop => loop.Counted!.Index.Name));

    private void WriteSplitDocumentation(SourceWriter writer, bool forward, bool joint)
    {
        writer.Line("/// <summary>");
        if (forward)
        {
            writer.Line("/// Split mode, for generated callers: computes <c>" + Escape(_spec.Name) + "</c>" + (joint
                ? "; leaves nothing behind (its backward pass runs the pullback)."
                : " and leaves on the residuals what " + _spec.Name + SplitMode.BackwardSuffix + " reads."));
        }
        else
        {
            writer.Line("/// Split mode, for generated callers: the pullback of <c>" + Escape(_spec.Name) + "</c>" + (joint
                ? ", run as a whole."
                : ", from what " + _spec.Name + SplitMode.ForwardSuffix + " left on the residuals instead of running the method again."));
        }
        writer.Line("/// </summary>");
        writer.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        writer.Line(GeneratorInfo.GeneratedCodeAttribute);
    }

    /// <summary>The identifiers a piece of generated code mentions, comments left out.</summary>
    /// <summary>
    /// Records the high-water mark of each pooled stack that the backward pass only pops (no
    /// checkpointed loop saves again there), where the forward pass has made its last push: its pops
    /// then need not (<c>PopMarked</c>). Returns the backward pass with those pops so written.
    /// </summary>
    private List<Code> MarkPeaks(SourceWriter writer, List<Code> backward)
    {
        List<string> backwardLines = Lines(backward).ToList();
        var calls = new Dictionary<string, string>();
        foreach (string stack in PooledStacks.Select(s => s.Value))
        {
            if (backwardLines.Any(line => line.Contains(stack + ".Push")))
            {
                continue;
            }
            writer.Line(stack + ".MarkPeak();");
            calls[stack + ".Pop("] = stack + ".PopMarked(";
            calls[stack + ".PopLanes("] = stack + ".PopLanesMarked(";
        }
        return calls.Count == 0 ? backward : ReservedSaves.Rewritten(backward, calls);
    }

    private static HashSet<string> Identifiers(List<Code> code) => Words(Lines(code));

    private static HashSet<string> Words(IEnumerable<string> lines)
    {
        var words = new HashSet<string>();
        foreach (string line in lines)
        {
            string text = GeneratedText.CodeOf(line);
            foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(text, @"@?[A-Za-z_][A-Za-z0-9_]*"))
            {
                words.Add(match.Value);
            }
        }
        return words;
    }

    private static IEnumerable<string> Lines(List<Code> code)
    {
        foreach (Code item in code)
        {
            switch (item)
            {
                case Line line:
                    yield return line.Text;
                    break;
                case Deferred deferred:
                    foreach (string inner in Lines(deferred.Build()))
                    {
                        yield return inner;
                    }
                    break;
                case Nested nested:
                    yield return nested.Header;
                    if (nested.Footer is not null)
                    {
                        yield return nested.Footer;
                    }
                    foreach (string inner in Lines(nested.Body).Concat(nested.Else is null ? Enumerable.Empty<string>() : Lines(nested.Else)))
                    {
                        yield return inner;
                    }
                    break;
            }
        }
    }

    private static string WorkspaceType => "global::Autodiff.TensorWorkspace";

    /// <summary>
    /// Where the gradients of inputs go: a model field's into the gradients object; an array's
    /// straight into the caller's accumulator, which on entry holds the gradient of the array's
    /// final contents (zero unless a caller's later statements read them) and is turned, statement by
    /// statement, into the gradient of its initial contents; a tensor's into the caller's accumulator
    /// unless the method reassigns the parameter; a scalar's into a local added to the caller's at the end.
    /// </summary>
    private void BindInputAdjoints()
    {
        _context.GradientsName = _names.Gradients;
        foreach (ParameterSpec parameter in _spec.Parameters.Where(p => p.IsDifferentiable && (p.Type.IsArray || p.Type.IsTensor)))
        {
            bool written = parameter.Type.IsTensor && Transforms.Walk.Assigns(_context.Body, parameter.Name);
            if (_entry == EntryPoint.Gradient || !written)
            {
                _context.SetAdjoint(parameter.Name, CallerAdjoint(parameter.Name));
                if (parameter.Type.IsTensor)
                {
                    _context.AllocatedAdjoints.Add(_names.Accumulator(parameter.Name));
                }
            }
        }
        foreach (ParameterSpec field in _spec.Fields.Where(f => f.IsDifferentiable))
        {
            string adjoint = _names.Gradients + "." + field.Name;
            _context.SetAdjoint(ParameterSpec.FieldPrefix + field.Name, adjoint);
            if (field.Type.IsTensor)
            {
                _context.AllocatedAdjoints.Add(adjoint);
            }
        }
        if (_spec.ReturnType.IsTensor)
        {
            _context.AllocatedAdjoints.Add(_context.Adjoint(_context.Result.Name));
        }
        _context.PredeclaredAdjoints.Add(_context.Adjoint(_context.Result.Name));
        foreach (ParameterSpec input in _spec.Inputs().Where(p => p.IsDifferentiable && IsBoundToCaller(p.Name)))
        {
            _context.PredeclaredAdjoints.Add(_context.Adjoint(input.Name));
        }
    }

    private bool IsBoundToCaller(string variable) =>
        _context.ParameterNames.Contains(variable) && _context.Adjoint(variable) is var adjoint
        && (adjoint.StartsWith((_names.Gradients ?? "\0") + ".", System.StringComparison.Ordinal)
            || (_spec.Parameters.Any(p => p.Name == variable && p.IsDifferentiable) && adjoint == CallerAdjoint(variable)));

    /// <summary>
    /// The name the generated code gives the caller's gradient of a parameter: its accumulator, except
    /// for an array in the gradient entry, whose <c>out</c> accumulator is written through a local. The
    /// JIT reads an <c>out</c> parameter's array again after every store into any array (the store
    /// might have changed it), which in loops costs a load on every iteration.
    /// </summary>
    private string CallerAdjoint(string parameter)
    {
        string accumulator = _names.Accumulator(parameter);
        if (_entry != EntryPoint.Gradient || !_spec.Parameters.Any(p => p.Name == parameter && p.Type.IsArray) || !_context.Activity.IsActive(parameter))
        {
            return accumulator;
        }
        if (!_outArrayLocals.TryGetValue(parameter, out string? local))
        {
            local = _context.Names.Claim(accumulator + "Local");
            _outArrayLocals.Add(parameter, local);
        }
        return local;
    }

    private IEnumerable<string> Parameters()
    {
        foreach (ParameterSpec parameter in _spec.Parameters)
        {
            yield return parameter.Type.Name + " " + ExpressionPrinter.Identifier(parameter.Name);
        }
        if (_entry == EntryPoint.Pullback)
        {
            yield return _spec.ReturnType.Name + " " + _names.Seed;
        }
        if (_names.Gradients is { } gradients)
        {
            yield return MethodParser.GradientsTypeName + " " + gradients;
        }
        foreach (ParameterSpec parameter in _spec.Parameters.Where(p => p.IsDifferentiable))
        {
            string accumulator = _names.Accumulator(parameter.Name);
            if (_entry == EntryPoint.Gradient)
            {
                yield return "out " + parameter.Type.Name + " " + accumulator;
            }
            else
            {
                yield return (parameter.Type.IsScalar ? "ref " + parameter.Type.Name : parameter.Type.Name + "?") + " " + accumulator;
            }
        }
    }

    private void WriteDocumentation(SourceWriter writer)
    {
        string call = _spec.Name + "(" + string.Join(", ", _spec.Parameters.Select(p => p.Name)) + ")";
        var withRespectTo = _spec.Parameters.Where(p => p.IsDifferentiable).Select(p => p.Name)
            .Concat(_spec.Fields.Where(f => f.IsDifferentiable).Select(f => f.Name)).ToList();
        string wrt = withRespectTo.Count == 0 ? "(no differentiable inputs)" : string.Join(", ", withRespectTo);
        writer.Line("/// <summary>");
        if (_entry == EntryPoint.Gradient)
        {
            writer.Line("/// Computes <c>" + Escape(call) + "</c> and its gradient with respect to " + Escape(wrt) + ".");
            writer.Line("/// Generated by Autodiff from the [Differentiable] method; <c>" + Escape(_spec.Signature) + "</c> itself computes the value without gradient.");
            if (_names.Gradients is not null)
            {
                writer.Line("/// The gradients of the model's parameters are added into <paramref name=\"" + _names.Gradients + "\"/> (zero it first, as with .grad).");
            }
            if (_spec.ReturnType.IsTensor)
            {
                writer.Line("/// The result must have one element (as for backward()); it stays valid until the next call.");
            }
        }
        else
        {
            string product = _spec.ReturnType.IsArray
                ? "Σᵢ " + _names.Seed + "[i] · ∂" + _spec.Name + "[i]/∂p"
                : _names.Seed + " * ∂" + _spec.Name + "/∂p";
            writer.Line("/// Computes <c>" + Escape(call) + "</c> and adds <c>" + product + "</c> into the accumulator of each");
            writer.Line("/// differentiable input p (" + Escape(wrt) + "): the vector-Jacobian product of reverse mode.");
        }
        writer.Line("/// </summary>");
    }

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>A null array or tensor fails here, named, rather than as a NullReferenceException deep inside the forward pass.</summary>
    private void WriteNullChecks(SourceWriter writer)
    {
        foreach (ParameterSpec parameter in _spec.Parameters.Where(p => (p.Type.IsArray || p.Type.IsTensor) && !p.Type.Name.EndsWith("?", System.StringComparison.Ordinal)))
        {
            writer.Line("global::System.ArgumentNullException.ThrowIfNull(" + ExpressionPrinter.Identifier(parameter.Name) + ");");
        }
    }

    /// <param name="member">The member the argument checks' messages name.</param>
    private void WritePrologue(SourceWriter writer, string member)
    {
        // The pullback's accumulators stay nullable (null: not wanted).
        WriteNullChecks(writer);
        if (_entry == EntryPoint.Pullback && (_spec.ReturnType.IsTensor || _spec.ReturnType.IsArray))
        {
            writer.Line("global::System.ArgumentNullException.ThrowIfNull(" + _names.Seed + ");");
        }
        if (_names.Gradients is { } gradients)
        {
            writer.Line("global::System.ArgumentNullException.ThrowIfNull(" + gradients + ");");
            writer.Line(gradients + "." + GradientsTypeWriter.ReplacementCheck + "();");
        }
        bool commented = false;
        foreach (ParameterSpec parameter in _spec.Parameters.Where(p => p.IsDifferentiable && (p.Type.IsArray || p.Type.IsTensor)))
        {
            string accumulator = _names.Accumulator(parameter.Name);
            string name = ExpressionPrinter.Identifier(parameter.Name);
            if (_entry == EntryPoint.Gradient && CallerAdjoint(parameter.Name) != accumulator && !commented)
            {
                writer.Line("// Gradient arrays are filled through locals: the JIT reads an out parameter again after every store");
                commented = true;
            }
            if (_entry == EntryPoint.Gradient)
            {
                // Allocated outside the workspace: the caller keeps these.
                string local = CallerAdjoint(parameter.Name);
                writer.Line((local != accumulator ? parameter.Type.Name + " " + local + " = " : string.Empty) + accumulator + " = " + (parameter.Type.IsArray
                    ? "new " + parameter.Type.Element.Name + "[" + name + ".Length]"
                    : Tensor + ".ZerosLike(" + name + ")") + ";");
            }
            else if (parameter.Type.IsArray)
            {
                writer.Line(Runtime + ".GradientArrays.CheckLength(\"" + member + "\", " + accumulator + ", \"" + accumulator + "\", " + name + ", \"" + parameter.Name + "\");");
            }
        }
    }

    /// <summary>A gradient, like backward(), needs a one-element result: a tensor result is checked at run time.</summary>
    private void WriteScalarResultCheck(SourceWriter writer)
    {
        string resultName = ExpressionPrinter.Identifier(_context.Result.Name);
        if (_spec.ReturnType.IsTensor && _entry == EntryPoint.Gradient)
        {
            writer.Line("if (" + resultName + ".Length != 1)");
            writer.Line("{");
            writer.Line("    throw new global::System.InvalidOperationException(\"" + MemberName + ": the result has \" + " + resultName
                + ".Length + \" elements, but a gradient can only be taken of a one-element result (as backward() needs a scalar); use "
                + _spec.Name + "Pullback with a seed of the result's shape.\");");
            writer.Line("}");
        }
    }

    private void WriteAdjointDeclarations(SourceWriter writer, List<Code> backward)
    {
        Dictionary<string, int> onStack = StackAdjoints.Choose(_context.Body,
            _context.Variables.Where(v => _context.TypeOf(v).IsArray && _context.Activity.IsActive(v) && !IsBoundToCaller(v)
                && !_context.ParameterNames.Contains(v) && v != _context.Result.Name && !_declaredInline.Contains(_context.Adjoint(v)))
                .Select(v => (v, _context.Adjoint(v))),
            backward);
        foreach (string variable in _context.Variables)
        {
            if (!_context.Activity.IsActive(variable) || IsBoundToCaller(variable))
            {
                if (_entry == EntryPoint.Pullback && _context.Activity.IsActive(variable) && _context.TypeOf(variable).IsTensor
                    && _spec.Parameters.Any(p => p.Name == variable))
                {
                    // The caller may not want this gradient (null): it still needs somewhere to go.
                    writer.Line(_names.Accumulator(variable) + " ??= " + Tensor + ".ZerosLike(" + ExpressionPrinter.Identifier(variable) + ");");
                }
                continue;
            }
            TypeRef type = _context.TypeOf(variable);
            string adjoint = _context.Adjoint(variable);
            if (_declaredInline.Contains(adjoint))
            {
                continue;
            }
            string name = ExpressionPrinter.Identifier(variable);
            bool isResult = variable == _context.Result.Name;
            if (type.IsScalar)
            {
                string initial = isResult
                    ? (_entry == EntryPoint.Pullback ? _names.Seed : (type.Kind == ValueKind.Float ? "1f" : "1.0"))
                    : type.Zero;
                writer.Line(type.Name + " " + adjoint + " = " + initial + ";");
            }
            else if (type.IsTensor)
            {
                string initial = isResult
                    ? (_entry == EntryPoint.Pullback ? _names.Seed : Tensor + ".Full(1f, " + name + ".Shape)")
                    : "null";
                writer.Line(type.AdjointType.Name + " " + adjoint + " = " + initial + ";");
            }
            else if (type.IsArray)
            {
                // A [NoGrad] array the method writes active values into has no accumulator of the
                // caller's: its adjoint is a local one, like a local array's.
                bool callerOwnsAdjoint = _context.ParameterNames.Contains(variable) && _names.HasAccumulator(variable)
                    && adjoint == CallerAdjoint(variable);
                if (isResult)
                {
                    // The seed, copied: the backward pass consumes adjoints, and the caller's seed stays as it was.
                    writer.Line(type.Name + " " + adjoint + " = " + Runtime + ".GradientArrays.Seed(\"" + MemberName + "\", " + _names.Seed + ", \"" + _names.Seed + "\", " + name + ");");
                }
                else if (onStack.TryGetValue(variable, out int stackLength))
                {
                    // Cleared, not trusted to start at zero: the project may skip locals' initialisation.
                    writer.Line("global::System.Span<" + type.Element.Name + "> " + adjoint + " = stackalloc " + type.Element.Name + "[" + stackLength + "];");
                    writer.Line(adjoint + ".Clear();");
                }
                else if (!callerOwnsAdjoint)
                {
                    // An array allocated in a branch may not exist: then nothing flows back into it.
                    string length = _context.IsHoisted(variable) ? Runtime + ".GradientArrays.LengthOrZero(" + name + ")" : name + ".Length";
                    if (_scratch && !backward.Any(c => GeneratedText.Reassigns(c, adjoint)))
                    {
                        writer.Line(type.Name + " " + adjoint + " = " + ScratchArrayText.Take(type, length) + ";");
                        _scratchAdjoints.Add((type, adjoint));
                    }
                    else
                    {
                        writer.Line(type.Name + " " + adjoint + " = new " + type.Element.Name + "[" + length + "];");
                    }
                }
            }
        }
        foreach (ParameterSpec parameter in _spec.Parameters.Where(p => p.IsDifferentiable && p.Type.IsArray && _context.Activity.IsActive(p.Name)))
        {
            if (_entry == EntryPoint.Pullback && _context.Adjoint(parameter.Name) == _names.Accumulator(parameter.Name))
            {
                writer.Line(_names.Accumulator(parameter.Name) + " ??= new " + parameter.Type.Element.Name + "[" + ExpressionPrinter.Identifier(parameter.Name) + ".Length];");
            }
        }
        if (_spec.ReturnType.IsArray && !_context.Activity.IsActive(_context.Result.Name))
        {
            // Nothing flows back from a result that does not depend on the inputs; its seed is still checked.
            writer.Line(Runtime + ".GradientArrays.CheckSeed(\"" + MemberName + "\", " + _names.Seed + ", \"" + _names.Seed + "\", " + ExpressionPrinter.Identifier(_context.Result.Name) + ");");
        }
        foreach (KeyValuePair<string, string> sink in _context.Sinks)
        {
            writer.Line(sink.Key + " " + sink.Value + " = default;");
        }
    }

    private void WriteEpilogue(SourceWriter writer)
    {
        foreach (ParameterSpec parameter in _spec.Parameters.Where(p => p.IsDifferentiable))
        {
            string accumulator = _names.Accumulator(parameter.Name);
            bool active = _context.Activity.IsActive(parameter.Name);
            if (parameter.Type.IsScalar)
            {
                string adjoint = active ? _context.Adjoint(parameter.Name) : parameter.Type.Zero;
                if (_entry == EntryPoint.Gradient)
                {
                    writer.Line(accumulator + " = " + adjoint + ";");
                }
                else if (active)
                {
                    writer.Line(accumulator + " += " + adjoint + ";");
                }
            }
            else if (parameter.Type.IsArray && active && _context.Adjoint(parameter.Name) != CallerAdjoint(parameter.Name))
            {
                writer.Line(Runtime + ".GradientArrays.AddInto(" + accumulator + ", " + _context.Adjoint(parameter.Name) + ");");
            }
            else if (parameter.Type.IsTensor && active && _context.Adjoint(parameter.Name) != accumulator)
            {
                string adjoint = _context.Adjoint(parameter.Name);
                writer.Line("if (" + adjoint + " is not null && " + accumulator + " is not null)");
                writer.Line("{");
                writer.Line("    " + Tensor + ".AddInPlace(" + accumulator + ", " + adjoint + ");");
                writer.Line("}");
            }
        }
        foreach (KeyValuePair<string, string> stack in PooledStacks)
        {
            writer.Line(stack.Value + ".Dispose();");
        }
        if (_scratch)
        {
            // In the order of their declarations, so that the generated text does not depend on a set's order.
            foreach (string local in _context.Body.Statements.OfType<Declare>().Select(d => d.Variable.Name).Where(_context.ScratchLocals.Contains))
            {
                writer.Line(ScratchArrayText.GiveBack(_context.TypeOf(local), ExpressionPrinter.Identifier(local)));
            }
            foreach ((TypeRef type, string adjoint) in _scratchAdjoints)
            {
                writer.Line(ScratchArrayText.GiveBack(type, adjoint));
            }
        }
        if (_context.SplitCalls.Count > 0 && !_context.SavesIntoResiduals)
        {
            // Checks that every callee's backward pass took back what its forward pass left.
            writer.Line(_context.ResidualsName + ".Return();");
        }
    }
}
