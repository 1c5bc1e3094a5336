using System.Collections.Generic;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Emit;

/// <summary>
/// How the forward-running sweeps (the forward pass of reverse mode, and forward mode) print the
/// method's own control flow and assignments around the code they add: the same if, loop and
/// foreach shapes, and the same assignment text, as the method wrote them.
/// </summary>
internal static class ControlFlow
{
    /// <summary>An if whose then-branch lowering emptied (a "continue" or "return" moved away) reads better negated.</summary>
    public static Nested If(Expr condition, List<Code> then, List<Code> otherwise) =>
        then.Count == 0 && otherwise.Count > 0
            ? new Nested("if (" + ExpressionPrinter.Print(new Unary(TypeRef.Bool, UnaryOp.Not, condition)) + ")", otherwise)
            : new Nested("if (" + ExpressionPrinter.Print(condition) + ")", then, otherwise);

    /// <summary>A <c>for</c> when the initializer and step are one line each, otherwise the initializer then a <c>while</c> or <c>do</c> whose body ends with the step.</summary>
    public static void Loop(Loop loop, List<Code> initializer, List<Code> body, List<Code> step, List<Code> code)
    {
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

    public static Nested ForEach(ForEach loop, List<Code> body) =>
        new("foreach (" + loop.Variable.Type.Name + " " + ExpressionPrinter.Identifier(loop.Variable.Name) + " in " + ExpressionPrinter.Print(loop.Collection) + ")", body);

    public static string Operator(AssignKind kind) => kind switch { AssignKind.Add => " += ", AssignKind.Subtract => " -= ", _ => " = " };

    /// <summary><c>target op= value</c>, and <c>i++</c> for an integer step, as the method wrote it.</summary>
    public static string Assignment(Expr target, AssignKind kind, Expr value, string printedValue)
    {
        string printedTarget = ExpressionPrinter.Print(target);
        if (kind != AssignKind.Set && value is Literal { Text: "1" } && target.Type == TypeRef.Int)
        {
            return printedTarget + (kind == AssignKind.Add ? "++" : "--");
        }
        return printedTarget + Operator(kind) + printedValue;
    }
}
