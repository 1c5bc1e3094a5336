using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace Autodiff.Fuzz.Tests;

/// <summary>
/// Tensor models are float32 throughout, so their differences are taken in float with larger steps
/// (1e-2 and 3e-3 for the kink check) and compared with float tolerances.
/// </summary>
internal static class TensorChecker
{
    // A scalar parameter's owner and number, to reset its gradient (ParameterGradient exposes only reads).
    private static Autodiff.Optimizers.IScalarParameters ScalarOwner(Autodiff.Optimizers.ParameterGradient leaf) =>
        (Autodiff.Optimizers.IScalarParameters)typeof(Autodiff.Optimizers.ParameterGradient).GetField("_scalars", All)!.GetValue(leaf)!;

    private static int ScalarIndex(Autodiff.Optimizers.ParameterGradient leaf) =>
        (int)typeof(Autodiff.Optimizers.ParameterGradient).GetField("_scalarIndex", All)!.GetValue(leaf)!;

    /// <summary>Every parameter's leaf of a Gradients object, sub-models' included (its Parameters).</summary>
    private static IReadOnlyList<Autodiff.Optimizers.ParameterGradient> LeavesOf(Type gradientsType, object gradients) =>
        (IReadOnlyList<Autodiff.Optimizers.ParameterGradient>)gradientsType.GetProperty("Parameters")!.GetValue(gradients)!;

    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;

