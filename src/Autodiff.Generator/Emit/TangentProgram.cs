using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Emit;

/// <summary>
/// Forward mode as a program of the IR rather than as printed code: the method's statements, each
/// with the statement that carries its tangent, and at the end the tangent of the result. It is a
/// method like any other, so reverse mode differentiates it: with respect to the inputs its gradient
/// is the Hessian-vector product H·v (reverse over forward), with respect to the tangents it is the
/// gradient. The tangents are <see cref="TangentExpressions"/>' Jacobian rows, and Math calls go
/// through their pushforwards, whose own pullbacks (<c>SinTangentBackward</c>) give the second
/// derivatives. What it does not cover yet (calls of other methods, rules without a pushforward,
/// tangents of arrays the method writes for its caller) is a <see cref="TangentUnsupportedException"/>.
/// </summary>
internal sealed class TangentProgram
{
    private readonly MethodContext _context;
    private readonly TangentNames _tangents;
    private readonly TangentExpressions _expressions;

    private readonly string? _modelDirection;

    /// <param name="modelDirection">A model's program: its parameter holding the direction of the model's parameters (a Gradients object, null for zero), passed on to the methods of the model and its sub-models it calls.</param>
    public TangentProgram(MethodContext context, IReadOnlyDictionary<string, string> parameterTangents, string? modelDirection = null)
    {
        _context = context;
        _modelDirection = modelDirection;
        _tangents = new TangentNames(context, parameterTangents);
        _expressions = new TangentExpressions(context.Activity.IsVaried, TangentOf);
    }

    /// <summary>The key of a method's tangent program, from the method's: callers' calls of the program carry it.</summary>
    public static string ProgramKey(string methodKey) => methodKey + "#tangent";

    /// <summary>The [Differentiable] methods whose tangent programs this one calls (each must have its own).</summary>
    public List<PullbackCall> Calls { get; } = new();

    /// <summary>The program: the method's body with its tangents, then <c>return</c> of the result's tangent.</summary>
    public Block Build()
    {
        var statements = Block(_context.Body).Statements.ToList();
        Local result = _context.Result;
        Expr tangent = TangentOf(result.Name) is { } name ? new Local(result.Type, name) : TangentExpressions.Zero(result.Type);
        statements.Add(new Return(SourceSpan.None, "return the tangent", tangent));
        return new Block(statements.ToEquatableArray());
    }

    private string? TangentOf(string variable)
    {
        string? name = _tangents.Of(variable, out bool claimed);
        if (claimed && _context.ParameterNames.Contains(variable))
        {
            throw new TangentUnsupportedException("a [NoGrad] parameter assigned a value that depends on the inputs");
        }
        return name;
    }

    private Block Block(Block block)
    {
        var output = new List<Stmt>();
        foreach (Stmt statement in block.Statements)
        {
            Statement(statement, output);
        }
        return new Block(output.ToEquatableArray());
    }

    private void Statement(Stmt statement, List<Stmt> output)
    {
        switch (statement)
        {
            case Declare s:
                Declaration(s, output);
                return;
            case Assign s:
                Assignment(s, s.Target, s.Kind, s.Value, output);
                return;
            case Evaluate s:
                RefuseLostWrites(s.Expression);
                output.Add(statement);
                return;
            case Throw:
                output.Add(statement);
                return;
            case If s:
                output.Add(s with { Then = Block(s.Then), Else = Block(s.Else) });
                return;
            case Loop s:
                output.Add(s with { Initializer = Block(s.Initializer), Body = Block(s.Body), Step = Block(s.Step) });
                return;
            case ForEach s:
                output.Add(s with { Body = Block(s.Body) });
                return;
            default:
                throw ReverseSweep.Unlowered(statement);
        }
    }

