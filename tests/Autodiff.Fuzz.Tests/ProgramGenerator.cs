using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Autodiff.Fuzz.Tests;

/// <summary>
/// Writes a random, well-typed program in the supported language from a seed. The text is written
/// once as a template in which the type, the Math class, literals and attributes are placeholders;
/// it is rendered as the program (double or float, with attributes) and, for float programs, once
/// more as a double twin without attributes on which finite differences are taken.
///
/// Every value stays in a safe domain by construction: Log and Sqrt take 1 + e*e, Exp takes a
/// bounded argument, divisors are c + e*e, every array has the program's length N and every index
/// expression is a constant below N or a loop index that ranges over [0, N). Names are never reused
/// inside a method, so no declaration shadows another.
/// </summary>
public sealed partial class ProgramGenerator
{
    // Placeholders of the template.
    private const string T = "⟨T⟩";
    private const string M = "⟨M⟩";
    private const string Diff = "⟨D⟩";
    private const string NoGrad = "⟨N⟩";
    private const string Rule = "⟨R⟩";
    private const string Cls = "⟨C⟩";

    private static readonly string[] CollisionNames =
    {
        "dX", "dx", "seed", "result", "value", "var", "nameof", "@class", "t", "sin", "matMul", "dresult", "d", "dt",
        "gradients", "workspaceScope", "dY", "dV", "dx_2", "t_2", "save", "stack", "i_2", "dA", "tape", "adjoint", "dseed",
    };

    /// <summary>Names whose adjoint (d + name) is a C# keyword.</summary>
    private static readonly string[] KeywordAdjointNames = { "o", "ouble", "efault", "ecimal", "elegate" };

    private readonly Random _rng;
    private readonly FuzzConfig _config;
    private readonly int _seed;
    private readonly HashSet<string> _features = new();
    private readonly List<Helper> _helpers = new();
    private readonly List<MethodUnderTest> _tested = new();
    private readonly List<InputSpec> _fields = new();
    private int _n;
    private string? _countParameter;
    private bool _isModel;
    private bool _hasRule;

    /// <summary>
    /// Draws for what was added after seeds had been recorded (rotations): they leave the main
    /// stream alone, so that a recorded seed still gives its program, with such lines inserted.
    /// </summary>
    private readonly Random _extra;
    private readonly Random _stepped;

    private ProgramGenerator(int seed, FuzzConfig config)
    {
        _seed = seed;
        _rng = new Random(seed);
        _extra = new Random(seed ^ 0x5EED);
        _stepped = new Random(seed ^ 0x57E9);
        _config = config;
    }

    public static FuzzProgram Generate(int seed, FuzzConfig config)
    {
        var generator = new ProgramGenerator(seed, config);
        if (config.Tensors && generator._rng.NextDouble() < 0.08)
        {
            return TensorProgramGenerator.Generate(seed, generator._rng);
        }
        return generator.Build();
    }

    private enum HelperKind { Scalars, ArrayReader, Recursive, ArrayWriter, ArrayResult }

    private sealed record Helper(string Name, HelperKind Kind, bool IsInstance);

    /// <summary>What an expression or statement may refer to.</summary>
    private sealed class Scope
    {
        public List<string> Scalars { get; init; } = new();
        public List<string> ReadOnlyScalars { get; init; } = new();
        public List<string> Arrays { get; init; } = new();
        public List<string> Indices { get; init; } = new();
        public int LoopDepth { get; init; }
        public bool InstanceContext { get; init; }
        /// <summary>Helpers (by position in the list) this method may call: only later ones, so calls form a DAG.</summary>
        public int FirstCallable { get; init; }
        public string? SelfRecursive { get; init; }
        public HashSet<string> Used { get; init; } = new();
        /// <summary>In a method returning an array: no early return (ADIFF020 asks for one return, at the end).</summary>
        public bool ReturnsArray { get; set; }

        public Scope Child(string? index = null, string? readOnly = null) => new()
        {
            Scalars = new List<string>(Scalars),
            ReadOnlyScalars = readOnly is null ? new List<string>(ReadOnlyScalars) : new List<string>(ReadOnlyScalars) { readOnly },
            Arrays = new List<string>(Arrays),
            Indices = index is null ? new List<string>(Indices) : new List<string>(Indices) { index },
            LoopDepth = index is null && readOnly is null ? LoopDepth : LoopDepth + 1,
            InstanceContext = InstanceContext,
            FirstCallable = FirstCallable,
            SelfRecursive = SelfRecursive,
            Used = Used,
            ReturnsArray = ReturnsArray,
        };
    }

