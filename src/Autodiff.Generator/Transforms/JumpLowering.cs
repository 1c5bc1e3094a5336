using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Autodiff.Generator.Diagnostics;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// Removes break, continue and early return, so that the reverse sweep only has to reverse
/// structured code: sequences, if/else and loops.
/// </summary>
/// <remarks>
/// A return becomes an assignment of the result. The statements after one that may jump are
/// moved into the other branch when the jump is a whole branch of an if ("if (c) return a;
/// rest" becomes "if (c) result = a; else rest"), and otherwise guarded by a flag the jump sets
/// ("if (!returned) rest"); loops test their break and return flags in the condition, and
/// a for-loop's step is skipped after a break. Flags nobody reads are removed at the end, so
/// code without early exits comes out unchanged.
/// </remarks>
internal sealed class JumpLowering
{
    private readonly NameAllocator _names;
    private readonly TypeRef _returnType;
    private readonly HashSet<string> _flags = new();
    private readonly List<DiagnosticInfo> _diagnostics = new();
    private Local? _result;
    private Local? _returned;

    private JumpLowering(NameAllocator names, TypeRef returnType)
    {
        _names = names;
        _returnType = returnType;
    }

    public static LoweredMethod Lower(Block body, TypeRef returnType, NameAllocator names, List<DiagnosticInfo> diagnostics)
    {
        var lowering = new JumpLowering(names, returnType);
        LoweredMethod lowered = lowering.Run(body);
        diagnostics.AddRange(lowering._diagnostics);
        return lowered;
    }

    private sealed class LoopFlags
    {
        public Local? Break;
        public Local? Continue;
    }

    /// <summary>A lowered statement list: may it set these flags, does it always jump away?</summary>
    private readonly record struct Lowered(List<Stmt> Statements, HashSet<string> MaySet, bool AlwaysExits);

    private LoweredMethod Run(Block body)
    {
        var statements = body.Statements.ToList();
        int returnCount = Walk.Statements(body).Count(s => s is Return);

        // The common shape "...; return v;" needs no result variable: v is the result. Not for a
        // model's field: its adjoint lives in the gradients object, where the seed would not start.
        if (returnCount == 1 && statements.Count > 0 && statements[statements.Count - 1] is Return { Value: Local returned }
            && !returned.Name.StartsWith(ParameterSpec.FieldPrefix, System.StringComparison.Ordinal))
        {
            statements.RemoveAt(statements.Count - 1);
            Lowered simple = LowerList(statements, null);
            return Finish(simple.Statements, returned);
        }

        _result = new Local(_returnType, _names.Claim("result"));
        var output = new List<Stmt>();
        if (returnCount == 1 && statements.Count > 0 && statements[statements.Count - 1] is Return { Value: { } value } last)
        {
            // "...; return e;" becomes "...; double result = e;".
            statements.RemoveAt(statements.Count - 1);
            output.AddRange(LowerList(statements, null).Statements);
            output.Add(new Declare(last.Span, last.Source, _result, value));
            return Finish(output, _result);
        }
        Lowered lowered = LowerList(statements, null);
        output.Add(new Declare(SourceSpan.None, string.Empty, _result, null));
        if (_returned is not null)
        {
            output.Add(new Declare(SourceSpan.None, string.Empty, _returned, new Literal(TypeRef.Bool, "false")));
        }
        output.AddRange(lowered.Statements);
        return Finish(output, _result);
    }

    private LoweredMethod Finish(List<Stmt> statements, Local result)
    {
        Block block = Blocks.Of(statements);
        var read = new HashSet<string>();
        foreach (Stmt statement in Walk.Statements(block))
        {
            foreach (Expr expression in Walk.OwnExpressions(statement))
            {
                if (statement is Assign assign && ReferenceEquals(expression, assign.Target))
                {
                    continue; // writing a flag is not testing it
                }
                foreach (Expr e in Walk.Expressions(expression))
                {
                    if (e is Local local && _flags.Contains(local.Name))
                    {
                        read.Add(local.Name);
                    }
                }
            }
        }
        // A flag written but never tested (a return at the end of a branch with nothing after it) goes away.
        var unread = new HashSet<string>(_flags.Where(f => !read.Contains(f)));
        return new LoweredMethod(unread.Count == 0 ? block : RemoveFlags(block, unread), result);
    }

    private static Block RemoveFlags(Block block, HashSet<string> unread)
    {
        var output = new List<Stmt>();
        foreach (Stmt statement in block.Statements)
        {
            if (Walk.AssignedVariable(statement) is { } name && unread.Contains(name))
            {
                continue;
            }
            output.Add(statement switch
            {
                If s => s with { Then = RemoveFlags(s.Then, unread), Else = RemoveFlags(s.Else, unread) },
                Loop s => s with { Initializer = RemoveFlags(s.Initializer, unread), Body = RemoveFlags(s.Body, unread), Step = RemoveFlags(s.Step, unread) },
                ForEach s => s with { Body = RemoveFlags(s.Body, unread) },
                _ => statement,
            });
        }
        return Blocks.Of(output);
    }