    public static void Check(FuzzProgram program, Type type, Random rng, RunVerdict verdict)
    {
        object model = Activator.CreateInstance(type)!;
        Tensor Random(int[] shape) =>
            Tensor.FromArray(Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray(), shape);
        foreach (InputSpec field in program.Fields)
        {
            FieldInfo info = type.GetField(field.Name, All)!;
            info.SetValue(model, field.Kind == InputKind.Tensor ? Random(field.Shape!) : (object)(float)(rng.NextDouble() + 0.25));
        }
        // Sub-models' parameters (dotted names in Parameters) get random values too.
        Type gradientsType = type.GetNestedType("Gradients", All)!;
        IReadOnlyList<Autodiff.Optimizers.ParameterGradient> Leaves(object gradientsObject) => LeavesOf(gradientsType, gradientsObject);
        foreach (Autodiff.Optimizers.ParameterGradient leaf in Leaves(Activator.CreateInstance(gradientsType, model)!).Where(p => p.Name.Contains('.')))
        {
            if (leaf.IsScalar) leaf.ScalarValue = rng.NextDouble() + 0.25;
            else leaf.Parameter.CopyFrom(Random(leaf.Parameter.Shape.ToArray()));
        }
        Tensor x = Random(new[] { 2, 3 });
        Tensor y = Random(new[] { 2, 4 });
        MethodInfo primal = type.GetMethod("F", All)!;
        MethodInfo gradient = type.GetMethod("FGradient", All)!;
        MethodInfo pullback = type.GetMethod("FPullback", All)!;
        double Evaluate() => ((Tensor)primal.Invoke(model, new object[] { x, y })!).Item();

        double reference = Evaluate();
        object gradients = Activator.CreateInstance(gradientsType, model)!;
        object?[] args = { x, y, gradients, null };
        double value;
        try
        {
            value = ((Tensor)gradient.Invoke(model, args)!).Item();
        }
        catch (Exception e)
        {
            verdict.Fail(GradientChecker.Threw, "FGradient: " + GradientChecker.Unwrap(e));
            return;
        }
        if (!(Math.Abs(value - reference) <= 1e-4 * (1 + Math.Abs(reference))))
        {
            verdict.Fail(GradientChecker.WrongValue, "FGradient returned " + GradientChecker.Fmt(value) + ", F returns " + GradientChecker.Fmt(reference));
            return;
        }
        Tensor dY = (Tensor)args[3]!;

        // (label, generated gradient, perturb by h, undo)
        var components = new List<(string Label, double Ad, Action<float> Add)>();
        foreach (InputSpec field in program.Fields)
        {
            FieldInfo info = type.GetField(field.Name, All)!;
            if (field.Kind == InputKind.Tensor)
            {
                Tensor parameter = (Tensor)info.GetValue(model)!;
                Tensor grad = (Tensor)(gradientsType.GetProperty(field.Name)?.GetValue(gradients) ?? gradientsType.GetField(field.Name)!.GetValue(gradients))!;
                for (int i = 0; i < parameter.Length; i++)
                {
                    int e = i;
                    components.Add(("gradients." + field.Name + "[" + i + "]", grad.Span[i], h => parameter.Span[e] += h));
                }
            }
            else
            {
                components.Add(("gradients." + field.Name, GradientChecker.ReadMember(gradients, field.Name), h => info.SetValue(model, (float)info.GetValue(model)! + h)));
            }
        }
        foreach (Autodiff.Optimizers.ParameterGradient leaf in Leaves(gradients).Where(p => p.Name.Contains('.')))
        {
            if (leaf.IsScalar)
            {
                Autodiff.Optimizers.ParameterGradient scalar = leaf;
                components.Add(("gradients." + leaf.Name, leaf.ScalarGradient, h => scalar.ScalarValue = (float)(scalar.ScalarValue + h)));
                continue;
            }
            for (int i = 0; i < leaf.Parameter.Length; i++)
            {
                int e = i;
                Tensor parameter = leaf.Parameter;
                components.Add(("gradients." + leaf.Name + "[" + i + "]", leaf.Gradient.Span[i], h => parameter.Span[e] += h));
            }
        }
        for (int i = 0; i < y.Length; i++)
        {
            int e = i;
            components.Add(("dY[" + i + "]", dY.Span[i], h => y.Span[e] += h));
        }
        foreach (var (label, ad, add) in components)
        {
            // One-sided differences too: at a Relu kink that the steps straddle (an input exactly at
            // zero, say), central differences agree with each other at half the slope, one-sided ones do not.
            bool oneSided = true;
            double Fd(float h)
            {
                add(h);
                double plus = Evaluate();
                add(-2 * h);
                double minus = Evaluate();
                add(h);
                double forward = (plus - reference) / h, backward = (reference - minus) / h;
                oneSided &= Math.Abs(forward - backward) <= 5e-3 + 2e-2 * Math.Max(Math.Abs(forward), Math.Abs(backward)) + 1e-4 * Math.Abs(reference);
                return (plus - minus) / (2 * h);
            }
            double fd1 = Fd(1e-2f), fd2 = Fd(3e-3f);
            if (!double.IsFinite(fd1) || !double.IsFinite(fd2) || !double.IsFinite(ad))
            {
                verdict.NonFinite++;
                continue;
            }
            if (!oneSided || Math.Abs(fd1 - fd2) > 5e-3 + 2e-2 * Math.Abs(fd1) + 1e-4 * Math.Abs(reference))
            {
                verdict.Kinks++;
                continue;
            }
            verdict.Comparisons++;
            if (!(Math.Abs(ad - fd2) <= 2e-2 + 2e-2 * Math.Abs(fd2) + 1e-4 * Math.Abs(reference)))
            {
                verdict.Fail(GradientChecker.WrongGradient, "F: " + label + " = " + GradientChecker.Fmt(ad) + ", finite differences give " + GradientChecker.Fmt(fd2));
                return;
            }
        }

        // Pullback with seed 1.5 into accumulators that start at 0.25.
        object pulled = Activator.CreateInstance(gradientsType, model)!;
        foreach (InputSpec field in program.Fields)
        {
            if (field.Kind == InputKind.Tensor)
            {
                ((Tensor)gradientsType.GetProperty(field.Name)!.GetValue(pulled)!).Fill(0.25f);
            }
            else if (gradientsType.GetProperty(field.Name) is { CanWrite: true } property)
            {
                property.SetValue(pulled, 0.25f);
            }
            else
            {
                gradientsType.GetField(field.Name)!.SetValue(pulled, 0.25f);
            }
        }
        IReadOnlyList<Autodiff.Optimizers.ParameterGradient> nested = Leaves(pulled).Where(p => p.Name.Contains('.')).ToList();
        foreach (Autodiff.Optimizers.ParameterGradient leaf in nested)
        {
            if (leaf.IsScalar) ScalarOwner(leaf).SetGradient(ScalarIndex(leaf), 0.25);
            else leaf.Gradient.Fill(0.25f);
        }
        Tensor dYAccumulator = Tensor.ZerosLike(y);
        dYAccumulator.Fill(0.25f);
        try
        {
            pullback.Invoke(model, new object?[] { x, y, Tensor.Scalar(1.5f), pulled, dYAccumulator });
        }
        catch (Exception e)
        {
            verdict.Fail(GradientChecker.Threw, "FPullback: " + GradientChecker.Unwrap(e));
            return;
        }
        var after = new List<double>();
        foreach (InputSpec field in program.Fields)
        {
            if (field.Kind == InputKind.Tensor) after.AddRange(((Tensor)gradientsType.GetProperty(field.Name)!.GetValue(pulled)!).ToArray().Select(v => (double)v));
            else after.Add(GradientChecker.ReadMember(pulled, field.Name));
        }
        foreach (Autodiff.Optimizers.ParameterGradient leaf in nested)
        {
            if (leaf.IsScalar) after.Add(leaf.ScalarGradient);
            else after.AddRange(leaf.Gradient.ToArray().Select(v => (double)v));
        }
        after.AddRange(dYAccumulator.ToArray().Select(v => (double)v));
        for (int i = 0; i < components.Count; i++)
        {
            double expected = 0.25 + 1.5 * components[i].Ad;
            if (!(Math.Abs(after[i] - expected) <= 1e-4 * (1 + Math.Abs(expected))))
            {
                verdict.Fail(GradientChecker.WrongPullback, "FPullback(seed 1.5) turned " + components[i].Label + " from 0.25 into " + GradientChecker.Fmt(after[i])
                    + ", expected " + GradientChecker.Fmt(expected));
                return;
            }
        }
        CheckModelJacobian(type, model, x, y, dY, verdict);
        CheckModelTangent(type, model, gradientsType, gradients, x, y, dY, Random, verdict);
        CheckStaticTwin(program, type, Random, verdict);
    }