    private FuzzProgram Build()
    {
        bool isFloat = _config.Floats && _rng.NextDouble() < 0.3;
        _isModel = _config.Models && _rng.NextDouble() < 0.25;
        _hasRule = _config.UserRules && _rng.NextDouble() < 0.3;
        // Now and then arrays long enough for loops the generator runs several iterations at a time
        // (vector code needs more iterations than one vector's width: at least 5 with four lanes).
        _n = _config.LongArrays && _rng.NextDouble() < 0.25 ? _rng.Next(9, 14) : _rng.Next(2, 5);
        if (_n > 4) _features.Add("long-arrays");
        if (isFloat) _features.Add("float");
        if (_isModel) _features.Add("model");
        if (_hasRule) _features.Add("user-rule");

        var body = new StringBuilder();
        if (_isModel)
        {
            int count = _rng.Next(1, 4);
            for (int i = 0; i < count; i++)
            {
                string name = i == 0 || !_config.GeneratedNameCollisions || _rng.NextDouble() < 0.6
                    ? "W" + (char)('a' + i)
                    : Pick(new[] { "seed", "gradients", "model", "dX", "value" });
                if (_fields.Any(f => f.Name == name)) name = "W" + (char)('a' + i);
                bool noGrad = i > 0 && _rng.NextDouble() < 0.2;
                _fields.Add(new InputSpec(name, noGrad ? InputKind.NoGradScalar : InputKind.Scalar));
                body.Append("    ").Append(noGrad ? NoGrad + " " : "").Append("public ").Append(T).Append(' ').Append(name)
                    .Append(" = ").Append(Lit(0.25 * (i + 1))).Append(";\n");
            }
        }
        if (_hasRule)
        {
            body.Append("    public static ").Append(T).Append(" Softplus(").Append(T).Append(" x) => ").Append(M).Append(".Log(")
                .Append(Lit(1)).Append(" + ").Append(M).Append(".Exp(x));\n");
            body.Append("    ").Append(Rule).Append("\n    public static void SoftplusBackward(").Append(T).Append(" x, ").Append(T)
                .Append(" seed, ref ").Append(T).Append(" dx) => dx += seed / (").Append(Lit(1)).Append(" + ").Append(M).Append(".Exp(-x));\n");
        }

        // Helpers are written last-first so that a helper only calls helpers written before it.
        int helperCount = _rng.Next(0, 4);
        var helperKinds = new List<HelperKind>();
        for (int i = 0; i < helperCount; i++)
        {
            double r = _rng.NextDouble();
            HelperKind kind = r < 0.4 ? HelperKind.Scalars : r < 0.7 ? HelperKind.ArrayReader
                : r < 0.85 && _config.Recursion ? HelperKind.Recursive
                : _config.HelperWritesArray ? HelperKind.ArrayWriter : HelperKind.Scalars;
            if (kind == HelperKind.Scalars && _config.ArrayResults && Chance(0.35))
            {
                kind = HelperKind.ArrayResult;
            }
            helperKinds.Add(kind);
        }
        for (int i = 0; i < helperCount; i++)
        {
            bool instance = _isModel && _rng.NextDouble() < 0.5 && helperKinds[i] != HelperKind.ArrayResult;
            _helpers.Add(new Helper("H" + i, helperKinds[i], instance));
        }
        var helperTexts = new List<string>();
        for (int i = helperCount - 1; i >= 0; i--)
        {
            helperTexts.Add(WriteHelper(i));
        }
        helperTexts.Reverse();
        foreach (string text in helperTexts) body.Append(text);
        body.Append(WriteMain());

        string template = body.ToString();
        string className = "P" + _seed.ToString(CultureInfo.InvariantCulture);
        var source = new StringBuilder();
        source.Append("using System;\nusing Autodiff;\n\nnamespace Fuzz;\n\n");
        source.Append(Render(WrapClass(template), className, isFloat, twin: false));
        if (isFloat)
        {
            source.Append('\n').Append(Render(WrapClass(template), className + "Twin", isFloat: false, twin: true));
        }
        return new FuzzProgram
        {
            Seed = _seed,
            ClassName = className,
            Kind = _isModel ? ProgramKind.Model : ProgramKind.Static,
            IsFloat = isFloat,
            N = _n,
            Source = source.ToString(),
            Methods = _tested,
            Fields = _fields,
            Features = _features,
        };
    }

    private string WrapClass(string body) =>
        "public " + (_isModel ? "sealed" : "static") + " partial class " + Cls + "\n{\n" + body + "}\n";

    private static string Render(string template, string className, bool isFloat, bool twin)
    {
        string text = template.Replace(Cls, className).Replace(T, isFloat ? "float" : "double").Replace(M, isFloat ? "MathF" : "Math")
            .Replace(Diff, twin ? "" : "[Differentiable]").Replace(NoGrad, twin ? "" : "[NoGrad]")
            .Replace(Rule, twin ? "" : "[DerivativeOf(nameof(Softplus))]");
        text = CheckpointPattern().Replace(text, twin ? "" : "[LoopCheckpoints($1)]");
        return LiteralPattern().Replace(text, m =>
        {
            string value = m.Groups[1].Value;
            string number = value.Contains('.') ? value : value + ".0";
            if (isFloat) number += "f";
            return number.StartsWith('-') ? "(" + number + ")" : number;
        });
    }

    [GeneratedRegex("⟨CK([0-9]+)⟩")]
    private static partial Regex CheckpointPattern();

    [GeneratedRegex("⟨L([-0-9.E]+)⟩")]
    private static partial Regex LiteralPattern();

    private static string Lit(double value) => "⟨L" + value.ToString("0.0##", CultureInfo.InvariantCulture) + "⟩";

    private T1 Pick<T1>(IReadOnlyList<T1> items) => items[_rng.Next(items.Count)];

    private bool Chance(double p) => _rng.NextDouble() < p;

    /// <summary>A fresh name for a local or parameter of the current method.</summary>
    private string NewName(Scope scope, string prefix)
    {
        if (_config.KeywordAdjointNames && Chance(0.06))
        {
            string name = Pick(KeywordAdjointNames);
            if (scope.Used.Add(name))
            {
                _features.Add("keyword-adjoint-name");
                return name;
            }
        }
        if (_config.GeneratedNameCollisions && Chance(0.2))
        {
            string name = Pick(CollisionNames);
            if (!_fields.Any(f => f.Name == name) && scope.Used.Add(name))
            {
                _features.Add("name-collision");
                return name;
            }
        }
        for (int k = 0; ; k++)
        {
            string name = prefix + k.ToString(CultureInfo.InvariantCulture);
            if (scope.Used.Add(name)) return name;
        }
    }

