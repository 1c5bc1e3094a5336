using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Emit;

/// <summary>
/// Builds the body of forward mode (<c>FTangent</c>): the method's own statements, each preceded by
/// the statement that carries its tangent forward. A tangent is computed before the assignment it
/// belongs to, so it reads the operands' values as they were (<c>x = x * y</c> gets
/// <c>dx = dx * y + x * dy</c> first); a call's tangent follows the call when its rule reads the
/// result. Control flow is the method's own: forward mode needs no saves and no reverse sweep.
/// Only active values (those that depend on a differentiated input and reach the result) get a
/// tangent; everything else is zero and prints nothing.
/// </summary>
internal sealed class TangentSweep
{
    private readonly MethodContext _context;
    private readonly TangentNames _tangents;
    private readonly TangentExpressions _expressions;
    private readonly Dictionary<string, string> _sinks = new();
    private readonly string? _modelDirection;
    private string? _lastSource;

    /// <param name="parameterTangents">The tangent parameter of each differentiable parameter.</param>
    /// <param name="modelDirection">For a method of a model, the parameter holding its parameters' direction, passed on to the model's other methods.</param>
    public TangentSweep(MethodContext context, IReadOnlyDictionary<string, string> parameterTangents, string? modelDirection = null)
    {
        _context = context;
        _modelDirection = modelDirection;
        _tangents = new TangentNames(context, parameterTangents);
        _expressions = new TangentExpressions(context.Activity.IsVaried, TangentOf);
    }

    /// <summary>The keys of the methods whose tangent members the body calls: it compiles only if they exist.</summary>
    public List<PullbackCall> TangentCalls { get; } = new();

    /// <summary>Locals the body needs declared at its start: hoisted tangents and the sinks of unused partials.</summary>
    public List<(TypeRef Type, string Name, string Initializer)> DeclaredAtTop { get; } = new();

    public List<Code> Build()
    {
        foreach (string hoisted in _context.Variables.Where(_context.IsHoisted))
        {
            if (TangentOf(hoisted) is { } tangent)
            {
                TypeRef type = _context.TypeOf(hoisted);
                DeclaredAtTop.Add((type.AdjointType, tangent, type.IsTensor ? type.Zero : ReverseSweep.DefaultOf(type)));
            }
        }
        return Block(_context.Body, topLevel: true);
    }

    /// <summary>The tangent variable of an active variable; null for those whose tangent is always zero.</summary>
    public string? TangentOf(string variable)
    {
        string? name = _tangents.Of(variable, out bool claimed);
        if (claimed && _context.ParameterNames.Contains(variable))
        {
            TypeRef type = _context.TypeOf(variable);
            // A [NoGrad] parameter that the method assigns active values to: its tangent starts at
            // zero (the caller gave none) and follows what the method writes into it.
            string initializer = type.IsArray ? "new " + type.Element.Name + "[" + ExpressionPrinter.Identifier(variable) + ".Length]" : type.Zero;
            DeclaredAtTop.Add((type.AdjointType, name!, initializer));
        }
        return name;
    }

    private List<Code> Block(Block block, bool topLevel)
    {
        var code = new List<Code>();
        for (int i = 0; i < block.Statements.Count; i++)
        {
            Statement(block.Statements[i], topLevel, code);
            if (topLevel && block.Statements[i] is Loop loop)
            {
                // The values and tangents the loop carries into calls after it, defined again past it.
                code.AddRange(LoopExitDefinitions.After(loop, block.Statements.Skip(i + 1), _context.TypeOf, CarriedNames));
            }
        }
        return code;
    }

    /// <summary>A variable a loop carries, and its tangent when it has one (see <see cref="LoopExitDefinitions"/>).</summary>
    private IEnumerable<string> CarriedNames(string variable)
    {
        yield return ExpressionPrinter.Identifier(variable);
        if (_context.Activity.IsActive(variable) && TangentOf(variable) is { } tangent)
        {
            yield return tangent;
        }
    }

    /// <summary>The statement being printed (for <see cref="MethodContext.TrigCompanions"/>).</summary>
    private Stmt? _site;