    /// <summary>
    /// FJacobian of the model with respect to y, its parameters held still: F's result has one
    /// element, so the Jacobian is one row, which must be FGradient's dY.
    /// </summary>
    private static void CheckModelJacobian(Type type, object model, Tensor x, Tensor y, Tensor dY, RunVerdict verdict)
    {
        MethodInfo? jacobianMember = type.GetMethod("FJacobian", All);
        if (jacobianMember is null)
        {
            verdict.Fail(GradientChecker.Signature, "no FJacobian: a model's method with a differentiable tensor input has one");
            return;
        }
        Tensor row;
        try
        {
            object?[] call = { x, y, null };
            jacobianMember.Invoke(model, call);
            row = (Tensor)call[2]!;
        }
        catch (Exception e)
        {
            verdict.Fail(GradientChecker.Threw, "FJacobian: " + GradientChecker.Unwrap(e));
            return;
        }
        if (row.Length != dY.Length)
        {
            verdict.Fail(GradientChecker.WrongJacobian, "FJacobian's row has " + row.Length + " elements, y has " + dY.Length);
            return;
        }
        for (int i = 0; i < dY.Length; i++)
        {
            if (!float.IsFinite(row.Span[i]) || !float.IsFinite(dY.Span[i]))
            {
                verdict.NonFinite++;
                return;
            }
        }
        verdict.JacobianComparisons++;
        for (int i = 0; i < dY.Length; i++)
        {
            if (!(Math.Abs(row.Span[i] - dY.Span[i]) <= 1e-4 + 1e-3 * Math.Abs(dY.Span[i])))
            {
                verdict.Fail(GradientChecker.WrongJacobian, "FJacobian[0, " + i + "] = " + GradientChecker.Fmt(row.Span[i]) + ", FGradient's dY[" + i + "] = " + GradientChecker.Fmt(dY.Span[i]));
                return;
            }
        }
    }

