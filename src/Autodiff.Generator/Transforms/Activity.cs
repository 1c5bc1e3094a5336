using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// Static activity analysis, PyTorch's requires_grad contagion done at compile time. A variable is
/// <em>varied</em> when its value depends on a differentiable parameter, <em>useful</em> when its value
/// reaches the result through differentiable operations, and <em>active</em> when both: only
/// active variables get adjoints and backward code. Flow-insensitive (a variable is varied if any
/// assignment makes it so), iterated to a fixed point because loops feed values back.
/// </summary>
internal sealed class Activity
{
    private readonly HashSet<string> _varied;
    private readonly HashSet<string> _useful;
    private readonly System.Func<Invocation, bool>? _constantCalls;

    private Activity(HashSet<string> varied, HashSet<string> useful, System.Func<Invocation, bool>? constantCalls)
    {
        _varied = varied;
        _useful = useful;
        _constantCalls = constantCalls;
    }

    public bool IsActive(string name) => _varied.Contains(name) && _useful.Contains(name);

    /// <summary>Whether the variable's value reaches the result through differentiable operations (whether or not it depends on an input).</summary>
    public bool IsUseful(string name) => _useful.Contains(name);

    /// <summary>Records a temporary introduced after the analysis (flattening) that holds a varied value.</summary>
    public void AddVaried(string name)
    {
        _varied.Add(name);
        _useful.Add(name);
    }

    /// <param name="outputs">The result, and the array parameters the method writes into: their final contents are outputs too.</param>
    /// <param name="constantCalls">Calls whose results count as constants (step functions, for forward mode: see <see cref="Model.DerivativeRule.IsZero"/>).</param>
    public static Activity Analyze(Block body, IEnumerable<ParameterSpec> parameters, IEnumerable<string> outputs, ArrayWrites writes,
        System.Func<Invocation, bool>? constantCalls = null)
    {
        var inputs = parameters.ToList();
        var varied = new HashSet<string>(inputs.Where(p => p.IsDifferentiable).Select(p => p.Name));
        var modelParameters = inputs.Where(p => p.IsDifferentiable && p.Name.StartsWith(ParameterSpec.FieldPrefix, System.StringComparison.Ordinal)).Select(p => p.Name).ToList();
        var assignments = Assignments(body, writes).ToList();
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach ((string target, Expr value) in assignments)
            {
                if (!varied.Contains(target) && IsVaried(value, varied, constantCalls))
                {
                    varied.Add(target);
                    changed = true;
                }
            }
        }

        var useful = new HashSet<string>(outputs);
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach ((string target, Expr value) in assignments)
            {
                if (!useful.Contains(target))
                {
                    continue;
                }
                foreach (string read in DifferentiableReads(value))
                {
                    if (read == AllParameters)
                    {
                        foreach (string parameter in modelParameters)
                        {
                            changed |= useful.Add(parameter);
                        }
                        continue;
                    }
                    changed |= useful.Add(read);
                }
            }
        }
        return new Activity(varied, useful, constantCalls);
    }

    /// <summary>Whether the expression's value depends on a differentiable input (through differentiable operations).</summary>
    public bool IsVaried(Expr expression) => IsVaried(expression, _varied, _constantCalls);

    /// <summary>Whether the expression carries a gradient: it is varied, and of a differentiable type.</summary>
    public bool IsActiveValue(Expr expression) => expression.Type.IsDifferentiable && IsVaried(expression, _varied, _constantCalls);

    private static bool IsVaried(Expr expression, HashSet<string> varied, System.Func<Invocation, bool>? constantCalls)
    {
        if (!expression.Type.IsDifferentiable)
        {
            return false;
        }
        switch (expression)
        {
            case Local e:
                return varied.Contains(e.Name);
            case Element e:
                return varied.Contains(e.Array.Name);
            case Binary e:
                return IsArithmetic(e.Op) && (IsVaried(e.Left, varied, constantCalls) || IsVaried(e.Right, varied, constantCalls));
            case Unary e:
                return e.Op is UnaryOp.Negate or UnaryOp.Plus && IsVaried(e.Operand, varied, constantCalls);
            case Conditional e:
                return IsVaried(e.WhenTrue, varied, constantCalls) || IsVaried(e.WhenFalse, varied, constantCalls);
            case Cast e:
                return IsVaried(e.Operand, varied, constantCalls);
            case Invocation e:
                return constantCalls?.Invoke(e) != true
                    && (e.Callee.ReadsParameters || (e.Receiver is not null && IsVaried(e.Receiver, varied, constantCalls)) || e.Arguments.Any(a => IsVaried(a.Value, varied, constantCalls)));
            default:
                // Literals, Grad.Stop, lengths, new arrays and opaque constructs carry no gradient.
                return false;
        }
    }

    /// <summary>Stands for every parameter of the model, read by a call to one of its methods.</summary>
    private const string AllParameters = ParameterSpec.FieldPrefix + "*";

    public static bool IsArithmetic(BinaryOp op) => op is BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide or BinaryOp.Remainder;

    /// <summary>The variables whose values flow into the expression's value through differentiable operations.</summary>
    public static IEnumerable<string> DifferentiableReads(Expr expression)
    {
        if (!expression.Type.IsDifferentiable)
        {
            yield break;
        }
        switch (expression)
        {
            case Local e:
                yield return e.Name;
                break;
            case Element e:
                yield return e.Array.Name;
                break;
            case Binary e when IsArithmetic(e.Op):
                foreach (string name in DifferentiableReads(e.Left).Concat(DifferentiableReads(e.Right))) yield return name;
                break;
            case Unary { Op: UnaryOp.Negate or UnaryOp.Plus } e:
                foreach (string name in DifferentiableReads(e.Operand)) yield return name;
                break;
            case Conditional e:
                foreach (string name in DifferentiableReads(e.WhenTrue).Concat(DifferentiableReads(e.WhenFalse))) yield return name;
                break;
            case Cast e:
                foreach (string name in DifferentiableReads(e.Operand)) yield return name;
                break;
            case Invocation e:
                if (e.Callee.ReadsParameters)
                {
                    yield return AllParameters;
                }
                if (e.Receiver is not null)
                {
                    foreach (string name in DifferentiableReads(e.Receiver)) yield return name;
                }
                for (int i = 0; i < e.Arguments.Count; i++)
                {
                    if (e.Callee.Differentiates(i))
                    {
                        foreach (string name in DifferentiableReads(e.Arguments[i].Value)) yield return name;
                    }
                }
                break;
        }
    }

    /// <summary>Every (variable, value) pair the body assigns; an element write, or a call that writes into an array, assigns the array.</summary>
    private static IEnumerable<(string Target, Expr Value)> Assignments(Block body, ArrayWrites writes)
    {
        foreach (Stmt statement in Walk.Statements(body))
        {
            foreach (Expr own in Walk.OwnExpressions(statement))
            {
                foreach (Invocation call in Walk.Expressions(own).OfType<Invocation>())
                {
                    foreach ((int _, Local array) in writes.WrittenBy(call))
                    {
                        yield return (array.Name, call);
                    }
                }
            }
            switch (statement)
            {
                case Declare { Initializer: { } value } s:
                    yield return (s.Variable.Name, value);
                    break;
                case Assign { Target: Local target } s:
                    yield return (target.Name, s.Value);
                    break;
                case Assign { Target: Element target } s:
                    yield return (target.Array.Name, s.Value);
                    break;
            }
        }
    }
}