    private Scope NewMethodScope(int helperIndex, bool instance) => new()
    {
        InstanceContext = instance,
        FirstCallable = helperIndex + 1,
        Used = new HashSet<string>(_fields.Select(f => f.Name)) { "Softplus", "SoftplusBackward" },
    };

    private string WriteMain()
    {
        Scope scope = NewMethodScope(-1, _isModel);
        var parameters = new List<InputSpec>();
        int scalars = _rng.Next(_isModel ? 0 : 1, 4);
        int arrays = _rng.Next(0, 3);
        for (int i = 0; i < scalars; i++)
        {
            string name = NewName(scope, "x");
            bool noGrad = i > 0 && Chance(0.15);
            parameters.Add(new InputSpec(name, noGrad ? InputKind.NoGradScalar : InputKind.Scalar));
            scope.Scalars.Add(name);
        }
        for (int i = 0; i < arrays; i++)
        {
            string name = NewName(scope, "v");
            parameters.Add(new InputSpec(name, InputKind.Array));
            scope.Arrays.Add(name);
        }
        if (Chance(0.2))
        {
            // An integer parameter (inactive) bounding loops; the checker passes N.
            string count = NewName(scope, "n");
            parameters.Add(new InputSpec(count, InputKind.Int, IntValue: _n));
            _countParameter = count;
            _features.Add("int-parameter");
        }
        Shuffle(parameters);
        var text = new StringBuilder();
        text.Append("    ").Append(Diff);
        if (_config.LoopCheckpoints && Chance(0.35))
        {
            text.Append(" ⟨CK").Append(Pick(new[] { 1, 2, 3, 5 })).Append('⟩');
            _features.Add("loop-checkpoints");
        }
        text.Append("\n    public ").Append(_isModel ? "" : "static ").Append(T).Append(" F(")
            .Append(ParameterList(parameters)).Append(")\n    {\n");
        if (scope.Arrays.Count > 0 && _helpers.Any(h => h.Kind == HelperKind.ArrayResult) && Chance(0.6))
        {
            WriteArrayResultCall(text, scope, "        ");
        }
        WriteStatements(text, scope, 2, _rng.Next(2, 9), depth: 0);
        text.Append("        return ").Append(Expr(scope, 3)).Append(";\n    }\n\n");
        _tested.Add(new MethodUnderTest("F", parameters, _isModel));
        return text.ToString();
    }

    /// <summary>An array returned by a call, declared once at the top level, then read and written like any local array.</summary>
    private void WriteArrayResultCall(StringBuilder text, Scope scope, string pad)
    {
        Helper maker = Pick(_helpers.Skip(scope.FirstCallable).Where(h => h.Kind == HelperKind.ArrayResult).ToList());
        string name = NewName(scope, "y");
        text.Append(pad).Append(T).Append("[] ").Append(name).Append(" = ").Append(maker.Name).Append('(').Append(Pick(scope.Arrays))
            .Append(", ").Append(Expr(scope, 2)).Append(");\n");
        scope.Arrays.Add(name);
        _features.Add("array-result-call");
    }

    private void Shuffle<T1>(List<T1> list)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = _rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    private static string ParameterList(IEnumerable<InputSpec> parameters) => string.Join(", ", parameters.Select(p => p.Kind switch
    {
        InputKind.Scalar => T + " " + p.Name,
        InputKind.NoGradScalar => NoGrad + " " + T + " " + p.Name,
        InputKind.Array => T + "[] " + p.Name,
        InputKind.Int => "int " + p.Name,
        _ => throw new InvalidOperationException(),
    }));

