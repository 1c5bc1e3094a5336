using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// Sines and cosines of one angle, as rotations compute them: for <c>s = Math.Sin(x)</c> after
/// <c>c = Math.Cos(x)</c> in the same block (x and c not assigned between), the local c, which
/// holds Sin's derivative already; and for a cosine after a sine, the sine. The backward pass then
/// multiplies by it instead of calling <c>Math.Cos</c> again inside <c>SinBackward</c>. In general only
/// an earlier companion qualifies: when the backward code of the later statement runs, every value
/// it reads holds what it held right after that statement, so the earlier one's result is there;
/// a later companion may have been taken back already (not one assigned once, in the reverse sweep).
/// </summary>
internal static class TrigCompanions
{
    private static readonly Dictionary<string, string> Partners = new()
    {
        ["global::System.Math.Sin"] = "global::System.Math.Cos",
        ["global::System.Math.Cos"] = "global::System.Math.Sin",
        ["global::System.MathF.Sin"] = "global::System.MathF.Cos",
        ["global::System.MathF.Cos"] = "global::System.MathF.Sin",
    };

    /// <summary>
    /// Whether the rule is the built-in pullback or pushforward of a sine (true) or of a cosine
    /// (false); null for any other rule, a user's own rule for Math.Sin included, which keeps its derivative.
    /// </summary>
    public static bool? OfSine(DerivativeRule rule) => !rule.IsBuiltIn ? null : rule.Name switch
    {
        "SinBackward" or "SinTangent" => true,
        "CosBackward" or "CosTangent" => false,
        _ => null,
    };

    /// <summary>The comment of a line that takes the derivative from the companion instead of calling the rule.</summary>
    public static string Comment(DerivativeRule rule, bool sine, string companion) =>
        " // " + rule.Name + ", with " + ExpressionPrinter.Identifier(companion) + " for " + (sine ? "the cosine" : "the sine");

    /// <summary>Each sine or cosine statement with an earlier companion, and the local that holds it.</summary>
    /// <param name="fixedVariables">
    /// For the reverse sweep, variables that hold one value for the whole method (<see cref="FixedVariables"/>):
    /// a later companion of the same block then qualifies too when it and the angle are such variables,
    /// since nothing takes the companion back before the earlier statement's backward code runs
    /// (BA's <c>cosTheta</c> before <c>sinTheta</c>). Null for forward mode, which runs in program order.
    /// </param>
    public static Dictionary<Stmt, string> Of(Block body, ISet<string>? fixedVariables = null)
    {
        var companions = new Dictionary<Stmt, string>(SameStatement.Instance);
        Visit(body, companions, fixedVariables);
        return companions;
    }

    private static void Visit(Block block, Dictionary<Stmt, string> companions, ISet<string>? fixedVariables)
    {
        // (function, angle) -> the local holding it, while neither changes.
        var known = new Dictionary<(string Function, string Angle), string>();
        foreach (Stmt statement in block.Statements)
        {
            foreach (Block child in Walk.Children(statement))
            {
                Visit(child, companions, fixedVariables);
            }
            (string? target, string? function, string? angle) = Trig(statement);
            if (target is not null && known.TryGetValue((Partners[function!], angle!), out string? companion))
            {
                companions[statement] = companion;
            }
            var changed = new HashSet<string>(Walk.Within(statement).SelectMany(Walk.Changed));
            foreach (var entry in known.Where(e => changed.Contains(e.Key.Angle) || changed.Contains(e.Value)).ToList())
            {
                known.Remove(entry.Key);
            }
            if (target is not null && target != angle)
            {
                known[(function!, angle!)] = target;
            }
        }
        if (fixedVariables is not null)
        {
            LaterCompanions(block, companions, fixedVariables);
        }
    }

    /// <summary>A sine or cosine of a fixed angle without an earlier companion takes a later one of the same block that is fixed too.</summary>
    private static void LaterCompanions(Block block, Dictionary<Stmt, string> companions, ISet<string> fixedVariables)
    {
        var trig = block.Statements.Select(s => (Statement: s, Parts: Trig(s))).Where(t => t.Parts.Target is not null).ToList();
        for (int i = 0; i < trig.Count; i++)
        {
            (Stmt statement, (string? _, string? function, string? angle)) = trig[i];
            if (companions.ContainsKey(statement) || !fixedVariables.Contains(angle!))
            {
                continue;
            }
            for (int j = i + 1; j < trig.Count; j++)
            {
                (string? later, string? laterFunction, string? laterAngle) = trig[j].Parts;
                if (laterFunction == Partners[function!] && laterAngle == angle && later != angle && fixedVariables.Contains(later!))
                {
                    companions[statement] = later!;
                    break;
                }
            }
        }
    }

    /// <summary>The target, function and angle of <c>target = Math.Sin(angle)</c> (or Cos, MathF's) for a local angle; nulls otherwise.</summary>
    private static (string? Target, string? Function, string? Angle) Trig(Stmt statement)
    {
        (string? target, Expr? value) = statement switch
        {
            Declare d => (d.Variable.Name, d.Initializer),
            Assign { Target: Local t, Kind: AssignKind.Set } a => (t.Name, a.Value),
            _ => (null, null),
        };
        return target is not null && value is Invocation { Receiver: null, Arguments.Count: 1 } call
            && Partners.ContainsKey(call.Callee.Printed) && call.Arguments[0] is { Kind: RefMode.Value, Value: Local angle }
            ? (target, call.Callee.Printed, angle.Name)
            : (null, null, null);
    }
}
