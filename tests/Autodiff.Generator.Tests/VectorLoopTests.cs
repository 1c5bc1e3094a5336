using System;
using System.Linq;
using Autodiff.Generator.Tests.Harness;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// Loops the sweeps run several iterations at a time (<c>Emit/VectorLoop</c>): the gradients of
/// every length around the vector width against central differences, the forward values bit for bit
/// against the method, and the loops that must stay one iteration at a time because running them in
/// lanes could change what they compute (an array that may be another one, read at another index; a
/// sum in the forward sweep, whose order the method's value depends on).
/// </summary>
public class VectorLoopTests
{
    private const string Source = """
        using System;
        using Autodiff;

        public static partial class V
        {
            [Differentiable]
            public static double Scaled(double[] x, double[] w, double c, int n)
            {
                double[] y = new double[n];
                for (int j = 0; j < n; j++) y[j] = c * x[j] * w[j] - 0.4 * x[j] / c;
                double s = 0;
                for (int i = 0; i < n; i++) s += y[i] * y[i];
                return s;
            }

            [Differentiable]
            public static float ScaledSingle(float[] x, float[] w, float c, int n)
            {
                float[] y = new float[n];
                for (int j = 0; j < n; j++) y[j] = c * x[j] * w[j] - 0.4f * x[j] / c;
                float s = 0;
                for (int i = 0; i < n; i++) s += y[i] * y[i];
                return s;
            }

            // The Gaussian mixture's inner loops: refills saved for each round, a triangular product
            // with an integer stepped beside the index, and an element the inner loop does not move.
            [Differentiable]
            public static double Triangle(double[] l, double[] x, double[] mu, int d)
            {
                double[] z = new double[d];
                double[] q = new double[d];
                double total = 0;
                for (int r = 0; r < 3; r++)
                {
                    for (int i = 0; i < d; i++) z[i] = x[i] - mu[i] * (r + 1);
                    for (int i = 0; i < d; i++) q[i] = l[i] * z[i];
                    int k = d;
                    for (int i = 0; i < d; i++)
                    {
                        for (int j = i + 1; j < d; j++)
                        {
                            q[j] += l[k] * z[i];
                            k++;
                        }
                    }
                    double s = 0;
                    for (int i = 0; i < d; i++) s += q[i] * q[i];
                    total += Math.Log(1 + s);
                }
                return total;
            }

            // a and b may be one array: then each iteration reads what the one before wrote.
            [Differentiable]
            public static double Shifted(double[] a, double[] b, int n)
            {
                for (int j = 1; j < n; j++) a[j] = 0.5 * b[j - 1] + a[j] * b[j];
                double s = 0;
                for (int j = 0; j < n; j++) s += a[j] * a[j];
                return s;
            }

            // The same index on both: one array or two, each iteration reads what it writes.
            [Differentiable]
            public static double SameIndex(double[] a, double[] b, int n)
            {
                for (int j = 0; j < n; j++) a[j] = a[j] * b[j] + 0.25;
                double s = 0;
                for (int j = 0; j < n; j++) s += a[j] * b[j];
                return s;
            }

            [Differentiable]
            public static double ShortLoop(double[] x)
            {
                double[] y = new double[4];
                for (int j = 0; j < 4; j++) y[j] = x[j] * x[j];
                return y[0] + y[1] * y[2] - y[3];
            }

            [Differentiable]
            public static double WithCall(double[] x, int n)
            {
                double s = 0;
                for (int j = 0; j < n; j++) s += Math.Sin(x[j]);
                return s;
            }

            [Differentiable]
            public static double IndexAsValue(double[] x, int n)
            {
                double[] y = new double[n];
                for (int j = 0; j < n; j++) y[j] = x[j] * j;
                return y[n - 1] * y[0];
            }
        }

        // A scalar parameter of a model, summed in lanes: its adjoint is gradients.Scale.
        public sealed partial class M
        {
            public double Scale = 0.25;

            [Differentiable]
            public double F(double[] x, int n)
            {
                double[] u = new double[n];
                for (int k = 0; k < n; k++) u[k] = this.Scale * x[k];
                double s = 0;
                for (int i = 0; i < n; i++) s += u[i] * u[i];
                return s;
            }
        }
        """;

    private static readonly Lazy<GeneratorRun> Run = new(() => GeneratorRun.Of(Source));
    private static readonly Lazy<Execution> Loaded = new(() => Execution.Load(Run.Value));

    private static string Member(string name) => Run.Value.Member(name);

    private static (string Forward, string Backward) Sweeps(string member) => Run.Value.Sweeps(member);

