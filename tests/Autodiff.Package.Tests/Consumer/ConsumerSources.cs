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

    /// <summary>The other modes, from the package alone: a Jacobian of an array result and, project-wide, Hessian-vector products through a call.</summary>
    public const string Modes = """
        using Autodiff;

        double[] z = { 1.0, 2.0, 0.5 };
        double[] p = Classifier.Softmax(z);
        Classifier.SoftmaxJacobian(z, out double[,] j);
        Console.WriteLine(Math.Abs(j[0, 1] + p[0] * p[1]) < 1e-12 ? "jacobian agrees" : $"jacobian DISAGREES: {j[0, 1]}");
        // The Hessian of log-sum-exp is diag(p) - p pᵀ; Loss calls LogSumExp.
        Classifier.LossHessian(z, 1, out double[,] h);
        Classifier.LossHessianVector(z, 1, new[] { 1.0, 0, 0 }, out double[] column);
        bool agrees = Math.Abs(h[0, 0] - p[0] * (1 - p[0])) < 1e-12 && Math.Abs(h[1, 0] + p[0] * p[1]) < 1e-12 && Math.Abs(column[2] + p[0] * p[2]) < 1e-12;
        Console.WriteLine(agrees ? "hessian agrees" : $"hessian DISAGREES: {h[0, 0]}, {h[1, 0]}, {column[2]}");
        // Tensors: Σ tanh(w) has tangent Σ (1 − tanh² w)·dw and a diagonal Hessian −2 tanh w (1 − tanh² w).
        float[] wValues = { 0.3f, -0.8f, 1.1f }, dwValues = { 1f, 0.5f, -2f };
        var (total, slope) = Curves.SumTanhTangent(Tensor.FromArray(wValues), Tensor.FromArray(dwValues));
        Curves.SumTanhHessianVector(Tensor.FromArray(wValues), Tensor.FromArray(dwValues), out Tensor curvature);
        bool tensorsAgree = true;
        double expectedSlope = 0;
        for (int i = 0; i < 3; i++)
        {
            double t = Math.Tanh(wValues[i]);
            expectedSlope += (1 - t * t) * dwValues[i];
            tensorsAgree &= Math.Abs(curvature[i] - (-2 * t * (1 - t * t) * dwValues[i])) < 1e-5;
        }
        tensorsAgree &= Math.Abs(slope.Item() - expectedSlope) < 1e-5;
        Console.WriteLine(tensorsAgree ? "tensor modes agree" : $"tensor modes DISAGREE: {slope.Item()} against {expectedSlope}");
        // Models: a layer's Jacobian with respect to its input, (1 − y²ᵢ)·W[j, i]; a stack of layers' Hessian-vector
        // products with respect to every parameter, symmetric (⟨v, H·u⟩ = ⟨u, H·v⟩) and against differences of the gradient.
        var layer = new Layer(1);
        Tensor input = Tensor.FromArray(new[] { 0.4f, -0.7f }).Reshape(1, 2);
        Tensor output = layer.ForwardJacobian(input, out Tensor jacobian);
        bool layerAgrees = true;
        for (int row = 0; row < 2; row++)
            for (int col = 0; col < 2; col++)
                layerAgrees &= Math.Abs(jacobian.Span[row * 2 + col] - (1 - output.Span[row] * output.Span[row]) * layer.W.Span[col * 2 + row]) < 1e-5;
        var net = new Stack();
        Stack.Gradients u = Direction(net, 5), v = Direction(net, 6), hu = new(net), hv = new(net);
        net.LossHessianVector(input, u, hu);
        net.LossHessianVector(input, v, hv);
        double vHu = Dot(v, hu), uHv = Dot(u, hv);
        const float step = 1e-3f;
        Stack.Gradients plus = GradientAlong(net, u, input, step), minus = GradientAlong(net, u, input, -step);
        double worst = 0;
        for (int leaf = 0; leaf < hu.Parameters.Count; leaf++)
            for (int i = 0; i < hu.Parameters[leaf].Gradient.Length; i++)
                worst = Math.Max(worst, Math.Abs((plus.Parameters[leaf].Gradient.Span[i] - minus.Parameters[leaf].Gradient.Span[i]) / (2 * step) - hu.Parameters[leaf].Gradient.Span[i]));
        bool modelsAgree = layerAgrees && Math.Abs(vHu - uHv) < 1e-4 * (1 + Math.Abs(vHu)) && worst < 2e-2 && Math.Abs(vHu) > 1e-3;
        Console.WriteLine(modelsAgree ? "model modes agree" : $"model modes DISAGREE: jacobian {layerAgrees}, ⟨v, Hu⟩ {vHu} against {uHv}, differences off by {worst}");

        static Stack.Gradients Direction(Stack net, int seed)
        {
            var direction = new Stack.Gradients(net);
            foreach (var parameter in direction.Parameters) parameter.Gradient.CopyFrom(Tensor.RandomUniform(seed++, -1f, 1f, parameter.Gradient.Shape));
            return direction;
        }

        static double Dot(Stack.Gradients a, Stack.Gradients b)
        {
            double sum = 0;
            for (int leaf = 0; leaf < a.Parameters.Count; leaf++)
                for (int i = 0; i < a.Parameters[leaf].Gradient.Length; i++) sum += a.Parameters[leaf].Gradient.Span[i] * (double)b.Parameters[leaf].Gradient.Span[i];
            return sum;
        }

        static Stack.Gradients GradientAlong(Stack net, Stack.Gradients direction, Tensor input, float step)
        {
            var gradients = new Stack.Gradients(net);
            var saved = new Stack.Gradients(net);
            for (int leaf = 0; leaf < gradients.Parameters.Count; leaf++)
            {
                saved.Parameters[leaf].Gradient.CopyFrom(gradients.Parameters[leaf].Parameter);
                gradients.Parameters[leaf].Parameter.CopyFrom(gradients.Parameters[leaf].Parameter + step * direction.Parameters[leaf].Gradient);
            }
            net.LossGradient(input, gradients);
            for (int leaf = 0; leaf < gradients.Parameters.Count; leaf++) gradients.Parameters[leaf].Parameter.CopyFrom(saved.Parameters[leaf].Gradient);
            return gradients;
        }

        public sealed partial class Layer
        {
            public Tensor W;
            public Layer(int seed) => W = Tensor.RandomNormal(seed, 0f, 0.8f, 2, 2);
            [Differentiable(Hessian = true)] public Tensor Forward(Tensor x) => Tensor.Tanh(Tensor.MatMul(x, W));
        }

        public sealed partial class Stack
        {
            public Layer[] Layers = { new Layer(2), new Layer(3) };
            [Differentiable(Hessian = true)]
            public Tensor Loss([NoGrad] Tensor x)
            {
                Tensor h = x;
                foreach (Layer layer in Layers) h = layer.Forward(h);
                return Tensor.Sum(h * h);
            }
        }

        public static partial class Curves
        {
            [Differentiable] public static Tensor SumTanh(Tensor w) => Tensor.Sum(Tensor.Tanh(w));
        }

        public static partial class Classifier
        {
            [Differentiable]
            public static double[] Softmax(double[] z)
            {
                var e = new double[z.Length];
                double s = 0;
                for (int i = 0; i < z.Length; i++) { e[i] = Math.Exp(z[i]); s += e[i]; }
                for (int i = 0; i < z.Length; i++) e[i] /= s;
                return e;
            }

            [Differentiable]
            public static double LogSumExp(double[] z)
            {
                double s = 0;
                for (int i = 0; i < z.Length; i++) s += Math.Exp(z[i]);
                return Math.Log(s);
            }

            [Differentiable]
            public static double Loss(double[] z, int label) => LogSumExp(z) - z[label];
        }
        """;
}
