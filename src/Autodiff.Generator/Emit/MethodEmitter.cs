using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;
using Autodiff.Generator.Transforms;

namespace Autodiff.Generator.Emit;

/// <summary>Which generated entry point a body is for.</summary>
internal enum EntryPoint
{
    /// <summary><c>FGradient</c>: seed 1, gradients returned through out parameters.</summary>
    Gradient,
    /// <summary><c>FPullback</c>: caller's seed, gradients added into the caller's accumulators.</summary>
    Pullback,
}

/// <summary>
/// Writes the generated members of one <c>[Differentiable]</c> method from its analysed form
/// (<see cref="MiddleEnd"/>): each entry point builds its reverse sweep until what each statement's
/// backward code reads stops growing — the to-be-recorded analysis turns those reads into the
/// assignments that must save — then the forward sweep that saves exactly those; then forward
/// mode, Hessian-vector products, Jacobians and graphs, each from the same analysed method.
/// </summary>
internal sealed class MethodEmitter
{
    private readonly MethodSpec _spec;
    private readonly RuleSet _rules;
    private readonly HashSet<string> _writtenArrays;
    private readonly HashSet<string> _splitCallees;

    /// <param name="writtenArrays">The array parameters of all differentiable methods that those methods write, as <see cref="CallGraph.Written"/> names them.</param>
    /// <param name="splitCallees">The methods that differentiable methods call, by key: they get split-mode members (tangent programs by <see cref="TangentProgram.ProgramKey"/>).</param>
    public MethodEmitter(MethodSpec spec, RuleSet rules, HashSet<string> writtenArrays, HashSet<string> splitCallees)
    {
        _spec = spec;
        _rules = rules;
        _writtenArrays = writtenArrays;
        _splitCallees = splitCallees;
    }

