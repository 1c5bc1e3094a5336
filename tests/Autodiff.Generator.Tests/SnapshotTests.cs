using Autodiff.Generator.Tests.Harness;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// Generated source for representative methods, against checked-in baselines in Snapshots/.
/// Each also compiles with every warning enabled.
/// </summary>
public class SnapshotTests
{
    private static void Check(string name, string source)
    {
        GeneratorRun run = GeneratorRun.Of("using System;\nusing Autodiff;\n" + source);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.OutputProblems());
        Snapshot.Verify(name, run.GeneratedText);
    }

    [Fact]
    public void Seed_example() => Check("SeedExample", """
        namespace Demo;

        public static partial class Seed
        {
            [Differentiable]
            public static double Loss(double a, double w1, double w2, double w3, double w4)
            {
                double b = w1 * a;
                double c = w2 * a;
                double d = w3 * b + w4 * c;
                double L = 10 - d;
                return L;
            }
        }
        """);

    [Fact]
    public void Math_calls_and_a_constant_parameter() => Check("MathCalls", """
        public static partial class Physics
        {
            [Differentiable]
            public static double Energy(double x, double v, [NoGrad] double mass)
            {
                double kinetic = 0.5 * mass * v * v;
                double potential = Math.Exp(-x) * Math.Sin(x * v);
                return kinetic + potential / Math.Sqrt(1 + x * x);
            }
        }
        """);

    [Fact]
    public void Loop_that_overwrites_values() => Check("LoopWithSaves", """
        public static partial class Iteration
        {
            [Differentiable]
            public static double FixedPoint(double x, double y, int n)
            {
                double z = 0;
                for (int i = 0; i < n; i++)
                {
                    z = Math.Sin(z) * x + y;
                }
                return z;
            }
        }
        """);

    /// <summary>
    /// The to-be-recorded analysis: the running sum s is saved once per outer iteration (where
    /// Math.Log read it), not on every inner iteration; t and exp, which ExpBackward reads, are.
    /// </summary>
    [Fact]
    public void Running_sums_are_not_saved_where_nothing_reads_them() => Check("RunningSum", """
        public static partial class Mixture
        {
            [Differentiable]
            public static double LogSumExps(double[] x, double[] w)
            {
                double total = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    double s = 0;
                    for (int j = 0; j < w.Length; j++)
                    {
                        s += Math.Exp(w[j] * x[i]);
                    }
                    total += Math.Log(s);
                }
                return total;
            }
        }
        """);

    /// <summary>
    /// A value used only linearly (0.5 * sq, sq += ...) is read by no backward rule, so it is not
    /// saved when the next iteration overwrites it: this loop saves nothing at all.
    /// </summary>
    [Fact]
    public void Values_used_only_linearly_are_not_saved() => Check("LinearUse", """
        public static partial class Energy
        {
            [Differentiable]
            public static double Sum(double[] q, int n)
            {
                double total = 0;
                for (int i = 0; i < n; i++)
                {
                    double sq = 0;
                    for (int j = 0; j < q.Length; j++)
                    {
                        sq += q[j] * q[j];
                    }
                    total += 1 - 0.5 * sq;
                }
                return total;
            }
        }
        """);

    /// <summary>
    /// A triangular loop with a running index (GMM's Cholesky factor): the inner trip count is
    /// recomputed from its bounds and the index is stepped back, so no integer is saved.
    /// </summary>
    [Fact]
    public void Triangular_loop_with_a_running_index() => Check("TriangularLoop", """
        public static partial class Cholesky
        {
            [Differentiable]
            public static double LowerProduct(double[] l, double[] v, int d)
            {
                double total = 0;
                int index = 0;
                for (int i = 0; i < d; i++)
                {
                    for (int j = i + 1; j < d; j++)
                    {
                        total += l[index] * v[i] * v[j];
                        index++;
                    }
                }
                return total;
            }
        }
        """);

    /// <summary>
    /// A local array read at an index the inner loop does not change: its adjoint element is kept
    /// in a local while the loop runs, loaded and stored once, under a test that the loop runs.
    /// </summary>
    [Fact]
    public void Invariant_element_adjoint_kept_in_a_local() => Check("InvariantElement", """
        public static partial class Quadratic
        {
            [Differentiable]
            public static double Form(double[] a, double[] x, int n)
            {
                double[] y = new double[n];
                for (int i = 0; i < n; i++)
                {
                    y[i] = x[i] * x[i];
                }
                double total = 0;
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        total += a[i * n + j] * y[i] * x[j];
                    }
                }
                return total;
            }
        }
        """);

    /// <summary>
    /// A callee with a loop, called in a loop: split mode. Its forward pass leaves on the caller's
    /// residuals what its backward pass reads, so the caller's backward pass does not run it again.
    /// </summary>
    [Fact]
    public void Split_mode_calls() => Check("SplitCalls", """
        public static partial class Mixture
        {
            [Differentiable]
            public static double LogSumExp(double[] v)
            {
                double max = v[0];
                for (int i = 1; i < v.Length; i++)
                {
                    max = Math.Max(max, v[i]);
                }
                double sum = 0;
                for (int i = 0; i < v.Length; i++)
                {
                    sum += Math.Exp(v[i] - max);
                }
                return Math.Log(sum) + max;
            }

            [Differentiable]
            public static double Total(double[] scores, double[] bias, int rows)
            {
                double[] row = new double[bias.Length];
                double total = 0;
                for (int r = 0; r < rows; r++)
                {
                    for (int c = 0; c < bias.Length; c++)
                    {
                        row[c] = scores[r * bias.Length + c] + bias[c];
                    }
                    total += LogSumExp(row);
                }
                return total;
            }
        }
        """);

    /// <summary>Repeated pure parts are computed once and their adjoints summed once.</summary>
    [Fact]
    public void Repeated_subexpressions_are_shared() => Check("SharedSubexpressions", """
        public static partial class Valley
        {
            [Differentiable]
            public static double Rosenbrock(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
        }
        """);

    [Fact]
    public void Branches_and_early_return() => Check("BranchesAndEarlyReturn", """
        public static partial class Piecewise
        {
            [Differentiable]
            public static double Huber(double r, double delta)
            {
                double a = Math.Abs(r);
                if (a <= delta)
                    return 0.5 * r * r;
                return delta * (a - 0.5 * delta);
            }
        }
        """);

    [Fact]
    public void Break_and_continue() => Check("BreakAndContinue", """
        public static partial class Search
        {
            [Differentiable]
            public static double Accumulate(double x, int n)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    if (i % 3 == 0)
                        continue;
                    s = s * x + i;
                    if (s > 100)
                        break;
                }
                return s;
            }
        }
        """);

    [Fact]
    public void Arrays_local_and_foreach() => Check("Arrays", """
        public static partial class Vectors
        {
            [Differentiable]
            public static double SoftSum(double[] x)
            {
                double[] squares = new double[x.Length];
                for (int i = 0; i < x.Length; i++)
                    squares[i] = x[i] * x[i];
                double s = 0;
                foreach (double v in squares)
                    s += Math.Tanh(v);
                return s;
            }
        }
        """);

    /// <summary>
    /// Small arrays of constant length, and a loop of constant trip count that overwrites values:
    /// the adjoints of the arrays live on the stack (<c>stackalloc</c>), and so do the saves, whose
    /// number is known when the code is generated (3 here); nothing is allocated for either.
    /// </summary>
    [Fact]
    public void Small_fixed_arrays_and_saves_on_the_stack() => Check("SmallFixedArrays", """
        public static partial class Rotation
        {
            [Differentiable]
            public static double Spin(double[] p, double angle)
            {
                double[] q = new double[3];
                for (int i = 0; i < 3; i++)
                    q[i] = p[i] * Math.Cos(angle);
                for (int i = 0; i < 3; i++)
                    q[i] = q[i] * q[i] + Math.Sin(angle);
                return q[0] + q[1] * q[2];
            }
        }
        """);

    /// <summary>
    /// [LoopCheckpoints]: the loop's state (h) copied where the binomial schedule says, each iteration
    /// printed twice (plainly, and saving what its backward code reads), and the backward pass
    /// following the rest of the schedule.
    /// </summary>
    [Fact]
    public void Binomial_loop_checkpointing() => Check("LoopCheckpoints", """
        public static partial class Oscillator
        {
            [Differentiable, LoopCheckpoints(8)]
            public static double Simulate(double k, double h, int steps)
            {
                for (int t = 0; t < steps; t++)
                {
                    h = h + 0.01 * Math.Sin(k * h);
                }
                return h * h;
            }
        }
        """);

    [Fact]
    public void Array_results_and_their_callers() => Check("ArrayResults", """
        public static partial class Vectors
        {
            [Differentiable]
            public static double[] Polar(double r, double theta) => new[] { r * Math.Cos(theta), r * Math.Sin(theta) };

            [Differentiable]
            public static double[] Normalise(double[] z)
            {
                double sum = 0;
                for (int i = 0; i < z.Length; i++)
                    sum += z[i] * z[i];
                var p = new double[z.Length];
                for (int i = 0; i < z.Length; i++)
                    p[i] = z[i] * z[i] / sum;
                return p;
            }

            [Differentiable]
            public static double Loss(double[] z, int label)
            {
                double[] p = Normalise(z);
                return -Math.Log(p[label]);
            }
        }
        """);

    [Fact]
    public void Hessian_vector_product() => Check("HessianVector", """
        public static partial class Curves
        {
            [Differentiable(Hessian = true)]
            public static double Energy(double[] x, double k)
            {
                double e = 0;
                for (int i = 1; i < x.Length; i++)
                {
                    double d = x[i] - x[i - 1];
                    e += k * Math.Exp(d) * d;
                }
                return e;
            }
        }
        """);

    [Fact]
    public void Calls_to_differentiable_methods_and_custom_rules() => Check("CallsAndRules", """
        namespace Demo.Nested;

        public static partial class Outer
        {
            internal static partial class Losses
            {
                public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

                [DerivativeOf(nameof(Softplus))]
                public static void SoftplusBackward(double x, double result, double seed, ref double dx) => dx += seed * (1 - Math.Exp(-result));

                [Differentiable]
                internal static double Square(double x) => x * x;

                [Differentiable]
                public static double Loss(double w, double x) => Softplus(w * x) + Square(w - 1);
            }
        }
        """);

    [Fact]
    public void Float_and_MathF() => Check("Floats", """
        public static partial class Single
        {
            [Differentiable]
            public static float Gaussian(float x, float mu, float sigma)
            {
                float z = (x - mu) / sigma;
                return MathF.Exp(-0.5f * z * z) / (sigma * MathF.Sqrt(2 * MathF.PI));
            }
        }
        """);

    [Fact]
    public void Model_with_tensor_parameters() => Check("TensorModel", """
        namespace Demo;

        public sealed partial class Mlp
        {
            public Tensor W1 = Tensor.Zeros(4, 8), B1 = Tensor.Zeros(8), W2 = Tensor.Zeros(8, 3), B2 = Tensor.Zeros(3);

            [NoGrad] public Tensor Mean = Tensor.Zeros(4);

            [Differentiable]
            public Tensor Loss([NoGrad] Tensor x, int[] labels)
            {
                Tensor hidden = Tensor.Relu(Tensor.MatMul(x - Mean, W1) + B1);
                Tensor logits = Tensor.MatMul(hidden, W2) + B2;
                return Tensor.CrossEntropy(logits, labels);
            }
        }
        """);

    [Fact]
    public void Static_tensor_function_in_every_mode() => Check("TensorFunction", """
        namespace Demo;

        public static partial class Layers
        {
            /// <summary>A recurrent cell: its tangent follows the hidden state through the loop, through each rule's pushforward; its Hessian-vector product runs reverse mode over that.</summary>
            [Differentiable(Hessian = true)]
            public static Tensor Cell(Tensor h0, Tensor w, [NoGrad] Tensor x, int steps)
            {
                Tensor h = h0;
                for (int t = 0; t < steps; t++)
                {
                    h = Tensor.Tanh(Tensor.MatMul(h, w) + x);
                }
                return Tensor.Sum(h * h);
            }
        }
        """);

    [Fact]
    public void Model_of_sub_models() => Check("ComposedModel", """
        namespace Demo;

        public sealed partial class Linear
        {
            public Tensor W = Tensor.Zeros(4, 4), B = Tensor.Zeros(4);

            [Differentiable]
            public Tensor Forward(Tensor x) => Tensor.MatMul(x, W) + B;
        }

        public sealed partial class Block
        {
            public Linear Inner = new(), Outer = new();
            public bool Training = true;

            [Differentiable]
            public Tensor Forward(Tensor x) => x + Outer.Forward(Tensor.Dropout(Tensor.Relu(Inner.Forward(x)), 0.1f, 7, Training));
        }

        public sealed partial class Net
        {
            public Block[] Blocks = { new(), new() };
            public System.Collections.Generic.List<Linear> Heads = new() { new() };
            public Tensor Scale = Tensor.Ones(4);

            [Differentiable]
            public Tensor Loss([NoGrad] Tensor x, int[] labels)
            {
                Tensor h = x * Scale;
                foreach (Block block in Blocks)
                {
                    h = block.Forward(h);
                }
                return Tensor.CrossEntropy(Heads[0].Forward(h), labels);
            }
        }
        """);

    [Fact]
    public void Model_with_scalar_parameters() => Check("ScalarModel", """
        namespace Demo;

        public sealed partial class Tempered
        {
            public Tensor W = Tensor.Zeros(3, 2);
            public float Temperature = 1.5f;
            public double Bias { get; set; } = 0.25;
            public readonly double Fixed = 2;
            public double Initial { get; init; } = 1;

            [Differentiable]
            public Tensor Loss([NoGrad] Tensor x, int[] labels) =>
                Tensor.CrossEntropy(Tensor.MatMul(x, W) * Temperature + (float)(Bias * Fixed * Initial), labels);
        }
        """);
}
