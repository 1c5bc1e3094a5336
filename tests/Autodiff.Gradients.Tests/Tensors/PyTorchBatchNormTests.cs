using System;
using System.Linq;
using System.Text.Json;
using Autodiff.Derivatives;
using Xunit;

namespace Autodiff.Gradients.Tests.Tensors;

/// <summary>BatchNorm against PyTorch's F.batch_norm (when installed): values, gradients and the moved running statistics, in training and evaluation.</summary>
public class PyTorchBatchNormTests
{
    private const string Script = """
        import json, sys, torch
        import torch.nn.functional as F
        data = json.load(sys.stdin)
        out = {}
        for training in (True, False):
            t = lambda k: torch.tensor(data[k], dtype=torch.float64)
            x = t("x").reshape(4, 3, 2, 2).requires_grad_()
            gamma, beta = t("gamma").requires_grad_(), t("beta").requires_grad_()
            mean, variance = t("mean"), t("variance")
            y = F.batch_norm(x, mean, variance, gamma, beta, training=training, momentum=0.1, eps=1e-5)
            (y * t("seed").reshape(4, 3, 2, 2)).sum().backward()
            out[str(training)] = {"y": y.flatten().tolist(), "dx": x.grad.flatten().tolist(), "dgamma": gamma.grad.tolist(),
                                  "dbeta": beta.grad.tolist(), "mean": mean.tolist(), "variance": variance.tolist()}
        json.dump(out, sys.stdout)
        """;

    [SkippableFact]
    public void Values_gradients_and_running_statistics_match_pytorch()
    {
        PyTorchPeer.SkipUnlessInstalled();
        float[] x = Tensor.RandomNormal(1, 0.5f, 2f, 48).ToArray(), seed = Tensor.RandomUniform(2, -1f, 1f, 48).ToArray();
        float[] gamma = Tensor.RandomNormal(3, 1f, 0.3f, 3).ToArray(), beta = Tensor.RandomNormal(4, 0f, 0.3f, 3).ToArray();
        float[] mean = [0.2f, -0.1f, 0.4f], variance = [1.5f, 0.7f, 2f];
        string request = JsonSerializer.Serialize(new { x, seed, gamma, beta, mean, variance });
        using JsonDocument torch = JsonDocument.Parse(PyTorchPeer.RunScript("batchnorm", Script, request));

        foreach (bool training in new[] { true, false })
        {
            JsonElement expected = torch.RootElement.GetProperty(training ? "True" : "False");
            Tensor input = Tensor.FromArray(x).Reshape(4, 3, 2, 2), g = Tensor.FromArray(gamma), b = Tensor.FromArray(beta);
            Tensor runningMean = Tensor.FromArray(mean), runningVariance = Tensor.FromArray(variance);
            Tensor statisticsMean = runningMean.Clone(), statisticsVariance = runningVariance.Clone();
            Tensor y = Tensor.BatchNorm(input, g, b, runningMean, runningVariance, training);
            Tensor dx = Tensor.Zeros(4, 3, 2, 2), dGamma = Tensor.Zeros(3), dBeta = Tensor.Zeros(3);
            float dMomentum = 0, dEpsilon = 0;
            TensorDerivatives.BatchNormBackward(input, g, b, statisticsMean, statisticsVariance, training, 0.1f, 1e-5f,
                Tensor.FromArray(seed).Reshape(4, 3, 2, 2), dx, dGamma, dBeta, null, null, ref dMomentum, ref dEpsilon);
            Close(expected, "y", y, training);
            Close(expected, "dx", dx, training);
            Close(expected, "dgamma", dGamma, training);
            Close(expected, "dbeta", dBeta, training);
            Close(expected, "mean", runningMean, training);
            Close(expected, "variance", runningVariance, training);
        }
    }

    private static void Close(JsonElement expected, string name, Tensor actual, bool training)
    {
        double[] values = expected.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();
        float[] ours = actual.ToArray();
        Assert.Equal(values.Length, ours.Length);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.True(Math.Abs(values[i] - ours[i]) <= 1e-4 + 1e-4 * Math.Abs(values[i]),
                $"{name}[{i}] ({(training ? "training" : "evaluation")}): PyTorch {values[i]}, ours {ours[i]}");
        }
    }
}