    /// <summary>
    /// The member declarations, or null when the method has errors (reported into <paramref name="diagnostics"/>);
    /// <paramref name="calls"/> receives the other methods' generated pullbacks that the members call.
    /// </summary>
    public string? Emit(List<DiagnosticInfo> diagnostics, List<PullbackCall> calls)
    {
        Testing.FaultInjection.Check(_spec.Name);
        var names = new NameAllocator(_spec.LocalNames);
        var entryNames = new EntryNames(_spec, names);
        AnalysedMethod? method = MiddleEnd.Analyse(_spec, _rules, _writtenArrays, names, diagnostics);
        if (method is null)
        {
            return null;
        }
        int writtenCount = method.WrittenParameters.Count;

        var writer = new SourceWriter();
        // Each entry point gets its own context: its generated locals are its own.
        MethodContext NewContext(Activity analysed) => new(method, analysed, _rules, new NameAllocator(names.Taken))
        {
            SplitCallees = _splitCallees,
        };
        // A gradient needs a scalar result; an array result has its pullback and Jacobian instead.
        EntryPoint[] entries = _spec.ReturnType.IsArray ? new[] { EntryPoint.Pullback } : new[] { EntryPoint.Gradient, EntryPoint.Pullback };
        foreach (EntryPoint entry in entries)
        {
            MethodContext context = NewContext(method.Activity);
            new EntryPointWriter(context, entryNames, entry).Write(writer);
            calls.AddRange(context.PullbackCalls);
            if (entry == EntryPoint.Gradient)
            {
                writer.Line();
            }
        }
        if (_splitCallees.Contains(_spec.Key))
        {
            MethodContext context = NewContext(method.Activity);
            writer.Line();
            new EntryPointWriter(context, entryNames, EntryPoint.Pullback).WriteSplit(writer, SplitMode.CanSplit(_spec, writtenCount));
            calls.AddRange(context.PullbackCalls);
        }
        if (_entryPointsOnly)
        {
            return writer.ToString();
        }
        MethodContext tangentContext = NewContext(method.TangentActivity);
        Tangent = EmitTangent(tangentContext, entryNames, diagnostics);
        if (_spec.Hessian || _spec.AllHessians)
        {
            string? gap = Tangent is null ? "what forward mode does not (ADIFF018)"
                : !HessianVectorWriter.Applies(_spec, writtenCount) ? "this kind of method (it takes arrays it writes, or has no differentiable input)"
                : null;
            if (gap is null)
            {
                var hessian = new HessianVectorWriter(_spec, entryNames);
                HessianVector = hessian.Write(NewContext(method.TangentActivity), _rules, out gap);
                HessianCalls.AddRange(hessian.Calls);
            }
            if (gap is not null && _spec.Hessian)
            {
                // Asked for on this method: say why not. Asked for project-wide: a documented gap, not reported one by one.
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.DiagnosticDescriptors.NoHessianVector.Id, _spec.Span, _spec.Name, gap));
            }
        }
        if (JacobianWriter.Applies(_spec, writtenCount) || TensorJacobianWriter.Applies(_spec, writtenCount))
        {
            Jacobian = WriteJacobian(forwardMode: Tangent is not null);
            ReverseJacobian = WriteJacobian(forwardMode: false);
        }
        if (_spec.Graph)
        {
            WriteGraph(tangentContext, writer, diagnostics);
        }
        return writer.ToString();
    }

    /// <summary>The graph constants (<c>[Differentiable(Graph = true)]</c>), or ADIFF019 for a method that is not straight-line code.</summary>
    private void WriteGraph(MethodContext context, SourceWriter writer, List<DiagnosticInfo> diagnostics)
    {
        string? reason = GraphWriter.Unsupported(context.Body);
        if (reason is null)
        {
            try
            {
                var graph = new SourceWriter();
                new GraphWriter(context).Write(graph);
                writer.Line();
                foreach (string line in graph.ToString().TrimEnd('\n').Split('\n'))
                {
                    writer.Line(line);
                }
                return;
            }
            catch (TangentUnsupportedException unsupported)
            {
                reason = unsupported.Message;
            }
        }
        diagnostics.Add(DiagnosticInfo.Create(Diagnostics.DiagnosticDescriptors.NoGraph.Id, _spec.Span, _spec.Name, reason));
    }

    /// <summary>The Hessian-vector product members; null where they do not apply or the tangent program is not handled yet.</summary>
    public string? HessianVector { get; private set; }

    /// <summary>The methods whose tangent programs <see cref="HessianVector"/> calls: it compiles only if they have theirs.</summary>
    public List<PullbackCall> HessianCalls { get; } = new();

    /// <summary>
    /// The gradient and pullback entry points (and split members when callers need them), for a method the generator made itself (the
    /// tangent program of <see cref="HessianVectorWriter"/>); null when it has errors.
    /// </summary>
    public string? EmitEntryPointsOnly(List<DiagnosticInfo> diagnostics)
    {
        _entryPointsOnly = true;
        return Emit(diagnostics, new List<PullbackCall>());
    }

    private bool _entryPointsOnly;

    /// <summary>The Jacobian member for an array or tensor result, using forward mode where it is cheaper; null for other methods.</summary>
    public string? Jacobian { get; private set; }

    /// <summary>The Jacobian member built by reverse mode alone, for when the tangent member is dropped (a callee has none).</summary>
    public string? ReverseJacobian { get; private set; }

    private string WriteJacobian(bool forwardMode)
    {
        var writer = new SourceWriter();
        if (_spec.ReturnType.IsTensor)
        {
            new TensorJacobianWriter(_spec).Write(writer, forwardMode);
        }
        else
        {
            new JacobianWriter(_spec).Write(writer, forwardMode);
        }
        return writer.ToString();
    }

    /// <summary>The forward-mode member, once <see cref="Emit"/> has run; null when forward mode does not handle the method.</summary>
    public string? Tangent { get; private set; }

    /// <summary>The methods whose tangent members <see cref="Tangent"/> calls.</summary>
    public List<PullbackCall> TangentCalls { get; } = new();

    /// <summary>Forward mode from the same analysed body; a construct it does not handle yet costs the method its tangent member only (ADIFF018, informational).</summary>
    private string? EmitTangent(MethodContext context, EntryNames entryNames, List<DiagnosticInfo> diagnostics)
    {
        if (!TangentWriter.Applies(_spec))
        {
            // Tensor methods, models and non-scalar results: a documented gap of the whole kind, not a
            // finding about this method, so nothing is reported on each one.
            return null;
        }
        string reason;
        try
        {
            var writer = new SourceWriter();
            var calls = new List<PullbackCall>();
            new TangentWriter(context, entryNames).Write(writer, calls);
            TangentCalls.AddRange(calls);
            return writer.ToString();
        }
        catch (TangentUnsupportedException unsupported)
        {
            reason = unsupported.Message;
        }
        diagnostics.Add(DiagnosticInfo.Create(Diagnostics.DiagnosticDescriptors.NoForwardMode.Id, _spec.Span, _spec.Name, _spec.Name + TangentWriter.Suffix, reason));
        return null;
    }
}