    /// <summary>
    /// FTangent of the model: along dy for y and a random direction of every parameter (its
    /// sub-models' included) in a Gradients object, it must give ⟨∇F, v⟩ from FGradient.
    /// </summary>
    private static void CheckModelTangent(Type type, object model, Type gradientsType, object gradients, Tensor x, Tensor y, Tensor dY,
        Func<int[], Tensor> random, RunVerdict verdict)
    {
        MethodInfo? tangentMember = type.GetMethod("FTangent", All);
        if (tangentMember is null)
        {
            verdict.MissingTangents++;
            return;
        }
        IReadOnlyList<Autodiff.Optimizers.ParameterGradient> Leaves(object of) => LeavesOf(gradientsType, of);
        object direction = Activator.CreateInstance(gradientsType, model)!;
        IReadOnlyList<Autodiff.Optimizers.ParameterGradient> steps = Leaves(direction), slopes = Leaves(gradients);
        double along = 0, magnitude = 0;
        void Add(double gradient, double step)
        {
            along += gradient * step;
            magnitude += Math.Abs(gradient * step);
        }
        for (int p = 0; p < steps.Count; p++)
        {
            if (steps[p].IsScalar)
            {
                ScalarOwner(steps[p]).SetGradient(ScalarIndex(steps[p]), 0.6);
                Add(slopes[p].ScalarGradient, 0.6);
                continue;
            }
            steps[p].Gradient.CopyFrom(random(steps[p].Gradient.Shape.ToArray()));
            for (int i = 0; i < steps[p].Gradient.Length; i++) Add(slopes[p].Gradient.Span[i], steps[p].Gradient.Span[i]);
        }
        Tensor dy = random(y.Shape.ToArray());
        for (int i = 0; i < dy.Length; i++) Add(dY.Span[i], dy.Span[i]);
        double tangent;
        try
        {
            object pair = tangentMember.Invoke(model, new object?[] { x, y, dy, direction })!;
            tangent = ((Tensor)pair.GetType().GetField("Item2")!.GetValue(pair)!).Item();
        }
        catch (Exception e)
        {
            verdict.Fail(GradientChecker.Threw, "FTangent: " + GradientChecker.Unwrap(e));
            return;
        }
        if (!double.IsFinite(along) || !double.IsFinite(tangent))
        {
            verdict.NonFinite++;
            return;
        }
        verdict.TangentComparisons++;
        if (!(Math.Abs(tangent - along) <= 1e-4 + 1e-3 * magnitude))
        {
            verdict.Fail(GradientChecker.WrongTangent, "FTangent along the parameters and y = " + GradientChecker.Fmt(tangent) + ", ⟨∇F, v⟩ from FGradient = " + GradientChecker.Fmt(along));
            return;
        }
        CheckModelHessianVector(type, model, gradientsType, x, y, direction, dy, random, verdict);
    }

