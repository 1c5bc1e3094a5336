using Autodiff.Generator.Tests.Harness;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>[Differentiable(Graph = true)]: the computation graph as Mermaid and DOT text, edges labelled with local derivatives.</summary>
public class GraphTests
{
    private const string SeedExample = """
        using System;
        using Autodiff;

        public static partial class Seed
        {
            [Differentiable(Graph = true)]
            public static double Loss(double a, double w1, double w2, double w3, double w4)
            {
                double b = w1 * a;
                double c = w2 * a;
                double d = w3 * b + w4 * c;
                return 10 - d;
            }
        }
        """;

    [Fact]
    public void The_seed_example_is_drawn_as_the_notes_draw_it()
    {
        GeneratorRun run = GeneratorRun.Of(SeedExample);
        Assert.Empty(run.Diagnostics);
        Execution execution = Execution.Load(run);
        string mermaid = (string)execution.Constant("Seed", "LossGraphMermaid")!;
        Assert.Equal("""
            flowchart LR
                a(["a"])
                w1(["w1"])
                w2(["w2"])
                w3(["w3"])
                w4(["w4"])
                b["b"]
                c["c"]
                d["d"]
                result(("Loss"))
                w1 -- "a" --> b
                a -- "w1" --> b
                w2 -- "a" --> c
                a -- "w2" --> c
                w3 -- "b" --> d
                b -- "w3" --> d
                w4 -- "c" --> d
                c -- "w4" --> d
                d -- "-1" --> result

            """.Replace("\r\n", "\n"), mermaid);
        string dot = (string)execution.Constant("Seed", "LossGraphDot")!;
        Assert.StartsWith("digraph Loss {\n    rankdir=LR;\n    a [label=\"a\", shape=ellipse];\n", dot);
        Assert.Contains("    a -> b [label=\"w1\"];\n", dot);
        Assert.Contains("    result [label=\"Loss\", shape=doublecircle];\n", dot);
        Assert.EndsWith("}\n", dot);
    }

    [Fact]
    public void Calls_get_their_derivative_and_reassigned_variables_a_new_node()
    {
        GeneratorRun run = GeneratorRun.Of("""
            using System;
            using Autodiff;

            public static partial class C
            {
                [Differentiable(Graph = true)]
                public static double F(double x, [NoGrad] double k)
                {
                    double y = Math.Sin(x * k);
                    y = y * y + x;
                    return y;
                }
            }
            """);
        Assert.Empty(run.Diagnostics);
        string mermaid = (string)Execution.Load(run).Constant("C", "FGraphMermaid")!;
        Assert.Contains("x -- \"k\" --> xTimesK\n", mermaid); // the temporary is named after what it holds
        Assert.Contains("xTimesK -- \"cos(xTimesK)\" --> y\n", mermaid);
        Assert.Contains("y -- \"2 * y\" --> y_1\n", mermaid);
        Assert.Contains("x -- \"1\" --> y_1\n", mermaid);
        Assert.Contains("y_1((\"y′\"))", mermaid);
    }
}