    private Lowered LowerList(IReadOnlyList<Stmt> statements, LoopFlags? loop)
    {
        var output = new List<Stmt>();
        var maySet = new HashSet<string>();
        for (int i = 0; i < statements.Count; i++)
        {
            Stmt statement = statements[i];
            var rest = statements.Skip(i + 1).ToList();
            if (statement is If conditional && rest.Count > 0 && TryAbsorb(conditional, rest, loop, out Lowered absorbed))
            {
                output.AddRange(absorbed.Statements);
                maySet.UnionWith(absorbed.MaySet);
                return new Lowered(output, maySet, absorbed.AlwaysExits);
            }
            Lowered lowered = LowerStatement(statement, loop);
            output.AddRange(lowered.Statements);
            maySet.UnionWith(lowered.MaySet);
            if (lowered.AlwaysExits)
            {
                return new Lowered(output, maySet, true); // what follows is unreachable
            }
            if (lowered.MaySet.Count > 0 && rest.Count > 0)
            {
                Lowered guarded = LowerList(rest, loop);
                maySet.UnionWith(guarded.MaySet);
                output.Add(new If(SourceSpan.None, string.Empty, NoneSet(lowered.MaySet), Blocks.Of(guarded.Statements), Block.Empty));
                return new Lowered(output, maySet, false);
            }
        }
        return new Lowered(output, maySet, false);
    }

    /// <summary>"if (c) { ...jump } rest" becomes "if (c) { ... } else { rest }" when one branch always jumps and the other never does.</summary>
    private bool TryAbsorb(If conditional, List<Stmt> rest, LoopFlags? loop, out Lowered result)
    {
        Lowered then = LowerList(conditional.Then.Statements.ToList(), loop);
        Lowered otherwise = LowerList(conditional.Else.Statements.ToList(), loop);
        result = default;
        bool thenExits = then.AlwaysExits && otherwise.MaySet.Count == 0 && !otherwise.AlwaysExits;
        bool elseExits = otherwise.AlwaysExits && then.MaySet.Count == 0 && !then.AlwaysExits;
        if (!thenExits && !elseExits)
        {
            return false;
        }
        // The jumping branch no longer needs its flag: nothing follows it now.
        Lowered continuation = LowerList((thenExits ? conditional.Else : conditional.Then).Statements.Concat(rest).ToList(), loop);
        Lowered jumping = thenExits ? then : otherwise;
        var maySet = new HashSet<string>(continuation.MaySet);
        maySet.UnionWith(jumping.MaySet);
        Block jumpBlock = Blocks.Of(jumping.Statements);
        Block continueBlock = Blocks.Of(continuation.Statements);
        var lowered = new If(conditional.Span, conditional.Source, conditional.Condition,
            thenExits ? jumpBlock : continueBlock, thenExits ? continueBlock : jumpBlock);
        result = new Lowered(new List<Stmt> { lowered }, maySet, continuation.AlwaysExits);
        return true;
    }

    private Lowered LowerStatement(Stmt statement, LoopFlags? loop)
    {
        switch (statement)
        {
            case Return ret:
            {
                var output = new List<Stmt>();
                if (ret.Value is not null)
                {
                    output.Add(new Assign(ret.Span, ret.Source, _result!, AssignKind.Set, ret.Value));
                }
                Local flag = Returned();
                output.Add(new Assign(ret.Span, ret.Source, flag, AssignKind.Set, new Literal(TypeRef.Bool, "true")));
                return new Lowered(output, new HashSet<string> { flag.Name }, true);
            }
            case Break brk:
            {
                Local flag = loop!.Break ??= Flag("breakLoop");
                return new Lowered(new List<Stmt> { new Assign(brk.Span, brk.Source, flag, AssignKind.Set, new Literal(TypeRef.Bool, "true")) }, new HashSet<string> { flag.Name }, true);
            }
            case Continue cont:
            {
                Local flag = loop!.Continue ??= Flag("continueLoop");
                return new Lowered(new List<Stmt> { new Assign(cont.Span, cont.Source, flag, AssignKind.Set, new Literal(TypeRef.Bool, "true")) }, new HashSet<string> { flag.Name }, true);
            }
            case Throw:
                return new Lowered(new List<Stmt> { statement }, new HashSet<string>(), true);
            case If conditional:
            {
                Lowered then = LowerList(conditional.Then.Statements.ToList(), loop);
                Lowered otherwise = LowerList(conditional.Else.Statements.ToList(), loop);
                var maySet = new HashSet<string>(then.MaySet);
                maySet.UnionWith(otherwise.MaySet);
                var lowered = conditional with { Then = Blocks.Of(then.Statements), Else = Blocks.Of(otherwise.Statements) };
                return new Lowered(new List<Stmt> { lowered }, maySet, then.AlwaysExits && otherwise.AlwaysExits);
            }
            case Loop loopStatement:
                return LowerLoop(loopStatement);
            case ForEach forEach:
                return LowerForEach(forEach);
            default:
                return new Lowered(new List<Stmt> { statement }, new HashSet<string>(), false);
        }
    }