    private void Declaration(Declare s, List<Stmt> output)
    {
        string? tangent = TangentOf(s.Variable.Name);
        if (tangent is null)
        {
            RefuseLostWrites(s.Initializer);
            output.Add(s);
            return;
        }
        var place = new Local(s.Variable.Type, tangent);
        if (s.Variable.Type.IsArray)
        {
            if (s.Initializer is not NewArray)
            {
                throw new TangentUnsupportedException("an array initialised from " + TangentExpressions.Describe(s.Initializer!));
            }
            output.Add(s);
            output.Add(new Declare(s.Span, s.Source, place, new NewArray(s.Variable.Type, new ArrayLength(TypeRef.Int, s.Variable))));
            return;
        }
        if (s.Initializer is Invocation call && _context.Activity.IsVaried(call))
        {
            output.Add(new Declare(s.Span, s.Source, place, null));
            output.Add(s with { Initializer = null });
            Call(s, s.Variable, place, AssignKind.Set, call, output);
            return;
        }
        Expr? initialTangent = s.Initializer is null ? null : s.Variable.Type.IsTensor ? VariableTangentOf(s.Initializer, s.Span) : _expressions.Of(s.Initializer);
        output.Add(new Declare(s.Span, s.Source, place, initialTangent ?? TangentExpressions.Zero(s.Variable.Type)));
        output.Add(s);
    }

    /// <summary><c>target op= value</c> after its tangent (which reads the operands as they were), or a call's primal then its pushforward.</summary>
    private void Assignment(Stmt site, Expr target, AssignKind kind, Expr value, List<Stmt> output)
    {
        var primal = new Assign(site.Span, site.Source, target, kind, value);
        Expr? place = _expressions.OfPlace(target);
        if (value is Invocation call && _context.Activity.IsVaried(call))
        {
            if (place is null)
            {
                throw new TangentUnsupportedException("a call of " + call.Callee.Display + " whose result is not differentiated");
            }
            Call(site, target, place, kind, call, output);
            return;
        }
        if (place is null)
        {
            if (target.Type.IsArray && _context.Activity.IsVaried(value))
            {
                throw new TangentUnsupportedException("an array assigned from another");
            }
            output.Add(primal);
            return;
        }
        if (target.Type.IsArray)
        {
            throw new TangentUnsupportedException("an array assigned from " + TangentExpressions.Describe(value));
        }
        if (target.Type.IsTensor && kind != AssignKind.Set)
        {
            throw new TangentUnsupportedException("a compound assignment of a tensor");
        }
        Expr? tangent = target.Type.IsTensor ? VariableTangentOf(value, site.Span) : _expressions.Of(value);
        bool unchanged = kind == AssignKind.Set && tangent == place; // t = t + 1 leaves dt as it is
        if ((tangent is not null || kind == AssignKind.Set) && !unchanged)
        {
            output.Add(new Assign(site.Span, site.Source, place, kind, tangent ?? TangentExpressions.Zero(target.Type)));
        }
        output.Add(primal);
    }

    /// <summary>
    /// A call: its value into a temporary, its tangent into another, both assigned to the target. A
    /// Math call's tangent is its pushforward, whose own pullback gives the second derivatives; a
    /// [Differentiable] method's is its tangent program (<c>GTangentProgram</c>, whose generated
    /// pullback does the same).
    /// </summary>
    private void Call(Stmt site, Expr target, Expr place, AssignKind kind, Invocation call, List<Stmt> output)
    {
        Invocation tangentCall;
        var value = new Local(call.Type, _context.Names.Claim("value"));
        if (_context.Rules.UsesGeneratedPullback(call.Callee) && _context.Rules.ResolvePushforward(call.Callee) is null)
        {
            tangentCall = ProgramCall(call);
        }
        else if (_context.Rules.ResolvePushforward(call.Callee) is { } pushforward && !_context.Rules.UsesGeneratedPullback(call.Callee))
        {
            tangentCall = PushforwardCall(call, pushforward, value);
        }
        else
        {
            throw new TangentUnsupportedException("a call of " + call.Callee.Display + ", which has no pushforward rule");
        }
        var tangent = new Local(call.Type, _context.Names.Claim("tangent"));
        output.Add(new Declare(site.Span, site.Source, value, call));
        output.Add(new Declare(site.Span, site.Source, tangent, tangentCall));
        output.Add(new Assign(site.Span, site.Source, place, kind, tangent));
        output.Add(new Assign(site.Span, site.Source, target, kind, value));
    }

