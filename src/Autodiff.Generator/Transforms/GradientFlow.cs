using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Diagnostics;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// Soundness by construction: follows every value of every type that depends on a differentiable
/// input (a double copied into a struct, a list, a string, the bits of a long...) and, wherever such
/// a value reaches the result through an operation the backward pass does not differentiate, reports
/// it at that operation. <see cref="Activity"/> decides what gets backward code and only knows
/// differentiable types; this pass makes sure that nothing it leaves out was needed, so a gradient is
/// either computed or refused at compile time, never silently zero.
/// </summary>
/// <remarks>
/// A value "carries" a gradient when it is computed from a differentiable input by anything other
/// than a comparison, a bool-valued operation, <c>Grad.Stop</c>, an array length or an explicit
/// integer conversion (which is warning ADIFF008 instead). Calls without a derivative are assumed to
/// change their reference-typed arguments and receiver (<c>list.Add(x)</c> makes <c>list</c> carry
/// x). A value "reaches" the result when the result is computed from it by any operation. Where an
/// operand of a differentiable type (double, float, their arrays, Tensor) that carries a gradient
/// enters an operation without a derivative whose value reaches the result, the gradient is lost:
/// ADIFF004. Writing a carrying value to a field or property loses it too: ADIFF005.
/// Two deliberate limits: a model's own helper methods (called on <c>this</c>) are taken to return
/// integers, strings and other non-floating values that do not depend on its parameters; and state
/// outside the method (static fields, files) written by a call is not followed.
/// </remarks>
internal sealed class GradientFlow
{
    private readonly RuleSet _rules;
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly HashSet<string> _carries;
    private readonly bool _modelHasParameters;
    private readonly HashSet<(string Id, SourceSpan Span)> _reported = new();

    private GradientFlow(RuleSet rules, List<DiagnosticInfo> diagnostics, HashSet<string> carries)
    {
        _rules = rules;
        _diagnostics = diagnostics;
        _carries = carries;
        _modelHasParameters = carries.Any(c => c.StartsWith(ParameterSpec.FieldPrefix, System.StringComparison.Ordinal));
    }

    public static void Check(Block body, IEnumerable<ParameterSpec> inputs, IEnumerable<string> outputs, RuleSet rules, List<DiagnosticInfo> diagnostics)
    {
        List<Edge> edges = Edges(body, rules).ToList();
        var carries = new HashSet<string>(inputs.Where(p => p.IsDifferentiable).Select(p => p.Name));
        var flow = new GradientFlow(rules, diagnostics, carries);
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (Edge edge in edges)
            {
                if (edge.Target is { } target && !carries.Contains(target) && flow.Carries(edge.Value))
                {
                    carries.Add(target);
                    changed = true;
                }
            }
        }