    private string WriteHelper(int index)
    {
        Helper helper = _helpers[index];
        Scope scope = NewMethodScope(index, helper.IsInstance);
        var parameters = new List<InputSpec>();
        var text = new StringBuilder();
        string modifiers = helper.IsInstance ? "private " : "internal static ";
        switch (helper.Kind)
        {
            case HelperKind.Scalars:
            {
                string a = NewName(scope, "a"), b = NewName(scope, "b");
                parameters.Add(new InputSpec(a, InputKind.Scalar));
                parameters.Add(new InputSpec(b, InputKind.Scalar));
                scope.Scalars.Add(a);
                scope.Scalars.Add(b);
                break;
            }
            case HelperKind.ArrayReader:
            case HelperKind.ArrayWriter:
            case HelperKind.ArrayResult:
            {
                string v = NewName(scope, "w"), a = NewName(scope, "a");
                parameters.Add(new InputSpec(v, InputKind.Array));
                parameters.Add(new InputSpec(a, InputKind.Scalar));
                scope.Scalars.Add(a);
                if (helper.Kind == HelperKind.ArrayWriter)
                {
                    scope.Arrays.Add(v);
                }
                else
                {
                    // Read only: expressions may read it, statements never write it.
                    scope = scope.Child();
                    _readOnlyArrays.Add(v);
                    scope.Arrays.Add(v);
                }
                break;
            }
            case HelperKind.Recursive:
            {
                string x = NewName(scope, "a");
                parameters.Add(new InputSpec(x, InputKind.Scalar));
                parameters.Add(new InputSpec("depth", InputKind.Int, IntValue: 2));
                scope.Used.Add("depth");
                scope.Scalars.Add(x);
                _features.Add("recursion");
                break;
            }
        }
        text.Append("    ").Append(Diff).Append("\n    ").Append(modifiers).Append(T).Append(helper.Kind == HelperKind.ArrayResult ? "[] " : " ").Append(helper.Name).Append('(')
            .Append(ParameterList(parameters)).Append(')');
        if (helper.Kind is HelperKind.Scalars or HelperKind.ArrayReader && Chance(0.2))
        {
            text.Append(" => ").Append(Expr(scope, 3)).Append(";\n\n");
            _features.Add("expression-body");
        }
        else if (helper.Kind == HelperKind.ArrayResult)
        {
            // A new array, written by statements and by a loop over it, returned at the end.
            string result = NewName(scope, "r");
            string k = NewName(scope, "k");
            text.Append("\n    {\n        ").Append(T).Append("[] ").Append(result).Append(" = new ").Append(T).Append('[').Append(_n).Append("];\n");
            scope.ReturnsArray = true; // this helper's own scope: its nested scopes copy it
            scope.Arrays.Add(result);
            WriteStatements(text, scope, 2, _rng.Next(1, 4), depth: 1);
            Scope inner = scope.Child(index: k);
            text.Append("        for (int ").Append(k).Append(" = 0; ").Append(k).Append(" < ").Append(result).Append(".Length; ").Append(k)
                .Append("++)\n        {\n            ").Append(result).Append('[').Append(k).Append("] += ").Append(Expr(inner, 2))
                .Append(";\n        }\n        return ").Append(result).Append(";\n    }\n\n");
            _features.Add("array-result");
            _readOnlyArrays.Clear();
            return text.ToString(); // tested through its callers: the checker takes scalar results
        }
        else if (helper.Kind == HelperKind.Recursive)
        {
            text.Append("\n    {\n");
            text.Append("        if (depth <= 0)\n        {\n            return ").Append(Expr(scope, 2)).Append(";\n        }\n");
            WriteStatements(text, scope, 2, _rng.Next(1, 4), depth: 1);
            Scope recursive = scope.Child();
            string arg = Expr(recursive, 2);
            text.Append("        return ").Append(helper.Name).Append("(").Append(M).Append(".Tanh(").Append(arg).Append("), depth - 1) + ")
                .Append(Expr(recursive, 2)).Append(";\n    }\n\n");
        }
        else
        {
            text.Append("\n    {\n");
            if (helper.Kind == HelperKind.ArrayWriter)
            {
                // At least one write into the caller's array.
                string v = parameters[0].Name;
                text.Append("        ").Append(v).Append('[').Append(_rng.Next(_n)).Append("] = ").Append(Expr(scope, 2)).Append(";\n");
                _features.Add("helper-writes-array");
            }
            WriteStatements(text, scope, 2, _rng.Next(1, 5), depth: 1);
            text.Append("        return ").Append(Expr(scope, 3)).Append(";\n    }\n\n");
        }
        _readOnlyArrays.Clear();
        _tested.Add(new MethodUnderTest(helper.Name, parameters, helper.IsInstance));
        return text.ToString();
    }

    private readonly HashSet<string> _readOnlyArrays = new();

    private static string Indent(int level) => new(' ', level * 4);

    private void WriteStatements(StringBuilder text, Scope scope, int level, int count, int depth)
    {
        for (int i = 0; i < count; i++)
        {
            WriteStatement(text, scope, level, depth);
        }
    }

