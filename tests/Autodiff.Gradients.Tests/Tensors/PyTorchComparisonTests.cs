using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Autodiff.Optimizers;
using Xunit;

namespace Autodiff.Gradients.Tests.Tensors;

/// <summary>
/// The MLP's generated gradient against PyTorch's on the same weights and data, when a PyTorch
/// is installed (apt-get install -y python3-torch); skipped otherwise. Both run in float32, so the
/// tolerance (atol 1e-5, rtol 1e-4) only has to absorb different summation orders.
/// </summary>
public class PyTorchComparisonTests
{
    private const string Script = """
        import json, sys, torch
        import torch.nn.functional as F
        data = json.load(sys.stdin)
        t = lambda name: torch.tensor(data[name]["values"], dtype=torch.float32).reshape(data[name]["shape"])
        x = t("x")
        params = {name: t(name).requires_grad_() for name in ("W1", "B1", "W2", "B2")}
        hidden = torch.tanh(x @ params["W1"] + params["B1"])
        logits = hidden @ params["W2"] + params["B2"]
        loss = F.cross_entropy(logits, torch.tensor(data["labels"]))
        loss.backward()
        json.dump({"loss": loss.item(), **{n: p.grad.reshape(-1).tolist() for n, p in params.items()}}, sys.stdout)
        """;

