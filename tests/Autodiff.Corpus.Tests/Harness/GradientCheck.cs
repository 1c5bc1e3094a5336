using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Autodiff.Corpus.Tests.Harness;

/// <summary>
/// Compares a method's generated gradient with central finite differences of the method itself, and its
/// pullback with its gradient, at random points of its annotated domain.
/// </summary>
/// <remarks>
/// Double: step 1e-6, atol 1e-5, rtol 1e-3 (PyTorch's gradcheck). A second difference with step 1e-4 must
/// agree with the first, otherwise the point is next to a kink or a jump and that coordinate is skipped.
/// Float methods are differenced in float: steps 1e-2 and 4e-3, tolerances 2e-2 (float rounding divided by
/// a smaller step would dominate).
/// </remarks>
public static partial class GradientCheck
{
    private const int Points = 4;
    private const double Seed = 0.75, Start = 0.5;

    public static bool IsDifferentiable(IParameterSymbol p) =>
        p.RefKind == RefKind.None
        && !p.GetAttributes().Any(a => a.AttributeClass?.Name is "NoGradAttribute")
        && (IsReal(p.Type) || p.Type is IArrayTypeSymbol { Rank: 1 } a && IsReal(a.ElementType));

    private static bool IsReal(ITypeSymbol t) => t.SpecialType is SpecialType.System_Double or SpecialType.System_Single;