    /// <summary>
    /// FHessianVector of the model (through its sub-models too): symmetric over two directions
    /// (v = the tangent check's, w another), ⟨w, H·v⟩ = ⟨v, H·w⟩ summed over the parameters and y.
    /// </summary>
    private static void CheckModelHessianVector(Type type, object model, Type gradientsType, Tensor x, Tensor y, object v, Tensor dyV,
        Func<int[], Tensor> random, RunVerdict verdict)
    {
        MethodInfo? product = type.GetMethod("FHessianVector", All);
        if (product is null)
        {
            return;
        }
        IReadOnlyList<Autodiff.Optimizers.ParameterGradient> Leaves(object of) => LeavesOf(gradientsType, of);
        object w = Activator.CreateInstance(gradientsType, model)!;
        foreach (Autodiff.Optimizers.ParameterGradient leaf in Leaves(w))
        {
            if (leaf.IsScalar) ScalarOwner(leaf).SetGradient(ScalarIndex(leaf), -0.45);
            else leaf.Gradient.CopyFrom(random(leaf.Gradient.Shape.ToArray()));
        }
        Tensor dyW = random(y.Shape.ToArray());
        (object Parameters, Tensor Y) Product(object direction, Tensor dy)
        {
            object parameters = Activator.CreateInstance(gradientsType, model)!;
            object?[] call = { x, y, dy, direction, parameters, null };
            product.Invoke(model, call);
            return (parameters, (Tensor)call[5]!);
        }
        double Dot(object directionObject, Tensor dy, (object Parameters, Tensor Y) h, out double magnitude)
        {
            double sum = 0;
            magnitude = 0;
            IReadOnlyList<Autodiff.Optimizers.ParameterGradient> d = Leaves(directionObject), p = Leaves(h.Parameters);
            for (int k = 0; k < d.Count; k++)
            {
                if (d[k].IsScalar)
                {
                    sum += d[k].ScalarGradient * p[k].ScalarGradient;
                    magnitude += Math.Abs(d[k].ScalarGradient * p[k].ScalarGradient);
                    continue;
                }
                for (int i = 0; i < d[k].Gradient.Length; i++)
                {
                    sum += (double)d[k].Gradient.Span[i] * p[k].Gradient.Span[i];
                    magnitude += Math.Abs((double)d[k].Gradient.Span[i] * p[k].Gradient.Span[i]);
                }
            }
            for (int i = 0; i < dy.Length; i++)
            {
                sum += (double)dy.Span[i] * h.Y.Span[i];
                magnitude += Math.Abs((double)dy.Span[i] * h.Y.Span[i]);
            }
            return sum;
        }
        double wHv, vHw, m1, m2;
        try
        {
            wHv = Dot(w, dyW, Product(v, dyV), out m1);
            vHw = Dot(v, dyV, Product(w, dyW), out m2);
        }
        catch (Exception e)
        {
            verdict.Fail(GradientChecker.Threw, "FHessianVector: " + GradientChecker.Unwrap(e));
            return;
        }
        if (!double.IsFinite(wHv) || !double.IsFinite(vHw))
        {
            verdict.NonFinite++;
            return;
        }
        verdict.HessianComparisons++;
        if (!(Math.Abs(wHv - vHw) <= 1e-4 + 1e-3 * Math.Max(m1, m2)))
        {
            verdict.Fail(GradientChecker.WrongTangent, "FHessianVector is not symmetric: ⟨w, H·v⟩ = " + GradientChecker.Fmt(wHv) + ", ⟨v, H·w⟩ = " + GradientChecker.Fmt(vHw));
        }
    }

