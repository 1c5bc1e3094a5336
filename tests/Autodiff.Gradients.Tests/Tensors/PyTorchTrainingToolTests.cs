using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Autodiff.Optimizers;
using Xunit;

namespace Autodiff.Gradients.Tests.Tensors;

/// <summary>
/// AdamW steps with gradient clipping and a cosine schedule, side by side with torch.optim.AdamW,
/// clip_grad_norm_ and the same schedule in PyTorch (when installed; skipped otherwise).
/// </summary>
public class PyTorchTrainingToolTests
{
    private const string Script = """
        import json, math, sys, torch
        data = json.load(sys.stdin)
        params = [torch.tensor(p, dtype=torch.float32, requires_grad=True) for p in data["params"]]
        opt = torch.optim.AdamW(params, lr=data["lr"], weight_decay=data["decay"])
        def lr_at(it, base=data["lr"], warmup=2, decay=8, low=data["lr"] / 10):
            if it < warmup: return base * (it + 1) / (warmup + 1)
            if it > decay: return low
            r = (it - warmup) / (decay - warmup)
            return low + 0.5 * (1 + math.cos(math.pi * r)) * (base - low)
        norms = []
        for step, grads in enumerate(data["grads"]):
            for g in opt.param_groups: g["lr"] = lr_at(step)
            for p, g in zip(params, grads): p.grad = torch.tensor(g, dtype=torch.float32)
            norms.append(torch.nn.utils.clip_grad_norm_(params, data["max_norm"]).item())
            opt.step()
        json.dump({"params": [p.detach().tolist() for p in params], "norms": norms}, sys.stdout)
        """;

    [SkippableFact]
    public void AdamW_with_clipping_and_a_cosine_schedule_matches_pytorch()
    {
        PyTorchPeer.SkipUnlessInstalled();
        Tensor[] parameters = [Tensor.RandomNormal(1, 0f, 1f, 5), Tensor.RandomNormal(2, 0f, 1f, 7)];
        float[][][] gradients = Enumerable.Range(0, 10)
            .Select(step => parameters.Select((p, i) => Tensor.RandomNormal(100 + 10 * step + i, 0f, step % 3 == 0 ? 3f : 0.2f, p.Length).ToArray()).ToArray())
            .ToArray();
        string request = JsonSerializer.Serialize(new
        {
            @params = parameters.Select(p => p.ToArray()).ToArray(), grads = gradients, lr = 0.05f, decay = 0.1f, max_norm = 1.0,
        });

        var optimizer = new AdamW(learningRate: 0.05f, weightDecay: 0.1f);
        var schedule = new CosineSchedule(0.05f, warmupSteps: 2, decaySteps: 8, minimumRate: 0.005f);
        Tensor[] grads = parameters.Select(p => Tensor.Zeros(p.Length)).ToArray();
        ParameterGradient[] pairs = parameters.Select((p, i) => new ParameterGradient("p" + i, p, grads[i])).ToArray();
        var norms = new double[gradients.Length];
        for (int step = 0; step < gradients.Length; step++)
        {
            for (int i = 0; i < grads.Length; i++)
            {
                gradients[step][i].CopyTo(grads[i].Span);
            }
            optimizer.LearningRate = schedule.At(step);
            norms[step] = GradientClipping.ClipByGlobalNorm(pairs, 1.0);
            optimizer.Step(pairs);
        }

        string output = PyTorchPeer.RunScript("adamw", Script, request);
        using JsonDocument torch = JsonDocument.Parse(output);
        double[] torchNorms = torch.RootElement.GetProperty("norms").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        for (int step = 0; step < norms.Length; step++)
        {
            Assert.True(Math.Abs(torchNorms[step] - norms[step]) <= 1e-5 * torchNorms[step], $"norm at step {step}: PyTorch {torchNorms[step]}, ours {norms[step]}");
        }
        JsonElement[] torchParameters = torch.RootElement.GetProperty("params").EnumerateArray().ToArray();
        for (int i = 0; i < parameters.Length; i++)
        {
            double[] expected = torchParameters[i].EnumerateArray().Select(v => v.GetDouble()).ToArray();
            float[] actual = parameters[i].ToArray();
            for (int j = 0; j < expected.Length; j++)
            {
                Assert.True(Math.Abs(expected[j] - actual[j]) <= 1e-5 + 1e-5 * Math.Abs(expected[j]), $"p{i}[{j}]: PyTorch {expected[j]}, ours {actual[j]}");
            }
        }
    }
}