    /// <summary>
    /// The tangent a tensor variable takes from its value: zeros of the value's shape where it does
    /// not vary, not null. A variable may be passed to another method's tangent program later (after
    /// <c>h = x</c>, <c>h = layer.Forward(h)</c> in a loop), whose pullback needs every direction it takes
    /// as a tensor; a rule's own null tangent (<see cref="TensorTangentOf"/>) stays for rules, which skip its work.
    /// </summary>
    private Expr VariableTangentOf(Expr value, SourceSpan span)
    {
        Expr tangent = TensorTangentOf(value);
        return tangent is Literal ? ZerosLike(value, span) : tangent;
    }

    /// <summary>
    /// A tensor's tangent: its variable's, or a null tensor (zero) where it does not vary. Tensor
    /// operations are calls, which flattening names, so any other varied tensor expression is a gap
    /// rather than a zero (<see cref="TangentExpressions"/> covers numbers only).
    /// </summary>
    private Expr TensorTangentOf(Expr value)
    {
        if (value is Local local && TangentOf(local.Name) is { } tangent)
        {
            return new Local(value.Type, tangent);
        }
        if (value is Local || !_context.Activity.IsVaried(value))
        {
            return TangentExpressions.Zero(value.Type);
        }
        throw new TangentUnsupportedException("a tensor computed as " + TangentExpressions.Describe(value));
    }

    /// <summary>
    /// <c>Tensor.ZerosLike(argument)</c>, the direction of a tensor argument that does not vary. The
    /// callee's program is a method like any other, whose tensor parameters its pullback requires
    /// (it sizes their accumulators from them), so a zero direction is a tensor, not null. A call
    /// with no differentiable parameter, it is constant to the activity analysis.
    /// </summary>
    private static Invocation ZerosLike(Expr argument, SourceSpan span)
    {
        var callee = new Callee(
            "Tensor.ZerosLike",
            TypeRef.TensorName + ".ZerosLike",
            "Autodiff.Tensor.ZerosLike(Autodiff.Tensor)",
            null,
            new[] { argument.Type }.ToEquatableArray(),
            new[] { false }.ToEquatableArray());
        return new Invocation(argument.Type, callee, null, new[] { new Argument(argument, RefMode.Value) }.ToEquatableArray(), span);
    }

    private Invocation PushforwardCall(Invocation call, DerivativeRule pushforward, Local value)
    {
        List<(Expr Value, bool Differentiable)> inputs = RuleInputs.Of(call);
        if (inputs.Any(input => input.Value.Type.IsArray && input.Differentiable))
        {
            throw new TangentUnsupportedException("a call of " + call.Callee.Display + " with an array argument");
        }
        var arguments = inputs.Select(input => input.Value).ToList();
        if (pushforward.TakesResult)
        {
            arguments.Add(value);
        }
        arguments.AddRange(inputs.Where(input => input.Differentiable)
            .Select(input => input.Value.Type.IsTensor ? TensorTangentOf(input.Value) : _expressions.OfArgument(input.Value, input.Value.Type)));
        var callee = new Callee(
            pushforward.Name,
            pushforward.PrintedFor(call),
            pushforward.RuleKey,
            null,
            arguments.Select(a => a.Type).ToEquatableArray(),
            arguments.Select(a => a.Type.IsScalar || a.Type.IsTensor).ToEquatableArray());
        return new Invocation(call.Type, callee, null, arguments.Select(a => new Argument(a, RefMode.Value)).ToEquatableArray(), call.Span);
    }

    /// <summary>
    /// A call whose result needs no tangent (it is unused, or a statement of its own) but which writes
    /// varied values into its arrays: their tangents would be lost, so the method gets no tangent
    /// program (ADIFF021 where a Hessian-vector product was asked for) rather than a wrong one. Found
    /// by the random-program tester (seed 8123301: a Hessian-vector product of 0 where differences of
    /// the gradient give −0.56).
    /// </summary>
    private void RefuseLostWrites(Expr? value)
    {
        if (value is Invocation call && _context.Activity.IsVaried(call) && _context.Writes.WritesAny(call))
        {
            throw UnsupportedCall(call);
        }
    }