    /// <summary>
    /// G, F's body as a static function of the fields (see <see cref="TensorProgramGenerator"/>):
    /// GTangent along a random direction must return G's value and ⟨∇G, v⟩ as GGradient gives it, up
    /// to float rounding (the gradient itself is F's, checked above against differences).
    /// </summary>
    private static void CheckStaticTwin(FuzzProgram program, Type type, Func<int[], Tensor> random, RunVerdict verdict)
    {
        MethodInfo? twin = type.GetMethod("G", All);
        if (twin is null)
        {
            return;
        }
        MethodInfo? tangentMember = type.GetMethod("GTangent", All);
        MethodInfo? gradientMember = type.GetMethod("GGradient", All);
        if (tangentMember is null || gradientMember is null)
        {
            verdict.MissingTangents++;
            return;
        }
        // x, y, then the fields in G's order; every input after x is differentiable.
        var inputs = new List<object> { random(new[] { 2, 3 }), random(new[] { 2, 4 }) };
        inputs.AddRange(program.Fields.Select(f => f.Kind == InputKind.Tensor ? random(f.Shape!) : (object)0.75f));
        var directions = inputs.Skip(1).Select(input => input is Tensor t ? random(t.Shape.ToArray()) : (object)(-0.6f)).ToList();
        double tangent, value, primal;
        var withGradients = inputs.Concat(new object?[directions.Count]).ToArray();
        try
        {
            object pair = tangentMember.Invoke(null, inputs.Concat(directions).ToArray())!;
            value = ((Tensor)pair.GetType().GetField("Item1")!.GetValue(pair)!).Item();
            tangent = ((Tensor)pair.GetType().GetField("Item2")!.GetValue(pair)!).Item();
            primal = ((Tensor)twin.Invoke(null, inputs.ToArray())!).Item();
            gradientMember.Invoke(null, withGradients);
        }
        catch (Exception e)
        {
            verdict.Fail(GradientChecker.Threw, "GTangent or GGradient: " + GradientChecker.Unwrap(e));
            return;
        }
        if (value != primal)
        {
            verdict.Fail(GradientChecker.WrongValue, "GTangent returned " + GradientChecker.Fmt(value) + ", G returns " + GradientChecker.Fmt(primal));
            return;
        }
        double along = 0, magnitude = 0;
        for (int k = 0; k < directions.Count; k++)
        {
            float[] gradient = withGradients[inputs.Count + k] is Tensor g ? g.ToArray() : new[] { (float)withGradients[inputs.Count + k]! };
            float[] direction = directions[k] is Tensor d ? d.ToArray() : new[] { (float)directions[k] };
            for (int j = 0; j < gradient.Length; j++)
            {
                along += (double)gradient[j] * direction[j];
                magnitude += Math.Abs((double)gradient[j] * direction[j]);
            }
        }
        if (!double.IsFinite(along) || !double.IsFinite(tangent))
        {
            verdict.NonFinite++;
            return;
        }
        verdict.TangentComparisons++;
        if (!(Math.Abs(tangent - along) <= 1e-4 + 1e-3 * magnitude))
        {
            verdict.Fail(GradientChecker.WrongTangent, "GTangent = " + GradientChecker.Fmt(tangent) + ", ⟨∇G, v⟩ from GGradient = " + GradientChecker.Fmt(along));
            return;
        }
        CheckTwinHessianVector(type, inputs, directions, random, verdict);
    }

