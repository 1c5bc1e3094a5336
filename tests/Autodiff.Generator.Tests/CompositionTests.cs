using System.Linq;
using Autodiff.Generator.Tests.Harness;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>The generated members of models that hold models: what is written, and what a user's own member replaces.</summary>
public class CompositionTests
{
    private const string Layer = """
        using System;
        using Autodiff;

        public sealed partial class Layer
        {
            public Tensor W = Tensor.Zeros(2, 2);
            public bool Training = true;
            [Differentiable] public Tensor Forward(Tensor x) => Tensor.MatMul(x, W);
        }

        """;

    [Fact]
    public void A_model_s_own_SetTraining_is_kept_and_called_for_its_sub_models()
    {
        GeneratorRun run = GeneratorRun.Of(Layer + """
            public sealed partial class Net
            {
                public Layer[] Layers = { new(), new() };
                public int Switches;
                public void SetTraining(bool training) { Switches++; foreach (Layer layer in Layers) layer.SetTraining(training); }
                [Differentiable] public Tensor Loss(Tensor x) => Tensor.Sum(Layers[0].Forward(x));
            }
            """);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.OutputProblems());
        Assert.Equal(1, CountOf(run.GeneratedText, "public void SetTraining(bool training)")); // Layer's only
    }

    [Fact]
    public void A_model_without_a_Training_member_still_passes_the_switch_on()
    {
        GeneratorRun run = GeneratorRun.Of(Layer + """
            public sealed partial class Net
            {
                public Layer Inner = new();
                [Differentiable] public Tensor Loss(Tensor x) => Tensor.Sum(Inner.Forward(x));
            }
            """);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.OutputProblems());
        string net = run.GeneratedText[run.GeneratedText.IndexOf("partial class Net", System.StringComparison.Ordinal)..];
        Assert.Contains("this.Inner?.SetTraining(training);", net);
        Assert.DoesNotContain("this.Training = training;", net); // Net has no Training of its own
        Assert.Contains("this.Training = training;", run.GeneratedText); // Layer's
    }

    [Fact]
    public void A_class_with_a_differentiable_method_but_no_parameters_is_not_a_sub_model()
    {
        // Nothing to nest: calling its method from a model is a call on another object.
        GeneratorRun run = GeneratorRun.Of(Layer + """
            public sealed partial class Activation
            {
                [Differentiable] public Tensor Forward(Tensor x) => Tensor.Tanh(x);
            }
            public sealed partial class Net
            {
                public Activation Act = new();
                public Layer Inner = new();
                [Differentiable] public Tensor Loss(Tensor x) => Tensor.Sum(Act.Forward(Inner.Forward(x)));
            }
            """);
        Assert.Contains(run.Diagnostics, d => d.Id == "ADIFF009" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("'Activation.Forward' of another object"));
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty).Length) / part.Length;
}