        var reaches = new HashSet<string>(outputs);
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (Edge edge in edges)
            {
                if (edge.Target is { } target && reaches.Contains(target))
                {
                    foreach (string read in FlowReads(edge.Value))
                    {
                        changed |= reaches.Add(read);
                    }
                }
            }
        }

        foreach (Edge edge in edges)
        {
            if (edge.Target is { } target && reaches.Contains(target))
            {
                flow.Visit(edge.Value);
            }
            else if (edge.Target is null && flow.Carries(edge.Value) && CanHoldGradient(edge.Value.Type))
            {
                flow.Report(DiagnosticDescriptors.ActiveWrittenOutside, edge.Span, Display(edge.Value), edge.Written!);
            }
        }
    }

    /// <summary>
    /// A flow of values: <see cref="Value"/> goes into the variable <see cref="Target"/>, or, when the
    /// target is null, out of the method into <see cref="Written"/> (a field or property).
    /// </summary>
    private sealed record Edge(string? Target, Expr Value, SourceSpan Span, string? Written = null);

    private static IEnumerable<Edge> Edges(Block body, RuleSet rules)
    {
        foreach (Stmt statement in Walk.Statements(body))
        {
            switch (statement)
            {
                case Declare { Initializer: { } value } s:
                    yield return new Edge(s.Variable.Name, value, s.Span);
                    break;
                case Assign { Target: Local target } s:
                    yield return new Edge(target.Name, s.Value, s.Span);
                    break;
                case Assign { Target: Element target } s:
                    yield return new Edge(target.Array.Name, s.Value, s.Span);
                    break;
                case Assign { Target: Opaque target } s:
                    yield return new Edge(null, s.Value, s.Span, target.Construct);
                    break;
                case ForEach s:
                    yield return new Edge(s.Variable.Name, s.Collection, s.Span);
                    break;
            }
            foreach (Expr own in Walk.OwnExpressions(statement))
            {
                foreach (Expr e in Walk.Expressions(own))
                {
                    if (e is Invocation call && rules.Resolve(call.Callee) is null)
                    {
                        // A call without a derivative may keep what it receives in the objects and
                        // arrays it is given (list.Add(x), Array.Fill(w, x)), and in its ref and out arguments.
                        foreach (Local target in Inputs(call).Select(WithoutConversion).OfType<Local>().Where(IsMutable)
                            .Concat(call.Arguments.Where(a => a.Kind is RefMode.Ref or RefMode.Out).Select(a => a.Value).OfType<Local>()))
                        {
                            yield return new Edge(target.Name, call, call.Span);
                        }
                    }
                }
            }
        }
    }

    private static IEnumerable<Expr> Inputs(Invocation call) =>
        (call.Receiver is null ? Enumerable.Empty<Expr>() : new[] { call.Receiver }).Concat(call.Arguments.Select(a => a.Value));

    /// <summary>A local holding an object or array that a call could change (not a string).</summary>
    private static bool IsMutable(Local input) =>
        (input.Type.Kind == ValueKind.Other || input.Type.IsArray) && input.Type.Name is not ("string" or "string?");

    /// <summary>Whether the value depends on a differentiable input through anything but comparisons and cuts.</summary>
    private bool Carries(Expr expression)
    {
        if (expression.Type == TypeRef.Bool)
        {
            return false;
        }
        switch (expression)
        {
            case Local e:
                return _carries.Contains(e.Name);
            case Element e:
                return _carries.Contains(e.Array.Name);
            case Binary e:
                return Carries(e.Left) || Carries(e.Right);
            case Unary e:
                return Carries(e.Operand);
            case Conditional e:
                return Carries(e.WhenTrue) || Carries(e.WhenFalse);
            case Cast e:
                return !IsIntegerCut(e) && Carries(e.Operand);
            case Invocation e:
                return Inputs(e).Any(Carries) || (ReadsModel(e) && e.Type.IsDifferentiable);
            case Opaque e:
                return e.Holes.Any(Carries);
            default:
                // Literals, Grad.Stop, array lengths and new arrays.
                return false;
        }
    }

    /// <summary>
    /// A call that can read the model's parameters: a helper of the model called on this, or any
    /// method given this as an argument (Scale(this, x) reading this.W).
    /// </summary>
    private bool ReadsModel(Invocation call) =>
        call.Callee.ReadsParameters || (_modelHasParameters && call.Arguments.Any(a => Walk.IsThis(a.Value)));

    /// <summary>(int)x of a floating-point value: the gradient stops on purpose (warning ADIFF008).</summary>
    public static bool IsIntegerCut(Cast cast) => cast.Operand.Type.IsDifferentiable && cast.Type.Kind == ValueKind.Unmanaged && IsIntegral(cast.Type.Name);

    /// <summary>The variables whose values flow into the expression's value, by any operation.</summary>
    private static IEnumerable<string> FlowReads(Expr expression)
    {
        if (expression.Type == TypeRef.Bool)
        {
            yield break;
        }
        IEnumerable<Expr> operands = expression switch
        {
            Local or Literal or ArrayLength or NewArray or StopGradient => Enumerable.Empty<Expr>(),
            Element e => new Expr[] { e.Array },
            Conditional e => new[] { e.WhenTrue, e.WhenFalse },
            Cast e when IsIntegerCut(e) => Enumerable.Empty<Expr>(),
            _ => Walk.Operands(expression),
        };
        if (expression is Local local)
        {
            yield return local.Name;
        }
        foreach (Expr operand in operands)
        {
            foreach (string name in FlowReads(operand))
            {
                yield return name;
            }
        }
    }

    /// <summary>Reports every operation on the way to a reaching value that drops a carried gradient.</summary>
    private void Visit(Expr expression)
    {
        if (!Carries(expression))
        {
            return;
        }
        switch (expression)
        {
            case Invocation call:
                VisitCall(call);
                return;
            case Opaque { Printable: true } opaque:
                foreach (Expr hole in opaque.Holes)
                {
                    if (Carries(hole) && hole.Type.IsDifferentiable)
                    {
                        Report(DiagnosticDescriptors.NoDerivative, opaque.Span, Display(opaque), Display(hole));
                    }
                    Visit(hole);
                }
                return;
            case Opaque:
                return; // a lambda: ADIFF007 or ADIFF009
            case Conditional e:
                Visit(e.WhenTrue);
                Visit(e.WhenFalse);
                return;
            case Cast e when IsIntegerCut(e):
                return;
            case Cast e when !e.Type.IsDifferentiable && e.Operand.Type.IsDifferentiable:
                // (decimal)x, a double? or a user-defined conversion: no derivative.
                Report(DiagnosticDescriptors.NoDerivative, e.Span, Display(e), Display(e.Operand));
                Visit(e.Operand);
                return;
            default:
                foreach (Expr operand in Walk.Operands(expression))
                {
                    Visit(operand);
                }
                return;
        }
    }

    private void VisitCall(Invocation call)
    {
        DerivativeRule? rule = _rules.Resolve(call.Callee);
        bool receiverIsInput = call.Receiver is not null && !call.Callee.ModelMethod;
        bool anyCarried = false;
        if (call.Receiver is not null)
        {
            anyCarried |= Carries(call.Receiver);
            if (receiverIsInput && Carries(call.Receiver) && call.Receiver.Type.IsDifferentiable && rule is null)
            {
                Report(DiagnosticDescriptors.NoDerivative, call.Span, call.Callee.Display, Display(call.Receiver));
            }
            Visit(call.Receiver);
        }
        for (int i = 0; i < call.Arguments.Count; i++)
        {
            // xs.Sum() converts xs to IEnumerable<double> on the way in: the call is what has no derivative.
            Expr argument = WithoutConversion(call.Arguments[i].Value);
            bool carried = Carries(argument);
            anyCarried |= carried;
            bool differentiated = rule is not null && call.Callee.Differentiates(i);
            // An array handed as it is to a call without a derivative is reported wherever the call
            // is (it could write into it); one passed as IEnumerable<T> only here, if it matters.
            bool reportedElsewhere = rule is null && call.Arguments[i].Value.Type.IsArray;
            if (carried && argument.Type.IsDifferentiable && !differentiated && !reportedElsewhere)
            {
                Report(DiagnosticDescriptors.NoDerivative, call.Span, call.Callee.Display, Display(argument));
            }
            Visit(argument);
        }
        if (rule is null && !anyCarried && ReadsModel(call) && call.Type.IsDifferentiable)
        {
            Report(DiagnosticDescriptors.NoDerivative, call.Span, call.Callee.Display, "this (the model's parameters)");
        }
    }

    /// <summary>The value under a reference conversion (an array passed as IEnumerable&lt;double&gt;).</summary>
    public static Expr WithoutConversion(Expr argument) =>
        argument is Opaque { Holes.Count: 1 } conversion && conversion.Construct.StartsWith(ConversionConstruct, System.StringComparison.Ordinal)
            ? conversion.Holes[0]
            : argument;

    /// <summary>How the front end names reference and interface conversions.</summary>
    public const string ConversionConstruct = "conversion to ";

    /// <summary>Types whose values can hold a gradient's worth of information: not integers, chars or bools.</summary>
    private static bool CanHoldGradient(TypeRef type) =>
        type.Kind != ValueKind.Unmanaged || !IsIntegral(type.Name);

    private static bool IsIntegral(string name) =>
        name is "int" or "long" or "short" or "byte" or "sbyte" or "uint" or "ulong" or "ushort" or "char" or "bool" or "nint" or "nuint";

    private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, SourceSpan span, string first, string second)
    {
        if (_reported.Add((descriptor.Id, span)))
        {
            _diagnostics.Add(DiagnosticInfo.Create(descriptor.Id, span, first, second));
        }
    }

    private static string Display(Expr expression) => ExpressionPrinter.Print(expression).Replace("global::", string.Empty);

}