    private void WriteStatement(StringBuilder text, Scope scope, int level, int depth)
    {
        string pad = Indent(level);
        var writableArrays = scope.Arrays.Where(a => !_readOnlyArrays.Contains(a)).ToList();
        double r = _rng.NextDouble();
        bool nest = depth < 2;
        if (r < 0.18 || (scope.Scalars.Count == 0 && r < 0.5))
        {
            string name = NewName(scope, "s");
            text.Append(pad).Append(T).Append(' ').Append(name).Append(" = ").Append(Expr(scope, 3)).Append(";\n");
            scope.Scalars.Add(name);
            if (_config.Rotations && _extra.NextDouble() < 0.2)
            {
                // A rotation's pair, in either order: the sine and the cosine of one angle.
                string cosine = M + ".Cos(" + name + ")", sine = M + ".Sin(" + name + ")";
                (string first, string second) = _extra.Next(2) == 0 ? (cosine, sine) : (sine, cosine);
                text.Append(pad).Append(name).Append(" = ").Append(first).Append(" * ").Append(Lit(0.6)).Append(" - ")
                    .Append(second).Append(" * ").Append(Lit(0.8)).Append(";\n");
                _features.Add("rotation");
            }
        }
        else if (r < 0.32 && scope.Scalars.Count > 0)
        {
            string target = Pick(scope.Scalars);
            double k = _rng.NextDouble();
            if (k < 0.3) text.Append(pad).Append(target).Append(" = ").Append(Expr(scope, 3)).Append(";\n");
            else if (k < 0.5) text.Append(pad).Append(target).Append(" += ").Append(Expr(scope, 2)).Append(";\n");
            else if (k < 0.6) text.Append(pad).Append(target).Append(" -= ").Append(Expr(scope, 2)).Append(";\n");
            else if (k < 0.72) text.Append(pad).Append(target).Append(" *= ").Append(Bounded(scope)).Append(";\n");
            else if (k < 0.82) text.Append(pad).Append(target).Append(" /= ").Append(Divisor(scope)).Append(";\n");
            else text.Append(pad).Append(Pick(new[] { target + "++", target + "--", "++" + target, "--" + target })).Append(";\n");
        }
        else if (r < 0.42 && writableArrays.Count > 0)
        {
            string array = Pick(writableArrays);
            string index = Index(scope);
            double k = _rng.NextDouble();
            // The right side of a compound element update must not read the same array unless allowed.
            Scope rhsScope = scope;
            if (!_config.ElementSelfUpdate && k >= 0.3)
            {
                rhsScope = scope.Child();
                rhsScope.Arrays.Remove(array);
            }
            else if (k >= 0.3 && Chance(0.4))
            {
                text.Append(pad).Append(array).Append('[').Append(index).Append("] += ").Append(array).Append('[')
                    .Append(Index(scope)).Append("] * ").Append(Bounded(scope)).Append(";\n");
                _features.Add("element-self-update");
                return;
            }
            if (k < 0.3) text.Append(pad).Append(array).Append('[').Append(index).Append("] = ").Append(Expr(scope, 3)).Append(";\n");
            else if (k < 0.6) text.Append(pad).Append(array).Append('[').Append(index).Append("] += ").Append(Expr(rhsScope, 2)).Append(";\n");
            else if (k < 0.7) text.Append(pad).Append(array).Append('[').Append(index).Append("] -= ").Append(Expr(rhsScope, 2)).Append(";\n");
            else if (k < 0.85) text.Append(pad).Append(array).Append('[').Append(index).Append("] *= ").Append(Bounded(rhsScope)).Append(";\n");
            else text.Append(pad).Append(array).Append('[').Append(index).Append("]++;\n");
            if (rhsScope != scope || k >= 0.85) return;
        }
        else if (r < 0.48 && (_config.LocalArraysInBlocks || depth == 0))
        {
            // A local array, filled by a loop.
            string name = NewName(scope, "u");
            string k = NewName(scope, "k");
            text.Append(pad).Append(T).Append("[] ").Append(name).Append(" = new ").Append(T).Append('[').Append(_n).Append("];\n");
            Scope inner = scope.Child(index: k);
            text.Append(pad).Append("for (int ").Append(k).Append(" = 0; ").Append(k).Append(" < ").Append(name).Append(".Length; ")
                .Append(k).Append("++)\n").Append(pad).Append("{\n").Append(pad).Append("    ").Append(name).Append('[').Append(k)
                .Append("] = ").Append(Expr(inner, 2)).Append(";\n").Append(pad).Append("}\n");
            scope.Arrays.Add(name);
        }
        else if (r < 0.58 && nest)
        {
            text.Append(pad).Append("if (").Append(Condition(scope)).Append(")\n").Append(pad).Append("{\n");
            WriteStatements(text, scope.Child(), level + 1, _rng.Next(1, 3), depth + 1);
            text.Append(pad).Append("}\n");
            if (Chance(0.25))
            {
                text.Append(pad).Append("else if (").Append(Condition(scope)).Append(")\n").Append(pad).Append("{\n");
                WriteStatements(text, scope.Child(), level + 1, _rng.Next(1, 3), depth + 1);
                text.Append(pad).Append("}\n");
                _features.Add("else-if");
            }
            if (Chance(0.5))
            {
                text.Append(pad).Append("else\n").Append(pad).Append("{\n");
                WriteStatements(text, scope.Child(), level + 1, _rng.Next(1, 3), depth + 1);
                text.Append(pad).Append("}\n");
            }
        }
        else if (r < 0.63 && !scope.ReturnsArray)
        {
            text.Append(pad).Append("if (").Append(Condition(scope)).Append(")\n").Append(pad).Append("{\n").Append(pad)
                .Append("    return ").Append(Expr(scope, 2)).Append(";\n").Append(pad).Append("}\n");
            _features.Add("early-return");
        }
        else if (r < 0.8 && nest && scope.LoopDepth < 2)
        {
            WriteLoop(text, scope, level, depth);
        }
        else if (r < 0.86 && scope.LoopDepth > 0)
        {
            text.Append(pad).Append("if (").Append(Condition(scope)).Append(")\n").Append(pad).Append("{\n").Append(pad)
                .Append("    ").Append(Chance(0.5) ? "break" : "continue").Append(";\n").Append(pad).Append("}\n");
            _features.Add("break-continue");
        }
        else if (r < 0.93 && depth == 0 && scope.Arrays.Count > 0 && _helpers.Skip(scope.FirstCallable).Any(h => h.Kind == HelperKind.ArrayResult))
        {
            WriteArrayResultCall(text, scope, pad);
        }
        else if (r < 0.93 && _helpers.Skip(scope.FirstCallable).Any(h => h.Kind == HelperKind.ArrayWriter) && writableArrays.Count > 0
                 && scope.Scalars.Count > 0)
        {
            Helper writer = Pick(_helpers.Skip(scope.FirstCallable).Where(h => h.Kind == HelperKind.ArrayWriter).ToList());
            if (!writer.IsInstance || scope.InstanceContext)
            {
                text.Append(pad).Append(Pick(scope.Scalars)).Append(" += ").Append(writer.Name).Append('(').Append(Pick(writableArrays))
                    .Append(", ").Append(Expr(scope, 2)).Append(");\n");
            }
        }
        else if (scope.Scalars.Count > 0)
        {
            text.Append(pad).Append(Pick(scope.Scalars)).Append(" += ").Append(Expr(scope, 3)).Append(";\n");
        }
    }