    private void Statement(Stmt statement, bool topLevel, List<Code> code)
    {
        _site = statement;
        switch (statement)
        {
            case Declare s:
            {
                int before = code.Count;
                Declaration(s, topLevel, code);
                Comment(s, before, code);
                return;
            }
            case Assign s:
            {
                int before = code.Count;
                Assignment(s.Target, s.Kind, s.Value, declaration: null, code);
                Comment(s, before, code);
                return;
            }
            case Evaluate s:
                code.Add(new Line(ExpressionPrinter.Print(s.Expression) + ";"));
                return;
            case Throw s:
                code.Add(new Line("throw " + ExpressionPrinter.Print(s.Exception) + ";"));
                return;
            case If s:
                code.Add(ControlFlow.If(s.Condition, Block(s.Then, false), Block(s.Else, false)));
                return;
            case Loop s:
                ControlFlow.Loop(s, Block(s.Initializer, false), Block(s.Body, false), Block(s.Step, false), code);
                return;
            case ForEach s:
                code.Add(ControlFlow.ForEach(s, Block(s.Body, false)));
                return;
            default:
                throw ReverseSweep.Unlowered(statement);
        }
    }

    /// <summary>Ties a statement that carries a tangent (more than its own line) to its source line, once per source statement, as the backward pass does.</summary>
    private void Comment(Stmt statement, int before, List<Code> code)
    {
        if (code.Count - before > 1 && statement.Source.Length > 0 && statement.Source != _lastSource)
        {
            code.Insert(before, new Line("// " + ReverseSweep.Describe(statement)));
            _lastSource = statement.Source;
        }
    }

    private void Declaration(Declare s, bool topLevel, List<Code> code)
    {
        string name = ExpressionPrinter.Identifier(s.Variable.Name);
        bool declaredHere = topLevel && !_context.IsHoisted(s.Variable.Name);
        string? tangent = TangentOf(s.Variable.Name);
        if (s.Initializer is null)
        {
            if (declaredHere)
            {
                code.Add(new Line(s.Variable.Type.Name + " " + name + " = " + ReverseSweep.DefaultOf(s.Variable.Type) + ";"));
                if (tangent is not null)
                {
                    string zero = s.Variable.Type.IsTensor ? s.Variable.Type.Zero : ReverseSweep.DefaultOf(s.Variable.Type);
                    code.Add(new Line(s.Variable.Type.AdjointType.Name + " " + tangent + " = " + zero + ";"));
                }
            }
            return;
        }
        Assignment(s.Variable, AssignKind.Set, s.Initializer, declaredHere ? s.Variable.Type : null, code);
    }