    /// <summary>The problems found (empty: the gradient agrees), and whether the gradient was zero where differences were not.</summary>
    public static List<string> Check(CorpusMethod method, Assembly assembly, out bool silentZero)
    {
        silentZero = false;
        var problems = new List<string>();
        IMethodSymbol symbol = method.Symbol;
        Type? type = assembly.GetType(MetadataName(symbol.ContainingType));
        if (type is null) { problems.Add("type not found in the emitted assembly"); return problems; }
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;
        var methods = type.GetMethods(all);
        int n = symbol.Parameters.Length;
        var differentiable = symbol.Parameters.Where(IsDifferentiable).ToList();
        MethodInfo? function = methods.FirstOrDefault(m => m.Name == symbol.Name && m.GetParameters().Length == n && PrefixMatches(m, symbol));
        MethodInfo? gradient = methods.FirstOrDefault(m => m.Name == symbol.Name + "Gradient" && m.GetParameters().Length == n + differentiable.Count
            && PrefixMatches(m, symbol) && m.GetParameters().Skip(n).All(p => p.IsOut));
        MethodInfo? pullback = methods.FirstOrDefault(m => m.Name == symbol.Name + "Pullback" && m.GetParameters().Length == n + 1 + differentiable.Count
            && PrefixMatches(m, symbol));
        if (function is null) { problems.Add("method not found in the emitted assembly"); return problems; }
        if (symbol.ReturnType is IArrayTypeSymbol)
            return CheckVector(method, methods, function, differentiable, out silentZero);
        if (gradient is null) { problems.Add($"{symbol.Name}Gradient was not generated (or did not compile)"); return problems; }
        if (pullback is null) { problems.Add($"{symbol.Name}Pullback was not generated (or did not compile)"); return problems; }

        bool isFloat = symbol.ReturnType.SpecialType == SpecialType.System_Single;
        double h1 = isFloat ? 1e-2 : 1e-6, h2 = isFloat ? 4e-3 : 1e-4;
        double atol = isFloat ? 2e-2 : 1e-5, rtol = isFloat ? 2e-2 : 1e-3;
        var random = new Random(StableHash(method.Display));
        int compared = 0, zeroWhereNonZero = 0, wrong = 0;
        for (int point = 0, attempt = 0; point < Points && attempt < 50; attempt++)
        {
            object?[] args;
            try { args = Arguments(method, random); }
            catch (NotSupportedException e) { problems.Add(e.Message); return problems; }
            double value = Call(function, args);
            if (!double.IsFinite(value)) continue;
            point++;

            object?[] gradientArgs = Clone(args).Concat(new object?[differentiable.Count]).ToArray();
            double gradientValue = ToDouble(Invoke(gradient, gradientArgs));
            if (!Close(gradientValue, value, 1e-9, 1e-12))
                problems.Add($"{gradient.Name} returns {F(gradientValue)} where the method returns {F(value)} at {Describe(symbol, args)}");
            var grads = new object?[differentiable.Count];
            for (int k = 0; k < differentiable.Count; k++) grads[k] = gradientArgs[n + k];

            for (int k = 0; k < differentiable.Count; k++)
            {
                IParameterSymbol p = differentiable[k];
                int index = p.Ordinal;
                int length = args[index] is Array arr ? arr.Length : 1;
                for (int j = 0; j < length; j++)
                {
                    double ad = args[index] is Array ? ToDouble(((Array)grads[k]!).GetValue(j)) : ToDouble(grads[k]);
                    double fd1 = Difference(function, args, index, j, h1), fd2 = Difference(function, args, index, j, h2);
                    if (!double.IsFinite(fd1) || !double.IsFinite(fd2) || Math.Abs(fd1 - fd2) > atol + rtol * Math.Max(Math.Abs(fd1), Math.Abs(fd2)))
                        continue; // next to a kink, a jump or the domain's edge: differences do not define the gradient here
                    compared++;
                    if (Math.Abs(ad - fd1) <= atol + rtol * Math.Abs(fd1)) continue;
                    wrong++;
                    if (ad == 0) zeroWhereNonZero++;
                    if (problems.Count < 6)
                    {
                        string name = args[index] is Array ? $"{p.Name}[{j}]" : p.Name;
                        problems.Add($"d/d{name} = {F(ad)}, finite differences {F(fd1)} at {Describe(symbol, args)}");
                    }
                }
            }

            // The pullback adds seed * gradient into accumulators that already hold something. For an
            // array the method writes into, the accumulator brings in the gradient of the array's final
            // contents (how generated callers chain through it): there it starts from zero.
            double[] starts = differentiable.Select(p => WritesInto(function, args, p.Ordinal) ? 0.0 : Start).ToArray();
            object?[] pullbackArgs = Clone(args).Append(isFloat ? (object)(float)Seed : Seed)
                .Concat(differentiable.Select((p, k) => Accumulator(p, args[p.Ordinal], starts[k]))).ToArray();
            double pullbackValue = ToDouble(Invoke(pullback, pullbackArgs));
            if (!Close(pullbackValue, value, 1e-9, 1e-12))
                problems.Add($"{pullback.Name} returns {F(pullbackValue)} where the method returns {F(value)}");
            for (int k = 0; k < differentiable.Count; k++)
            {
                object? acc = pullbackArgs[n + 1 + k];
                object? g = grads[k];
                double[] got = acc is Array a ? a.Cast<object>().Select(ToDouble).ToArray() : new[] { ToDouble(acc) };
                double start = starts[k];
                double[] want = g is Array b ? b.Cast<object>().Select(o => start + Seed * ToDouble(o)).ToArray() : new[] { start + Seed * ToDouble(g) };
                for (int j = 0; j < got.Length; j++)
                {
                    // Loose enough for adjoints kept in float when a float is on the path, tight enough for any real mistake.
                    if (!Close(got[j], want[j], isFloat ? 1e-4 : 1e-6, isFloat ? 1e-6 : 1e-9) && problems.Count < 8)
                    {
                        problems.Add($"{pullback.Name} accumulates {F(got[j] - start)} into d{differentiable[k].Name}{(g is Array ? $"[{j}]" : "")}, seed * gradient is {F(want[j] - start)}");
                        break;
                    }
                }
            }
        }
        if (compared == 0 && differentiable.Count > 0)
            problems.Add("no point of the domain could be compared (every difference straddles a kink, or the method is never finite)");
        CheckTangent(method, methods, function, gradient, differentiable, isFloat, random, problems);
        silentZero = wrong > 0 && zeroWhereNonZero == wrong;
        return problems;
    }

