using System;
using System.Runtime.Intrinsics;

namespace Autodiff.Optimizers;

// The update formulas of torch.optim.SGD, one element-wise pass each, in PyTorch's order of
// operations (Adam's are in AdamUpdate, one pass for all). g is the gradient after weight decay:
// grad + weightDecay·p.

/// <summary>p − lr·g (SGD without momentum).</summary>
internal readonly struct SgdPlainKernel(float learningRate, float weightDecay) : IBinaryKernel
{
    public float Apply(float grad, float p) => p - learningRate * (grad + weightDecay * p);
    public Vector256<float> Apply(Vector256<float> grad, Vector256<float> p) => p - (grad + p * weightDecay) * learningRate;
    public Vector512<float> Apply(Vector512<float> grad, Vector512<float> p) => p - (grad + p * weightDecay) * learningRate;
}

/// <summary>buf = g on the first step, then momentum·buf + g (dampening 0).</summary>
internal readonly struct SgdMomentumKernel(float weightDecay, float momentum, bool firstStep) : ITernaryKernel
{
    public float Apply(float grad, float p, float buffer) =>
        firstStep ? grad + weightDecay * p : momentum * buffer + (grad + weightDecay * p);
    public Vector256<float> Apply(Vector256<float> grad, Vector256<float> p, Vector256<float> buffer) =>
        firstStep ? grad + p * weightDecay : buffer * momentum + (grad + p * weightDecay);
    public Vector512<float> Apply(Vector512<float> grad, Vector512<float> p, Vector512<float> buffer) =>
        firstStep ? grad + p * weightDecay : buffer * momentum + (grad + p * weightDecay);
}

/// <summary>p − lr·buf (heavy-ball momentum).</summary>
internal readonly struct SgdMomentumStepKernel(float learningRate) : IBinaryKernel
{
    public float Apply(float buffer, float p) => p - learningRate * buffer;
    public Vector256<float> Apply(Vector256<float> buffer, Vector256<float> p) => p - buffer * learningRate;
    public Vector512<float> Apply(Vector512<float> buffer, Vector512<float> p) => p - buffer * learningRate;
}

/// <summary>p − lr·(g + momentum·buf) (Nesterov momentum).</summary>
internal readonly struct SgdNesterovStepKernel(float learningRate, float weightDecay, float momentum) : ITernaryKernel
{
    public float Apply(float grad, float buffer, float p) => p - learningRate * ((grad + weightDecay * p) + momentum * buffer);
    public Vector256<float> Apply(Vector256<float> grad, Vector256<float> buffer, Vector256<float> p) =>
        p - ((grad + p * weightDecay) + buffer * momentum) * learningRate;
    public Vector512<float> Apply(Vector512<float> grad, Vector512<float> buffer, Vector512<float> p) =>
        p - ((grad + p * weightDecay) + buffer * momentum) * learningRate;
}
