using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;
using Autodiff.Generator.Transforms;

namespace Autodiff.Generator.Emit;

/// <summary>
/// Save storage sized from trip counts: before a loop of run-time trip count, room on each save
/// stack for every value the loop will push on it (<c>doubleSaves.Reserve(...)</c>), so that those
/// pushes check nothing but the array's bounds (<c>PushReserved</c>). A push in the GMM's point
/// loop, a capacity check and a store, otherwise costs more than the store: the JIT keeps the
/// stack's fields in memory in a method that size, and the check reloads them.
/// </summary>
/// <remarks>
/// <para>The count is exact: per stack, the sum over its pushes of the product of the trip counts of
/// the loops around each push, written as the loops nest (<c>n * (k * (d + 1))</c>). It is made only
/// when it is known where the loop starts: the loop and every loop around a push inside it are
/// counted loops that only their condition ends (<see cref="TripCounts"/>) whose start and bound
/// read nothing the outer loop changes, and no push sits under a branch or a <c>foreach</c>. A stack
/// with any other push inside the loop is not reserved there, and keeps checked pushes.</para>
/// <para>A miscount could not change a gradient: a reservation only guarantees room, every push still
/// writes at the stack's count, and a reserved push past the storage fails the array's bounds check
/// (an exception, never a write outside it). The runtime's Debug build, which the test suites run,
/// checks that each reservation is used exactly.</para>
/// <para>In the split members the saves go on the caller's residuals, which the callees' forward
/// passes push on too, uncounted here: a loop there is reserved only when it calls no split member.</para>
/// </remarks>
internal sealed class ReservedSaves
{
    private readonly MethodContext _context;
    private readonly HashSet<string> _changedInLoop;
    private readonly Stack<Frame> _frames = new();
    private readonly HashSet<string> _uncounted = new();

    private ReservedSaves(MethodContext context, Loop loop)
    {
        _context = context;
        _changedInLoop = new HashSet<string>(TripCounts.ChangedIn(loop));
        _frames.Push(new Frame(null)); // the loop's own statements around its iterations; Reserved reads it, nothing leaves it
    }

    /// <summary>
    /// A reservation for the loop, when it can have one: a counted loop whose trip count is known on
    /// entry and not a constant (a loop of constant count, under 128 saves, gets a stack-allocated
    /// stack instead), and, on the residuals, one that calls no split member.
    /// </summary>
    public static ReservedSaves? Around(Loop loop, MethodContext context)
    {
        if (TripCounts.Constant(loop) is not null || context.TripCountBound(loop) is null
            || context.SavesIntoResiduals && Walk.Within(loop).Any(context.SplitCalls.Contains))
        {
            return null;
        }
        return new ReservedSaves(context, loop);
    }

    /// <summary>The iterations of a loop inside (or of the loop itself): their pushes count trip-count times, if that count is known on entry.</summary>
    public void EnterIterations(Loop loop) => _frames.Push(new Frame(TripCountOnEntry(loop)));

    /// <summary>A branch or a <c>foreach</c>: how often its pushes run is not known on entry.</summary>
    public void EnterUncounted() => _frames.Push(new Frame(null));

    /// <summary>Ends what the last <see cref="EnterIterations"/> or <see cref="EnterUncounted"/> began.</summary>
    public void Leave()
    {
        Frame frame = _frames.Pop();
        foreach (string stack in frame.Stacks)
        {
            if (frame.TripCount is null)
            {
                _uncounted.Add(stack);
            }
            else
            {
                _frames.Peek().AddNested(stack, Times(frame.TripCount, frame.Sum(stack)));
            }
        }
    }

    /// <summary>A push on <paramref name="stack"/> where the sweep is now.</summary>
    public void CountPush(string stack) => _frames.Peek().AddPush(stack);

    /// <summary>
    /// The loop's code, with a <c>Reserve</c> line before it for each stack whose pushes inside were
    /// all counted, and those pushes written <c>PushReserved</c>.
    /// </summary>
    public List<Code> Reserved(List<Code> loopCode)
    {
        Frame whole = _frames.Pop();
        var reserved = whole.Stacks.Where(stack => !_uncounted.Contains(stack)).OrderBy(stack => stack, System.StringComparer.Ordinal).ToList();
        if (reserved.Count == 0)
        {
            return loopCode;
        }
        var code = new List<Code> { new Line("// Room for every value the loop below saves, counted from its trip counts: its pushes then check nothing (see ReservedSaves)") };
        code.AddRange(reserved.Select(stack => (Code)new Line(stack + ".Reserve(checked(" + whole.Sum(stack) + "));")));
        var calls = new Dictionary<string, string>();
        foreach (string stack in reserved)
        {
            calls[stack + ".Push("] = stack + ".PushReserved(";
            calls[stack + ".PushLanes("] = stack + ".PushLanesReserved(";
        }
        code.AddRange(Rewritten(loopCode, calls));
        return code;
    }

