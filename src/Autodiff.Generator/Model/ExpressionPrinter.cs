using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Autodiff.Generator.Model;

/// <summary>Prints IR expressions as C#, with only the parentheses precedence requires.</summary>
internal static class ExpressionPrinter
{
    private const int Conditional = 3, LogicalOr = 5, LogicalAnd = 6, BitOr = 7, BitXor = 8, BitAnd = 9,
        Equality = 10, Relational = 11, Shift = 12, Additive = 13, Multiplicative = 14, UnaryLevel = 15, Primary = 16;

    public static string Print(Expr expression) => Print(expression, 0);

    /// <summary>A user's name as an identifier: a local called "event" is written @event; "this.@class" keeps its prefix.</summary>
    public static string Identifier(string name)
    {
        int dot = name.LastIndexOf('.');
        if (dot >= 0)
        {
            return name.Substring(0, dot + 1) + Identifier(name.Substring(dot + 1));
        }
        return SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;
    }

    private static string Print(Expr expression, int context)
    {
        int own = Precedence(expression);
        string text = PrintBare(expression);
        return own < context ? "(" + text + ")" : text;
    }

    public static int Precedence(Expr expression) => expression switch
    {
        Binary e => Precedence(e.Op),
        Unary or Cast => UnaryLevel,
        Model.Conditional => Conditional,
        Invocation { Callee.Printed: var op, Receiver: null, Arguments.Count: var n } when IsOperator(op) => n == 1 ? UnaryLevel : OperatorPrecedence(op),
        Literal { Text: var text } when text.StartsWith("-", System.StringComparison.Ordinal) => UnaryLevel,
        _ => Primary,
    };

    private static int Precedence(BinaryOp op) => op switch
    {
        BinaryOp.Multiply or BinaryOp.Divide or BinaryOp.Remainder => Multiplicative,
        BinaryOp.Add or BinaryOp.Subtract => Additive,
        BinaryOp.ShiftLeft or BinaryOp.ShiftRight => Shift,
        BinaryOp.Less or BinaryOp.LessOrEqual or BinaryOp.Greater or BinaryOp.GreaterOrEqual => Relational,
        BinaryOp.Equal or BinaryOp.NotEqual => Equality,
        BinaryOp.BitAnd => BitAnd,
        BinaryOp.BitXor => BitXor,
        BinaryOp.BitOr => BitOr,
        BinaryOp.And => LogicalAnd,
        _ => LogicalOr,
    };

    private static bool IsOperator(string printed) => printed.Length <= 2 && printed.Length > 0 && !char.IsLetter(printed[0]);

    private static int OperatorPrecedence(string token) => token is "*" or "/" or "%" ? Multiplicative : Additive;

    public static string Token(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        BinaryOp.Divide => "/",
        BinaryOp.Remainder => "%",
        BinaryOp.Equal => "==",
        BinaryOp.NotEqual => "!=",
        BinaryOp.Less => "<",
        BinaryOp.LessOrEqual => "<=",
        BinaryOp.Greater => ">",
        BinaryOp.GreaterOrEqual => ">=",
        BinaryOp.And => "&&",
        BinaryOp.Or => "||",
        BinaryOp.BitAnd => "&",
        BinaryOp.BitOr => "|",
        BinaryOp.BitXor => "^",
        BinaryOp.ShiftLeft => "<<",
        _ => ">>",
    };

    private static string PrintBare(Expr expression)
    {
        switch (expression)
        {
            case Literal e:
                return e.Text;
            case Local e:
                return Identifier(e.Name);
            case Element e:
                return Identifier(e.Array.Name) + "[" + Print(e.Index, 0) + "]";
            case Binary e:
            {
                int own = Precedence(e.Op);
                // Left-associative: the right operand needs strictly higher precedence.
                return Print(e.Left, own) + " " + Token(e.Op) + " " + Print(e.Right, own + 1);
            }
            case Unary e:
            {
                string token = e.Op switch { UnaryOp.Negate => "-", UnaryOp.Plus => "+", UnaryOp.Not => "!", _ => "~" };
                string operand = Print(e.Operand, UnaryLevel);
                // "- -x" and "--x" differ: keep a negated negative apart.
                return token + (operand.StartsWith(token, System.StringComparison.Ordinal) ? " " : string.Empty) + operand;
            }
            case Model.Conditional e:
                return Print(e.Condition, Conditional + 1) + " ? " + Print(e.WhenTrue, Conditional) + " : " + Print(e.WhenFalse, Conditional);
            case Cast e:
                return "(" + e.Type.Name + ")" + Print(e.Operand, UnaryLevel);
            case StopGradient { Printed.Length: 0 } e:
                return Print(e.Operand, 0); // a shape query (x.Dim(0), a primary expression): cut without a call of its own
            case StopGradient e:
                return e.Printed + "(" + Print(e.Operand, 0) + ")";
            case ArrayLength e:
                return Identifier(e.Array.Name) + ".Length";
            case NewArray e:
                return "new " + e.Type.Element.Name + "[" + Print(e.Size, 0) + "]";
            case Invocation e:
                return PrintInvocation(e);
            case Opaque e:
                return PrintOpaque(e);
            default:
                throw new System.InvalidOperationException("Cannot print " + expression.GetType().Name);
        }
    }

    private static string PrintInvocation(Invocation e)
    {
        string callee = e.Callee.Printed;
        if (e.Receiver is null && IsOperator(callee))
        {
            if (e.Arguments.Count == 1)
            {
                return callee + Print(e.Arguments[0].Value, UnaryLevel);
            }
            int own = OperatorPrecedence(callee);
            return Print(e.Arguments[0].Value, own) + " " + callee + " " + Print(e.Arguments[1].Value, own + 1);
        }
        var text = new StringBuilder();
        if (e.Receiver is not null)
        {
            text.Append(Print(e.Receiver, Primary)).Append('.');
        }
        text.Append(callee).Append('(');
        for (int i = 0; i < e.Arguments.Count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }
            Argument argument = e.Arguments[i];
            text.Append(argument.Kind switch { RefMode.Ref => "ref ", RefMode.Out => "out ", RefMode.In => "in ", _ => string.Empty });
            text.Append(Print(argument.Value, 0));
        }
        return text.Append(')').ToString();
    }

    private static string PrintOpaque(Opaque e)
    {
        var text = new StringBuilder(e.Parts.Count > 0 ? e.Parts[0] : string.Empty);
        for (int i = 0; i < e.Holes.Count; i++)
        {
            text.Append(Print(e.Holes[i], Primary));
            text.Append(e.Parts[i + 1]);
        }
        return text.ToString();
    }
}