    /// <summary>
    /// <c>target op= value</c> with its tangent; <paramref name="declaration"/> is the type when the
    /// statement also declares the target (and its tangent) in place.
    /// </summary>
    private void Assignment(Expr target, AssignKind kind, Expr value, TypeRef? declaration, List<Code> code)
    {
        string typed = declaration is null ? string.Empty : declaration.Name + " ";
        string typedTangent = declaration is null ? string.Empty : declaration.AdjointType.Name + " ";
        string primal = typed + ControlFlow.Assignment(target, kind, value, ExpressionPrinter.Print(value)) + ";";
        Expr? tangentPlace = _expressions.OfPlace(target);
        bool activeCall = value is Invocation && _context.Activity.IsVaried(value);
        if (activeCall && _context.Writes.WritesAny((Invocation)value))
        {
            // A call that writes into arrays: their tangents change with them, whether or not its result matters.
            CallAssignment(target, tangentPlace, kind, (Invocation)value, typed, typedTangent, code);
            return;
        }
        if (tangentPlace is null)
        {
            // Nothing downstream needs this value's tangent.
            code.Add(new Line(primal));
            return;
        }
        if (target.Type.IsArray)
        {
            ArrayAssignment((Local)target, (Local)tangentPlace, value, primal, typed, code);
            return;
        }
        if (target.Type.IsTensor)
        {
            TensorAssignment(target, tangentPlace, kind, value, primal, typed, typedTangent, code);
            return;
        }
        if (activeCall)
        {
            CallAssignment(target, tangentPlace, kind, (Invocation)value, typed, typedTangent, code);
            return;
        }
        Expr? tangent = _expressions.Of(value);
        if (kind == AssignKind.Set && target is Local && tangentPlace is Local && target.Type.IsScalar
            && value is Binary { Op: BinaryOp.Divide } quotient && tangent is Binary { Op: BinaryOp.Divide } tangentQuotient
            && tangentQuotient.Right.Equals(quotient.Right) && !_context.Activity.IsVaried(quotient.Right))
        {
            // t = q / c and dt = dq / c: one vector division for both (bit for bit the two scalar ones).
            string pair = "(" + typed + ExpressionPrinter.Print(target) + ", " + typed + ExpressionPrinter.Print(tangentPlace) + ")";
            code.Add(new Line(pair + " = global::Autodiff.Runtime.Quotients.Of(" + ExpressionPrinter.Print(quotient.Left) + ", "
                + ExpressionPrinter.Print(tangentQuotient.Left) + ", " + ExpressionPrinter.Print(quotient.Right) + ");"));
            return;
        }
        bool unchanged = kind == AssignKind.Set && declaration is null && tangent == tangentPlace;
        if ((tangent is not null || kind == AssignKind.Set) && !unchanged)
        {
            code.Add(new Line(typed + ExpressionPrinter.Print(tangentPlace) + ControlFlow.Operator(kind) + ExpressionPrinter.Print(tangent ?? TangentExpressions.Zero(target.Type)) + ";"));
        }
        code.Add(new Line(primal));
    }

    /// <summary>An array variable: its tangent is an array of the same length, aliased as the array is.</summary>
    private void ArrayAssignment(Local target, Local tangent, Expr value, string primal, string typed, List<Code> code)
    {
        switch (value)
        {
            case NewArray:
                code.Add(new Line(primal));
                code.Add(new Line(typed + tangent.Name + " = new " + target.Type.Element.Name + "[" + ExpressionPrinter.Identifier(target.Name) + ".Length];"));
                return;
            case Invocation call:
                // A call that returns a new array: its tangent comes with it.
                CallAssignment(target, tangent, AssignKind.Set, call, typed, typed, code);
                return;
            case Local source when TangentOf(source.Name) is { } sourceTangent:
                code.Add(new Line(typed + tangent.Name + " = " + sourceTangent + ";"));
                code.Add(new Line(primal));
                return;
            default:
                throw new TangentUnsupportedException("an array assigned from " + TangentExpressions.Describe(value));
        }
    }

    /// <summary>
    /// A tensor variable: its tangent is a tensor of the same shape, or null while it is zero (a
    /// tensor's value is never written into, so tangents are shared as the tensors are).
    /// </summary>
    private void TensorAssignment(Expr target, Expr tangentPlace, AssignKind kind, Expr value, string primal, string typed, string typedTangent, List<Code> code)
    {
        if (kind != AssignKind.Set || target is not Local)
        {
            throw new TangentUnsupportedException("a compound assignment of a tensor");
        }
        switch (value)
        {
            case Invocation call when _context.Activity.IsVaried(call):
                CallAssignment(target, tangentPlace, kind, call, typed, typedTangent, code);
                return;
            case Local source:
                code.Add(new Line(typedTangent + ExpressionPrinter.Print(tangentPlace) + " = " + (TangentOf(source.Name) ?? "null") + ";"));
                code.Add(new Line(primal));
                return;
            default:
                if (_context.Activity.IsVaried(value))
                {
                    throw new TangentUnsupportedException("a tensor assigned from " + TangentExpressions.Describe(value));
                }
                // A tensor that does not depend on the inputs (a constant, a [NoGrad] value): zero.
                code.Add(new Line(typedTangent + ExpressionPrinter.Print(tangentPlace) + " = null;"));
                code.Add(new Line(primal));
                return;
        }
    }

