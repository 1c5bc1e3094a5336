using System;

namespace Autodiff;

/// <summary>
/// Binomial (revolve-style) checkpointing of the loops at the top level of a <c>[Differentiable]</c>
/// method: memory for time on long loops (time stepping, recurrences). Without it, the backward pass
/// keeps what every iteration's backward code reads, for the whole loop; with it, it keeps at most
/// <see cref="Snapshots"/> copies of the loop's state (the variables and arrays the loop changes) and
/// one iteration's values, and runs iterations again from the nearest copy as it goes back.
/// </summary>
/// <remarks>
/// <para>The copies are placed as Griewank and Walther's binomial schedule places them (the one
/// Revolve computes): with s copies and a loop of n iterations, each iteration runs at most r + 1
/// times, for the least r with C(s + r, s) ≥ n. So 30 copies take a loop of 10,000 iterations back
/// with no iteration run more than five times (r = 4); one copy runs iteration i n − i times,
/// n(n + 1)/2 runs in all.</para>
/// <para>It applies to each loop of the method's top level whose trip count is known when it
/// starts (<c>for (int t = 0; t &lt; steps; t++)</c> with <c>steps</c> unchanged by the loop); warning
/// ADIFF022 names any other and why. A loop whose iterations save nothing is left as it is, and so is
/// one that writes into arrays but runs no inner loop or [Differentiable] call in its body (filling
/// an array, x[t] = f(x[t − 1])): each of its iterations saves a value or two, while each copy of its
/// state would hold the whole arrays. Iterations run again, so effects in the loop body (printing, say)
/// happen again too, as with <c>torch.utils.checkpoint</c>.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class LoopCheckpointsAttribute : Attribute
{
    /// <param name="snapshots">How many copies of the loop's state to keep at most (the loop's start included); at least 1.</param>
    public LoopCheckpointsAttribute(int snapshots) => Snapshots = snapshots;

    /// <summary>How many copies of the loop's state the backward pass keeps at most.</summary>
    public int Snapshots { get; }
}
