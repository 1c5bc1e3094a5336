using Autodiff.Generator.Model;
using Autodiff.Generator.Transforms;

namespace Autodiff.Generator.Parsing;

/// <summary>
/// Recognises <c>for (int i = start; i &lt; end; i += c)</c> (any comparison, ++/--/+=/-= by a
/// constant) whose body never assigns i. In iteration k such a loop has i = start + k·c, so the
/// backward pass can run the index downwards instead of saving it at every step.
/// </summary>
internal static class CountedLoops
{
    public static CountedLoop? Detect(Block initializer, Expr? condition, Block body, Block step)
    {
        if (initializer.Statements.Count != 1 || initializer.Statements[0] is not Declare { Variable: var index, Initializer: { } start }
            || index.Type != TypeRef.Int)
        {
            return null;
        }
        if (condition is not Binary { Left: Local compared } comparison || compared.Name != index.Name
            || comparison.Op is not (BinaryOp.Less or BinaryOp.LessOrEqual or BinaryOp.Greater or BinaryOp.GreaterOrEqual or BinaryOp.NotEqual))
        {
            return null;
        }
        if (step.Statements.Count != 1 || step.Statements[0] is not Assign { Target: Local stepped, Kind: var kind, Value: Literal { Text: var text } }
            || stepped.Name != index.Name || kind == AssignKind.Set
            || !int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int amount) || amount == 0)
        {
            return null;
        }
        if (Walk.Assigns(body, index.Name) || Walk.Reads(comparison.Right, index.Name))
        {
            return null;
        }
        return new CountedLoop(index, start, kind == AssignKind.Add ? amount : -amount);
    }
}