    /// <summary>
    /// A call: the callee's own tangent member, a declared pushforward, or its pullback used as one.
    /// <paramref name="tangentPlace"/> is null where only the arrays the call writes need tangents.
    /// </summary>
    private void CallAssignment(Expr target, Expr? tangentPlace, AssignKind kind, Invocation call, string typed, string typedTangent, List<Code> code)
    {
        TypeRef type = target.Type;
        string op = ControlFlow.Operator(kind);
        if (TangentMember(call) is { } member)
        {
            if (!type.IsScalar && !type.IsArray && !type.IsTensor)
            {
                throw new TangentUnsupportedException("a call of " + call.Callee.Display + ", which does not return floating-point numbers");
            }
            TangentCalls.Add(new PullbackCall(call.Callee.RuleKey, call.Callee.Display, call.Span));
            string invocation = member + "(" + string.Join(", ", TangentMemberArguments(call)) + ")";
            if (kind == AssignKind.Set)
            {
                string tangentTarget = tangentPlace is null ? "_" : typedTangent + ExpressionPrinter.Print(tangentPlace);
                code.Add(new Line("(" + typed + ExpressionPrinter.Print(target) + ", " + tangentTarget + ") = " + invocation + ";"));
            }
            else if (tangentPlace is null)
            {
                code.Add(new Line(ExpressionPrinter.Print(target) + op + invocation + ".Value;"));
            }
            else
            {
                string valueName = _context.Names.Claim("value");
                string tangentName = _context.Names.Claim("tangent");
                code.Add(new Line("(" + type.Name + " " + valueName + ", " + type.Name + " " + tangentName + ") = " + invocation + ";"));
                code.Add(new Line(ExpressionPrinter.Print(target) + op + valueName + ";"));
                code.Add(new Line(ExpressionPrinter.Print(tangentPlace) + op + tangentName + ";"));
            }
            return;
        }
        if (_context.Writes.WritesAny(call) || tangentPlace is null)
        {
            // A rule says nothing of the tangents of the arrays the call writes.
            throw new TangentUnsupportedException("a call of " + call.Callee.Display + " that writes into an array through a derivative rule");
        }
        DerivativeRule? pushforward = _context.Rules.ResolvePushforward(call.Callee);
        DerivativeRule rule = pushforward ?? _context.Rules.Resolve(call.Callee)
            ?? throw new TangentUnsupportedException("a call of " + call.Callee.Display + ", which has no derivative rule");
        if (call.Callee.ModelMethod)
        {
            throw new TangentUnsupportedException("a call of the model method " + call.Callee.Display);
        }
        List<(Expr Value, bool Differentiable)> inputs = RuleInputs.Of(call);
        // The call goes first, into the target itself when the arguments do not read it; otherwise
        // into a local, with the tangent beside it, both assigned to the target afterwards.
        bool direct = kind == AssignKind.Set && target is Local local
            && !inputs.Any(input => Transforms.Walk.Expressions(input.Value).Any(e => e is Local l && l.Name == local.Name));
        string result = direct ? ExpressionPrinter.Print(target) : _context.Names.Claim("value");
        string tangent = direct ? ExpressionPrinter.Print(tangentPlace) : _context.Names.Claim("tangent");
        string declared = direct ? typed : type.Name + " ";
        string declaredTangent = direct ? typedTangent : type.AdjointType.Name + " ";
        code.Add(new Line(declared + result + " = " + ExpressionPrinter.Print(call) + ";"));
        if (pushforward is not null && _site is not null && _context.TrigCompanions.TryGetValue(_site, out string? companion)
            && Transforms.TrigCompanions.OfSine(pushforward) is bool sine && inputs.Count == 1)
        {
            // sin' = cos and cos' = −sin, which the forward pass computed already for the same angle.
            Expr slope = new Binary(type, BinaryOp.Multiply, new Local(type, companion), _expressions.OfArgument(inputs[0].Value, type));
            Expr signed = sine ? slope : new Unary(type, UnaryOp.Negate, slope);
            code.Add(new Line(declaredTangent + tangent + " = " + ExpressionPrinter.Print(signed) + ";" + Transforms.TrigCompanions.Comment(pushforward, sine, companion)));
        }
        else if (pushforward is not null)
        {
            // A declared pushforward returns the tangent.
            code.Add(new Line(declaredTangent + tangent + " = " + pushforward.PrintedFor(call) + "(" + string.Join(", ", PushforwardArguments(inputs, pushforward, result)) + ");"));
        }
        else if (type.IsArray || type.IsTensor)
        {
            throw new TangentUnsupportedException("a call of " + call.Callee.Display + ", which returns " + (type.IsArray ? "an array" : "a tensor") + ", through its pullback (declare its pushforward: [DerivativeOf(..., Mode = DerivativeMode.Forward)])");
        }
        else
        {
            // A pullback used as one adds it into a zeroed local.
            code.Add(new Line(declaredTangent + tangent + " = " + type.Zero + ";"));
            PushforwardThroughPullback(call, inputs, rule, result, tangent, code);
        }
        if (!direct)
        {
            code.Add(new Line(typed + ExpressionPrinter.Print(target) + op + result + ";"));
            code.Add(new Line(typed + ExpressionPrinter.Print(tangentPlace) + op + tangent + ";"));
        }
    }