    private void WriteLoop(StringBuilder text, Scope scope, int level, int depth)
    {
        string pad = Indent(level);
        double r = _rng.NextDouble();
        string counter = NewName(scope, "i");
        int loopStart = text.Length;
        string? forIndex = null; // the counter of a for loop, which a refill may read
        Scope inner;
        if (r < 0.35)
        {
            forIndex = counter;
            inner = scope.Child(index: counter);
            string bound = scope.Arrays.Count > 0 && Chance(0.5) ? Pick(scope.Arrays) + ".Length"
                : _countParameter is not null && scope.FirstCallable == 0 && Chance(0.6) ? _countParameter
                : _n.ToString(CultureInfo.InvariantCulture);
            text.Append(pad).Append("for (int ").Append(counter).Append(" = 0; ").Append(counter).Append(" < ").Append(bound).Append("; ")
                .Append(counter).Append(Chance(0.8) ? "++" : " += 2").Append(")\n");
        }
        else if (r < 0.5)
        {
            forIndex = counter;
            inner = scope.Child(index: counter);
            text.Append(pad).Append("for (int ").Append(counter).Append(" = ").Append(_n - 1).Append("; ").Append(counter).Append(" >= 0; ")
                .Append(counter).Append("--)\n");
        }
        else if (r < 0.65)
        {
            // The counter moves first so that a continue cannot skip it.
            inner = scope.Child(index: "(" + counter + " - 1)");
            text.Append(pad).Append("int ").Append(counter).Append(" = 0;\n").Append(pad).Append("while (").Append(counter).Append(" < ")
                .Append(_n).Append(")\n").Append(pad).Append("{\n").Append(pad).Append("    ").Append(counter).Append("++;\n");
            WriteStatements(text, inner, level + 1, _rng.Next(1, 3), depth + 1);
            text.Append(pad).Append("}\n");
            _features.Add("while");
            return;
        }
        else if (r < 0.75)
        {
            inner = scope.Child(index: "(" + counter + " - 1)");
            text.Append(pad).Append("int ").Append(counter).Append(" = 0;\n").Append(pad).Append("do\n").Append(pad).Append("{\n")
                .Append(pad).Append("    ").Append(counter).Append("++;\n");
            WriteStatements(text, inner, level + 1, _rng.Next(1, 3), depth + 1);
            text.Append(pad).Append("}\n").Append(pad).Append("while (").Append(counter).Append(" < ").Append(_n).Append(");\n");
            _features.Add("do");
            return;
        }
        else if (scope.Arrays.Count > 0)
        {
            scope.Used.Remove(counter);
            string element = NewName(scope, "e");
            inner = scope.Child(readOnly: element);
            text.Append(pad).Append("foreach (").Append(T).Append(' ').Append(element).Append(" in ").Append(Pick(scope.Arrays)).Append(")\n");
            _features.Add("foreach");
        }
        else
        {
            forIndex = counter;
            inner = scope.Child(index: counter);
            text.Append(pad).Append("for (int ").Append(counter).Append(" = 0; ").Append(counter).Append(" < ").Append(_n).Append("; ")
                .Append(counter).Append("++)\n");
        }
        _features.Add("loop");
        text.Append(pad).Append("{\n");
        string? refilled = forIndex is not null && level == 2 && _config.Refills && _extra.NextDouble() < 0.35
            ? WriteRefill(text, scope, inner, level, loopStart, forIndex) : null;
        if (forIndex is not null && _config.SteppedIntegers && scope.Scalars.Count > 0 && scope.Arrays.Count > 0 && _stepped.NextDouble() < 0.3)
        {
            WriteSteppedInteger(text, inner, level, forIndex);
        }
        WriteStatements(text, inner, level + 1, _rng.Next(1, 3), depth + 1);
        text.Append(pad).Append("}\n");
        if (refilled is not null && _extra.NextDouble() < 0.2)
        {
            scope.Arrays.Add(refilled); // read after the loop too: the last iteration's values
        }
    }

    /// <summary>
    /// A scratch array of the method's top level that a loop refills first thing in every iteration,
    /// then only reads (drawn apart from the main stream, so that earlier seeds keep their programs).
    /// Its fill reads the indices, literals, and sometimes arrays or scalars that change.
    /// </summary>
    private string WriteRefill(StringBuilder text, Scope scope, Scope inner, int level, int loopStart, string loopIndex)
    {
        string pad = Indent(level);
        string array = PlainName(scope, "rf"), k = PlainName(scope, "kf");
        text.Insert(loopStart, pad + T + "[] " + array + " = new " + T + "[" + _n + "];\n");
        string index = "(" + k + " * " + Lit(0.5) + ")", outer = "(" + loopIndex + " * " + Lit(0.25) + ")";
        // Mostly arrays nothing writes (a helper's input), whose fills the backward pass can run again.
        var readOnly = scope.Arrays.Where(_readOnlyArrays.Contains).ToList();
        List<string> arrays = readOnly.Count > 0 && _extra.NextDouble() < 0.8 ? readOnly : scope.Arrays;
        string value = _extra.Next(4) switch
        {
            0 when arrays.Count > 0 => arrays[_extra.Next(arrays.Count)] + "[" + k + "] * " + Lit(0.5) + " + " + outer,
            1 when arrays.Count > 0 => arrays[_extra.Next(arrays.Count)] + "[(" + k + " + " + loopIndex + ") % " + _n + "] - " + index,
            2 when scope.Scalars.Count > 0 => scope.Scalars[_extra.Next(scope.Scalars.Count)] + " * " + index + " + " + outer,
            _ => index + " - " + outer + " + " + Lit(1.5),
        };
        text.Append(pad).Append("    for (int ").Append(k).Append(" = 0; ").Append(k).Append(" < ").Append(array).Append(".Length; ").Append(k)
            .Append("++)\n").Append(pad).Append("    {\n").Append(pad).Append("        ").Append(array).Append('[').Append(k).Append("] = ")
            .Append(value).Append(";\n").Append(pad).Append("    }\n");
        _readOnlyArrays.Add(array);
        inner.Arrays.Add(array);
        _features.Add("refill");
        return array;
    }