    private Lowered LowerLoop(Loop loop)
    {
        var flags = new LoopFlags();
        Lowered body = LowerList(loop.Body.Statements.ToList(), flags);
        var escaping = new HashSet<string>(body.MaySet);
        if (flags.Break is not null) escaping.Remove(flags.Break.Name);
        if (flags.Continue is not null) escaping.Remove(flags.Continue.Name);

        var bodyStatements = new List<Stmt>();
        if (flags.Continue is not null)
        {
            bodyStatements.Add(new Assign(SourceSpan.None, string.Empty, flags.Continue, AssignKind.Set, new Literal(TypeRef.Bool, "false")));
        }
        bodyStatements.AddRange(body.Statements);

        // Leave the loop when it broke or returned; a break also skips the step, as in C#.
        var exits = new HashSet<string>(escaping);
        if (flags.Break is not null) exits.Add(flags.Break.Name);
        Expr? condition = loop.Condition;
        Block step = loop.Step;
        if (exits.Count > 0)
        {
            Expr notExited = NoneSet(exits);
            condition = condition is null ? notExited : new Binary(TypeRef.Bool, BinaryOp.And, notExited, condition);
            if (step.Statements.Count > 0)
            {
                step = Blocks.Of(new List<Stmt> { new If(SourceSpan.None, string.Empty, notExited, step, Block.Empty) });
            }
        }
        var initializer = loop.Initializer.Statements.ToList();
        if (flags.Break is not null)
        {
            initializer.Add(new Declare(SourceSpan.None, string.Empty, flags.Break, new Literal(TypeRef.Bool, "false")));
        }
        if (flags.Continue is not null)
        {
            initializer.Add(new Declare(SourceSpan.None, string.Empty, flags.Continue, new Literal(TypeRef.Bool, "false")));
        }
        var lowered = loop with
        {
            Initializer = Blocks.Of(initializer),
            Condition = condition,
            Body = Blocks.Of(bodyStatements),
            Step = step,
        };
        return new Lowered(new List<Stmt> { lowered }, escaping, false);
    }

    private Lowered LowerForEach(ForEach forEach)
    {
        var flags = new LoopFlags();
        Lowered body = LowerList(forEach.Body.Statements.ToList(), flags);
        var escaping = new HashSet<string>(body.MaySet);
        if (flags.Continue is not null)
        {
            escaping.Remove(flags.Continue.Name);
        }
        if (flags.Break is not null || escaping.Count > 0)
        {
            // Leaving a foreach early would need its enumerator in the backward pass's hands.
            _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedConstruct.Id, forEach.Span,
                "A break or return inside a foreach over a sequence that is not an array",
                "iterate over an array, or use a for loop with an index"));
            return new Lowered(new List<Stmt> { forEach }, new HashSet<string>(), false);
        }
        var bodyStatements = new List<Stmt>();
        if (flags.Continue is not null)
        {
            bodyStatements.Add(new Declare(SourceSpan.None, string.Empty, flags.Continue, new Literal(TypeRef.Bool, "false")));
        }
        bodyStatements.AddRange(body.Statements);
        return new Lowered(new List<Stmt> { forEach with { Body = Blocks.Of(bodyStatements) } }, escaping, false);
    }

    private Local Returned() => _returned ??= Flag("returned");

    private Local Flag(string name)
    {
        var flag = new Local(TypeRef.Bool, _names.Claim(name));
        _flags.Add(flag.Name);
        return flag;
    }

    /// <summary>!a &amp;&amp; !b ...: none of the flags is set.</summary>
    private static Expr NoneSet(IEnumerable<string> flags)
    {
        Expr? condition = null;
        foreach (string flag in flags.OrderBy(f => f, System.StringComparer.Ordinal))
        {
            Expr notSet = new Unary(TypeRef.Bool, UnaryOp.Not, new Local(TypeRef.Bool, flag));
            condition = condition is null ? notSet : new Binary(TypeRef.Bool, BinaryOp.And, condition, notSet);
        }
        return condition!;
    }
}

internal static class Blocks
{
    public static Block Of(IEnumerable<Stmt> statements) => new(new EquatableArray<Stmt>(statements.ToImmutableArray()));
}
