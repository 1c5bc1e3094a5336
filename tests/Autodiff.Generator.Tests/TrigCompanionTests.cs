using System;
using Autodiff.Generator.Tests.Harness;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// A sine after a cosine of the same angle (or the other way round) takes its derivative from the
/// value the forward pass computed (<c>Transforms/TrigCompanions</c>) instead of calling the other
/// function again; where the angle or the companion changes in between, or the companion comes
/// later, the rule is called as before. Gradients against central differences in every case.
/// </summary>
public class TrigCompanionTests
{
    private const string Source = """
        using System;
        using Autodiff;

        public static partial class R
        {
            // A rotation, as BA's Rodrigues formula and a two-link arm write it.
            [Differentiable]
            public static double Rotate(double theta, double x, double y)
            {
                double c = Math.Cos(theta);
                double s = Math.Sin(theta);
                return (c * x - s * y) * (s * x + c * y);
            }

            // Sine first: the cosine takes the sine; the sine, coming first, calls its rule.
            [Differentiable]
            public static float SineFirst(float theta, float r)
            {
                float s = MathF.Sin(theta);
                float c = MathF.Cos(theta);
                return r * s * s + c * r;
            }

            // The angle changes between the two: no companion. In a loop, where the angle and the
            // companion are overwritten on every iteration.
            [Differentiable]
            public static double Changed(double[] angles, double w)
            {
                double total = 0;
                for (int i = 0; i < angles.Length; i++)
                {
                    double a = angles[i] * w;
                    double c = Math.Cos(a);
                    a = a + 0.5;
                    double s = Math.Sin(a);
                    double c2 = Math.Cos(a);
                    total += c * s + c2 * c2;
                }
                return total;
            }
        }
        """;

    private static readonly Lazy<GeneratorRun> Run = new(() => GeneratorRun.Of(Source));

    [Fact]
    public void The_later_of_a_sine_and_cosine_takes_its_derivative_from_the_earlier_and_the_earlier_from_a_later_one_assigned_once()
    {
        string rotate = Run.Value.Member("RotateGradient");
        Assert.Contains("dtheta += ds * c; // SinBackward, with c for the cosine", rotate);
        // The cosine came first, but the sine after it holds one value for the whole method: the
        // backward pass reaches the cosine with the sine still there.
        Assert.Contains("dtheta -= dc * s; // CosBackward, with s for the sine", rotate);
        string sineFirst = Run.Value.Member("SineFirstGradient");
        Assert.Contains("dtheta -= dc * s; // CosBackward, with s for the sine", sineFirst);
        Assert.Contains("// SinBackward, with c for the cosine", sineFirst);
        // Forward mode runs in program order: only the later one takes the earlier.
        Assert.Contains("MathRules.CosTangent<double>(theta, ", Run.Value.Member("RotateTangent"));
    }

    [Fact]
    public void Forward_mode_takes_the_later_ones_tangent_from_the_earlier_too()
    {
        Assert.Contains("// SinTangent, with c for the cosine", Run.Value.Member("RotateTangent"));
        Assert.Contains("// CosTangent, with s for the sine", Run.Value.Member("SineFirstTangent"));
        Execution execution = Execution.Load(Run.Value);
        foreach (double theta in new[] { -2.1, 0.4, 1.3 })
        {
            object result = execution.Call("R", "RotateTangent", theta, 0.7, -1.2, 1.0, 0.0, 0.0)!;
            double tangent = (double)result.GetType().GetField("Item2")!.GetValue(result)!;
            Execution.AssertClose(execution.CentralDifference("R", "Rotate", new object?[] { theta, 0.7, -1.2 }, 0), tangent);
        }
        object sine = execution.Call("R", "SineFirstTangent", 0.6f, 1.5f, 1f, 0f)!;
        Assert.Equal(2 * 1.5 * Math.Sin(0.6) * Math.Cos(0.6) - 1.5 * Math.Sin(0.6), (float)sine.GetType().GetField("Item2")!.GetValue(sine)!, 4);
    }

    [Fact]
    public void A_changed_angle_has_no_companion_but_the_next_function_of_it_does()
    {
        string text = Run.Value.Member("ChangedGradient");
        Assert.Contains("MathRules.SinBackward<double>(a, ", text); // a changed after Cos(a)
        Assert.Contains("-= dc2 * s; // CosBackward, with s for the sine", text); // Sin(a) then Cos(a) of the new a
        Assert.Contains("MathRules.CosBackward<double>(a, ", text); // in a loop nothing holds one value: no later companion
    }

    [Fact]
    public void Gradients_agree_with_central_differences()
    {
        Assert.Empty(Run.Value.Diagnostics);
        Execution execution = Execution.Load(Run.Value);
        foreach (double theta in new[] { -2.1, 0.0, 0.4, 1.3 })
        {
            object?[] arguments = { theta, 0.7, -1.2, null, null, null };
            execution.Call("R", "RotateGradient", arguments);
            for (int i = 0; i < 3; i++)
            {
                Execution.AssertClose(execution.CentralDifference("R", "Rotate", new object?[] { theta, 0.7, -1.2 }, i), (double)arguments[3 + i]!);
            }
        }
        double[] angles = { 0.3, -1.4, 2.2, 0.9 };
        object?[] changed = { angles, 0.8, null, null };
        execution.Call("R", "ChangedGradient", changed);
        Execution.AssertClose(execution.CentralDifference("R", "Changed", new object?[] { angles, 0.8 }, 1), (double)changed[3]!);
        var dAngles = (double[])changed[2]!;
        for (int i = 0; i < angles.Length; i++)
        {
            Execution.AssertClose(execution.CentralDifference("R", "Changed", new object?[] { angles, 0.8 }, 0, i), dAngles[i]);
        }
        object?[] sineFirst = { 0.6f, 1.5f, null, null };
        execution.Call("R", "SineFirstGradient", sineFirst);
        // d/dθ (r sin²θ + r cos θ) = 2 r sin θ cos θ − r sin θ
        Assert.Equal(2 * 1.5 * Math.Sin(0.6) * Math.Cos(0.6) - 1.5 * Math.Sin(0.6), (float)sineFirst[2]!, 4);
    }
}