    /// <summary>
    /// Forward mode: FTangent along a random direction gives the method's value and the gradient's
    /// dot product with the direction (the gradient itself is checked against differences above).
    /// Every static method over scalars and arrays that returns a scalar must have one.
    /// </summary>
    private static void CheckTangent(CorpusMethod method, MethodInfo[] methods, MethodInfo function, MethodInfo gradient,
        List<IParameterSymbol> differentiable, bool isFloat, Random random, List<string> problems)
    {
        IMethodSymbol symbol = method.Symbol;
        int n = symbol.Parameters.Length;
        MethodInfo? tangent = methods.FirstOrDefault(m => m.Name == symbol.Name + "Tangent" && m.GetParameters().Length == n + differentiable.Count && PrefixMatches(m, symbol));
        if (tangent is null)
        {
            if (symbol.IsStatic && IsReal(symbol.ReturnType) && symbol.Parameters.All(p => p.Type.Name != "Tensor"))
                problems.Add($"{symbol.Name}Tangent was not generated");
            return;
        }
        for (int point = 0, attempt = 0; point < Points && attempt < 50; attempt++)
        {
            object?[] args = Arguments(method, random);
            double value = Call(function, args);
            if (!double.IsFinite(value)) continue;
            point++;
            object?[] directions = Directions(differentiable, args, random);
            object result = Invoke(tangent, Clone(args).Concat(directions.Select(d => d is Array a ? a.Clone() : d)).ToArray())!;
            double tangentValue = ToDouble(result.GetType().GetField("Item1")!.GetValue(result));
            double computed = ToDouble(result.GetType().GetField("Item2")!.GetValue(result));
            if (!Close(tangentValue, value, 1e-9, 1e-12))
                problems.Add($"{tangent.Name} returns {F(tangentValue)} where the method returns {F(value)} at {Describe(symbol, args)}");
            object?[] gradientArgs = Clone(args).Concat(new object?[differentiable.Count]).ToArray();
            Invoke(gradient, gradientArgs);
            double expected = 0, magnitude = 0;
            for (int k = 0; k < differentiable.Count; k++)
            {
                double[] g = gradientArgs[n + k] is Array ga ? ga.Cast<object>().Select(ToDouble).ToArray() : new[] { ToDouble(gradientArgs[n + k]) };
                double[] v = directions[k] is Array va ? va.Cast<object>().Select(ToDouble).ToArray() : new[] { ToDouble(directions[k]) };
                for (int j = 0; j < g.Length; j++)
                {
                    expected += g[j] * v[j];
                    magnitude += Math.Abs(g[j] * v[j]);
                }
            }
            if (!double.IsFinite(expected)) continue;
            // The two modes sum in different orders: float kernels inside a double method (CrossType) differ at float precision.
            if (!(Math.Abs(computed - expected) <= (isFloat ? 1e-4 : 1e-6) * (1 + magnitude)) && problems.Count < 8)
                problems.Add($"{tangent.Name} gives {F(computed)} where the gradient's dot product with the direction gives {F(expected)} at {Describe(symbol, args)}");
        }
    }

    /// <summary>A random direction for each differentiable parameter, shaped like its argument, entries in [-1, 1].</summary>
    private static object?[] Directions(List<IParameterSymbol> differentiable, object?[] args, Random random) =>
        differentiable.Select(p => args[p.Ordinal] switch
        {
            double[] d => (object)d.Select(_ => random.NextDouble() * 2 - 1).ToArray(),
            float[] f => f.Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(),
            float => (float)(random.NextDouble() * 2 - 1),
            _ => random.NextDouble() * 2 - 1,
        }).ToArray();

    private static object? Accumulator(IParameterSymbol p, object? argument, double start) => argument switch
    {
        double[] d => Enumerable.Repeat(start, d.Length).ToArray(),
        float[] f => Enumerable.Repeat((float)start, f.Length).ToArray(),
        float => (float)start,
        _ => start,
    };

    /// <summary>Whether calling the method changes the array at that position.</summary>
    private static bool WritesInto(MethodInfo function, object?[] args, int index)
    {
        if (args[index] is not Array before)
            return false;
        object?[] copy = Clone(args);
        function.Invoke(null, copy);
        var after = (Array)copy[index]!;
        for (int i = 0; i < before.Length; i++)
            if (!Equals(before.GetValue(i), after.GetValue(i)))
                return true;
        return false;
    }

    private static double Difference(MethodInfo function, object?[] args, int index, int element, double h)
    {
        object?[] plus = Clone(args), minus = Clone(args);
        Shift(plus, index, element, h);
        Shift(minus, index, element, -h);
        // The step actually taken: in float, x + h is rounded.
        double taken = Coordinate(plus, index, element) - Coordinate(minus, index, element);
        return (Call(function, plus) - Call(function, minus)) / taken;
    }

    private static double Coordinate(object?[] args, int index, int element) => args[index] switch
    {
        double[] d => d[element],
        float[] f => f[element],
        var v => ToDouble(v),
    };

    private static void Shift(object?[] args, int index, int element, double h)
    {
        switch (args[index])
        {
            case double[] d: d[element] += h; break;
            case float[] f: f[element] = (float)(f[element] + h); break;
            case float f: args[index] = (float)(f + h); break;
            case double d: args[index] = d + h; break;
        }
    }