    /// <summary>
    /// An integer the iteration declares from the loop's index and steps in an inner loop (by 1, 2
    /// or -1, a fixed or a round-dependent number of times), reading an array at it there; later
    /// statements of the iteration may index with it too (drawn apart from the main stream). The
    /// backward pass computes such an integer again instead of saving it (Transforms/ReplayedIntegers).
    /// </summary>
    private void WriteSteppedInteger(StringBuilder text, Scope inner, int level, string loopIndex)
    {
        string pad = Indent(level + 1);
        string k = PlainName(inner, "sk"), j = PlainName(inner, "sj");
        string n = _n.ToString(CultureInfo.InvariantCulture);
        string start = _stepped.Next(3) switch { 0 => loopIndex + " * 3 + 1", 1 => "2 - " + loopIndex, _ => n + " + " + loopIndex };
        string bound = _stepped.Next(3) switch { 0 => n, 1 => loopIndex, _ => "(" + loopIndex + " + 2)" };
        string jStep = _stepped.Next(4) == 0 ? " += 2" : "++";
        string kStep = _stepped.Next(3) switch { 0 => "++", 1 => " += 2", _ => "--" };
        string at = "((" + k + " % " + n + " + " + n + ") % " + n + ")";
        string scalar = inner.Scalars[_stepped.Next(inner.Scalars.Count)];
        string array = inner.Arrays[_stepped.Next(inner.Arrays.Count)];
        text.Append(pad).Append("int ").Append(k).Append(" = ").Append(start).Append(";\n")
            .Append(pad).Append("for (int ").Append(j).Append(" = 0; ").Append(j).Append(" < ").Append(bound).Append("; ").Append(j).Append(jStep).Append(")\n")
            .Append(pad).Append("{\n")
            .Append(pad).Append("    ").Append(k).Append(kStep).Append(";\n")
            .Append(pad).Append("    ").Append(scalar).Append(" += ").Append(M).Append(".Sin(").Append(array).Append('[').Append(at).Append("] * ").Append(scalar)
            .Append(") * ").Append(Lit(0.5)).Append(";\n")
            .Append(pad).Append("}\n");
        inner.Indices.Add(at);
        _features.Add("stepped-integer");
    }

    /// <summary>A fresh name that draws nothing from the random streams.</summary>
    private static string PlainName(Scope scope, string prefix)
    {
        for (int k = 0; ; k++)
        {
            string name = prefix + k.ToString(CultureInfo.InvariantCulture);
            if (scope.Used.Add(name)) return name;
        }
    }

    private string Index(Scope scope)
    {
        if (scope.Indices.Count == 0 || Chance(0.3))
        {
            return _rng.Next(_n).ToString(CultureInfo.InvariantCulture);
        }
        string i = Pick(scope.Indices);
        double r = _rng.NextDouble();
        return r < 0.6 ? i
            : r < 0.8 ? "(" + i + " + " + _rng.Next(1, _n + 1) + ") % " + _n
            : _n - 1 + " - " + i;
    }

    private string Condition(Scope scope)
    {
        double r = _rng.NextDouble();
        if (r < 0.4) return Expr(scope, 2) + " < " + Expr(scope, 2);
        if (r < 0.65) return Expr(scope, 2) + " > " + Lit(Math.Round(_rng.NextDouble() * 2 - 1, 1));
        if (r < 0.8 && scope.Indices.Count > 0) return Pick(scope.Indices) + " % 2 == 0";
        if (r < 0.9) return Expr(scope, 1) + " >= " + Lit(0) + " && " + Expr(scope, 1) + " < " + Expr(scope, 1);
        return "!(" + Expr(scope, 1) + " <= " + Expr(scope, 1) + ")";
    }

    /// <summary>A factor in (-1.5, 1.5): loops multiply by it without overflowing.</summary>
    private string Bounded(Scope scope)
    {
        double r = _rng.NextDouble();
        if (r < 0.4) return M + ".Tanh(" + Expr(scope, 2) + ")";
        if (r < 0.7) return "(" + Lit(0.5) + " + " + Lit(0.5) + " * " + M + ".Sin(" + Expr(scope, 2) + "))";
        return Lit(Math.Round(_rng.NextDouble() * 3 - 1.5, 2));
    }

    /// <summary>Always at least 0.5 away from zero.</summary>
    private string Divisor(Scope scope)
    {
        string e = Expr(scope, 1);
        return "(" + Lit(Pick(new[] { 0.5, 1.0, 1.5, 2.0 })) + " + " + e + " * " + e + ")";
    }

    private string Leaf(Scope scope)
    {
        double r = _rng.NextDouble();
        var readable = scope.Scalars.Concat(scope.ReadOnlyScalars).ToList();
        var fields = scope.InstanceContext ? _fields.Select(f => f.Name).ToList() : new List<string>();
        if (r < 0.45 && readable.Count > 0) return Pick(readable);
        if (r < 0.62 && scope.Arrays.Count > 0) return Pick(scope.Arrays) + "[" + Index(scope) + "]";
        if (r < 0.75 && fields.Count > 0) return (Chance(0.5) ? "this." : "") + Pick(fields);
        if (r < 0.8 && scope.Indices.Count > 0) return "(" + Pick(scope.Indices) + " * " + Lit(0.5) + ")";
        if (readable.Count > 0 && r < 0.85) return Pick(readable);
        return Lit(Math.Round(_rng.NextDouble() * 4 - 2, 2));
    }

