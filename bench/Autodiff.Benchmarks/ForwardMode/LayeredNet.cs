namespace Autodiff.Benchmarks.ForwardMode;

/// <summary>tanh(x·W + b): the layer <see cref="LayeredNet"/> holds several of.</summary>
public sealed partial class DenseLayer
{
    public Tensor W, B;

    public DenseLayer(int inputs, int outputs, int seed)
    {
        W = Tensor.RandomNormal(seed, 0f, 1f / System.MathF.Sqrt(inputs), inputs, outputs);
        B = Tensor.RandomNormal(seed + 1, 0f, 0.1f, outputs);
    }

    [Differentiable(Hessian = true)]
    public Tensor Forward(Tensor x) => Tensor.Tanh(Tensor.MatMul(x, W) + B);
}

/// <summary>
/// The MLP of <see cref="SecondOrderFunctions.MlpLoss"/> composed as PyTorch users write it: an
/// array of layer sub-models and a readout, so that its Hessian-vector product goes through the
/// sub-models' tangent programs (each layer's program pullback runs inside its caller's).
/// </summary>
public sealed partial class LayeredNet
{
    public DenseLayer[] Layers;
    public Tensor Readout;

    public LayeredNet(int inputs, int width, int depth, int classes, int seed)
    {
        Layers = new DenseLayer[depth];
        for (int i = 0; i < depth; i++)
        {
            Layers[i] = new DenseLayer(i == 0 ? inputs : width, width, seed + 10 * i);
        }
        Readout = Tensor.RandomNormal(seed + 99, 0f, 0.2f, width, classes);
    }

    [Differentiable(Hessian = true)]
    public Tensor Loss([NoGrad] Tensor x, int[] labels)
    {
        Tensor h = x;
        foreach (DenseLayer layer in Layers)
        {
            h = layer.Forward(h);
        }
        return Tensor.CrossEntropy(Tensor.MatMul(h, Readout), labels);
    }
}