    /// <summary>A declared pushforward's arguments: the inputs, the result if it takes it, one tangent per differentiable input.</summary>
    private IEnumerable<string> PushforwardArguments(List<(Expr Value, bool Differentiable)> inputs, DerivativeRule pushforward, string result) =>
        inputs.Select(input => ExpressionPrinter.Print(input.Value))
            .Concat(pushforward.TakesResult ? new[] { result } : Enumerable.Empty<string>())
            .Concat(inputs.Where(input => input.Differentiable).Select(input => TangentArgument(input.Value, input.Value.Type, pushforward.Name)));

    /// <summary>
    /// A pullback is linear in its seed: for one active scalar argument a, calling it with seed da
    /// adds f'(a)·da, the tangent, into the accumulator; for several, seed 1 gives each partial
    /// derivative, and the tangent is their sum weighted by the arguments' tangents.
    /// </summary>
    private void PushforwardThroughPullback(Invocation call, List<(Expr Value, bool Differentiable)> inputs, DerivativeRule rule, string result, string tangent, List<Code> code)
    {
        var tangents = new List<Expr?>();
        foreach ((Expr value, bool differentiable) in inputs.Where(input => input.Differentiable))
        {
            if (!value.Type.IsScalar)
            {
                throw new TangentUnsupportedException("a call of " + call.Callee.Display + " with an array or tensor argument through its pullback (declare its pushforward: [DerivativeOf(..., Mode = DerivativeMode.Forward)])");
            }
            tangents.Add(_expressions.Of(value));
        }
        var arguments = inputs.Select(input => ExpressionPrinter.Print(input.Value)).ToList();
        if (rule.TakesResult)
        {
            arguments.Add(result);
        }
        string comment = " // " + rule.Name + " as a pushforward: linear in its seed";
        var accumulators = inputs.Where(input => input.Differentiable).Select(input => input.Value.Type).ToList();
        if (tangents.Count(t => t is not null) == 1)
        {
            int active = tangents.FindIndex(t => t is not null);
            arguments.Add(ExpressionPrinter.Print(tangents[active]!));
            arguments.AddRange(accumulators.Select((type, k) => "ref " + (k == active ? tangent : Sink(type))));
            code.Add(new Line(rule.PrintedFor(call) + "(" + string.Join(", ", arguments) + ");" + comment));
            return;
        }
        arguments.Add(call.Type.Kind == ValueKind.Float ? "1f" : "1.0");
        Expr? sum = null;
        for (int k = 0; k < accumulators.Count; k++)
        {
            if (tangents[k] is not { } argumentTangent)
            {
                arguments.Add("ref " + Sink(accumulators[k]));
                continue;
            }
            string partial = _context.Names.Claim("partial");
            code.Add(new Line(accumulators[k].Name + " " + partial + " = " + accumulators[k].Zero + ";"));
            arguments.Add("ref " + partial);
            Expr term = new Binary(call.Type, BinaryOp.Multiply, new Local(call.Type, partial), argumentTangent);
            sum = sum is null ? term : new Binary(call.Type, BinaryOp.Add, sum, term);
        }
        code.Add(new Line(rule.PrintedFor(call) + "(" + string.Join(", ", arguments) + ");" + comment));
        code.Add(new Line(tangent + " = " + ExpressionPrinter.Print(sum ?? TangentExpressions.Zero(call.Type)) + ";"));
    }