    private static object?[] Arguments(CorpusMethod method, Random random)
    {
        Annotation a = method.Annotation;
        return method.Symbol.Parameters.Select(p =>
        {
            var (low, high) = a.RangeOf(p.Name);
            double Next() => low + (high - low) * random.NextDouble();
            a.Values.TryGetValue(p.Name, out string? fixedValue);
            object? result = p.Type switch
            {
                { SpecialType: SpecialType.System_Double } => Next(),
                { SpecialType: SpecialType.System_Single } => (float)Next(),
                { SpecialType: SpecialType.System_Int32 } => fixedValue is null ? 3 : int.Parse(fixedValue, CultureInfo.InvariantCulture),
                { SpecialType: SpecialType.System_Int64 } => fixedValue is null ? 3L : long.Parse(fixedValue, CultureInfo.InvariantCulture),
                { SpecialType: SpecialType.System_Boolean } => fixedValue == "true",
                IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Double } => Enumerable.Range(0, a.LengthOf(p.Name)).Select(_ => Next()).ToArray(),
                IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Single } => Enumerable.Range(0, a.LengthOf(p.Name)).Select(_ => (float)Next()).ToArray(),
                IArrayTypeSymbol { ElementType: IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Double } } =>
                    Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, a.LengthOf(p.Name)).Select(_ => Next()).ToArray()).ToArray(),
                IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Int32 } => fixedValue is null
                    ? Enumerable.Range(0, a.LengthOf(p.Name)).Select(i => (i * 2 + 1) % a.LengthOf(p.Name)).ToArray()
                    : fixedValue.Split(',').Select(s => int.Parse(s.Trim(), CultureInfo.InvariantCulture)).ToArray(),
                _ => throw new NotSupportedException($"the harness cannot make a {p.Type.ToDisplayString()} for parameter {p.Name}"),
            };
            return result;
        }).ToArray();
    }

    private static object? Invoke(MethodInfo method, object?[] args)
    {
        try { return method.Invoke(null, args); }
        catch (TargetInvocationException e) { throw new MethodThrewException($"{method.Name} threw {e.InnerException!.GetType().Name}: {e.InnerException.Message}", e.InnerException); }
    }

    private static double Call(MethodInfo function, object?[] args) => ToDouble(Invoke(function, Clone(args)));

    private static object?[] Clone(object?[] args) => args.Select(a => a is Array arr ? arr.Clone() : a).ToArray();

    private static double ToDouble(object? o) => o switch { double d => d, float f => f, int i => i, _ => double.NaN };

    private static bool Close(double a, double b, double rel, double abs) =>
        a.Equals(b) || Math.Abs(a - b) <= abs + rel * Math.Max(Math.Abs(a), Math.Abs(b));

    private static bool PrefixMatches(MethodInfo m, IMethodSymbol symbol)
    {
        var ps = m.GetParameters();
        for (int i = 0; i < symbol.Parameters.Length; i++)
            if (ps[i].ParameterType.FullName != RuntimeName(symbol.Parameters[i])) return false;
        return true;
    }

    private static string RuntimeName(IParameterSymbol p) => TypeName(p.Type) + (p.RefKind == RefKind.None ? "" : "&");

    private static string TypeName(ITypeSymbol t) => t switch
    {
        IArrayTypeSymbol a => TypeName(a.ElementType) + (a.Rank == 1 ? "[]" : "[" + new string(',', a.Rank - 1) + "]"),
        INamedTypeSymbol n => MetadataName(n),
        _ => t.ToDisplayString(),
    };

    public static string MetadataName(INamedTypeSymbol type) =>
        type.ContainingType is { } outer ? MetadataName(outer) + "+" + type.MetadataName
        : type.ContainingNamespace.IsGlobalNamespace ? type.MetadataName : type.ContainingNamespace.ToDisplayString() + "." + type.MetadataName;

    private static string Describe(IMethodSymbol symbol, object?[] args) =>
        "(" + string.Join(", ", symbol.Parameters.Select((p, i) => p.Name + "=" + (args[i] is Array a ? "[" + string.Join(", ", a.Cast<object>().Select(Format)) + "]" : Format(args[i])))) + ")";

    private static string Format(object? o) => o switch { double d => F(d), float f => F(f), _ => Convert.ToString(o, CultureInfo.InvariantCulture) ?? "null" };

    private static string F(double d) => d.ToString("G6", CultureInfo.InvariantCulture);

    private static int StableHash(string s)
    {
        int h = 17;
        foreach (char c in s) h = unchecked(h * 31 + c);
        return h;
    }
}

/// <summary>The corpus method or its generated code threw.</summary>
public sealed class MethodThrewException(string message, Exception inner) : Exception(message, inner);