    private static TangentUnsupportedException UnsupportedCall(Invocation call) =>
        new("a call of " + call.Callee.Display + " (an instance method, one that writes into its arrays, or one that does not return a number)");

    /// <summary>
    /// The tangent of a call of another [Differentiable] method: its tangent program, a method of the
    /// primal arguments and their tangents (a zero array where an array has none). A model's method, or
    /// its sub-model's, takes the direction of the parameters too: the model's own, or the sub-model's
    /// share of it (<c>direction?.Blocks[i]</c> for <c>this.Blocks[i]</c>, as the gradients are shared).
    /// </summary>
    private Invocation ProgramCall(Invocation call)
    {
        bool takesDirection = call.Callee.ModelMethod && call.Callee.ReadsParameters;
        if ((call.Receiver is not null && !call.Callee.ModelMethod) || (takesDirection && _modelDirection is null)
            || call.Arguments.Any(a => a.Kind != RefMode.Value) || !(call.Type.IsScalar || call.Type.IsTensor) || _context.Writes.WritesAny(call))
        {
            throw UnsupportedCall(call);
        }
        var arguments = call.Arguments.Select(a => a.Value).ToList();
        var differentiable = Enumerable.Range(0, call.Arguments.Count).Select(call.Callee.Differentiates).ToList();
        foreach (int i in Enumerable.Range(0, call.Arguments.Count).Where(call.Callee.Differentiates))
        {
            Expr argument = call.Arguments[i].Value;
            TypeRef type = call.Callee.ParameterTypes[i];
            if (type.IsArray)
            {
                arguments.Add(argument is Local array && TangentOf(array.Name) is { } tangent
                    ? new Local(type, tangent)
                    : new NewArray(type, argument is Local local ? new ArrayLength(TypeRef.Int, local) : throw new TangentUnsupportedException("an array argument of " + call.Callee.Display)));
            }
            else if (type.IsTensor)
            {
                arguments.Add(VariableTangentOf(argument, call.Span));
            }
            else
            {
                arguments.Add(_expressions.OfArgument(argument, type));
            }
            differentiable.Add(true);
        }
        if (takesDirection)
        {
            arguments.Add(DirectionFor(call));
            differentiable.Add(false);
        }
        string program = HessianVectorWriter.ProgramOf(call.Callee.Pullback!);
        Calls.Add(new PullbackCall(call.Callee.RuleKey, call.Callee.Display, call.Span));
        // A model's method keeps its receiver and flags: its program's pullback adds into the same share of the gradients.
        Callee callee = call.Callee with
        {
            Display = call.Callee.Display + "'s tangent",
            Printed = program,
            RuleKey = ProgramKey(call.Callee.RuleKey),
            Pullback = program + MemberSuffixes.Pullback,
            ParameterTypes = call.Callee.ParameterTypes.Concat(arguments.Skip(call.Arguments.Count).Select(a => a.Type)).ToEquatableArray(),
            DifferentiableParameters = differentiable.ToEquatableArray(),
        };
        return new Invocation(call.Type, callee, call.Receiver, arguments.Select(a => new Argument(a, RefMode.Value)).ToEquatableArray(), call.Span);
    }

    /// <summary>The direction of the parameters a model's method reads: this method's own, or the sub-model's share of it.</summary>
    private Expr DirectionFor(Invocation call)
    {
        var own = new Local(HessianVectorWriter.DirectionType(null), _modelDirection!);
        if (!call.Callee.SubModel)
        {
            return own;
        }
        Expr share = SubModelGradients.Of(call.Receiver!, _modelDirection + "?");
        return share is Opaque opaque
            ? opaque with { Type = HessianVectorWriter.DirectionType(call.Receiver!.Type.Name) }
            : throw new TangentUnsupportedException("a call of " + call.Callee.Display + " on a sub-model it cannot find the direction of");
    }
}