    /// <summary>
    /// The callee's generated tangent member, when its derivative is the generated one (no declared
    /// rule replaces it); null for calls that go through a rule.
    /// </summary>
    private string? TangentMember(Invocation call)
    {
        if (!_context.Rules.UsesGeneratedPullback(call.Callee) || _context.Rules.ResolvePushforward(call.Callee) is not null)
        {
            return null;
        }
        if (call.Callee.ModelMethod && !call.Callee.SubModel && (!call.Callee.ReadsParameters || _modelDirection is not null))
        {
            // Another [Differentiable] method of the same object (a model's takes the same direction).
            return "this." + call.Callee.Printed + TangentWriter.Suffix;
        }
        if (call.Callee.SubModel && _modelDirection is not null)
        {
            // A sub-model's method (Inner.Forward, Blocks[i].Forward): its own tangent, along its part of the direction.
            return ExpressionPrinter.Print(call.Receiver!) + "." + call.Callee.Printed + TangentWriter.Suffix;
        }
        if (call.Receiver is not null || call.Callee.ModelMethod)
        {
            throw new TangentUnsupportedException("a call of the instance method " + call.Callee.Display);
        }
        return call.Callee.Printed + TangentWriter.Suffix;
    }

    /// <summary>The primal arguments, then one tangent per differentiable parameter.</summary>
    private IEnumerable<string> TangentMemberArguments(Invocation call)
    {
        if (call.Arguments.Any(a => a.Kind != RefMode.Value))
        {
            throw new TangentUnsupportedException("a ref, out or in argument of " + call.Callee.Display);
        }
        var arguments = call.Arguments.Select(a => ExpressionPrinter.Print(a.Value))
            .Concat(Enumerable.Range(0, call.Arguments.Count).Where(call.Callee.Differentiates)
                .Select(i => TangentArgument(call.Arguments[i].Value, call.Callee.ParameterTypes[i], call.Callee.Display)));
        if (!call.Callee.ModelMethod || _modelDirection is null)
        {
            return arguments;
        }
        // The sub-model's parameters' direction sits in the direction's member of the same name and
        // shape (direction?.Blocks[i] for this.Blocks[i]), as its gradients do in Gradients.
        return arguments.Append(call.Callee.SubModel ? ExpressionPrinter.Print(SubModelGradients.Of(call.Receiver!, _modelDirection + "?")) : _modelDirection);
    }

    /// <summary>The tangent passed for an input: its tangent array or null, its tangent (converted to the parameter's type) or zero.</summary>
    private string TangentArgument(Expr value, TypeRef parameterType, string callee)
    {
        if (parameterType.IsArray || parameterType.IsTensor)
        {
            if (value is Local local && TangentOf(local.Name) is { } tangent)
            {
                return tangent;
            }
            if (_context.Activity.IsVaried(value))
            {
                // Flattening leaves varied arrays and tensors as variables; anything else would lose its tangent.
                throw new TangentUnsupportedException("a call of " + callee + " with the argument " + TangentExpressions.Describe(value));
            }
            return "null";
        }
        return ExpressionPrinter.Print(_expressions.OfArgument(value, parameterType));
    }

    private string Sink(TypeRef type)
    {
        if (!_sinks.TryGetValue(type.Name, out string? name))
        {
            name = _context.Names.Claim("unused" + ReverseSweep.Capitalize(type.Name));
            _sinks.Add(type.Name, name);
            DeclaredAtTop.Add((type, name, type.Zero));
        }
        return name;
    }
}
