namespace Autodiff.Gradients.Tests.Tensors;

/// <summary>Static differentiable functions over tensors: reassignment, loops, branches, scalars from tensors.</summary>
public static partial class TensorFunctions
{
    /// <summary>A recurrent cell unrolled over n steps: the hidden state is overwritten in a loop.</summary>
    [Differentiable]
    public static Tensor Recurrent(Tensor h0, Tensor w, Tensor u, [NoGrad] Tensor x, int steps)
    {
        Tensor h = h0;
        for (int t = 0; t < steps; t++)
        {
            h = Tensor.Tanh(Tensor.MatMul(h, w) + x * u);
        }
        return Tensor.Sum(h * h);
    }

    /// <summary>Reassignment, a branch on a value, and a scalar pulled out of a tensor.</summary>
    [Differentiable]
    public static float Mixed(Tensor a, Tensor b, float scale)
    {
        Tensor z = Tensor.MatMul(a, b);
        z = Tensor.Sigmoid(z) * scale;
        if (scale > 1f)
        {
            z = z - Tensor.Mean(z);
        }
        float total = Tensor.Sum(Tensor.Square(z)).Item();
        return total * scale + Tensor.Dot(a.Reshape(-1), a.Reshape(-1)).Item();
    }

    [Differentiable]
    public static Tensor Softmax(Tensor logits, [NoGrad] Tensor weights) => Tensor.Sum(Tensor.Softmax(logits) * weights);

    /// <summary>A layer with dropout between its two products, as in training (the seed fixes the mask).</summary>
    [Differentiable]
    public static Tensor WithDropout(Tensor x, Tensor w1, Tensor w2, int step, bool training)
    {
        Tensor hidden = Tensor.Dropout(Tensor.Tanh(Tensor.MatMul(x, w1)), 0.4f, step, training);
        return Tensor.Sum(Tensor.Square(Tensor.MatMul(hidden, w2)));
    }

    /// <summary>Reductions along axes with keepdim: a row-wise log-sum-exp stabilised by the row maximum, and a column mean and max.</summary>
    [Differentiable]
    public static Tensor Reductions(Tensor x)
    {
        Tensor m = Tensor.Max(x, -1, keepDim: true);
        Tensor logSumExp = Tensor.Log(Tensor.Sum(Tensor.Exp(x - m), -1, keepDim: true)) + m;
        Tensor centred = x - Tensor.Mean(x, 0, keepDim: true);
        return Tensor.Sum(logSumExp * logSumExp) + Tensor.Sum(Tensor.Max(centred, 0));
    }

    /// <summary>The pointwise functions past an MLP's, through generated code: a GELU layer, softplus, clamp, |·| and a power.</summary>
    [Differentiable]
    public static Tensor Pointwise(Tensor x, Tensor w, float exponent)
    {
        Tensor hidden = Tensor.Gelu(Tensor.MatMul(x, w));
        Tensor positive = Tensor.Softplus(hidden) + Tensor.Clamp(hidden, -0.3f, 0.4f);
        return Tensor.Sum(Tensor.Pow(positive, exponent) + Tensor.Abs(hidden));
    }
}

/// <summary>Few inputs and many outputs, so that its Jacobian is built in forward mode.</summary>
public static partial class TensorFeatures
{
    [Differentiable]
    public static Tensor Of([NoGrad] Tensor basis, Tensor a, float scale) => Tensor.Tanh(Tensor.MatMul(basis, a)) * scale;
}

public static partial class RecursiveTensors
{
    /// <summary>Applies tanh n times, recursively: each level's pullback runs while the caller's is open.</summary>
    [Differentiable]
    public static Tensor Nest(Tensor x, int n) => n == 0 ? Tensor.Sum(x) : Nest(Tensor.Tanh(x), n - 1);
}

public static partial class TensorCalls
{
    /// <summary>Σ tanh(a)·b: both arguments differentiated.</summary>
    [Differentiable]
    public static Tensor Bilinear(Tensor a, Tensor b) => Tensor.Sum(Tensor.Tanh(a) * b);

    /// <summary>tanh(h·w): a step of <see cref="WalkedFromAFixedInput"/>.</summary>
    [Differentiable]
    public static Tensor Step(Tensor h, Tensor w) => Tensor.Tanh(Tensor.MatMul(h, w));

    /// <summary>A running value that starts at an input held still and varies from the first call on: its tangent starts as zeros, not null.</summary>
    [Differentiable]
    public static Tensor WalkedFromAFixedInput([NoGrad] Tensor x, Tensor w, int steps)
    {
        Tensor h = x;
        for (int i = 0; i < steps; i++)
        {
            h = Step(h, w);
        }
        return Tensor.Sum(h * h);
    }

    /// <summary>Calls whose tensor arguments do not all vary: w is held still, so its direction is a zero (null) tensor in the callee's tangent program.</summary>
    [Differentiable]
    public static Tensor WithFixedArgument(Tensor x, [NoGrad] Tensor w) => Bilinear(x, w) + Bilinear(w, x * x) * Bilinear(x, x);
}