    private static double[] Values(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => Math.Round(random.NextDouble() * 2 - 1, 3)).ToArray();
    }

    [Fact]
    public void The_loops_of_plain_arithmetic_run_in_lanes_in_both_sweeps()
    {
        (string forward, string backward) = Sweeps("ScaledGradient");
        Assert.Contains("global::Autodiff.Runtime.Lanes.Store(y, j, ", forward);
        Assert.Contains("global::Autodiff.Runtime.Lanes.Add(dWLocal, j, ", backward);
        (forward, backward) = Sweeps("TriangleGradient");
        // The stepped index k runs in a copy of its own around each loop (Emit/LoopRegisters).
        Assert.Matches(@"global::Autodiff\.Runtime\.Lanes\.Add\(q, j, \(global::Autodiff\.Runtime\.Lanes\.Load\(l, kInLoop(_\d+)?\) \* z\[i_3\]\)\);", forward);
        Assert.Matches(@"kInLoop(_\d+)? \+= global::System\.Numerics\.Vector<double>\.Count;", forward);
        Assert.Matches(@"doubleSaves\.PushLanes(Reserved)?\(global::Autodiff\.Runtime\.Lanes\.Load\(q, i_2\)\);", forward);
        Assert.Matches(@"kInLoop(_\d+)? -= global::System\.Numerics\.Vector<double>\.Count;", backward);
        Assert.Matches(@"global::Autodiff\.Runtime\.Lanes\.Store\(q, i_2, doubleSaves\.PopLanes(Marked)?\(\)\);", backward);
        // z is filled again in the backward pass (Transforms/RefilledArrays), in lanes as well.
        Assert.Contains("global::Autodiff.Runtime.Lanes.Store(z, i, (global::Autodiff.Runtime.Lanes.Load(x, i) - ", backward);
        Assert.Contains("global::System.Numerics.Vector.Sum(dzElementLanes)", backward);
        Assert.Contains("global::Autodiff.Runtime.Lanes.Store(y, j, ", Sweeps("ScaledSingleGradient").Forward);
        Assert.Contains("global::Autodiff.Runtime.Lanes.", Member("SameIndexGradient"));
    }

    [Fact]
    public void A_write_beside_a_read_of_an_array_it_may_be_stays_one_iteration_at_a_time()
    {
        string text = Member("ShiftedGradient");
        Assert.Contains("a[j] = 0.5 * b[j - 1] + a[j] * b[j];", text);
        Assert.DoesNotContain("Lanes.Store(a,", text);
        Assert.DoesNotContain("Lanes.Store(a,", Member("ShiftedPullback"));
    }

    [Fact]
    public void The_forward_sweep_keeps_the_methods_order_of_additions()
    {
        (string forward, string backward) = Sweeps("ScaledGradient");
        Assert.Contains("s += y[i] * y[i];", forward);
        Assert.DoesNotContain("sLanes", forward);
        Assert.Contains("global::Autodiff.Runtime.Lanes.Add(dy, i, ", backward); // its backward pass needs no order
    }

    [Fact]
    public void A_loop_shorter_than_a_vector_at_run_time_runs_as_written_in_both_sweeps()
    {
        (string forward, string backward) = Sweeps("ScaledGradient");
        // The lanes only where whole vectors run; otherwise the loop as the method wrote it (VectorLoop's remarks say why).
        Assert.Matches(@"if \(vectorIterations(_\d+)? == 0\)\s*\{\s*for \(j = 0; j < n; j\+\+\)", forward);
        Assert.Matches(@"if \(vectorIterations(_\d+)? == 0\)\s*\{\s*for \(j = tripCount(_\d+)? - 1; j >= 0; j--\)", backward);
    }

    [Theory]
    [InlineData("ShortLoopGradient")] // four iterations: nothing to gain
    [InlineData("WithCallGradient")] // a call per iteration
    [InlineData("IndexAsValueGradient")] // the index as a value differs between lanes
    public void Loops_that_do_not_qualify_stay_as_written(string member) =>
        Assert.DoesNotContain("Lanes", Member(member));

    [Fact]
    public void Gradients_and_pullbacks_of_every_length_around_the_width_agree_with_central_differences()
    {
        Execution execution = Loaded.Value;
        for (int n = 0; n <= 19; n++)
        {
            double[] x = Values(n, n), w = Values(n, 100 + n);
            const double c = 0.7;
            object?[] arguments = { x, w, c, n, null, null, null };
            double value = (double)execution.Call("V", "ScaledGradient", arguments)!;
            Assert.Equal((double)execution.Call("V", "Scaled", x, w, c, n)!, value);
            var dx = (double[])arguments[4]!;
            var dw = (double[])arguments[5]!;
            for (int i = 0; i < n; i++)
            {
                Execution.AssertClose(execution.CentralDifference("V", "Scaled", new object?[] { x, w, c, n }, 0, i), dx[i]);
                Execution.AssertClose(execution.CentralDifference("V", "Scaled", new object?[] { x, w, c, n }, 1, i), dw[i]);
            }
            Execution.AssertClose(execution.CentralDifference("V", "Scaled", new object?[] { x, w, c, n }, 2), (double)arguments[6]!);

            // The pullback adds into what the accumulators hold.
            double[] px = Enumerable.Repeat(1.0, n).ToArray(), pw = new double[n];
            object?[] pullback = { x, w, c, n, 2.0, px, pw, 0.0 };
            execution.Call("V", "ScaledPullback", pullback);
            for (int i = 0; i < n; i++)
            {
                Execution.AssertClose(1 + 2 * dx[i], px[i]);
                Execution.AssertClose(2 * dw[i], pw[i]);
            }
        }
    }

    [Fact]
    public void The_triangular_product_agrees_with_central_differences_at_every_size()
    {
        Execution execution = Loaded.Value;
        for (int d = 1; d <= 12; d++)
        {
            double[] l = Values(d * (d + 1) / 2, d), x = Values(d, 50 + d), mu = Values(d, 90 + d);
            object?[] arguments = { l, x, mu, d, null, null, null };
            double value = (double)execution.Call("V", "TriangleGradient", arguments)!;
            Assert.Equal((double)execution.Call("V", "Triangle", l, x, mu, d)!, value);
            object?[] inputs = { l, x, mu, d };
            for (int parameter = 0; parameter < 3; parameter++)
            {
                var gradient = (double[])arguments[4 + parameter]!;
                for (int i = 0; i < gradient.Length; i++)
                {
                    Execution.AssertClose(execution.CentralDifference("V", "Triangle", inputs, parameter, i), gradient[i]);
                }
            }
        }
    }

    [Fact]
    public void Single_precision_lanes_give_the_double_methods_gradient_to_float_accuracy()
    {
        Execution execution = Loaded.Value;
        foreach (int n in new[] { 5, 8, 9, 13, 17, 31 })
        {
            double[] x = Values(n, n), w = Values(n, 100 + n);
            object?[] inDouble = { x, w, 0.7, n, null, null, null };
            execution.Call("V", "ScaledGradient", inDouble);
            object?[] inSingle = { x.Select(v => (float)v).ToArray(), w.Select(v => (float)v).ToArray(), 0.7f, n, null, null, null };
            execution.Call("V", "ScaledSingleGradient", inSingle);
            for (int parameter = 4; parameter <= 5; parameter++)
            {
                var expected = (double[])inDouble[parameter]!;
                var actual = (float[])inSingle[parameter]!;
                for (int i = 0; i < n; i++)
                {
                    Execution.AssertClose(expected[i], actual[i], atol: 1e-5, rtol: 1e-4);
                }
            }
        }
    }

    [Fact]
    public void A_models_scalar_parameter_summed_in_lanes_gets_its_gradient()
    {
        Execution execution = Loaded.Value;
        Assert.Contains("gradients.Scale += global::System.Numerics.Vector.Sum(", Member("FGradient"));
        foreach (int n in new[] { 3, 8, 13 })
        {
            double[] x = Values(n, n);
            object model = execution.Create("M");
            object gradients = execution.Create("M+Gradients", model);
            object?[] arguments = { x, n, gradients, null };
            execution.Invoke(model, "FGradient", arguments);
            double scale = (double)gradients.GetType().GetField("Scale")!.GetValue(gradients)!;
            // s = Scale² Σ x², so ∂s/∂Scale = 2 Scale Σ x² and ∂s/∂x = 2 Scale² x.
            Execution.AssertClose(2 * 0.25 * x.Sum(v => v * v), scale);
            var dx = (double[])arguments[3]!;
            for (int i = 0; i < n; i++)
            {
                Execution.AssertClose(2 * 0.0625 * x[i], dx[i]);
            }
        }
    }

    /// <summary>
    /// Passing one array as both a and b: the generated forward pass must compute what the method
    /// computes on that one array (it writes a while it reads b), and the gradient of a method
    /// whose arrays were vectorised on the same index must not depend on whether they are one array.
    /// </summary>
    [Theory]
    [InlineData("Shifted")]
    [InlineData("SameIndex")]
    public void One_array_passed_twice_gives_the_methods_own_values(string method)
    {
        Execution execution = Loaded.Value;
        foreach (int n in new[] { 6, 9, 16 })
        {
            double[] start = Values(n, n);
            double[] shared = (double[])start.Clone();
            double expected = (double)execution.Call("V", method, shared, shared, n)!;
            double[] generated = (double[])start.Clone();
            object?[] arguments = { generated, generated, n, null, null };
            Assert.Equal(expected, (double)execution.Call("V", method + "Gradient", arguments)!);
            Assert.Equal(shared, generated);
        }
    }
}
