using System;
using System.Runtime.Intrinsics;

namespace Autodiff.Optimizers;

// The update formulas of torch.optim.SGD and torch.optim.Adam, one element-wise pass each, in
// PyTorch's order of operations. g is the gradient after weight decay: grad + weightDecay·p.

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

/// <summary>m.lerp(g, 1 − β₁) = m + (1 − β₁)·(g − m).</summary>
internal readonly struct AdamFirstMomentKernel(float weightDecay, float oneMinusBeta1) : ITernaryKernel
{
    public float Apply(float grad, float p, float m) => m + oneMinusBeta1 * ((grad + weightDecay * p) - m);
    public Vector256<float> Apply(Vector256<float> grad, Vector256<float> p, Vector256<float> m) =>
        m + ((grad + p * weightDecay) - m) * oneMinusBeta1;
    public Vector512<float> Apply(Vector512<float> grad, Vector512<float> p, Vector512<float> m) =>
        m + ((grad + p * weightDecay) - m) * oneMinusBeta1;
}

/// <summary>β₂·v + (1 − β₂)·g².</summary>
internal readonly struct AdamSecondMomentKernel(float weightDecay, float beta2) : ITernaryKernel
{
    public float Apply(float grad, float p, float v)
    {
        float g = grad + weightDecay * p;
        return v * beta2 + (1f - beta2) * (g * g);
    }
    public Vector256<float> Apply(Vector256<float> grad, Vector256<float> p, Vector256<float> v)
    {
        Vector256<float> g = grad + p * weightDecay;
        return v * beta2 + g * g * (1f - beta2);
    }
    public Vector512<float> Apply(Vector512<float> grad, Vector512<float> p, Vector512<float> v)
    {
        Vector512<float> g = grad + p * weightDecay;
        return v * beta2 + g * g * (1f - beta2);
    }
}

/// <summary>p − stepSize·m / (√v / √(1 − β₂ᵗ) + ε), with stepSize = lr / (1 − β₁ᵗ).</summary>
internal readonly struct AdamStepKernel(float stepSize, float biasCorrection2Sqrt, float epsilon) : ITernaryKernel
{
    public float Apply(float m, float v, float p) => p - stepSize * (m / (MathF.Sqrt(v) / biasCorrection2Sqrt + epsilon));
    public Vector256<float> Apply(Vector256<float> m, Vector256<float> v, Vector256<float> p) =>
        p - m / (Vector256.Sqrt(v) / biasCorrection2Sqrt + Vector256.Create(epsilon)) * stepSize;
    public Vector512<float> Apply(Vector512<float> m, Vector512<float> v, Vector512<float> p) =>
        p - m / (Vector512.Sqrt(v) / biasCorrection2Sqrt + Vector512.Create(epsilon)) * stepSize;
}
