using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;

namespace Autodiff.Fuzz.Tests;

/// <summary>The run-time verdict on one program.</summary>
public sealed class RunVerdict
{
    public string? Category { get; set; }
    public string? Detail { get; set; }
    public int Comparisons { get; set; }
    public int Kinks { get; set; }
    public int NonFinite { get; set; }
    /// <summary>Points whose derivatives exceed 1e6: differences there measure the spacing of doubles, not the function.</summary>
    public int IllConditioned { get; set; }
    /// <summary>Points where a float program's value differs from its double twin's (different branches): skipped.</summary>
    public int FloatDivergence { get; set; }
    /// <summary>Forward-mode tangents compared with the gradient's dot product with a random direction.</summary>
    public int TangentComparisons { get; set; }
    /// <summary>Hessian-vector products checked (symmetry, and differences of the gradient where they are defined).</summary>
    public int HessianComparisons { get; set; }
    /// <summary>Models' Jacobians (with respect to their inputs) compared with their gradients.</summary>
    public int JacobianComparisons { get; set; }
    /// <summary>Methods of forward mode's kind (scalars and arrays, no model) that got no FTangent.</summary>
    public int MissingTangents { get; set; }
    /// <summary>Differences that are not failures (the gradient entry's side effects on arrays).</summary>
    public List<string> Notes { get; } = new();

    public void Fail(string category, string detail)
    {
        // The first failure of a program is its verdict.
        if (Category is null)
        {
            Category = category;
            Detail = detail;
        }
    }
}

/// <summary>
/// Runs each [Differentiable] method of a compiled program at random points and compares its
/// generated gradient with central differences taken in double (on the double twin of a float
/// program), and its pullback with the gradient. A component where the differences at two step
/// sizes disagree is at or near a kink or a jump and is skipped.
/// </summary>
public static class GradientChecker
{
    public const string WrongGradient = "wrong gradient";
    public const string WrongPullback = "wrong pullback";
    public const string WrongValue = "wrong value";
    public const string SideEffects = "gradient entry mutates arrays differently from the method";
    public const string Threw = "generated code threw";
    public const string Signature = "unexpected generated signature";
    public const string WrongTangent = "wrong tangent";
    public const string WrongHessian = "wrong Hessian-vector product";
    public const string WrongJacobian = "wrong Jacobian";

    private const double H1 = 1e-6, H2 = 1e-7;
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;

