using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Autodiff.Fuzz.Tests;

/// <summary>
/// Small tensor models: a float32 model with tensor and float fields, a [NoGrad] input x [2,3] and a
/// differentiable input y [2,4], a chain of element-wise operations on [2,4] values and a reduction.
/// </summary>
public static class TensorProgramGenerator
{
    private enum SubModelUse
    {
        None,
        One,
        Array,
        List,
    }

    private static readonly string[] LocalNames = { "h", "t", "matMul", "result", "seed", "tanh", "value", "dY", "sum" };

    public static FuzzProgram Generate(int seed, Random rng)
    {
        var features = new HashSet<string> { "tensor" };
        var fields = new List<InputSpec>
        {
            new("W", InputKind.Tensor, new[] { 3, 4 }),
            new("B", InputKind.Tensor, new[] { 4 }),
            new("S", InputKind.Scalar),
        };
        bool hasV = rng.NextDouble() < 0.5;
        if (hasV)
        {
            fields.Add(new InputSpec("V", InputKind.Tensor, new[] { 4, 4 }));
        }
        var used = new HashSet<string> { "W", "B", "S", "V", "x", "y" };
        string NewLocal()
        {
            string name = LocalNames[rng.Next(LocalNames.Length)];
            for (int k = 2; !used.Add(name); k++)
            {
                name = "h" + k.ToString(CultureInfo.InvariantCulture);
            }
            return name;
        }

        string className = "P" + seed.ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.Append("using System;\nusing System.Collections.Generic;\nusing Autodiff;\n\nnamespace Fuzz;\n\n");
        // Sometimes the model holds a sub-model, or an array or list of them: a layer with a tensor
        // and a float of its own whose [Differentiable] Forward maps [2,4] to [2,4].
        SubModelUse subModel = rng.NextDouble() < 0.5 ? (SubModelUse)rng.Next(1, 4) : SubModelUse.None;
        string layer = className + "Layer";
        if (subModel != SubModelUse.None)
        {
            features.Add("sub-model");
            text.Append("public sealed partial class ").Append(layer).Append("\n{\n    public Tensor U = Tensor.Zeros(4, 4);\n    public float R = 0.5f;\n\n")
                .Append("    [Differentiable]\n    public Tensor Forward(Tensor h)\n    {\n        Tensor a = ").Append(rng.Next(3) switch
                {
                    0 => "Tensor.Tanh(Tensor.MatMul(h, U)) * R",
                    1 => "Tensor.MatMul(Tensor.Sigmoid(h), U) + h * R",
                    _ => "h + Tensor.MatMul(h * R, U)",
                }).Append(";\n        return ").Append(rng.Next(2) == 0 ? "a" : "Tensor.Square(a) * 0.5f + h").Append(";\n    }\n}\n\n");
        }
        text.Append("public sealed partial class ").Append(className).Append("\n{\n");
        text.Append("    public Tensor W = Tensor.Zeros(3, 4);\n    public Tensor B = Tensor.Zeros(4);\n    public float S = 0.5f;\n");
        if (hasV) text.Append("    public Tensor V = Tensor.Zeros(4, 4);\n");
        text.Append(subModel switch
        {
            SubModelUse.One => "    public " + layer + " Inner = new();\n",
            SubModelUse.Array => "    public " + layer + "[] Layers = { new(), new() };\n",
            SubModelUse.List => "    public List<" + layer + "> Stack = new() { new(), new(), new() };\n",
            _ => string.Empty,
        });
        var body = new StringBuilder();
        bool callsSubModels = false;
        string current = NewLocal();
        body.Append("        Tensor ").Append(current).Append(" = Tensor.MatMul(x, W) + B;\n");
        int steps = rng.Next(1, 5);
        var available = new List<string> { current };
        for (int s = 0; s < steps; s++)
        {
            string h = available[rng.Next(available.Count)];
            string other = available[rng.Next(available.Count)];
            int pick = rng.Next(hasV ? 14 : 13);
            string expression = pick switch
            {
                0 => "Tensor.Tanh(" + h + ")",
                1 => "Tensor.Sigmoid(" + h + ")",
                2 => h + " * S",
                3 => h + " * " + other,
                4 => "Tensor.Square(" + h + ")",
                5 => h + " + B",
                6 => h + " * y",
                7 => "Tensor.Exp(" + h + " * 0.25f)",
                8 => "0.5f * " + h + " - " + other,
                9 => h + " / (1f + Tensor.Square(" + other + "))",
                10 => "Tensor.Relu(" + h + ")",
                11 => "Tensor.Log(1f + Tensor.Square(" + h + "))",
                12 => "Tensor.Sqrt(0.5f + Tensor.Square(" + h + "))",
                _ => "Tensor.MatMul(" + h + ", V)",
            };
            if (pick == 10) features.Add("relu");
            if (subModel != SubModelUse.None && rng.NextDouble() < 0.4)
            {
                // The sub-models replace this step: a call, or a loop over them.
                callsSubModels = true;
                // Sometimes from a constant of the same shape: the running value's tangent starts at zero
                // and varies from the first layer on (a benchmark found a bug of that shape). Not
                // Grad.Stop(h), whose stopped gradient finite differences would see.
                bool heldStill = rng.NextDouble() < 0.25;
                if (heldStill) features.Add("sub-model-from-constant");
                string input = heldStill ? "Tensor.Tanh(Tensor.Ones(2, 4))" : h, output = NewLocal();
                body.Append(subModel switch
                {
                    SubModelUse.One => "        Tensor " + output + " = Inner.Forward(" + input + ");\n",
                    SubModelUse.Array => "        Tensor " + output + " = " + input + ";\n        foreach (" + layer + " layer in Layers)\n        {\n            "
                        + output + " = layer.Forward(" + output + ");\n        }\n",
                    _ => "        Tensor " + output + " = " + input + ";\n        for (int i = 0; i < Stack.Count; i++)\n        {\n            "
                        + output + " = Stack[i].Forward(" + output + ") * 0.5f;\n        }\n",
                });
                available.Add(output);
                current = output;
                continue;
            }
            if (rng.NextDouble() < 0.15 && available.Count == 1)
            {
                // Reassigning a tensor local.
                body.Append("        ").Append(h).Append(" = ").Append(expression).Append(";\n");
                features.Add("tensor-reassign");
                continue;
            }
            string name = NewLocal();
            body.Append("        Tensor ").Append(name).Append(" = ").Append(expression).Append(";\n");
            available.Add(name);
            current = name;
        }
        string last = available[available.Count - 1];
        int reduction = rng.Next(5);
        body.Append("        return ").Append(reduction switch
        {
            0 => "Tensor.Sum(" + last + ")",
            1 => "Tensor.Mean(" + last + " * y)",
            2 => "Tensor.MseLoss(" + last + ", y)",
            3 => "Tensor.Sum(Tensor.Sum(" + last + ", 1) * S)",
            _ => "Tensor.Mean(Tensor.Tanh(" + last + ")) + Tensor.Sum(y * " + last + ")",
        }).Append(";\n");
        text.Append("\n    [Differentiable]\n    public Tensor F([NoGrad] Tensor x, Tensor y)\n    {\n").Append(body).Append("    }\n");
        if (!callsSubModels)
        {
            // F's body again as a static function of the fields it reads, which forward mode covers
            // (models get no FTangent): TensorChecker compares GTangent with GGradient. Built from the
            // same text, it draws nothing from rng, so every seed keeps its model.
            features.Add("static-twin");
            text.Append("\n    [Differentiable]\n    public static Tensor G([NoGrad] Tensor x, Tensor y, Tensor W, Tensor B, float S").Append(hasV ? ", Tensor V" : string.Empty)
                .Append(")\n    {\n").Append(body).Append("    }\n");
        }
        text.Append("}\n");
        return new FuzzProgram
        {
            Seed = seed,
            ClassName = className,
            Kind = ProgramKind.TensorModel,
            IsFloat = true,
            N = 0,
            Source = text.ToString(),
            Methods = new[]
            {
                new MethodUnderTest("F", new[] { new InputSpec("x", InputKind.NoGradTensor, new[] { 2, 3 }), new InputSpec("y", InputKind.Tensor, new[] { 2, 4 }) }, true),
            },
            Fields = fields,
            Features = features,
        };
    }
}
