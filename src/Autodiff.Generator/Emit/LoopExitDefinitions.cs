using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;
using Autodiff.Generator.Transforms;

namespace Autodiff.Generator.Emit;

/// <summary>
/// A new definition, bit for bit the same value, of each floating-point scalar a top-level loop
/// carries into the calls after it (<c>p = global::System.Math.CopySign(p, p);</c>). Without one, the
/// JIT sees the loop's own definition live across the call (no register survives a call on x64
/// Linux) and keeps the variable in memory on every iteration: a store and a load in the loop's
/// dependency chain, which took the logistic map's tangent to 2.4x the function (1.2x with the new
/// definition) and its gradient's forward loop likewise. <c>CopySign(x, x)</c> is x exactly, NaN and
/// the sign of zero included, and the JIT neither folds it nor moves it past the call; <c>x - 0.0</c>
/// it folds, <c>x + 0.0</c> turns -0 into +0.
/// </summary>
internal static class LoopExitDefinitions
{
    /// <summary>
    /// The floating-point scalars the loop assigns and the statements after it read, when one of those
    /// statements calls something and the loop calls nothing (a call inside the loop puts its values
    /// in memory around it anyway).
    /// </summary>
    public static List<string> Carried(Loop loop, IEnumerable<Stmt> rest, System.Func<string, TypeRef> typeOf)
    {
        static List<Expr> ExpressionsOf(IEnumerable<Stmt> statements) =>
            statements.SelectMany(s => Walk.Statements(Blocks.Of(new[] { s }))).SelectMany(Walk.OwnExpressions).SelectMany(Walk.Expressions).ToList();
        List<Expr> after = ExpressionsOf(rest);
        if (!after.Any(e => e is Invocation) || ExpressionsOf(new Stmt[] { loop }).Any(e => e is Invocation))
        {
            return new List<string>();
        }
        var read = new HashSet<string>(after.OfType<Local>().Select(l => l.Name));
        return Walk.Statements(Blocks.Of(new Stmt[] { loop }))
            .Select(Walk.AssignedVariable)
            .OfType<string>()
            .Where(v => typeOf(v).IsScalar && read.Contains(v))
            .Distinct()
            .ToList();
    }

    /// <summary>The comment and the lines that define each of <paramref name="names"/> again; nothing for none.</summary>
    public static IEnumerable<Code> Lines(IEnumerable<(string Name, TypeRef Type)> names)
    {
        var lines = names.Select(n => (Code)new Line(n.Name + " = " + (n.Type.Kind == ValueKind.Float ? "global::System.MathF" : "global::System.Math")
            + ".CopySign(" + n.Name + ", " + n.Name + ");")).ToList();
        if (lines.Count > 0)
        {
            lines.Insert(0, new Line("// Defined again, unchanged, past the loop: the JIT then keeps them in registers through it (see LoopExitDefinitions)"));
        }
        return lines;
    }
}