    private string Expr(Scope scope, int depth)
    {
        if (depth <= 0 || Chance(0.25))
        {
            return Leaf(scope);
        }
        int d = depth - 1;
        double r = _rng.NextDouble();
        if (r < 0.3) return "(" + Expr(scope, d) + " " + Pick(new[] { "+", "-", "*", "*", "+" }) + " " + Expr(scope, d) + ")";
        if (r < 0.36) return "(" + Expr(scope, d) + " / " + (Chance(0.5) ? Divisor(scope) : Lit(Pick(new[] { 2.0, 0.5, -1.5, 3.0 }))) + ")";
        if (r < 0.4) return "(-" + Expr(scope, d) + ")";
        if (r < 0.45) return "(" + Condition(scope) + " ? " + Expr(scope, d) + " : " + Expr(scope, d) + ")";
        if (r < 0.8) return MathCall(scope, d);
        if (r < 0.93)
        {
            string? call = HelperCall(scope, d);
            if (call is not null) return call;
        }
        if (r < 0.96 && _hasRule) return "Softplus(" + Expr(scope, d) + ")";
        if (r < 0.97)
        {
            // Through double and back (a real float/double conversion in float programs).
            _features.Add("conversion");
            return "((" + T + ")Math.Atan((double)(" + Expr(scope, d) + ")))";
        }
        if (_config.KinkyFunctions && r < 0.98) return "(" + Expr(scope, d) + " % " + Lit(Pick(new[] { 1.5, 2.5, -1.75 })) + ")";
        return Leaf(scope);
    }

    private string? HelperCall(Scope scope, int d)
    {
        var callable = _helpers.Skip(scope.FirstCallable).Where(h => h.Kind is not (HelperKind.ArrayWriter or HelperKind.ArrayResult) && (!h.IsInstance || scope.InstanceContext)).ToList();
        if (callable.Count == 0) return null;
        Helper helper = Pick(callable);
        _features.Add("helper-call");
        return helper.Kind switch
        {
            HelperKind.Scalars => helper.Name + "(" + Expr(scope, d) + ", " + Expr(scope, d) + ")",
            HelperKind.ArrayReader when scope.Arrays.Count > 0 => helper.Name + "(" + Pick(scope.Arrays) + ", " + Expr(scope, d) + ")",
            HelperKind.Recursive => helper.Name + "(" + Expr(scope, d) + ", " + _rng.Next(0, 4) + ")",
            _ => null,
        };
    }

    private string MathCall(Scope scope, int d)
    {
        string e = Expr(scope, d);
        string Sq() => e + " * " + e;
        int pick = _rng.Next(_config.KinkyFunctions ? 30 : 22);
        return pick switch
        {
            0 => M + ".Sin(" + e + ")",
            1 => M + ".Cos(" + e + ")",
            2 => M + ".Tanh(" + e + ")",
            3 => M + ".Atan(" + e + ")",
            4 => M + ".Exp(" + M + ".Tanh(" + e + "))",
            5 => M + ".Exp(-(" + Sq() + "))",
            6 => M + ".Log(" + Lit(1) + " + " + Sq() + ")",
            7 => M + ".Log10(" + Lit(0.5) + " + " + Sq() + ")",
            8 => M + ".Log2(" + Lit(1.5) + " + " + Sq() + ")",
            9 => M + ".Sqrt(" + Lit(0.5) + " + " + Sq() + ")",
            10 => M + ".Pow(" + Lit(1) + " + " + Sq() + ", " + Lit(Pick(new[] { 0.5, -0.5, 1.5, 2.0 })) + ")",
            11 => M + ".Pow(" + e + ", " + Lit(Pick(new[] { 2.0, 3.0 })) + ")",
            12 => M + ".Atan2(" + Expr(scope, d) + ", " + Lit(1) + " + " + Sq() + ")",
            13 => M + ".Sinh(" + M + ".Tanh(" + e + "))",
            14 => M + ".Cosh(" + M + ".Tanh(" + e + "))",
            15 => M + ".Asin(" + Lit(0.9) + " * " + M + ".Tanh(" + e + "))",
            16 => M + ".Acos(" + Lit(0.9) + " * " + M + ".Tanh(" + e + "))",
            17 => M + ".Tan(" + Lit(0.5) + " * " + M + ".Tanh(" + e + "))",
            18 => M + ".FusedMultiplyAdd(" + e + ", " + Expr(scope, d) + ", " + Expr(scope, d) + ")",
            19 => M + ".Cbrt(" + Lit(1) + " + " + Sq() + ")",
            20 => M + ".Log(" + e + " * " + e + " + " + Lit(0.25) + ", " + Lit(Pick(new[] { 2.0, 3.0, 10.0 })) + ")",
            21 => M + ".Exp(" + Lit(0.5) + " * " + M + ".Sin(" + e + "))",
            22 => M + ".Abs(" + e + ")",
            23 => M + ".Max(" + e + ", " + Expr(scope, d) + ")",
            24 => M + ".Min(" + e + ", " + Expr(scope, d) + ")",
            25 => "Math.Clamp(" + e + ", " + Lit(-1) + ", " + Lit(1) + ")",
            26 => M + ".Floor(" + e + ")",
            27 => M + ".Round(" + e + ")",
            28 => M + ".Ceiling(" + e + ") + " + M + ".Truncate(" + Expr(scope, d) + ")",
            _ => M + ".Abs(" + Expr(scope, d) + " - " + e + ")",
        };
    }
}