    public static RunVerdict Check(FuzzProgram program, Assembly assembly, int points)
    {
        var verdict = new RunVerdict();
        var rng = new Random(program.Seed * 7919 + 17);
        Type type = assembly.GetType("Fuzz." + program.ClassName)!;
        Type twinType = assembly.GetType("Fuzz." + program.TwinClassName)!;
        try
        {
            if (program.Kind == ProgramKind.TensorModel)
            {
                TensorChecker.Check(program, type, rng, verdict);
                return verdict;
            }
            foreach (MethodUnderTest method in program.Methods)
            {
                for (int p = 0; p < points && verdict.Category is null; p++)
                {
                    CheckMethod(program, type, twinType, method, rng, verdict);
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            verdict.Fail(Threw, Unwrap(e));
        }
        return verdict;
    }

    internal static string Unwrap(Exception e)
    {
        while (e is TargetInvocationException { InnerException: { } inner }) e = inner;
        string text = e.GetType().Name + ": " + e.Message;
        string? frame = e.StackTrace?.Split('\n').FirstOrDefault()?.Trim();
        return frame is null ? text : text + " (" + frame + ")";
    }

    /// <summary>One point: values of every parameter and field, in double.</summary>
    private sealed class Point
    {
        public List<object> Parameters = new();
        public Dictionary<string, double> Fields = new();

        public Point Clone() => new()
        {
            Parameters = Parameters.Select(v => v is double[] a ? a.Clone() : v).ToList(),
            Fields = new Dictionary<string, double>(Fields),
        };
    }

    private static double Draw(Random rng) => (double)(float)(rng.NextDouble() * 3 - 1.5);

    private static void CheckMethod(FuzzProgram program, Type type, Type twinType, MethodUnderTest method, Random rng, RunVerdict verdict)
    {
        bool isFloat = program.IsFloat;
        MethodInfo primal = type.GetMethod(method.Name, All)!;
        MethodInfo twin = twinType.GetMethod(method.Name, All)!;
        MethodInfo? gradient = type.GetMethod(method.Name + "Gradient", All);
        MethodInfo? pullback = type.GetMethod(method.Name + "Pullback", All);
        if (gradient is null || pullback is null)
        {
            verdict.Fail(Signature, method.Name + ": no " + method.Name + "Gradient/" + method.Name + "Pullback");
            return;
        }
        var point = new Point();
        foreach (InputSpec parameter in method.Parameters)
        {
            point.Parameters.Add(parameter.Kind switch
            {
                InputKind.Array => Enumerable.Range(0, program.N).Select(_ => Draw(rng)).ToArray(),
                InputKind.Int => (object)parameter.IntValue,
                _ => Draw(rng),
            });
        }
        foreach (InputSpec field in program.Fields)
        {
            point.Fields[field.Name] = Draw(rng);
        }
        object? model = method.IsInstance || program.Kind == ProgramKind.Model ? Activator.CreateInstance(type) : null;
        object? twinModel = model is null ? null : isFloat ? Activator.CreateInstance(twinType) : model;

        // Reference: the twin in double, on fresh copies.
        double Evaluate(Point at)
        {
            SetFields(twinModel, at, asFloat: false);
            object?[] args = Arguments(at.Parameters, asFloat: false);
            return Convert.ToDouble(twin.Invoke(method.IsInstance ? twinModel : null, args), CultureInfo.InvariantCulture);
        }

        double reference;
        object?[] primalArgs;
        try
        {
            reference = Evaluate(point);
            SetFields(model, point, isFloat);
            primalArgs = Arguments(point.Clone().Parameters, isFloat);
            primal.Invoke(method.IsInstance ? model : null, primalArgs);
        }
        catch (Exception)
        {
            return; // the program itself failed at this point (not the generator's business)
        }
        if (!double.IsFinite(reference))
        {
            verdict.NonFinite++;
            return;
        }

        // The gradient entry: parameters, then the model's gradients, then one out per differentiable parameter.
        ParameterInfo[] signature = gradient.GetParameters();
        var differentiable = method.Parameters.Select((p, i) => (p, i)).Where(t => t.p.IsDifferentiable).ToList();
        Type? gradientsType = type.GetNestedType("Gradients", All);
        bool takesGradients = signature.Length > method.Parameters.Count && gradientsType is not null && signature[method.Parameters.Count].ParameterType == gradientsType;
        if (signature.Length != method.Parameters.Count + (takesGradients ? 1 : 0) + differentiable.Count)
        {
            verdict.Fail(Signature, method.Name + "Gradient(" + string.Join(", ", signature.Select(s => s.ParameterType.Name + " " + s.Name)) + ")");
            return;
        }
        SetFields(model, point, isFloat);
        object? gradients = takesGradients ? Activator.CreateInstance(gradientsType!, model) : null;
        var gradientArgs = new List<object?>(Arguments(point.Clone().Parameters, isFloat));
        if (takesGradients) gradientArgs.Add(gradients);
        gradientArgs.AddRange(differentiable.Select(_ => (object?)null));
        object?[] gArgs = gradientArgs.ToArray();
        double value;
        try
        {
            value = Convert.ToDouble(gradient.Invoke(method.IsInstance ? model : null, gArgs), CultureInfo.InvariantCulture);
        }
        catch (Exception e)
        {
            verdict.Fail(Threw, method.Name + "Gradient: " + Unwrap(e));
            return;
        }
        double primalValue = Convert.ToDouble(primal.Invoke(method.IsInstance ? model : null, Arguments(point.Clone().Parameters, isFloat)), CultureInfo.InvariantCulture);
        if (isFloat && !(Math.Abs(primalValue - reference) <= 1e-3 * (1 + Math.Abs(reference))))
        {
            // The float program and its double twin took different branches here: no reference.
            verdict.FloatDivergence++;
            return;
        }
        double valueTolerance = isFloat ? 1e-4 * (1 + Math.Abs(primalValue)) : 1e-9 * (1 + Math.Abs(primalValue));
        if (!(Math.Abs(value - primalValue) <= valueTolerance) && double.IsFinite(primalValue))
        {
            verdict.Fail(WrongValue, method.Name + "Gradient returned " + Fmt(value) + ", " + method.Name + " returns " + Fmt(primalValue) + At(method, point));
            return;
        }
        for (int k = 0; k < method.Parameters.Count; k++)
        {
            if (primalArgs[k] is Array after && gArgs[k] is Array afterGradient && !ToDoubles(after).SequenceEqual(ToDoubles(afterGradient)))
            {
                // The README promises that the gradient entry points leave arrays as the method does.
                verdict.Fail(SideEffects, method.Name + "Gradient left " + method.Parameters[k].Name + " = [" + string.Join(", ", ToDoubles(afterGradient).Select(Fmt))
                    + "], " + method.Name + " leaves [" + string.Join(", ", ToDoubles(after).Select(Fmt)) + "]" + At(method, point));
                return;
            }
        }

        // Every component of the gradient, with the way to perturb it.
        var components = new List<(string Label, double Ad, Action<Point, double> Perturb)>();
        int outStart = method.Parameters.Count + (takesGradients ? 1 : 0);
        for (int d = 0; d < differentiable.Count; d++)
        {
            var (spec, index) = differentiable[d];
            object? result = gArgs[outStart + d];
            if (spec.Kind == InputKind.Scalar)
            {
                components.Add(("d" + spec.Name, Convert.ToDouble(result, CultureInfo.InvariantCulture), (pt, h) => pt.Parameters[index] = (double)pt.Parameters[index] + h));
            }
            else
            {
                double[] values = ToDoubles((Array)result!);
                for (int e = 0; e < values.Length; e++)
                {
                    int element = e;
                    components.Add(("d" + spec.Name + "[" + e + "]", values[e], (pt, h) => ((double[])pt.Parameters[index])[element] += h));
                }
            }
        }
        if (takesGradients)
        {
            foreach (InputSpec field in program.Fields.Where(f => f.IsDifferentiable))
            {
                string name = field.Name;
                components.Add(("gradients." + name, ReadMember(gradients!, name), (pt, h) => pt.Fields[name] += h));
            }
        }

        double scale = Math.Max(1, Math.Abs(reference));
        double largest = 0;
        var fds = new List<double?>();
        foreach (var component in components)
        {
            // One-sided differences too: a branch that flips between x and x ± h (a comparison of two
            // expressions equal up to rounding, say) makes them disagree even when the central ones agree.
            bool oneSided = true;
            double Fd(double h)
            {
                Point plus = point.Clone(), minus = point.Clone();
                component.Perturb(plus, h);
                component.Perturb(minus, -h);
                double up = Evaluate(plus), down = Evaluate(minus);
                double forward = (up - reference) / h, backward = (reference - down) / h;
                oneSided &= Math.Abs(forward - backward) <= 1e-3 + 1e-2 * Math.Max(Math.Abs(forward), Math.Abs(backward)) + 4e-16 * scale / h * 10;
                return (up - down) / (2 * h);
            }
            double fd1 = Fd(H1), fd2 = Fd(H2);
            double noise2 = 4e-16 * scale / H2 * 10;
            if (!double.IsFinite(fd1) || !double.IsFinite(fd2) || !double.IsFinite(component.Ad))
            {
                verdict.NonFinite++;
                fds.Add(null);
                continue;
            }
            if (!oneSided || Math.Abs(fd1 - fd2) > 1e-4 + 1e-3 * Math.Max(Math.Abs(fd1), Math.Abs(fd2)) + noise2)
            {
                verdict.Kinks++;
                fds.Add(null);
                continue;
            }
            fds.Add(fd1);
            largest = Math.Max(largest, Math.Abs(fd1));
        }
        // A float program's rounding grows with its largest derivative (even one skipped at a kink).
        double largestAd = components.Select(x => Math.Abs(x.Ad)).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        // Programs that grow a value doubly exponentially (x += 4x² four times) reach 1e12 and more:
        // there a step of 1e-6 in the input moves values by many units of their last place (steps of
        // Floor and Truncate look like slopes, small terms are absorbed), so differences say nothing.
        if (Math.Max(largestAd, largest) > 1e6)
        {
            verdict.IllConditioned++;
            return;
        }
        for (int c = 0; c < components.Count; c++)
        {
            if (fds[c] is not double fd) continue;
            verdict.Comparisons++;
            double noise1 = 4e-16 * scale / H1 * 10;
            double tolerance = isFloat
                ? 2e-3 + 1e-2 * Math.Abs(fd) + 2e-3 * largest + 1e-4 * largestAd + 1e-5 * scale
                : 1e-5 + 1e-3 * Math.Abs(fd) + noise1;
            if (!(Math.Abs(components[c].Ad - fd) <= tolerance))
            {
                verdict.Fail(WrongGradient, method.Name + ": " + components[c].Label + " = " + Fmt(components[c].Ad) + ", finite differences give " + Fmt(fd) + At(method, point)
                    + "; all: " + string.Join(", ", components.Select((x, i) => x.Label + " " + Fmt(x.Ad) + " vs " + (fds[i] is double f ? Fmt(f) : "skipped"))));
                return;
            }
        }

        if (!takesGradients && model is null)
        {
            CheckTangent(type, method, point, components.Select(x => x.Ad).ToList(), primalValue, valueTolerance, isFloat, rng, verdict);
            if (!isFloat)
            {
                CheckHessianVector(type, gradient, method, point, primalValue, valueTolerance, rng, verdict);
            }
        }
        SetFields(model, point, isFloat);
        CheckPullback(program, type, method, pullback, point, model, components.Select(x => x.Ad).ToList(), takesGradients, gradientsType, verdict);
    }

    /// <summary>
    /// The Hessian-vector product along a random direction u against central differences of the
    /// generated gradient along u (skipped where two step sizes disagree: a kink of the gradient), and
    /// its symmetry, vᵀ(H·u) = uᵀ(H·v), which needs no differences and so holds at kinks too.
    /// </summary>
    private static void CheckHessianVector(Type type, MethodInfo gradient, MethodUnderTest method, Point point, double primalValue, double valueTolerance, Random rng, RunVerdict verdict)
    {
        MethodInfo? hvp = type.GetMethod(method.Name + "HessianVector", All);
        if (hvp is null)
        {
            return;
        }
        var differentiable = method.Parameters.Select((p, i) => (Spec: p, Index: i)).Where(t => t.Spec.IsDifferentiable).ToList();
        object Direction((InputSpec Spec, int Index) input) => input.Spec.Kind == InputKind.Array
            ? Enumerable.Range(0, ((Array)point.Parameters[input.Index]).Length).Select(_ => Draw(rng)).ToArray()
            : Draw(rng);
        List<object> u = differentiable.Select(Direction).ToList(), v = differentiable.Select(Direction).ToList();
        double[]? Product(List<object> direction, out double value)
        {
            object?[] arguments = Arguments(point.Clone().Parameters, false).Concat(direction.Select(d => d is double[] a ? a.Clone() : d)).Concat(new object?[differentiable.Count]).ToArray();
            value = Convert.ToDouble(hvp.Invoke(null, arguments), CultureInfo.InvariantCulture);
            return arguments.Skip(method.Parameters.Count + differentiable.Count).SelectMany(Flatten).ToArray();
        }
        double[]? Gradient(double h)
        {
            Point moved = point.Clone();
            for (int d = 0; d < differentiable.Count; d++)
            {
                int index = differentiable[d].Index;
                if (u[d] is double[] direction)
                {
                    double[] values = (double[])moved.Parameters[index];
                    for (int e = 0; e < values.Length; e++) values[e] += h * direction[e];
                }
                else
                {
                    moved.Parameters[index] = (double)moved.Parameters[index] + h * (double)u[d];
                }
            }
            object?[] arguments = Arguments(moved.Parameters, false).Concat(new object?[differentiable.Count]).ToArray();
            gradient.Invoke(null, arguments);
            return arguments.Skip(method.Parameters.Count).SelectMany(Flatten).ToArray();
        }
        double[] hu, hv;
        double value;
        try
        {
            hu = Product(u, out value)!;
            hv = Product(v, out _)!;
        }
        catch (Exception e)
        {
            verdict.Fail(Threw, method.Name + "HessianVector: " + Unwrap(e));
            return;
        }
        if (!(Math.Abs(value - primalValue) <= valueTolerance) && double.IsFinite(primalValue))
        {
            verdict.Fail(WrongValue, method.Name + "HessianVector returned " + Fmt(value) + ", " + method.Name + " returns " + Fmt(primalValue) + At(method, point));
            return;
        }
        double[] uFlat = u.SelectMany(Flatten).ToArray(), vFlat = v.SelectMany(Flatten).ToArray();
        double vHu = vFlat.Zip(hu, (a, b) => a * b).Sum(), uHv = uFlat.Zip(hv, (a, b) => a * b).Sum();
        double size = vFlat.Zip(hu, (a, b) => Math.Abs(a * b)).Sum() + uFlat.Zip(hv, (a, b) => Math.Abs(a * b)).Sum();
        if (!double.IsFinite(vHu) || !double.IsFinite(uHv) || size > 1e6)
        {
            return;
        }
        verdict.HessianComparisons++;
        if (!(Math.Abs(vHu - uHv) <= 1e-8 * (1 + size)))
        {
            verdict.Fail(WrongHessian, method.Name + "HessianVector is not symmetric: vᵀHu = " + Fmt(vHu) + ", uᵀHv = " + Fmt(uHv) + At(method, point));
            return;
        }
        double[]? plus1 = Gradient(1e-5), minus1 = Gradient(-1e-5), plus2 = Gradient(1e-6), minus2 = Gradient(-1e-6);
        for (int k = 0; k < hu.Length; k++)
        {
            double fd1 = (plus1![k] - minus1![k]) / 2e-5, fd2 = (plus2![k] - minus2![k]) / 2e-6;
            if (!double.IsFinite(fd1) || !double.IsFinite(fd2) || Math.Abs(fd1 - fd2) > 1e-4 + 1e-3 * Math.Max(Math.Abs(fd1), Math.Abs(fd2)))
            {
                continue; // a kink of the gradient between the steps
            }
            if (!(Math.Abs(hu[k] - fd1) <= 1e-4 + 1e-3 * Math.Abs(fd1)))
            {
                verdict.Fail(WrongHessian, method.Name + "HessianVector: component " + k + " = " + Fmt(hu[k]) + ", differences of the gradient give " + Fmt(fd1) + At(method, point));
                return;
            }
        }
    }

    private static IEnumerable<double> Flatten(object? value) => value switch
    {
        double d => new[] { d },
        double[] a => a,
        _ => Array.Empty<double>(),
    };

    /// <summary>
    /// Forward mode along a random direction v must give the value and the gradient's dot product
    /// with v: the same derivative by the other mode, at the same point (so also at kinks, where both
    /// modes use the same one-sided rule). The gradient itself is checked against differences above.
    /// </summary>
    private static void CheckTangent(Type type, MethodUnderTest method, Point point, List<double> gradient, double primalValue, double valueTolerance,
        bool isFloat, Random rng, RunVerdict verdict)
    {
        MethodInfo? tangent = type.GetMethod(method.Name + "Tangent", All);
        if (tangent is null)
        {
            verdict.MissingTangents++;
            return;
        }
        var directions = new List<object>();
        var flat = new List<double>();
        for (int k = 0; k < method.Parameters.Count; k++)
        {
            InputSpec parameter = method.Parameters[k];
            if (!parameter.IsDifferentiable)
            {
                continue;
            }
            if (parameter.Kind == InputKind.Array)
            {
                double[] direction = Enumerable.Range(0, ((Array)point.Parameters[k]).Length).Select(_ => Draw(rng)).ToArray();
                directions.Add(direction);
                flat.AddRange(direction);
            }
            else
            {
                double direction = Draw(rng);
                directions.Add(direction);
                flat.Add(direction);
            }
        }
        object?[] arguments = Arguments(point.Clone().Parameters, isFloat).Concat(Arguments(directions, isFloat)).ToArray();
        object result;
        try
        {
            result = tangent.Invoke(null, arguments)!;
        }
        catch (Exception e)
        {
            verdict.Fail(Threw, method.Name + "Tangent: " + Unwrap(e));
            return;
        }
        double value = Convert.ToDouble(result.GetType().GetField("Item1")!.GetValue(result), CultureInfo.InvariantCulture);
        double computed = Convert.ToDouble(result.GetType().GetField("Item2")!.GetValue(result), CultureInfo.InvariantCulture);
        if (!(Math.Abs(value - primalValue) <= valueTolerance) && double.IsFinite(primalValue))
        {
            verdict.Fail(WrongValue, method.Name + "Tangent returned " + Fmt(value) + ", " + method.Name + " returns " + Fmt(primalValue) + At(method, point));
            return;
        }
        double expected = 0, magnitude = 0;
        for (int i = 0; i < gradient.Count && i < flat.Count; i++)
        {
            expected += gradient[i] * flat[i];
            magnitude += Math.Abs(gradient[i] * flat[i]);
        }
        if (!double.IsFinite(expected) || !double.IsFinite(magnitude))
        {
            return;
        }
        verdict.TangentComparisons++;
        double tolerance = isFloat ? 1e-3 * (1 + magnitude) : 1e-9 * (1 + magnitude);
        if (!(Math.Abs(computed - expected) <= tolerance))
        {
            verdict.Fail(WrongTangent, method.Name + "Tangent along [" + string.Join(", ", flat.Select(Fmt)) + "] = " + Fmt(computed)
                + ", the gradient's dot product gives " + Fmt(expected) + At(method, point));
        }
    }

    /// <summary>
    /// The pullback with seed s adds s·gradient into accumulators that start non-zero. An array the
    /// method writes into is the exception: its accumulator brings in the gradient of the array's final
    /// contents (how generated callers chain through such a method), so it starts at zero.
    /// </summary>
    private static void CheckPullback(FuzzProgram program, Type type, MethodUnderTest method, MethodInfo pullback, Point point, object? model,
        List<double> gradient, bool takesGradients, Type? gradientsType, RunVerdict verdict)
    {
        bool isFloat = program.IsFloat;
        const double seed = 1.5, start = 0.25;
        var differentiable = method.Parameters.Where(p => p.IsDifferentiable).ToList();
        object? gradients = null;
        object?[] BuildArguments(HashSet<string> written)
        {
            var args = new List<object?>(Arguments(point.Clone().Parameters, isFloat));
            args.Add(isFloat ? (object)(float)seed : seed);
            if (takesGradients)
            {
                gradients = Activator.CreateInstance(gradientsType!, model);
                foreach (InputSpec field in program.Fields.Where(f => f.IsDifferentiable))
                {
                    WriteMember(gradients!, field.Name, start, isFloat);
                }
                args.Add(gradients);
            }
            foreach (InputSpec parameter in differentiable)
            {
                double first = written.Contains(parameter.Name) ? 0 : start;
                args.Add(parameter.Kind == InputKind.Scalar
                    ? (isFloat ? (float)first : (object)first)
                    : (isFloat ? Enumerable.Repeat((float)first, program.N).ToArray() : Enumerable.Repeat(first, program.N).ToArray()));
            }
            return args.ToArray();
        }

        object?[] pArgs = BuildArguments(new HashSet<string>());
        if (pullback.GetParameters().Length != pArgs.Length)
        {
            verdict.Fail(Signature, method.Name + "Pullback(" + string.Join(", ", pullback.GetParameters().Select(s => s.ParameterType.Name + " " + s.Name)) + ")");
            return;
        }
        object?[] original = Arguments(point.Clone().Parameters, isFloat);
        var writtenArrays = new HashSet<string>();
        for (int round = 0; round < 2; round++)
        {
            try
            {
                pullback.Invoke(method.IsInstance ? model : null, pArgs);
            }
            catch (Exception e)
            {
                verdict.Fail(Threw, method.Name + "Pullback: " + Unwrap(e));
                return;
            }
            for (int p = 0; p < method.Parameters.Count; p++)
            {
                if (original[p] is Array before && !ToDoubles(before).SequenceEqual(ToDoubles((Array)pArgs[p]!)))
                {
                    writtenArrays.Add(method.Parameters[p].Name);
                }
            }
            if (round == 1 || writtenArrays.Count == 0)
            {
                break;
            }
            SetFields(model, point, isFloat);
            pArgs = BuildArguments(writtenArrays);
        }
        var accumulated = new List<(string, double)>();
        int at = method.Parameters.Count + 1 + (takesGradients ? 1 : 0);
        foreach (InputSpec parameter in differentiable)
        {
            object? value = pArgs[at++];
            if (parameter.Kind == InputKind.Scalar) accumulated.Add(("d" + parameter.Name, Convert.ToDouble(value, CultureInfo.InvariantCulture)));
            else accumulated.AddRange(ToDoubles((Array)value!).Select((v, i) => ("d" + parameter.Name + "[" + i + "]", v)));
        }
        if (takesGradients)
        {
            accumulated.AddRange(program.Fields.Where(f => f.IsDifferentiable).Select(f => ("gradients." + f.Name, ReadMember(gradients!, f.Name))));
        }
        double largest = gradient.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
        for (int i = 0; i < accumulated.Count && i < gradient.Count; i++)
        {
            string label = accumulated[i].Item1;
            bool fromZero = writtenArrays.Any(w => label.StartsWith("d" + w + "[", StringComparison.Ordinal));
            double expected = (fromZero ? 0 : start) + seed * gradient[i];
            if (!double.IsFinite(expected)) continue;
            double tolerance = isFloat ? 1e-4 * (1 + Math.Abs(expected) + largest) : 1e-9 * (1 + Math.Abs(expected) + largest);
            if (!(Math.Abs(accumulated[i].Item2 - expected) <= tolerance))
            {
                verdict.Fail(WrongPullback, method.Name + "Pullback(seed " + seed + ") turned " + accumulated[i].Item1 + " from " + start + " into "
                    + Fmt(accumulated[i].Item2) + ", expected " + start + " + " + seed + " * " + Fmt(gradient[i]) + " = " + Fmt(expected) + At(method, point));
                return;
            }
        }
    }

    private static string At(MethodUnderTest method, Point point) =>
        " at " + string.Join(", ", method.Parameters.Select((p, i) => p.Name + " = " + (point.Parameters[i] switch
        {
            double[] a => "{ " + string.Join(", ", a.Select(Fmt)) + " }",
            double d => Fmt(d),
            var o => Convert.ToString(o, CultureInfo.InvariantCulture),
        }))) + (point.Fields.Count > 0 ? "; fields " + string.Join(", ", point.Fields.Select(f => f.Key + " = " + Fmt(f.Value))) : "");

    internal static string Fmt(double v) => v.ToString("G9", CultureInfo.InvariantCulture);

    private static object?[] Arguments(List<object> parameters, bool asFloat) => parameters.Select(v => v switch
    {
        double[] a => asFloat ? a.Select(x => (float)x).ToArray() : (object)a.Clone(),
        double d => asFloat ? (float)d : (object)d,
        _ => v,
    }).ToArray();

    private static void SetFields(object? model, Point point, bool asFloat)
    {
        if (model is null) return;
        foreach (var (name, value) in point.Fields)
        {
            FieldInfo field = model.GetType().GetField(name, All)!;
            field.SetValue(model, field.FieldType == typeof(float) ? (float)value : (object)value);
        }
    }

    private static double[] ToDoubles(Array array) => array switch
    {
        double[] d => d,
        float[] f => f.Select(x => (double)x).ToArray(),
        _ => throw new InvalidOperationException(array.GetType().Name),
    };

    internal static double ReadMember(object target, string name)
    {
        Type type = target.GetType();
        object? value = type.GetProperty(name, All)?.GetValue(target) ?? type.GetField(name, All)?.GetValue(target);
        return Convert.ToDouble(value, CultureInfo.InvariantCulture);
    }

    private static void WriteMember(object target, string name, double value, bool asFloat)
    {
        Type type = target.GetType();
        object boxed = asFloat ? (float)value : (object)value;
        if (type.GetProperty(name, All) is { CanWrite: true } property) property.SetValue(target, boxed);
        else type.GetField(name, All)?.SetValue(target, boxed);
    }
}
