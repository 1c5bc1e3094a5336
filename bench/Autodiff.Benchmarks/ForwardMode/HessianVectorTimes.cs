using System;
using System.Globalization;
using System.Linq;
using Autodiff.Benchmarks.ADBench;

namespace Autodiff.Benchmarks.ForwardMode;

/// <summary>
/// <c>hvp</c>: Hessian-vector products (FHessianVector, reverse over forward mode) against the
/// gradient and the function; medians of interleaved runs, as <c>adbench</c> measures. The floor of
/// issue 9 is an HVP at most 5x the gradient.
/// </summary>
public static class HessianVectorTimes
{
    public const string Command = "hvp";

    public static int Run(ReadOnlySpan<string> args)
    {
        int runs = args.Length >= 2 && args[0] == "--runs" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 11;
        var random = new Random(42);
        double[] Vector(int n) => Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        Console.WriteLine($"# .NET {Environment.Version}, {Environment.ProcessorCount} cores; {runs} runs per case");
        Console.WriteLine();
        Console.WriteLine("| function | F | FGradient | FHessianVector | gradient / F | HVP / gradient | HVP / F | allocated per HVP | uᵀ(H·u) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");

        double[] x = Vector(1000), u = Vector(1000);
        Row("Rosenbrock, n = 1,000", () => SecondOrderFunctions.Rosenbrock(x),
            () => SecondOrderFunctions.RosenbrockGradient(x, out _),
            () => { SecondOrderFunctions.RosenbrockHessianVector(x, u, out double[] hu); return Dot(u, hu); }, runs);

        const int samples = 200, features = 20;
        double[] w = Vector(features), data = Vector(samples * features), labels = Vector(samples).Select(v => v > 0 ? 1.0 : -1.0).ToArray(), uw = Vector(features);
        Row("logistic loss, 200 × 20", () => SecondOrderFunctions.LogisticLoss(w, data, labels),
            () => SecondOrderFunctions.LogisticLossGradient(w, data, labels, out _),
            () => { SecondOrderFunctions.LogisticLossHessianVector(w, data, labels, uw, out double[] hw); return Dot(uw, hw); }, runs);

        double[] chain = Vector(1000).Select(v => 0.1 * v).ToArray(), uc = Vector(1000);
        Row("spring chain, n = 1,000", () => SecondOrderFunctions.ChainEnergy(chain, 1.5),
            () => SecondOrderFunctions.ChainEnergyGradient(chain, 1.5, out _, out _),
            () => { SecondOrderFunctions.ChainEnergyHessianVector(chain, 1.5, uc, 0.0, out double[] hc, out _); return Dot(uc, hc); }, runs);

        Tensor batch = Tensor.RandomNormal(1, 0f, 1f, 64, 32), w1 = Tensor.RandomNormal(2, 0f, 0.2f, 32, 64), w2 = Tensor.RandomNormal(3, 0f, 0.2f, 64, 10);
        Tensor u1 = Tensor.RandomNormal(4, 0f, 1f, 32, 64), u2 = Tensor.RandomNormal(5, 0f, 1f, 64, 10);
        int[] classes = Enumerable.Range(0, 64).Select(i => i % 10).ToArray();
        Row("MLP loss (tensors), 64 × 32 → 64 → 10", () => SecondOrderFunctions.MlpLoss(batch, w1, w2, classes).Item(),
            () => SecondOrderFunctions.MlpLossGradient(batch, w1, w2, classes, out _, out _).Item(),
            () =>
            {
                SecondOrderFunctions.MlpLossHessianVector(batch, w1, w2, classes, u1, u2, out Tensor h1, out Tensor h2);
                return Dot(u1, h1) + Dot(u2, h2);
            }, runs);

        var net = new LayeredNet(inputs: 32, width: 64, depth: 3, classes: 10, seed: 6);
        var gradients = new LayeredNet.Gradients(net);
        var direction = new LayeredNet.Gradients(net);
        int seed = 7;
        foreach (Optimizers.ParameterGradient leaf in direction.Parameters)
        {
            leaf.Gradient.CopyFrom(Tensor.RandomNormal(seed++, 0f, 1f, leaf.Gradient.Shape));
        }
        var product = new LayeredNet.Gradients(net);
        Row("the same MLP's loss with 3 tanh layers as sub-models, 64 × 32 → 64 → 64 → 64 → 10", () => net.Loss(batch, classes).Item(),
            () => net.LossGradient(batch, classes, gradients).Item(),
            () =>
            {
                product.Zero();
                net.LossHessianVector(batch, classes, direction, product);
                return direction.Parameters.Zip(product.Parameters, (d, h) => Dot(d.Gradient, h.Gradient)).Sum();
            }, runs);
        return 0;
    }

    private static double Dot(Tensor a, Tensor b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += (double)a.Span[i] * b.Span[i];
        }
        return s;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void Row(string name, Func<double> f, Func<double> gradient, Func<double> hvp, int runs)
    {
        ADBenchTimes.Measured m = ADBenchTimes.Measure([f, gradient, hvp], runs);
        Console.WriteLine($"| {name} | {Us(m.Median[0])} µs | {Us(m.Median[1])} µs | {Us(m.Median[2])} µs | {m.Median[1] / m.Median[0]:F2}x | {m.Median[2] / m.Median[1]:F2}x | {m.Median[2] / m.Median[0]:F2}x | {m.Allocated[2]} B | {hvp().ToString("G6", CultureInfo.InvariantCulture)} |");
    }

    private static string Us(double seconds) => (seconds * 1e6).ToString(seconds * 1e6 >= 100 ? "F0" : "F2", CultureInfo.InvariantCulture);
}
