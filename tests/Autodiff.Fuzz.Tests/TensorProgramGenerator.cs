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
        text.Append("using System;\nusing Autodiff;\n\nnamespace Fuzz;\n\npublic sealed partial class ").Append(className).Append("\n{\n");
        text.Append("    public Tensor W = Tensor.Zeros(3, 4);\n    public Tensor B = Tensor.Zeros(4);\n    public float S = 0.5f;\n");
        if (hasV) text.Append("    public Tensor V = Tensor.Zeros(4, 4);\n");
        text.Append("\n    [Differentiable]\n    public Tensor F([NoGrad] Tensor x, Tensor y)\n    {\n");
        string current = NewLocal();
        text.Append("        Tensor ").Append(current).Append(" = Tensor.MatMul(x, W) + B;\n");
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
            if (rng.NextDouble() < 0.15 && available.Count == 1)
            {
                // Reassigning a tensor local.
                text.Append("        ").Append(h).Append(" = ").Append(expression).Append(";\n");
                features.Add("tensor-reassign");
                continue;
            }
            string name = NewLocal();
            text.Append("        Tensor ").Append(name).Append(" = ").Append(expression).Append(";\n");
            available.Add(name);
            current = name;
        }
        string last = available[available.Count - 1];
        int reduction = rng.Next(5);
        text.Append("        return ").Append(reduction switch
        {
            0 => "Tensor.Sum(" + last + ")",
            1 => "Tensor.Mean(" + last + " * y)",
            2 => "Tensor.MseLoss(" + last + ", y)",
            3 => "Tensor.Sum(Tensor.Sum(" + last + ", 1) * S)",
            _ => "Tensor.Mean(Tensor.Tanh(" + last + ")) + Tensor.Sum(y * " + last + ")",
        }).Append(";\n    }\n}\n");
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