    [SkippableFact]
    public void Mlp_gradient_matches_pytorch()
    {
        PyTorchPeer.SkipUnlessInstalled();
        var model = new Mlp(inputs: 6, hidden: 8, outputs: 4, seed: 21);
        Tensor x = Tensor.RandomNormal(22, 0f, 1f, 10, 6);
        int[] labels = Enumerable.Range(0, 10).Select(i => (i * 7) % 4).ToArray();
        var gradients = new Mlp.Gradients(model);
        float loss = model.LossGradient(x, labels, gradients).Item();

        object Encode(Tensor tensor) => new { shape = tensor.Shape.ToArray(), values = tensor.ToArray() };
        string input = JsonSerializer.Serialize(new
        {
            x = Encode(x), W1 = Encode(model.W1), B1 = Encode(model.B1), W2 = Encode(model.W2), B2 = Encode(model.B2), labels,
        });
        string output = PyTorchPeer.RunScript("mlp", Script, input);

        using JsonDocument torch = JsonDocument.Parse(output);
        Assert.Equal(torch.RootElement.GetProperty("loss").GetDouble(), loss, 5);
        foreach (ParameterGradient pair in gradients.Parameters)
        {
            double[] expected = torch.RootElement.GetProperty(pair.Name).EnumerateArray().Select(v => v.GetDouble()).ToArray();
            float[] actual = pair.Gradient.ToArray();
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 + 1e-4 * Math.Abs(expected[i]),
                    $"∂loss/∂{pair.Name}[{i}]: PyTorch {expected[i]}, generated {actual[i]}");
            }
        }
    }

    private const string AttentionScript = """
        import json, math, sys, torch
        import torch.nn.functional as F
        data = json.load(sys.stdin)
        t = lambda name: torch.tensor(data[name]["values"], dtype=torch.float64).reshape(data[name]["shape"]).requires_grad_()
        names = ("x", "gamma", "beta", "wq", "wk", "wv", "wo")
        p = {name: t(name) for name in names}
        x, heads = p["x"], data["heads"]
        b, T, C = x.shape
        d = C // heads
        h = F.layer_norm(x, (C,), p["gamma"], p["beta"], eps=1e-5)
        split = lambda w: (h @ w).reshape(b, T, heads, d).permute(0, 2, 1, 3)
        q, k, v = split(p["wq"]), split(p["wk"]), split(p["wv"])
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(d)
        scores = scores.masked_fill(torch.triu(torch.ones(T, T, dtype=torch.bool), 1), float("-inf"))
        y = (F.softmax(scores, dim=-1) @ v).permute(0, 2, 1, 3).reshape(b, T, C)
        out = F.gelu(y @ p["wo"]) + x
        loss = (out * out).sum()
        loss.backward()
        json.dump({"loss": loss.item(), **{n: p[n].grad.reshape(-1).tolist() for n in names}}, sys.stdout)
        """;

    /// <summary>
    /// The causal self-attention block (LayerNorm, batched MatMul, Permute, Transpose, the causal
    /// mask, softmax, GELU) through generated code, against PyTorch's autograd in float64.
    /// </summary>
    [SkippableFact]
    public void Causal_attention_gradient_matches_pytorch()
    {
        PyTorchPeer.SkipUnlessInstalled();
        Tensor x = Tensor.RandomNormal(31, 0f, 1f, 2, 5, 8);
        Tensor gamma = Tensor.RandomNormal(32, 1f, 0.2f, 8), beta = Tensor.RandomNormal(33, 0f, 0.2f, 8);
        Tensor wq = Tensor.RandomNormal(34, 0f, 0.4f, 8, 8), wk = Tensor.RandomNormal(35, 0f, 0.4f, 8, 8);
        Tensor wv = Tensor.RandomNormal(36, 0f, 0.4f, 8, 8), wo = Tensor.RandomNormal(37, 0f, 0.4f, 8, 8);
        float loss = Attention.LossGradient(x, gamma, beta, wq, wk, wv, wo, 2,
            out Tensor dX, out Tensor dGamma, out Tensor dBeta, out Tensor dWq, out Tensor dWk, out Tensor dWv, out Tensor dWo).Item();

        object Encode(Tensor tensor) => new { shape = tensor.Shape.ToArray(), values = tensor.ToArray() };
        string input = JsonSerializer.Serialize(new
        {
            x = Encode(x), gamma = Encode(gamma), beta = Encode(beta), wq = Encode(wq), wk = Encode(wk), wv = Encode(wv), wo = Encode(wo), heads = 2,
        });
        string output = PyTorchPeer.RunScript("attention", AttentionScript, input);

        using JsonDocument torch = JsonDocument.Parse(output);
        double expectedLoss = torch.RootElement.GetProperty("loss").GetDouble();
        Assert.True(Math.Abs(expectedLoss - loss) <= 1e-4 * Math.Abs(expectedLoss), $"loss: PyTorch {expectedLoss}, generated {loss}");
        foreach ((string name, Tensor gradient) in new[] { ("x", dX), ("gamma", dGamma), ("beta", dBeta), ("wq", dWq), ("wk", dWk), ("wv", dWv), ("wo", dWo) })
        {
            double[] expected = torch.RootElement.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();
            float[] actual = gradient.ToArray();
            Assert.Equal(expected.Length, actual.Length);
            double scale = expected.Max(Math.Abs);
            for (int i = 0; i < expected.Length; i++)
            {
                // float32 against float64: relative to the gradient's largest component.
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * scale + 1e-5, $"∂loss/∂{name}[{i}]: PyTorch {expected[i]}, generated {actual[i]}");
            }
        }
    }

    private const string ReductionsScript = """
        import json, sys, torch
        data = json.load(sys.stdin)
        x = torch.tensor(data["values"], dtype=torch.float64).reshape(data["shape"]).requires_grad_()
        m = x.max(dim=-1, keepdim=True).values
        lse = torch.log(torch.exp(x - m).sum(dim=-1, keepdim=True)) + m
        centred = x - x.mean(dim=0, keepdim=True)
        loss = (lse * lse).sum() + centred.max(dim=0).values.sum()
        loss.backward()
        json.dump({"loss": loss.item(), "dx": x.grad.reshape(-1).tolist()}, sys.stdout)
        """;

    /// <summary>Max, Sum and Mean along axes with keepdim, through generated code, against PyTorch's autograd in float64.</summary>
    [SkippableFact]
    public void Reductions_along_axes_match_pytorch()
    {
        PyTorchPeer.SkipUnlessInstalled();
        Tensor x = Tensor.RandomNormal(41, 0f, 1f, 5, 7);
        Autodiff.Gradients.Tests.Tensors.TensorFunctions.ReductionsGradient(x, out Tensor dX);
        float loss = Autodiff.Gradients.Tests.Tensors.TensorFunctions.Reductions(x).Item();
        string output = PyTorchPeer.RunScript("reductions", ReductionsScript, JsonSerializer.Serialize(new { shape = x.Shape.ToArray(), values = x.ToArray() }));
        using JsonDocument torch = JsonDocument.Parse(output);
        Assert.Equal(torch.RootElement.GetProperty("loss").GetDouble(), loss, 3);
        double[] expected = torch.RootElement.GetProperty("dx").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        float[] actual = dX.ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 + 1e-4 * Math.Abs(expected[i]), $"dx[{i}]: PyTorch {expected[i]}, generated {actual[i]}");
        }
    }

    private const string CnnScript = """
        import json, sys, torch
        import torch.nn.functional as F
        data = json.load(sys.stdin)
        t = lambda name, grad=True: torch.tensor(data[name]["values"], dtype=torch.float64).reshape(data[name]["shape"]).requires_grad_(grad)
        names = ("w1", "b1", "w2", "b2", "w3", "b3")
        p = {n: t(n) for n in names}
        h = F.max_pool2d(F.relu(F.conv2d(t("images", False), p["w1"], p["b1"], padding=1)), 2)
        h = F.avg_pool2d(F.relu(F.conv2d(h, p["w2"], p["b2"], padding=1)), 2)
        logits = h.reshape(h.shape[0], -1) @ p["w3"] + p["b3"]
        loss = F.cross_entropy(logits, torch.tensor(data["labels"]))
        loss.backward()
        json.dump({"loss": loss.item(), **{n: p[n].grad.reshape(-1).tolist() for n in names}}, sys.stdout)
        """;

    /// <summary>Conv2d (bias, padding), MaxPool2d and AvgPool2d through generated code, against PyTorch's autograd in float64.</summary>
    [SkippableFact]
    public void Small_cnn_gradient_matches_pytorch()
    {
        PyTorchPeer.SkipUnlessInstalled();
        Tensor images = Tensor.RandomNormal(61, 0f, 1f, 4, 1, 8, 8);
        int[] labels = [3, 0, 2, 1];
        Tensor w1 = Tensor.RandomNormal(62, 0f, 0.5f, 4, 1, 3, 3), b1 = Tensor.RandomNormal(63, 0f, 0.1f, 4);
        Tensor w2 = Tensor.RandomNormal(64, 0f, 0.3f, 6, 4, 3, 3), b2 = Tensor.RandomNormal(65, 0f, 0.1f, 6);
        Tensor w3 = Tensor.RandomNormal(66, 0f, 0.3f, 24, 4), b3 = Tensor.RandomNormal(67, 0f, 0.1f, 4);
        float loss = SmallCnn.LossGradient(images, labels, w1, b1, w2, b2, w3, b3,
            out Tensor dW1, out Tensor dB1, out Tensor dW2, out Tensor dB2, out Tensor dW3, out Tensor dB3).Item();
        object Encode(Tensor tensor) => new { shape = tensor.Shape.ToArray(), values = tensor.ToArray() };
        string input = JsonSerializer.Serialize(new
        {
            images = Encode(images), labels, w1 = Encode(w1), b1 = Encode(b1), w2 = Encode(w2), b2 = Encode(b2), w3 = Encode(w3), b3 = Encode(b3),
        });
        string output = PyTorchPeer.RunScript("cnn", CnnScript, input);
        using JsonDocument torch = JsonDocument.Parse(output);
        Assert.Equal(torch.RootElement.GetProperty("loss").GetDouble(), loss, 5);
        foreach ((string name, Tensor gradient) in new[] { ("w1", dW1), ("b1", dB1), ("w2", dW2), ("b2", dB2), ("w3", dW3), ("b3", dB3) })
        {
            double[] expected = torch.RootElement.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();
            float[] actual = gradient.ToArray();
            double scale = expected.Max(Math.Abs);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * scale + 1e-6, $"∂loss/∂{name}[{i}]: PyTorch {expected[i]}, generated {actual[i]}");
            }
        }
    }
}
