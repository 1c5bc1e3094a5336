using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Autodiff.Gradients.Tests.Tensors;
using Autodiff.Optimizers;
using CharTransformer;
using Xunit;

namespace Autodiff.Gradients.Tests.Composition;

/// <summary>
/// The CharTransformer sample's GPT, small: its generated gradient against central differences,
/// and against PyTorch's autograd on the same weights and batch (a model written the way nanoGPT
/// writes it, in PyTorch; runs when PyTorch is installed).
/// </summary>
public class CharGptTests
{
    private const int Vocabulary = 11, Context = 8, Width = 16, Layers = 2, Heads = 2, Batch = 3;

    private static (int[] Tokens, int[] Targets) Batch3()
    {
        var random = new Random(5);
        int[] sequence = Enumerable.Range(0, 40).Select(_ => random.Next(Vocabulary)).ToArray();
        int[] tokens = new int[Batch * Context], targets = new int[Batch * Context];
        for (int b = 0; b < Batch; b++)
        {
            Array.Copy(sequence, 3 * b, tokens, b * Context, Context);
            Array.Copy(sequence, 3 * b + 1, targets, b * Context, Context);
        }
        return (tokens, targets);
    }

    /// <summary>Weights large enough that every layer matters to the loss (the sample's N(0, 0.02) would leave it near uniform).</summary>
    private static CharGpt Model()
    {
        var model = new CharGpt(Vocabulary, Context, Width, Layers, Heads, seed: 3);
        var gradients = new CharGpt.Gradients(model);
        int seed = 100;
        foreach (ParameterGradient p in gradients.Parameters)
        {
            p.Parameter.CopyFrom(Tensor.RandomNormal(seed++, p.Name.EndsWith("Gain") ? 1f : 0f, 0.3f, p.Parameter.Shape.ToArray()));
        }
        return model;
    }

    [Fact]
    public void Gradient_matches_central_differences()
    {
        CharGpt model = Model();
        (int[] tokens, int[] targets) = Batch3();
        var gradients = new CharGpt.Gradients(model);
        GradCheckResult result = GradCheck.Model(gradients.Parameters, () => model.Loss(tokens, targets, Context).Item(),
            () => model.LossGradient(tokens, targets, Context, gradients),
            GradCheckOptions.ForFloat with { FastMode = true, Directions = 16, AbsoluteTolerance = 2e-3 });
        Assert.True(result.Passed, result.ToString());
    }

    private const string Script = """
        import json, math, sys, torch
        import torch.nn as nn
        import torch.nn.functional as F
        data = json.load(sys.stdin)
        V, T, C, L, H = data["config"]
        W = {k: torch.tensor(v["values"], dtype=torch.float64).reshape(v["shape"]).requires_grad_() for k, v in data["weights"].items()}
        def linear(x, name):  # our weights are [in, out]
            return x @ W[name + ".Weight"] + W[name + ".Bias"]
        def norm(x, name):
            return F.layer_norm(x, (C,), W[name + ".Gain"], W[name + ".Shift"], 1e-5)
        idx = torch.tensor(data["tokens"]).reshape(-1, T)
        B = idx.shape[0]
        x = W["TokenEmbedding"][idx] + W["PositionEmbedding"][:T]
        for i in range(L):
            p = f"Blocks[{i}]."
            h = norm(x, p + "AttentionNorm")
            q, k, v = (linear(h, p + "Attention." + n).view(B, T, H, C // H).transpose(1, 2) for n in ("Query", "Key", "Value"))
            att = (q @ k.transpose(-2, -1)) / math.sqrt(C // H)
            att = att.masked_fill(torch.triu(torch.ones(T, T, dtype=torch.bool), 1), float("-inf")).softmax(-1)
            x = x + linear((att @ v).transpose(1, 2).reshape(B, T, C), p + "Attention.Output")
            h = norm(x, p + "FeedForwardNorm")
            x = x + linear(F.gelu(linear(h, p + "FeedForward.Expand")), p + "FeedForward.Project")
        logits = norm(x, "FinalNorm") @ W["TokenEmbedding"].T
        loss = F.cross_entropy(logits.reshape(-1, V), torch.tensor(data["targets"]))
        loss.backward()
        json.dump({"loss": loss.item(), "grads": {k: w.grad.flatten().tolist() for k, w in W.items()}}, sys.stdout)
        """;

    [SkippableFact]
    public void Loss_and_every_parameter_s_gradient_match_pytorch()
    {
        PyTorchPeer.SkipUnlessInstalled();
        CharGpt model = Model();
        (int[] tokens, int[] targets) = Batch3();
        var gradients = new CharGpt.Gradients(model);
        float loss = model.LossGradient(tokens, targets, Context, gradients).Item();
        var weights = gradients.Parameters.ToDictionary(p => p.Name, p => new { values = p.Parameter.ToArray(), shape = p.Parameter.Shape.ToArray() });
        string request = JsonSerializer.Serialize(new { config = new[] { Vocabulary, Context, Width, Layers, Heads }, weights, tokens, targets });
        using JsonDocument torch = JsonDocument.Parse(PyTorchPeer.RunScript("chargpt", Script, request));

        Assert.Equal(torch.RootElement.GetProperty("loss").GetDouble(), loss, 4);
        JsonElement expected = torch.RootElement.GetProperty("grads");
        Assert.Equal(gradients.Parameters.Count, expected.EnumerateObject().Count());
        foreach (ParameterGradient p in gradients.Parameters)
        {
            double[] reference = expected.GetProperty(p.Name).EnumerateArray().Select(v => v.GetDouble()).ToArray();
            float[] ours = p.Gradient.ToArray();
            double scale = reference.Max(Math.Abs);
            for (int i = 0; i < ours.Length; i++)
            {
                Assert.True(Math.Abs(reference[i] - ours[i]) <= 1e-4 + 1e-3 * scale, $"{p.Name}[{i}]: PyTorch {reference[i]}, ours {ours[i]}");
            }
        }
    }
}
