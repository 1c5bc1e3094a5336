using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Autodiff.Derivatives;
using Xunit;

namespace Autodiff.Gradients.Tests.Tensors;

/// <summary>
/// Abs, Pow, Clamp, Gelu, Softplus and Where against PyTorch (when installed; skipped otherwise): values and
/// gradients on random inputs, and at the points where conventions decide (0 for Abs, the bounds
/// for Clamp, the threshold for Softplus), in float64 on PyTorch's side.
/// </summary>
public class PyTorchPointwiseTests
{
    private const string Script = """
        import json, sys, torch
        import torch.nn.functional as F
        data = json.load(sys.stdin)
        out = {}
        for name, spec in data.items():
            x = torch.tensor(spec["x"], dtype=torch.float64, requires_grad=True)
            seed = torch.tensor(spec["seed"], dtype=torch.float64)
            y = {
                "abs": lambda: torch.abs(x),
                "pow": lambda: torch.pow(x, 1.7),
                "pow3": lambda: torch.pow(x, 3.0),
                "clamp": lambda: torch.clamp(x, -0.4, 0.5),
                "gelu": lambda: F.gelu(x),
                "softplus": lambda: F.softplus(x),
                "where": lambda: torch.where(x > 0.2, x, torch.tensor(-1.5, dtype=torch.float64)),
            }[name]()
            (y * seed).sum().backward()
            out[name] = {"y": y.tolist(), "dx": x.grad.tolist()}
        json.dump(out, sys.stdout)
        """;

    private static readonly (string Name, Func<Tensor, Tensor> Forward, Action<Tensor, Tensor, Tensor> Backward, float[] Kinks)[] Ops =
    [
        ("abs", Tensor.Abs, (x, s, d) => TensorDerivatives.AbsBackward(x, s, d), [0f]),
        ("pow", x => Tensor.Pow(x, 1.7f), (x, s, d) => { float e = 0; TensorDerivatives.PowBackward(x, 1.7f, Tensor.Pow(x, 1.7f), s, d, ref e); }, [1f]),
        ("pow3", x => Tensor.Pow(x, 3f), (x, s, d) => { float e = 0; TensorDerivatives.PowBackward(x, 3f, Tensor.Pow(x, 3f), s, d, ref e); }, [0f, -1f]),
        ("clamp", x => Tensor.Clamp(x, -0.4f, 0.5f), (x, s, d) => { float a = 0, b = 0; TensorDerivatives.ClampBackward(x, -0.4f, 0.5f, s, d, ref a, ref b); }, [-0.4f, 0.5f]),
        ("gelu", Tensor.Gelu, (x, s, d) => TensorDerivatives.GeluBackward(x, s, d), [0f, -5f, 5f]),
        ("softplus", x => Tensor.Softplus(x), (x, s, d) => { float t = 0; TensorDerivatives.SoftplusBackward(x, 20f, s, d, ref t); }, [0f, 20f, 25f, -30f]),
        ("where", x => Tensor.Where(Above(x, 0.2f), x, -1.5f), (x, s, d) => { float v = 0; TensorDerivatives.WhereValueBackward(Above(x, 0.2f), x, -1.5f, s, null, d, ref v); }, [0.2f]),
    ];

    /// <summary>The condition x &gt; threshold as a mask of ones and zeros.</summary>
    private static Tensor Above(Tensor x, float threshold) => Tensor.FromArray(x.ToArray().Select(v => v > threshold ? 1f : 0f).ToArray());

    [SkippableFact]
    public void Values_and_gradients_match_pytorch_including_at_the_kinks()
    {
        PyTorchPeer.SkipUnlessInstalled();
        var inputs = Ops.ToDictionary(op => op.Name, op =>
        {
            // pow with a non-integer exponent needs a positive base, as in PyTorch.
            float low = op.Name == "pow" ? 0.1f : -3f;
            float[] random = Tensor.RandomUniform(op.Name.Length, low, 3f, 20).ToArray();
            return random.Concat(op.Kinks).ToArray();
        });
        var seeds = inputs.ToDictionary(p => p.Key, p => Tensor.RandomUniform(91, -1f, 1f, p.Value.Length).ToArray());
        string request = JsonSerializer.Serialize(inputs.ToDictionary(p => p.Key, p => new { x = p.Value, seed = seeds[p.Key] }));
        string output = PyTorchPeer.RunScript("pointwise", Script, request);
        using JsonDocument torch = JsonDocument.Parse(output);

        foreach ((string name, Func<Tensor, Tensor> forward, Action<Tensor, Tensor, Tensor> backward, float[] _) in Ops)
        {
            Tensor x = Tensor.FromArray(inputs[name]);
            Tensor dx = Tensor.Zeros(x.Length);
            backward(x, Tensor.FromArray(seeds[name]), dx);
            float[] y = forward(x).ToArray(), gradient = dx.ToArray();
            JsonElement expected = torch.RootElement.GetProperty(name);
            double[] expectedY = expected.GetProperty("y").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            double[] expectedDx = expected.GetProperty("dx").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            for (int i = 0; i < x.Length; i++)
            {
                Assert.True(Math.Abs(expectedY[i] - y[i]) <= 1e-5 + 1e-5 * Math.Abs(expectedY[i]), $"{name}({x.ToArray()[i]}): PyTorch {expectedY[i]}, ours {y[i]}");
                Assert.True(Math.Abs(expectedDx[i] - gradient[i]) <= 1e-5 + 1e-4 * Math.Abs(expectedDx[i]), $"∂{name} at {x.ToArray()[i]}: PyTorch {expectedDx[i]}, ours {gradient[i]}");
            }
        }
    }
}
