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
    private readonly Dictionary<string, string> _tangents = new();
    private readonly TangentExpressions _expressions;
    private readonly Dictionary<string, string> _sinks = new();
    private string? _lastSource;

    /// <param name="parameterTangents">The tangent parameter of each differentiable parameter.</param>
    public TangentSweep(MethodContext context, IReadOnlyDictionary<string, string> parameterTangents)
    {
        _context = context;
        foreach (KeyValuePair<string, string> parameter in parameterTangents)
        {
            _tangents[parameter.Key] = parameter.Value;
        }
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
                DeclaredAtTop.Add((_context.TypeOf(hoisted), tangent, ReverseSweep.DefaultOf(_context.TypeOf(hoisted))));
            }
        }
        return Block(_context.Body, topLevel: true);
    }

    /// <summary>The tangent variable of an active variable; null for those whose tangent is always zero.</summary>
    public string? TangentOf(string variable)
    {
        if (_tangents.TryGetValue(variable, out string? name))
        {
            return name;
        }
        TypeRef type = _context.TypeOf(variable);
        if (!(type.IsScalar || type.IsArray) || !_context.Activity.IsActive(variable))
        {
            return null;
        }
        name = _context.Names.Claim("d" + ReverseSweep.Capitalize(variable.Replace(ParameterSpec.FieldPrefix, string.Empty)));
        _tangents.Add(variable, name);
        if (_context.ParameterNames.Contains(variable))
        {
            // A [NoGrad] parameter that the method assigns active values to: its tangent starts at
            // zero (the caller gave none) and follows what the method writes into it.
            string initializer = type.IsArray ? "new " + type.Element.Name + "[" + ExpressionPrinter.Identifier(variable) + ".Length]" : type.Zero;
            DeclaredAtTop.Add((type, name, initializer));
        }
        return name;
    }

    private List<Code> Block(Block block, bool topLevel)
    {
        var code = new List<Code>();
        foreach (Stmt statement in block.Statements)
        {
            Statement(statement, topLevel, code);
        }
        return code;
    }

    private void Statement(Stmt statement, bool topLevel, List<Code> code)
    {
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
            {
                List<Code> then = Block(s.Then, false);
                List<Code> otherwise = Block(s.Else, false);
                code.Add(then.Count == 0 && otherwise.Count > 0
                    ? new Nested("if (" + ExpressionPrinter.Print(new Unary(TypeRef.Bool, UnaryOp.Not, s.Condition)) + ")", otherwise)
                    : new Nested("if (" + ExpressionPrinter.Print(s.Condition) + ")", then, otherwise));
                return;
            }
            case Loop s:
                LoopStatement(s, code);
                return;
            case ForEach s:
                code.Add(new Nested("foreach (" + s.Variable.Type.Name + " " + ExpressionPrinter.Identifier(s.Variable.Name) + " in " + ExpressionPrinter.Print(s.Collection) + ")",
                    Block(s.Body, false)));
                return;
            default:
                throw new TangentUnsupportedException("a " + statement.GetType().Name.ToLowerInvariant() + " statement");
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
                    code.Add(new Line(s.Variable.Type.Name + " " + tangent + " = " + ReverseSweep.DefaultOf(s.Variable.Type) + ";"));
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
        string op = kind switch { AssignKind.Add => " += ", AssignKind.Subtract => " -= ", _ => " = " };
        string prefix = declaration is null ? string.Empty : declaration.Name + " ";
        string primal = prefix + ExpressionPrinter.Print(target) + op + ExpressionPrinter.Print(value) + ";";
        Expr? tangentPlace = _expressions.OfPlace(target);
        if (value is Invocation written && _context.Activity.IsVaried(written) && _context.Writes.WritesAny(written))
        {
            // A call that writes into arrays: their tangents change with them, whether or not its result matters.
            if (TangentOfCall(written) is null)
            {
                throw new TangentUnsupportedException("a call of " + written.Callee.Display + " that writes into an array through a derivative rule");
            }
            CallAssignment(target, tangentPlace, kind, written, declaration, code);
            return;
        }
        if (tangentPlace is null)
        {
            // Nothing downstream needs this value's tangent.
            code.Add(new Line(IncrementText(target, kind, value) ?? primal));
            return;
        }
        string tangentPrefix = declaration is null ? string.Empty : declaration.Name + " ";
        if (target.Type.IsArray)
        {
            ArrayAssignment((Local)target, (Local)tangentPlace, value, primal, tangentPrefix, code);
            return;
        }
        if (value is Invocation call && _context.Activity.IsVaried(call))
        {
            CallAssignment(target, tangentPlace, kind, call, declaration, code);
            return;
        }
        Expr? tangent = _expressions.Of(value);
        bool unchanged = kind == AssignKind.Set && tangent is not null && declaration is null && tangent == tangentPlace;
        if ((tangent is not null || kind == AssignKind.Set) && !unchanged)
        {
            code.Add(new Line(tangentPrefix + ExpressionPrinter.Print(tangentPlace) + op + ExpressionPrinter.Print(tangent ?? TangentExpressions.Zero(target.Type)) + ";"));
        }
        code.Add(new Line(primal));
    }

    /// <summary>An array variable: its tangent is an array of the same length, aliased as the array is.</summary>
    private void ArrayAssignment(Local target, Local tangent, Expr value, string primal, string tangentPrefix, List<Code> code)
    {
        switch (value)
        {
            case NewArray:
                code.Add(new Line(primal));
                code.Add(new Line(tangentPrefix + tangent.Name + " = new " + target.Type.Element.Name + "[" + ExpressionPrinter.Identifier(target.Name) + ".Length];"));
                return;
            case Local source when TangentOf(source.Name) is { } sourceTangent:
                code.Add(new Line(tangentPrefix + tangent.Name + " = " + sourceTangent + ";"));
                code.Add(new Line(primal));
                return;
            default:
                throw new TangentUnsupportedException("an array assigned from " + TangentExpressions.Describe(value));
        }
    }

    /// <summary>A call: the callee's own tangent member, or its rule's pullback used as a pushforward.</summary>
    private void CallAssignment(Expr target, Expr? tangentPlace, AssignKind kind, Invocation call, TypeRef? declaration, List<Code> code)
    {
        TypeRef type = target.Type;
        string? member = TangentOfCall(call);
        if (member is not null)
        {
            if (!type.IsScalar)
            {
                throw new TangentUnsupportedException("a call of " + call.Callee.Display + ", which does not return a floating-point number");
            }
            string invocation = member + "(" + string.Join(", ", TangentMemberArguments(call)) + ")";
            if (kind == AssignKind.Set)
            {
                string typed = declaration is null ? string.Empty : declaration.Name + " ";
                string tangentTarget = tangentPlace is null ? "_" : typed + ExpressionPrinter.Print(tangentPlace);
                code.Add(new Line("(" + typed + ExpressionPrinter.Print(target) + ", " + tangentTarget + ") = " + invocation + ";"));
                return;
            }
            if (tangentPlace is null)
            {
                string op2 = kind == AssignKind.Add ? " += " : " -= ";
                code.Add(new Line(ExpressionPrinter.Print(target) + op2 + invocation + ".Value;"));
                return;
            }
            string valueName = _context.Names.Claim("value");
            string tangentName = _context.Names.Claim("tangent");
            code.Add(new Line("(" + type.Name + " " + valueName + ", " + type.Name + " " + tangentName + ") = " + invocation + ";"));
            string op = kind == AssignKind.Add ? " += " : " -= ";
            code.Add(new Line(ExpressionPrinter.Print(target) + op + valueName + ";"));
            code.Add(new Line(ExpressionPrinter.Print(tangentPlace) + op + tangentName + ";"));
            return;
        }

        if (tangentPlace is null)
        {
            throw new System.InvalidOperationException("a rule's call is active only where its result is");
        }
        DerivativeRule? pushforward = _context.Rules.ResolvePushforward(call.Callee);
        DerivativeRule rule = pushforward ?? _context.Rules.Resolve(call.Callee)
            ?? throw new TangentUnsupportedException("a call of " + call.Callee.Display + ", which has no derivative rule");
        if (call.Callee.ModelMethod)
        {
            throw new TangentUnsupportedException("a call of the model method " + call.Callee.Display);
        }
        // The call goes first, into the target itself when the arguments do not read it.
        var read = call.Arguments.Select(a => a.Value).Concat(call.Receiver is null ? Enumerable.Empty<Expr>() : new[] { call.Receiver });
        bool direct = kind == AssignKind.Set && target is Local local && !read.Any(a => Transforms.Walk.Expressions(a).Any(e => e is Local l && l.Name == local.Name));
        string resultText;
        string tangentText;
        // A declared pushforward returns the tangent; a pullback used as one adds it into a zeroed local.
        string Pushforward(string result) => pushforward!.Pullback + "(" + string.Join(", ", PushforwardArguments(call, pushforward, result)) + ")";
        if (direct)
        {
            string typed = declaration is null ? string.Empty : declaration.Name + " ";
            code.Add(new Line(typed + ExpressionPrinter.Print(target) + " = " + ExpressionPrinter.Print(call) + ";"));
            resultText = ExpressionPrinter.Print(target);
            tangentText = ExpressionPrinter.Print(tangentPlace);
            code.Add(new Line(typed + tangentText + " = " + (pushforward is not null ? Pushforward(resultText) : type.Zero) + ";"));
        }
        else
        {
            resultText = _context.Names.Claim("value");
            tangentText = _context.Names.Claim("tangent");
            code.Add(new Line(type.Name + " " + resultText + " = " + ExpressionPrinter.Print(call) + ";"));
            code.Add(new Line(type.Name + " " + tangentText + " = " + (pushforward is not null ? Pushforward(resultText) : type.Zero) + ";"));
        }
        if (pushforward is null)
        {
            PushforwardThroughPullback(call, rule, resultText, tangentText, code);
        }
        if (!direct)
        {
            string op = kind switch { AssignKind.Add => " += ", AssignKind.Subtract => " -= ", _ => " = " };
            string typed = declaration is null ? string.Empty : declaration.Name + " ";
            code.Add(new Line(typed + ExpressionPrinter.Print(target) + op + resultText + ";"));
            code.Add(new Line(typed + ExpressionPrinter.Print(tangentPlace) + op + tangentText + ";"));
        }
    }

    /// <summary>A declared pushforward's arguments: the primal ones (the receiver first), the result if it takes it, one tangent per differentiable input.</summary>
    private IEnumerable<string> PushforwardArguments(Invocation call, DerivativeRule pushforward, string result)
    {
        var primal = new List<Expr>();
        if (call.Receiver is not null)
        {
            primal.Add(call.Receiver);
        }
        primal.AddRange(call.Arguments.Select(a => a.Value));
        foreach (Expr argument in primal)
        {
            yield return ExpressionPrinter.Print(argument);
        }
        if (pushforward.TakesResult)
        {
            yield return result;
        }
        for (int i = 0; i < primal.Count; i++)
        {
            int parameter = call.Receiver is null ? i : i - 1;
            bool differentiable = parameter < 0 ? primal[i].Type.IsDifferentiable
                : parameter < call.Callee.DifferentiableParameters.Count && call.Callee.DifferentiableParameters[parameter];
            if (!differentiable)
            {
                continue;
            }
            if (primal[i].Type.IsArray)
            {
                yield return primal[i] is Local array && TangentOf(array.Name) is { } tangent ? tangent : "null";
            }
            else if (primal[i].Type.IsScalar)
            {
                yield return _expressions.Of(primal[i]) is { } tangent ? ExpressionPrinter.Print(tangent) : primal[i].Type.Zero;
            }
            else
            {
                throw new TangentUnsupportedException("a call of " + call.Callee.Display + " with a tensor argument");
            }
        }
    }

    /// <summary>
    /// A pullback is linear in its seed: for one active scalar argument a, calling it with seed da
    /// adds f'(a)·da, the tangent, into the accumulator; for several, seed 1 gives each partial
    /// derivative, and the tangent is their sum weighted by the arguments' tangents.
    /// </summary>
    private void PushforwardThroughPullback(Invocation call, DerivativeRule rule, string result, string tangent, List<Code> code)
    {
        // The pullback's primal arguments: the receiver first for an instance method (as the rule declares it), then the arguments.
        var primal = new List<Expr>();
        if (call.Receiver is not null)
        {
            primal.Add(call.Receiver);
        }
        primal.AddRange(call.Arguments.Select(a => a.Value));
        bool Differentiable(int i)
        {
            int parameter = call.Receiver is null ? i : i - 1;
            return parameter < 0 ? primal[i].Type.IsDifferentiable
                : parameter < call.Callee.DifferentiableParameters.Count && call.Callee.DifferentiableParameters[parameter];
        }
        var active = new List<int>();
        for (int i = 0; i < primal.Count; i++)
        {
            if (!Differentiable(i))
            {
                continue;
            }
            if (!primal[i].Type.IsScalar)
            {
                throw new TangentUnsupportedException("a call of " + call.Callee.Display + " with an array or tensor argument through its pullback (declare its pushforward: [DerivativeOf(..., Mode = DerivativeMode.Forward)])");
            }
            if (_expressions.Of(primal[i]) is not null)
            {
                active.Add(i);
            }
        }
        var arguments = primal.Select(ExpressionPrinter.Print).ToList();
        if (rule.TakesResult)
        {
            arguments.Add(result);
        }
        string comment = " // " + rule.Name + " as a pushforward: linear in its seed";
        if (active.Count == 1)
        {
            arguments.Add(ExpressionPrinter.Print(_expressions.Of(primal[active[0]])!));
            for (int i = 0; i < primal.Count; i++)
            {
                if (Differentiable(i))
                {
                    arguments.Add("ref " + (i == active[0] ? tangent : Sink(primal[i].Type)));
                }
            }
            code.Add(new Line(rule.Pullback + "(" + string.Join(", ", arguments) + ");" + comment));
            return;
        }
        arguments.Add(call.Type.Kind == ValueKind.Float ? "1f" : "1.0");
        var partials = new List<(string Name, Expr Tangent)>();
        for (int i = 0; i < primal.Count; i++)
        {
            if (!Differentiable(i))
            {
                continue;
            }
            TypeRef type = primal[i].Type;
            if (active.Contains(i))
            {
                string partial = _context.Names.Claim("partial");
                code.Add(new Line(type.Name + " " + partial + " = " + type.Zero + ";"));
                partials.Add((partial, _expressions.Of(primal[i])!));
                arguments.Add("ref " + partial);
            }
            else
            {
                arguments.Add("ref " + Sink(type));
            }
        }
        code.Add(new Line(rule.Pullback + "(" + string.Join(", ", arguments) + ");" + comment));
        Expr? sum = null;
        foreach ((string partial, Expr argumentTangent) in partials)
        {
            Expr term = new Binary(call.Type, BinaryOp.Multiply, new Local(call.Type, partial), argumentTangent);
            sum = sum is null ? term : new Binary(call.Type, BinaryOp.Add, sum, term);
        }
        code.Add(new Line(tangent + " = " + ExpressionPrinter.Print(sum ?? TangentExpressions.Zero(call.Type)) + ";"));
    }

    /// <summary>
    /// The callee's generated tangent member, when its derivative is the generated one (no declared
    /// rule replaces it) and it is a static method; null for calls that go through a rule.
    /// </summary>
    private string? TangentOfCall(Invocation call)
    {
        if (!_context.Rules.UsesGeneratedPullback(call.Callee) || _context.Rules.ResolvePushforward(call.Callee) is not null)
        {
            return null;
        }
        if (call.Callee.ModelMethod && !call.Callee.ReadsParameters)
        {
            // Another [Differentiable] method of the same object (one without parameters: models have no FTangent yet).
            TangentCalls.Add(new PullbackCall(call.Callee.RuleKey, call.Callee.Display, call.Span));
            return "this." + call.Callee.Printed + TangentWriter.Suffix;
        }
        if (call.Receiver is not null || call.Callee.ModelMethod)
        {
            throw new TangentUnsupportedException("a call of the instance method " + call.Callee.Display);
        }
        TangentCalls.Add(new PullbackCall(call.Callee.RuleKey, call.Callee.Display, call.Span));
        return call.Callee.Printed + TangentWriter.Suffix;
    }

    /// <summary>The primal arguments, then one tangent per differentiable parameter (zero, or null for an array, when inactive).</summary>
    private IEnumerable<string> TangentMemberArguments(Invocation call)
    {
        foreach (Argument argument in call.Arguments)
        {
            if (argument.Kind != RefMode.Value)
            {
                throw new TangentUnsupportedException("a ref, out or in argument of " + call.Callee.Display);
            }
            yield return ExpressionPrinter.Print(argument.Value);
        }
        for (int i = 0; i < call.Arguments.Count; i++)
        {
            if (!(i < call.Callee.DifferentiableParameters.Count && call.Callee.DifferentiableParameters[i]))
            {
                continue;
            }
            Expr value = call.Arguments[i].Value;
            TypeRef parameterType = call.Callee.ParameterTypes[i];
            if (parameterType.IsArray)
            {
                yield return value is Local array && TangentOf(array.Name) is { } tangent ? tangent : "null";
            }
            else if (parameterType.IsScalar)
            {
                Expr? tangent = _expressions.Of(value);
                yield return tangent is null ? parameterType.Zero : ExpressionPrinter.Print(value.Type == parameterType ? tangent : new Cast(parameterType, tangent, SourceSpan.None));
            }
            else
            {
                throw new TangentUnsupportedException("a call of " + call.Callee.Display + " with a tensor argument");
            }
        }
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

    /// <summary><c>i++</c> for an integer step, as the method wrote it; null otherwise.</summary>
    private static string? IncrementText(Expr target, AssignKind kind, Expr value) =>
        kind != AssignKind.Set && value is Literal { Text: "1" } && target.Type == TypeRef.Int
            ? ExpressionPrinter.Print(target) + (kind == AssignKind.Add ? "++;" : "--;")
            : null;

    private void LoopStatement(Loop loop, List<Code> code)
    {
        List<Code> initializer = Block(loop.Initializer, false);
        List<Code> body = Block(loop.Body, false);
        List<Code> step = Block(loop.Step, false);
        string condition = loop.Condition is null ? "true" : ExpressionPrinter.Print(loop.Condition);
        if (!loop.TestAfterBody && initializer.Count == 1 && step.Count == 1
            && initializer[0] is Line { Text: var init } && step[0] is Line { Text: var increment }
            && !init.StartsWith("//", System.StringComparison.Ordinal))
        {
            code.Add(new Nested("for (" + init.TrimEnd(';') + "; " + condition + "; " + increment.TrimEnd(';') + ")", body));
            return;
        }
        code.AddRange(initializer);
        body.AddRange(step);
        code.Add(loop.TestAfterBody
            ? new Nested("do", body, Footer: "while (" + condition + ");")
            : new Nested("while (" + condition + ")", body));
    }
}
