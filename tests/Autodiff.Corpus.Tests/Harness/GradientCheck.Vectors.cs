using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Autodiff.Corpus.Tests.Harness;

/// <summary>
/// Methods that return arrays: FJacobian entry by entry against central differences of the method
/// (entries next to a kink, where two steps disagree, are skipped), FPullback as seedᵀ·J added into
/// accumulators that already hold something, FTangent as J·v; each must return the method's value.
/// </summary>
public static partial class GradientCheck
{
    private static List<string> CheckVector(CorpusMethod method, MethodInfo[] methods, MethodInfo function, List<IParameterSymbol> differentiable, out bool silentZero)
    {
        silentZero = false;
        var problems = new List<string>();
        IMethodSymbol symbol = method.Symbol;
        int n = symbol.Parameters.Length;
        MethodInfo? pullback = methods.FirstOrDefault(m => m.Name == symbol.Name + "Pullback" && m.GetParameters().Length == n + 1 + differentiable.Count && PrefixMatches(m, symbol));
        MethodInfo? tangent = methods.FirstOrDefault(m => m.Name == symbol.Name + "Tangent" && m.GetParameters().Length == n + differentiable.Count && PrefixMatches(m, symbol));
        MethodInfo? jacobian = methods.FirstOrDefault(m => m.Name == symbol.Name + "Jacobian" && m.GetParameters().Length == n + differentiable.Count && PrefixMatches(m, symbol));
        if (pullback is null) { problems.Add($"{symbol.Name}Pullback was not generated (or did not compile)"); return problems; }
        if (tangent is null) { problems.Add($"{symbol.Name}Tangent was not generated (or did not compile)"); return problems; }

        bool isFloat = symbol.ReturnType is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Single }
            || differentiable.Any(p => p.Type.SpecialType == SpecialType.System_Single || p.Type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Single });
        double h1 = isFloat ? 1e-2 : 1e-6, h2 = isFloat ? 4e-3 : 1e-4;
        double atol = isFloat ? 2e-2 : 1e-5, rtol = isFloat ? 2e-2 : 1e-3;
        var random = new Random(StableHash(method.Display));
        int compared = 0, zeroWhereNonZero = 0, wrong = 0;
        for (int point = 0, attempt = 0; point < Points && attempt < 50; attempt++)
        {
            object?[] args;
            try { args = Arguments(method, random); }
            catch (NotSupportedException e) { problems.Add(e.Message); return problems; }
            double[] value = Values(Invoke(function, Clone(args)));
            if (!value.All(double.IsFinite)) continue;
            point++;
            bool[] writes = differentiable.Select(p => WritesInto(function, args, p.Ordinal)).ToArray();
            if (jacobian is null && !writes.Any(w => w))
                problems.Add($"{symbol.Name}Jacobian was not generated (or did not compile)");

            // Every input element's column: central differences, null where two steps disagree (a kink).
            var inputs = differentiable.SelectMany((p, k) => args[p.Ordinal] is Array a
                ? Enumerable.Range(0, a.Length).Select(j => (Parameter: k, Index: p.Ordinal, Element: j, Name: $"{p.Name}[{j}]"))
                : new[] { (Parameter: k, Index: p.Ordinal, Element: 0, Name: p.Name) }).ToList();
            var numeric = inputs.Select(input =>
            {
                double[] c1 = VectorDifference(function, args, input.Index, input.Element, h1), c2 = VectorDifference(function, args, input.Index, input.Element, h2);
                return c1.Select((d, i) => double.IsFinite(d) && double.IsFinite(c2[i]) && Math.Abs(d - c2[i]) <= atol + rtol * Math.Max(Math.Abs(d), Math.Abs(c2[i])) ? d : (double?)null).ToArray();
            }).ToList();
            if (numeric.Any(c => c.Length != value.Length)) { problems.Add("the result's length depends on the inputs"); return problems; }

            double?[][] analytic = inputs.Select(_ => new double?[value.Length]).ToArray();
            if (jacobian is not null)
            {
                object?[] jacobianArgs = Clone(args).Concat(new object?[differentiable.Count]).ToArray();
                double[] jacobianValue = Values(Invoke(jacobian, jacobianArgs));
                if (!jacobianValue.SequenceEqual(value))
                    problems.Add($"{jacobian.Name} returns [{string.Join(", ", jacobianValue.Select(F))}] where the method returns [{string.Join(", ", value.Select(F))}]");
                for (int k = 0; k < inputs.Count; k++)
                {
                    var matrix = (Array)jacobianArgs[n + inputs[k].Parameter]!;
                    for (int i = 0; i < value.Length; i++)
                    {
                        double entry = ToDouble(matrix.Rank == 2 ? matrix.GetValue(i, inputs[k].Element) : matrix.GetValue(i));
                        analytic[k][i] = entry;
                        if (numeric[k][i] is not double fd) continue;
                        compared++;
                        if (Math.Abs(entry - fd) <= atol + rtol * Math.Abs(fd)) continue;
                        wrong++;
                        if (entry == 0) zeroWhereNonZero++;
                        if (problems.Count < 6)
                            problems.Add($"∂{symbol.Name}[{i}]/∂{inputs[k].Name} = {F(entry)}, finite differences {F(fd)} at {Describe(symbol, args)}");
                    }
                }
            }

            // The pullback: Σᵢ seed[i]·J[i, k] added to accumulators that start at 0.5 (0 for arrays the method writes into).
            double[] seed = value.Select(_ => random.NextDouble() * 2 - 1).ToArray();
            object seedArgument = symbol.ReturnType is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Single } ? seed.Select(v => (float)v).ToArray() : seed;
            double[] starts = writes.Select(w => w ? 0.0 : Start).ToArray();
            object?[] pullbackArgs = Clone(args).Append(seedArgument)
                .Concat(differentiable.Select((p, k) => Accumulator(p, args[p.Ordinal], starts[k]))).ToArray();
            double[] pulledValue = Values(Invoke(pullback, pullbackArgs));
            if (!pulledValue.SequenceEqual(value))
                problems.Add($"{pullback.Name} returns [{string.Join(", ", pulledValue.Select(F))}] where the method returns [{string.Join(", ", value.Select(F))}]");
            // The tangent along a random direction: J·v.
            object?[] directions = Directions(differentiable, args, random);
            object result = Invoke(tangent, Clone(args).Concat(directions.Select(d => d is Array a ? a.Clone() : d)).ToArray())!;
            double[] tangentValue = Values(result.GetType().GetField("Item1")!.GetValue(result));
            double[] computedTangent = Values(result.GetType().GetField("Item2")!.GetValue(result));
            if (!tangentValue.SequenceEqual(value))
                problems.Add($"{tangent.Name} returns [{string.Join(", ", tangentValue.Select(F))}] where the method returns [{string.Join(", ", value.Select(F))}]");

            // Both against the Jacobian where it is known: FJacobian's (checked above), or else the differences.
            double? J(int k, int i) => jacobian is not null ? analytic[k][i] : numeric[k][i];
            for (int k = 0; k < inputs.Count; k++)
            {
                var terms = Enumerable.Range(0, value.Length).Select(i => J(k, i) is double j ? seed[i] * j : (double?)null).ToList();
                if (terms.Any(t => t is null)) continue;
                object? accumulator = pullbackArgs[n + 1 + inputs[k].Parameter];
                double got = accumulator is Array a ? ToDouble(a.GetValue(inputs[k].Element)) : ToDouble(accumulator);
                double want = starts[inputs[k].Parameter] + terms.Sum(t => t!.Value), magnitude = terms.Sum(t => Math.Abs(t!.Value));
                if (!(Math.Abs(got - want) <= (isFloat ? 1e-3 : 1e-6) * (1 + magnitude)) && problems.Count < 8)
                    problems.Add($"{pullback.Name} accumulates {F(got - starts[inputs[k].Parameter])} into d{inputs[k].Name}, seedᵀJ is {F(want - starts[inputs[k].Parameter])} at {Describe(symbol, args)}");
            }
            for (int i = 0; i < value.Length; i++)
            {
                var terms = Enumerable.Range(0, inputs.Count).Select(k => J(k, i) is double j ? j * Coordinate(directions, inputs[k].Parameter, inputs[k].Element) : (double?)null).ToList();
                if (terms.Any(t => t is null)) continue;
                double want = terms.Sum(t => t!.Value), magnitude = terms.Sum(t => Math.Abs(t!.Value));
                if (!(Math.Abs(computedTangent[i] - want) <= (isFloat ? 1e-3 : 1e-6) * (1 + magnitude)) && problems.Count < 8)
                    problems.Add($"{tangent.Name} gives {F(computedTangent[i])} for element {i} where J·v is {F(want)} at {Describe(symbol, args)}");
            }
        }
        if (compared == 0 && differentiable.Count > 0 && jacobian is not null)
            problems.Add("no point of the domain could be compared (every difference straddles a kink, or the method is never finite)");
        silentZero = wrong > 0 && zeroWhereNonZero == wrong;
        return problems;
    }

    private static double[] VectorDifference(MethodInfo function, object?[] args, int index, int element, double h)
    {
        object?[] plus = Clone(args), minus = Clone(args);
        Shift(plus, index, element, h);
        Shift(minus, index, element, -h);
        double taken = Coordinate(plus, index, element) - Coordinate(minus, index, element);
        double[] up = Values(Invoke(function, plus)), down = Values(Invoke(function, minus));
        if (up.Length != down.Length) return Array.Empty<double>();
        return up.Select((u, i) => (u - down[i]) / taken).ToArray();
    }

    private static double[] Values(object? result) => result switch
    {
        double[] d => d,
        float[] f => f.Select(v => (double)v).ToArray(),
        _ => throw new MethodThrewException("the method returned null", new NullReferenceException()),
    };
}
