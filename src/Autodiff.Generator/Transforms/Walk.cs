using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>Read-only traversals of the IR shared by the passes.</summary>
internal static class Walk
{
    /// <summary>Every statement, nested ones included, in program order.</summary>
    public static IEnumerable<Stmt> Statements(Block block) => block.Statements.SelectMany(Within);

    /// <summary>The statement and every statement nested in it, in program order.</summary>
    public static IEnumerable<Stmt> Within(Stmt statement)
    {
        yield return statement;
        foreach (Block child in Children(statement))
        {
            foreach (Stmt nested in Statements(child))
            {
                yield return nested;
            }
        }
    }

    public static IEnumerable<Block> Children(Stmt statement)
    {
        switch (statement)
        {
            case If s:
                yield return s.Then;
                yield return s.Else;
                break;
            case Loop s:
                yield return s.Initializer;
                yield return s.Body;
                yield return s.Step;
                break;
            case ForEach s:
                yield return s.Body;
                break;
        }
    }

    /// <summary>Whether the expression is <c>this</c> (the front end keeps it as an opaque "this").</summary>
    public static bool IsThis(Expr expression) => expression is Opaque { Holes.Count: 0, Parts: { Count: 1 } parts } && parts[0] == "this";

    /// <summary>Every sub-expression, the expression itself first.</summary>
    public static IEnumerable<Expr> Expressions(Expr expression)
    {
        yield return expression;
        foreach (Expr child in Operands(expression))
        {
            foreach (Expr nested in Expressions(child))
            {
                yield return nested;
            }
        }
    }

    public static IEnumerable<Expr> Operands(Expr expression)
    {
        switch (expression)
        {
            case Element e:
                yield return e.Array;
                yield return e.Index;
                break;
            case Unary e:
                yield return e.Operand;
                break;
            case Binary e:
                yield return e.Left;
                yield return e.Right;
                break;
            case Conditional e:
                yield return e.Condition;
                yield return e.WhenTrue;
                yield return e.WhenFalse;
                break;
            case Cast e:
                yield return e.Operand;
                break;
            case StopGradient e:
                yield return e.Operand;
                break;
            case ArrayLength e:
                yield return e.Array;
                break;
            case NewArray e:
                yield return e.Size;
                break;
            case Invocation e:
                if (e.Receiver is not null)
                {
                    yield return e.Receiver;
                }
                foreach (Argument argument in e.Arguments)
                {
                    yield return argument.Value;
                }
                break;
            case Opaque e:
                foreach (Expr hole in e.Holes)
                {
                    yield return hole;
                }
                break;
        }
    }

    /// <summary>The expressions a statement itself evaluates (not those of nested statements).</summary>
    public static IEnumerable<Expr> OwnExpressions(Stmt statement)
    {
        switch (statement)
        {
            case Declare { Initializer: { } value }:
                yield return value;
                break;
            case Assign s:
                yield return s.Target;
                yield return s.Value;
                break;
            case Evaluate s:
                yield return s.Expression;
                break;
            case If s:
                yield return s.Condition;
                break;
            case Loop { Condition: { } condition }:
                yield return condition;
                break;
            case ForEach s:
                yield return s.Collection;
                break;
            case Return { Value: { } value }:
                yield return value;
                break;
            case Throw s:
                yield return s.Exception;
                break;
        }
    }

    public static bool Reads(Expr expression, string name)
    {
        foreach (Expr e in Expressions(expression))
        {
            if (e is Local local && local.Name == name)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The variables a statement's own expressions pass to a call by ref or out (the call may assign them).</summary>
    public static IEnumerable<string> PassedByReference(Stmt statement)
    {
        foreach (Expr expression in OwnExpressions(statement))
        {
            foreach (Expr e in Expressions(expression))
            {
                if (e is Invocation call)
                {
                    foreach (Argument argument in call.Arguments)
                    {
                        if (argument.Kind is RefMode.Ref or RefMode.Out && argument.Value is Local local)
                        {
                            yield return local.Name;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The variables a statement may change as a whole: the one it assigns, and those its calls take by ref or out.</summary>
    public static IEnumerable<string> Changed(Stmt statement)
    {
        if (AssignedVariable(statement) is { } assigned)
        {
            yield return assigned;
        }
        foreach (string passed in PassedByReference(statement))
        {
            yield return passed;
        }
    }

    /// <summary>Whether a statement of the block assigns the variable (declarations, assignments, foreach variables).</summary>
    public static bool Assigns(Block block, string name)
    {
        foreach (Stmt statement in Statements(block))
        {
            if (AssignedVariable(statement) == name)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The variable a statement writes as a whole (not an array element), or null.</summary>
    public static string? AssignedVariable(Stmt statement) => statement switch
    {
        Declare s => s.Variable.Name,
        Assign { Target: Local target } => target.Name,
        ForEach s => s.Variable.Name,
        _ => null,
    };
}
