using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Autodiff.Generator.Model;
using Autodiff.Generator.Transforms;

namespace Autodiff.Generator.Emit;

/// <summary>
/// Local arrays of a small fixed length (<c>double[] xo = new double[3];</c>) whose adjoints the
/// backward pass only indexes: those adjoints live on the stack
/// (<c>Span&lt;double&gt; dxo = stackalloc double[3];</c>), so a pullback of a method with small
/// scratch arrays allocates nothing for them. Allocating the adjoints was most of what a pullback
/// of ADBench's reprojection error cost beyond its forward pass (0.81 µs against 0.56 µs for the
/// two rows of its Jacobian).
/// </summary>
internal static class StackAdjoints
{
    /// <summary>At most this many elements on the stack per generated method, so that deep call chains stay far from the stack's end.</summary>
    public const int MaxElements = 128;

    /// <summary>The arrays, among <paramref name="candidates"/>, whose adjoints go on the stack, with their lengths.</summary>
    public static Dictionary<string, int> Choose(Block body, IEnumerable<(string Variable, string Adjoint)> candidates, List<Code> backward)
    {
        Dictionary<string, int> lengths = FixedLengths(body);
        var chosen = new Dictionary<string, int>();
        int budget = MaxElements;
        foreach ((string variable, string adjoint) in candidates)
        {
            if (lengths.TryGetValue(variable, out int length) && length <= budget
                && backward.All(c => GeneratedText.OnlyIndexes(c, adjoint)))
            {
                chosen[variable] = length;
                budget -= length;
            }
        }
        return chosen;
    }

    /// <summary>Locals whose every assignment is an allocation of the same constant length.</summary>
    private static Dictionary<string, int> FixedLengths(Block body)
    {
        var lengths = new Dictionary<string, int>();
        var other = new HashSet<string>();
        foreach (Stmt statement in Walk.Statements(body))
        {
            foreach (string passed in Walk.PassedByReference(statement))
            {
                other.Add(passed);
            }
            (string? name, Expr? value) = statement switch
            {
                Declare { Initializer: null } => (null, null),
                Declare s => (s.Variable.Name, s.Initializer),
                Assign { Target: Local target } s => (target.Name, s.Kind == AssignKind.Set ? s.Value : null),
                ForEach s => (s.Variable.Name, null),
                _ => (null, null),
            };
            if (name is null)
            {
                continue;
            }
            if (value is NewArray { Size: Literal size } && int.TryParse(size.Text, NumberStyles.None, CultureInfo.InvariantCulture, out int length)
                && length > 0 && (!lengths.TryGetValue(name, out int seen) || seen == length))
            {
                lengths[name] = length;
            }
            else
            {
                other.Add(name);
            }
        }
        foreach (string name in other)
        {
            lengths.Remove(name);
        }
        return lengths;
    }
}