    /// <summary>
    /// GHessianVector: symmetric (⟨w, H·v⟩ = ⟨v, H·w⟩ for a second direction w, up to float rounding)
    /// and H·v against central differences of GGradient along v (float, steps 1e-2 and 3e-3; where
    /// those disagree, or the one-sided ones do, the steps straddle a kink and the element is skipped,
    /// as the gradient check skips it).
    /// </summary>
    private static void CheckTwinHessianVector(Type type, List<object> inputs, List<object> v, Func<int[], Tensor> random, RunVerdict verdict)
    {
        MethodInfo? product = type.GetMethod("GHessianVector", All);
        MethodInfo gradient = type.GetMethod("GGradient", All)!;
        if (product is null)
        {
            return;
        }
        var w = inputs.Skip(1).Select(input => input is Tensor t ? random(t.Shape.ToArray()) : (object)0.4f).ToList();
        float[][] Product(List<object> direction)
        {
            object?[] call = inputs.Concat(direction).Concat(new object?[direction.Count]).ToArray();
            product.Invoke(null, call);
            return call.Skip(inputs.Count + direction.Count).Select(Flat).ToArray();
        }
        float[][] GradientAt(float step)
        {
            var moved = inputs.Select((input, i) => i == 0 ? input : input switch
            {
                Tensor t => Tensor.FromArray(t.ToArray().Zip(((Tensor)v[i - 1]).ToArray(), (x, d) => x + step * d).ToArray(), t.Shape.ToArray()),
                float x => (object)(x + step * (float)v[i - 1]),
                _ => input,
            }).ToList();
            object?[] call = moved.Concat(new object?[v.Count]).ToArray();
            gradient.Invoke(null, call);
            return call.Skip(moved.Count).Select(Flat).ToArray();
        }
        float[][] hv, hw;
        try
        {
            hv = Product(v);
            hw = Product(w);
        }
        catch (Exception e)
        {
            verdict.Fail(GradientChecker.Threw, "GHessianVector: " + GradientChecker.Unwrap(e));
            return;
        }
        double wHv = 0, vHw = 0, magnitude = 0;
        for (int k = 0; k < v.Count; k++)
        {
            float[] vk = Flat(v[k]), wk = Flat(w[k]);
            for (int j = 0; j < vk.Length; j++)
            {
                wHv += (double)wk[j] * hv[k][j];
                vHw += (double)vk[j] * hw[k][j];
                magnitude += Math.Abs((double)wk[j] * hv[k][j]) + Math.Abs((double)vk[j] * hw[k][j]);
            }
        }
        if (!double.IsFinite(wHv) || !double.IsFinite(vHw))
        {
            verdict.NonFinite++;
            return;
        }
        verdict.HessianComparisons++;
        if (!(Math.Abs(wHv - vHw) <= 1e-4 + 1e-3 * magnitude))
        {
            verdict.Fail(GradientChecker.WrongTangent, "GHessianVector is not symmetric: ⟨w, H·v⟩ = " + GradientChecker.Fmt(wHv) + ", ⟨v, H·w⟩ = " + GradientChecker.Fmt(vHw));
            return;
        }
        // Central differences at two steps, and one-sided ones: where the second derivative jumps
        // (a ReLU's input within a step of zero, whose gradient stays continuous) the two sides
        // disagree while both central differences agree on the average of the two slopes.
        float[][] at = GradientAt(0f);
        float[][] finePlus = GradientAt(3e-3f), fineMinus = GradientAt(-3e-3f), coarsePlus = GradientAt(1e-2f), coarseMinus = GradientAt(-1e-2f);
        for (int k = 0; k < v.Count; k++)
        {
            for (int j = 0; j < hv[k].Length; j++)
            {
                double fine = ((double)finePlus[k][j] - fineMinus[k][j]) / 6e-3, coarse = ((double)coarsePlus[k][j] - coarseMinus[k][j]) / 2e-2;
                double forward = ((double)finePlus[k][j] - at[k][j]) / 3e-3, backward = ((double)at[k][j] - fineMinus[k][j]) / 3e-3;
                if (Math.Abs(coarse - fine) > 5e-3 + 2e-2 * Math.Abs(fine) || Math.Abs(forward - backward) > 5e-3 + 2e-2 * Math.Max(Math.Abs(forward), Math.Abs(backward)))
                {
                    verdict.Kinks++;
                    continue;
                }
                if (!(Math.Abs(hv[k][j] - fine) <= 2e-2 + 2e-2 * Math.Abs(fine)))
                {
                    verdict.Fail(GradientChecker.WrongTangent, "GHessianVector: (H·v) of input " + (k + 1) + " element " + j + " = " + GradientChecker.Fmt(hv[k][j])
                        + ", differences of GGradient give " + GradientChecker.Fmt(fine));
                    return;
                }
            }
        }
    }

    private static float[] Flat(object? value) => value switch
    {
        Tensor t => t.ToArray(),
        float x => new[] { x },
        _ => throw new ArgumentException("not a tensor or a float: " + value),
    };
}
