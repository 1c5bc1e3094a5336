using System;
using System.Collections.Generic;
using System.Linq;

namespace Autodiff.Fuzz.Tests;

/// <summary>
/// Which language features the program generator may use. The switches marked "known bug" turn off
/// constructs that the generator still gets wrong, so that a long run can look for other bugs; the
/// fixed-seed test turns everything on.
/// </summary>
public sealed record FuzzConfig
{
    /// <summary>Locals and parameters whose adjoint d+name is a C# keyword (o → do, ouble → double). Known bug.</summary>
    public bool KeywordAdjointNames { get; init; } = true;

    /// <summary>A [Differentiable] helper that writes into its array argument, called on the caller's array. Known bug.</summary>
    public bool HelperWritesArray { get; init; } = true;

    /// <summary>v[i] op= e where e reads v itself (i == j possible), e.g. v[0] += v[0] * e. Known bug.</summary>
    public bool ElementSelfUpdate { get; init; } = true;

    /// <summary>Names that collide with what the generator writes (dX, dx, seed, result, value, @class, var, nameof...).</summary>
    public bool GeneratedNameCollisions { get; init; } = true;

    /// <summary>
    /// Local arrays declared inside a loop or branch. The generator rejects these with ADIFF014 ("allocate it once,
    /// at the top of the method"), a documented limitation, so they are off unless asked for.
    /// </summary>
    public bool LocalArraysInBlocks { get; init; }

    /// <summary>Functions that are discontinuous or have kinks (Floor, Round, Abs, Max, Min, Clamp, %).</summary>
    public bool KinkyFunctions { get; init; } = true;

    /// <summary>[Differentiable] helpers that return a new array, called at the top level of the tested method.</summary>
    public bool ArrayResults { get; init; } = true;

    public bool Floats { get; init; } = true;
    public bool Models { get; init; } = true;
    public bool Tensors { get; init; } = true;
    public bool Recursion { get; init; } = true;
    public bool UserRules { get; init; } = true;

    /// <summary>[LoopCheckpoints(k)] on the tested method (k of 1, 2, 3 or 5): its loops taken back by binomial checkpointing.</summary>
    public bool LoopCheckpoints { get; init; } = true;

    /// <summary>A fifth of new scalars are turned by a rotation's pair, the sine and cosine of the scalar (drawn apart from the main stream).</summary>
    public bool Rotations { get; init; } = true;

    /// <summary>Top-level loops now and then refill a scratch array first thing in every iteration (drawn apart from the main stream).</summary>
    public bool Refills { get; init; } = true;

    /// <summary>Loops now and then declare an integer from their index and step it in an inner loop, reading an array at it (drawn apart from the main stream).</summary>
    public bool SteppedIntegers { get; init; } = true;

    /// <summary>A quarter of the programs get arrays of 9 to 13 elements instead of 2 to 4, so that vectorised loops run their vector part.</summary>
    public bool LongArrays { get; init; } = true;

    /// <summary>Methods per compilation.</summary>
    public int BatchSize { get; init; } = 40;

    /// <summary>Random points per method.</summary>
    public int Points { get; init; } = 2;

    /// <summary>Everything on: the generator is expected to pass this once its bugs are fixed.</summary>
    public static FuzzConfig Everything { get; } = new();

    /// <summary>Known bugs switched off.</summary>
    public static FuzzConfig WithoutKnownBugs { get; } = new() { KeywordAdjointNames = false, HelperWritesArray = false, ElementSelfUpdate = false };

    private static readonly string[] SwitchNames =
    {
        nameof(KeywordAdjointNames), nameof(HelperWritesArray), nameof(ElementSelfUpdate), nameof(GeneratedNameCollisions),
        nameof(LocalArraysInBlocks), nameof(KinkyFunctions), nameof(ArrayResults), nameof(Floats), nameof(Models), nameof(Tensors), nameof(Recursion), nameof(UserRules), nameof(LoopCheckpoints), nameof(Rotations), nameof(Refills), nameof(SteppedIntegers),
    };

    /// <summary>Applies "-Name" / "+Name" switches (e.g. "-KeywordAdjointNames,+Tensors"), or "known-bugs-off".</summary>
    public FuzzConfig With(string switches)
    {
        FuzzConfig config = this;
        foreach (string item in switches.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (item == "known-bugs-off")
            {
                config = config with { KeywordAdjointNames = false, HelperWritesArray = false, ElementSelfUpdate = false };
                continue;
            }
            bool on = item[0] != '-';
            string name = item.TrimStart('+', '-');
            if (!SwitchNames.Contains(name))
            {
                throw new ArgumentException("unknown switch " + name + "; known: " + string.Join(", ", SwitchNames));
            }
            config = name switch
            {
                nameof(KeywordAdjointNames) => config with { KeywordAdjointNames = on },
                nameof(HelperWritesArray) => config with { HelperWritesArray = on },
                nameof(ElementSelfUpdate) => config with { ElementSelfUpdate = on },
                nameof(GeneratedNameCollisions) => config with { GeneratedNameCollisions = on },
                nameof(KinkyFunctions) => config with { KinkyFunctions = on },
                nameof(LocalArraysInBlocks) => config with { LocalArraysInBlocks = on },
                nameof(ArrayResults) => config with { ArrayResults = on },
                nameof(Floats) => config with { Floats = on },
                nameof(Models) => config with { Models = on },
                nameof(Tensors) => config with { Tensors = on },
                nameof(Recursion) => config with { Recursion = on },
                nameof(LoopCheckpoints) => config with { LoopCheckpoints = on },
                nameof(Rotations) => config with { Rotations = on },
                nameof(Refills) => config with { Refills = on },
                nameof(SteppedIntegers) => config with { SteppedIntegers = on },
                _ => config with { UserRules = on },
            };
        }
        return config;
    }

    public override string ToString() => string.Join(" ", new (string, bool)[]
    {
        (nameof(KeywordAdjointNames), KeywordAdjointNames), (nameof(HelperWritesArray), HelperWritesArray),
        (nameof(ElementSelfUpdate), ElementSelfUpdate), (nameof(GeneratedNameCollisions), GeneratedNameCollisions),
        (nameof(LocalArraysInBlocks), LocalArraysInBlocks),
        (nameof(KinkyFunctions), KinkyFunctions), (nameof(ArrayResults), ArrayResults), (nameof(Floats), Floats), (nameof(Models), Models),
        (nameof(Tensors), Tensors), (nameof(Recursion), Recursion), (nameof(UserRules), UserRules), (nameof(LoopCheckpoints), LoopCheckpoints), (nameof(Rotations), Rotations), (nameof(Refills), Refills), (nameof(SteppedIntegers), SteppedIntegers),
    }.Select(s => (s.Item2 ? "+" : "-") + s.Item1));
}
