namespace Autodiff.Package.Tests.Consumer;

/// <summary>The programs the consumer projects are made of, as a new user would write them.</summary>
internal static class ConsumerSources
{
    public const string Program = """
        using Autodiff;
        using Autodiff.Optimizers;

        // The seed example, with its gradient checked against central differences.
        double L = Seed.LossGradient(2, 3, 4, 5, 6, out double da, out double dw1, out double dw2, out double dw3, out double dw4);
        Console.WriteLine($"seed: L = {L}, dL/da = {da}");
        double[] w = { 2, 3, 4, 5, 6 };
        double[] analytic = { da, dw1, dw2, dw3, dw4 };
        double worst = 0;
        for (int i = 0; i < w.Length; i++)
        {
            double[] up = (double[])w.Clone(), down = (double[])w.Clone();
            up[i] += 1e-6;
            down[i] -= 1e-6;
            double numeric = (Seed.Loss(up[0], up[1], up[2], up[3], up[4]) - Seed.Loss(down[0], down[1], down[2], down[3], down[4])) / 2e-6;
            worst = Math.Max(worst, Math.Abs(numeric - analytic[i]));
        }
        Console.WriteLine(worst < 1e-5 ? "finite differences agree" : $"finite differences DISAGREE by {worst}");

        // A small tensor model: linear regression on y = 2x - 1, trained with Adam.
        var x = Tensor.FromArray(new float[] { -1, 0, 1, 2, 3, 4 }, 6, 1);
        var y = Tensor.FromArray(new float[] { -3, -1, 1, 3, 5, 7 }, 6, 1);
        var model = new Line { W = Tensor.Zeros(1, 1), B = Tensor.Zeros(1) };
        var gradients = new Line.Gradients(model);
        var optimizer = new Adam(0.1f);
        float first = 0, last = 0;
        for (int step = 0; step < 200; step++)
        {
            gradients.Zero();
            last = model.LossGradient(x, y, gradients).Item();
            if (step == 0) first = last;
            optimizer.Step(gradients.Parameters);
        }
        Console.WriteLine(last < first / 100 ? $"tensor model: loss fell from {first} to {last}" : $"tensor model: loss stuck at {last}");

        // The package's gradient checker, on both.
        GradCheckResult scalar = GradCheck.Gradient(p => Seed.Loss(p[0], p[1], p[2], p[3], p[4]),
            p => { Seed.LossGradient(p[0], p[1], p[2], p[3], p[4], out double a0, out double a1, out double a2, out double a3, out double a4); return new[] { a0, a1, a2, a3, a4 }; },
            new double[] { 2, 3, 4, 5, 6 });
        GradCheckResult tensor = GradCheck.Model(gradients.Parameters, () => model.Loss(x, y).Item(), () => model.LossGradient(x, y, gradients));
        Console.WriteLine($"gradcheck: seed {(scalar.Passed ? "passed" : "FAILED")}, model {(tensor.Passed ? "passed" : "FAILED")}");
        """;

    public const string Models = """
        using Autodiff;

        public static partial class Seed
        {
            [Differentiable]
            public static double Loss(double a, double w1, double w2, double w3, double w4)
            {
                double b = w1 * a;
                double c = w2 * a;
                double d = w3 * b + w4 * c;
                return 10 - d;
            }
        }

        public sealed partial class Line
        {
            public Tensor W = Tensor.Zeros(1, 1);
            public Tensor B = Tensor.Zeros(1);

            [Differentiable]
            public Tensor Loss([NoGrad] Tensor x, [NoGrad] Tensor y) => Tensor.MseLoss(Tensor.MatMul(x, W) + B, y);
        }
        """;

    public const string Broken = """
        using Autodiff;

        System.Console.WriteLine(NotPartial.F(1));
        System.Console.WriteLine(Opaque.G(1));

        public static class NotPartial
        {
            [Differentiable] public static double F(double x) => x * x;
        }

        public static partial class Opaque
        {
            public static double Helper(double x) => x;
            [Differentiable] public static double G(double x) => Helper(x);
        }
        """;
}
