using System;
using System.Collections.Generic;
using System.Globalization;
using Autodiff.Benchmarks.ADBench;
using Autodiff.Derivatives;
using Autodiff.Kernels;
using Autodiff.Optimizers;
using DigitsCnn;

namespace Autodiff.Benchmarks.Cnn;

/// <summary>
/// <c>cnn-step [threads] [--cpu-time] [step [blocks]]</c>: the DigitsCnn sample's training step (zero the gradients, LossGradient,
/// AdamW) on one fixed batch of 32 images, as bench/peers/digits_cnn_torch.py times PyTorch's, then
/// each operation of its forward and backward pass alone at the sample's shapes, to see where the
/// step's time goes. Medians of blocks of calls; bytes allocated per step over the timed blocks.
/// <c>--cpu-time</c> times the calling thread's CPU time (use it with one thread on a loaded machine:
/// it leaves out the waits for a core, and with two threads it would leave out the worker's share).
/// </summary>
public static class CnnStepTimes
{
    public const string Command = "cnn-step";

    private const int Batch = 32;
    private const int Channels1 = 32;
    private const int Channels2 = 64;

    public static int Run(ReadOnlySpan<string> args)
    {
        bool stepOnly = false;
        int stepBlocks = 41;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--cpu-time")
            {
                ThreadCpuTime.Enabled = true;
            }
            else if (args[i] == "step")
            {
                // The whole step only, for as many blocks of 50 steps as given (for perf).
                stepOnly = true;
                if (i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int blocks))
                {
                    stepBlocks = blocks;
                    i++;
                }
            }
            else
            {
                Gemm.MaxThreads = int.Parse(args[i], CultureInfo.InvariantCulture);
            }
        }
        Console.WriteLine($"# Vector512 accelerated: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}");
        Console.WriteLine($"# DigitsCnn training step, batch {Batch}, gemm threads {Gemm.MaxThreads}, {(ThreadCpuTime.Enabled ? "calling thread's CPU time" : "wall time")}, load average {LoadAverage()}");
        TimeStep(stepBlocks);
        if (!stepOnly)
        {
            TimeParts();
            ConvolutionPartTimes.Run(body => Time(body, blocks: 31, perBlock: 40, warmUp: 200));
        }
        return 0;
    }

    private static void TimeStep(int stepBlocks)
    {
        var model = new DigitCnn(Channels1, Channels2, seed: 20240);
        var gradients = new DigitCnn.Gradients(model);
        var optimizer = new AdamW(2e-3f, weightDecay: 1e-4f);
        Tensor x = Tensor.RandomNormal(1, 0f, 1f, Batch, 64);
        int[] labels = new int[Batch];
        for (int i = 0; i < Batch; i++)
        {
            labels[i] = (i * 7) % DigitCnn.Classes;
        }
        IReadOnlyList<ParameterGradient> parameters = gradients.Parameters;
        void Step()
        {
            gradients.Zero();
            model.LossGradient(x, labels, gradients);
            optimizer.Step(parameters);
        }
        (double median, double best, double bytes) = Time(Step, blocks: stepBlocks, perBlock: 50, warmUp: 500);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"step (zero, LossGradient, AdamW)",-44} median {median,9:F1} us   best {best,9:F1} us   {bytes:F1} bytes/step"));
    }

    /// <summary>Each operation of the step alone, in the order the step runs them.</summary>
    private static void TimeParts()
    {
        var model = new DigitCnn(Channels1, Channels2, seed: 20240);
        var gradients = new DigitCnn.Gradients(model);
        Tensor images = Tensor.RandomNormal(1, 0f, 1f, Batch, 1, 8, 8);
        int[] labels = new int[Batch];
        for (int i = 0; i < Batch; i++)
        {
            labels[i] = (i * 7) % DigitCnn.Classes;
        }
        // The forward values, computed once outside any workspace so that they stay valid.
        Tensor conv1 = Tensor.Conv2d(images, model.W1, model.B1, padding: 1);
        Tensor relu1 = Tensor.Relu(conv1);
        Tensor pool1 = Tensor.MaxPool2d(relu1, 2);
        Tensor conv2 = Tensor.Conv2d(pool1, model.W2, model.B2, padding: 1);
        Tensor relu2 = Tensor.Relu(conv2);
        Tensor pool2 = Tensor.MaxPool2d(relu2, 2);
        Tensor flat = pool2.Reshape(Batch, -1);
        Tensor product = Tensor.MatMul(flat, model.W3);
        Tensor logits = product + model.B3;
        Tensor loss = Tensor.CrossEntropy(logits, labels);
        // Seeds and accumulators of the backward pass.
        Tensor one = Tensor.Full(1f, loss.Shape);
        Tensor dLogits = Tensor.ZerosLike(logits), dProduct = Tensor.ZerosLike(product), dFlat = Tensor.ZerosLike(flat);
        Tensor dPool2 = Tensor.RandomNormal(2, 0f, 1e-3f, pool2.Shape.ToArray()), dRelu2 = Tensor.ZerosLike(relu2), dConv2 = Tensor.RandomNormal(3, 0f, 1e-3f, conv2.Shape.ToArray());
        Tensor dPool1 = Tensor.ZerosLike(pool1), dRelu1 = Tensor.ZerosLike(relu1), dConv1 = Tensor.RandomNormal(4, 0f, 1e-3f, conv1.Shape.ToArray());
        Tensor dPool2Seed = Tensor.RandomNormal(5, 0f, 1e-3f, pool2.Shape.ToArray()), dPool1Seed = Tensor.RandomNormal(6, 0f, 1e-3f, pool1.Shape.ToArray());
        var optimizer = new AdamW(2e-3f, weightDecay: 1e-4f);
        IReadOnlyList<ParameterGradient> parameters = gradients.Parameters;
        optimizer.Step(parameters);

        var parts = new (string Name, Action Body)[]
        {
            ("gradients.Zero()", gradients.Zero),
            ("fwd conv1 [32,1,8,8] * [32,1,3,3] + bias", () => Tensor.Conv2d(images, model.W1, model.B1, padding: 1)),
            ("fwd relu1 [32,32,8,8]", () => Tensor.Relu(conv1)),
            ("fwd maxpool1 -> [32,32,4,4]", () => Tensor.MaxPool2d(relu1, 2)),
            ("fwd conv2 [32,32,4,4] * [64,32,3,3] + bias", () => Tensor.Conv2d(pool1, model.W2, model.B2, padding: 1)),
            ("fwd relu2 [32,64,4,4]", () => Tensor.Relu(conv2)),
            ("fwd maxpool2 -> [32,64,2,2]", () => Tensor.MaxPool2d(relu2, 2)),
            ("fwd matmul [32,256]x[256,10]", () => Tensor.MatMul(flat, model.W3)),
            ("fwd + bias3", () => _ = product + model.B3),
            ("fwd cross-entropy", () => Tensor.CrossEntropy(logits, labels)),
            ("zeros like conv1 output (a zero-filled adjoint)", () => Tensor.ZerosLike(conv1)),
            ("bwd cross-entropy", () => TensorDerivatives.CrossEntropyBackward(logits, labels, one, dLogits)),
            ("bwd + bias3", () => TensorDerivatives.AddBackward(product, model.B3, dLogits, dProduct, gradients.B3)),
            ("bwd matmul", () => TensorDerivatives.MatMulBackward(flat, model.W3, dProduct, dFlat, gradients.W3)),
            ("bwd maxpool2", () => TensorDerivatives.MaxPool2dBackward(relu2, 2, 0, dPool2Seed, dRelu2)),
            ("bwd relu2", () => TensorDerivatives.ReluBackward(conv2, dRelu2, dConv2)),
            ("bwd conv2 (dInput, dW, dB)", () => TensorDerivatives.Conv2dBackward(pool1, model.W2, model.B2, 1, 1, dConv2, dPool1, gradients.W2, gradients.B2)),
            ("bwd conv2 dW, dB only", () => TensorDerivatives.Conv2dBackward(pool1, model.W2, model.B2, 1, 1, dConv2, null, gradients.W2, gradients.B2)),
            ("bwd maxpool1", () => TensorDerivatives.MaxPool2dBackward(relu1, 2, 0, dPool1Seed, dRelu1)),
            ("bwd relu1", () => TensorDerivatives.ReluBackward(conv1, dRelu1, dConv1)),
            ("bwd conv1 (dW, dB)", () => TensorDerivatives.Conv2dBackward(images, model.W1, model.B1, 1, 1, dConv1, null, gradients.W1, gradients.B1)),
            ("AdamW step", () => optimizer.Step(parameters)),
        };
        var workspace = new TensorWorkspace();
        foreach ((string name, Action body) in parts)
        {
            void InScope()
            {
                using TensorWorkspace.Scope scope = workspace.Enter();
                body();
            }
            (double median, double best, double bytes) = Time(InScope, blocks: 31, perBlock: 40, warmUp: 200);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-44} median {median,9:F1} us   best {best,9:F1} us   {bytes:F1} bytes/call"));
            workspace.Clear();
        }
    }

    /// <summary>Median and best time per call over <paramref name="blocks"/> blocks of <paramref name="perBlock"/> calls, and bytes allocated per call.</summary>
    private static (double Median, double Best, double Bytes) Time(Action body, int blocks, int perBlock, int warmUp)
    {
        for (int i = 0; i < warmUp; i++)
        {
            body();
        }
        var perCall = new double[blocks];
        long bytes = GC.GetTotalAllocatedBytes(precise: true);
        for (int b = 0; b < blocks; b++)
        {
            long start = ThreadCpuTime.Now();
            for (int i = 0; i < perBlock; i++)
            {
                body();
            }
            perCall[b] = ThreadCpuTime.SecondsSince(start) * 1e6 / perBlock;
        }
        bytes = GC.GetTotalAllocatedBytes(precise: true) - bytes;
        Array.Sort(perCall);
        return (perCall[blocks / 2], perCall[0], bytes / (double)(blocks * perBlock));
    }

    private static string LoadAverage()
    {
        try
        {
            return System.IO.File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (System.IO.IOException)
        {
            return "unknown";
        }
    }
}