    /// <summary>The code with each call in <paramref name="calls"/> (its text up to the parenthesis) written as the other, in every line and nested block.</summary>
    public static List<Code> Rewritten(List<Code> code, IReadOnlyDictionary<string, string> calls) => code.Select(item => Rewritten(item, calls)).ToList();

    private static Code Rewritten(Code item, IReadOnlyDictionary<string, string> calls) => item switch
    {
        Line line => line with { Text = Replaced(line.Text, calls) },
        Nested nested => nested with { Body = Rewritten(nested.Body, calls), Else = nested.Else is null ? null : Rewritten(nested.Else, calls) },
        _ => item,
    };

    private static string Replaced(string text, IReadOnlyDictionary<string, string> calls)
    {
        foreach (KeyValuePair<string, string> call in calls)
        {
            text = ReplaceWhole(text, call.Key, call.Value);
        }
        return text;
    }

    // Replaces the call where the stack's name starts a word (another stack's name may end with it).
    private static string ReplaceWhole(string text, string from, string to)
    {
        var result = new System.Text.StringBuilder();
        int at = 0;
        while (true)
        {
            int found = text.IndexOf(from, at, System.StringComparison.Ordinal);
            if (found < 0)
            {
                return result.Append(text, at, text.Length - at).ToString();
            }
            bool wordStart = found == 0 || !(char.IsLetterOrDigit(text[found - 1]) || text[found - 1] is '_' or '.' or '@');
            result.Append(text, at, found - at).Append(wordStart ? to : from);
            at = found + from.Length;
        }
    }

    /// <summary>The loop's trip count, printed, when the loop only ends by its condition and its start and bound read nothing the reserving loop changes; otherwise null.</summary>
    private string? TripCountOnEntry(Loop loop)
    {
        if (loop.Counted is not { } counted || loop.Condition is not Binary condition || _context.TripCountBound(loop) is not { } bound)
        {
            return null;
        }
        bool fixedOnEntry = TripCounts.IntegersRead(counted.Start).Concat(TripCounts.IntegersRead(bound)).All(read => !_changedInLoop.Contains(read.Name))
            || _frames.Count == 1; // the reserving loop's own start and bound are read before it runs
        return fixedOnEntry ? ReverseSweep.TripCountText(counted, condition, bound) : null;
    }

    private static string Times(string tripCount, string count)
    {
        // The product in long arithmetic: a printed count is (int)Math.Max(0L, long span), whose long span serves as is.
        const string IntCount = "(int)global::System.Math.Max(0L, ";
        string factor = tripCount.StartsWith(IntCount, System.StringComparison.Ordinal) ? tripCount.Substring("(int)".Length) : "(long)" + tripCount;
        return count == "1" ? factor : factor + " * " + (count.Contains(" + ") ? "(" + count + ")" : count);
    }

    /// <summary>The pushes on each stack at one level: how many are written directly at it, and what the loops inside it add.</summary>
    private sealed class Frame
    {
        private readonly Dictionary<string, int> _direct = new();
        private readonly Dictionary<string, List<string>> _nested = new();
        private readonly List<string> _order = new();

        public Frame(string? tripCount) => TripCount = tripCount;

        /// <summary>How many times the level runs, printed; null when not known on entry.</summary>
        public string? TripCount { get; }

        public IEnumerable<string> Stacks => _order;

        public void AddPush(string stack)
        {
            Track(stack);
            _direct[stack] = _direct.TryGetValue(stack, out int count) ? count + 1 : 1;
        }

        public void AddNested(string stack, string count)
        {
            Track(stack);
            if (!_nested.TryGetValue(stack, out List<string>? counts))
            {
                _nested[stack] = counts = new List<string>();
            }
            counts.Add(count);
        }

        /// <summary>The pushes on the stack at this level, per run of the level: the loops' counts, then the direct pushes as one number.</summary>
        public string Sum(string stack)
        {
            var parts = _nested.TryGetValue(stack, out List<string>? counts) ? new List<string>(counts) : new List<string>();
            if (_direct.TryGetValue(stack, out int direct))
            {
                parts.Add(direct.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            return string.Join(" + ", parts);
        }

        private void Track(string stack)
        {
            if (!_direct.ContainsKey(stack) && !_nested.ContainsKey(stack))
            {
                _order.Add(stack);
            }
        }
    }
}
