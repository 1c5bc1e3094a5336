using System;
using System.Collections.Generic;

namespace Autodiff.Optimizers;

/// <summary>
/// Adam (Kingma and Ba), following <c>torch.optim.Adam</c> with bias correction and L2 weight
/// decay added to the gradient (not AdamW's decoupled decay): at step t,
/// g = grad + weightDecay·p, m = β₁·m + (1 − β₁)·g, v = β₂·v + (1 − β₂)·g²,
/// p −= lr / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε).
/// </summary>
public sealed class Adam : Optimizer
{
    private readonly AdamMoments _moments;

    /// <summary>Creates the optimiser; arguments are checked as PyTorch checks them.</summary>
    public Adam(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
    {
        _moments = new AdamMoments(nameof(Adam), learningRate, beta1, beta2, epsilon, weightDecay);
        LearningRate = learningRate;
        WeightDecay = weightDecay;
    }

    /// <summary>The step size; may be changed between steps (for a learning-rate schedule).</summary>
    public float LearningRate { get; set; }

    /// <summary>Decay rate of the first-moment (mean) estimate.</summary>
    public float Beta1 => _moments.Beta1;

    /// <summary>Decay rate of the second-moment (uncentred variance) estimate.</summary>
    public float Beta2 => _moments.Beta2;

    /// <summary>Added to the denominator for numerical stability.</summary>
    public float Epsilon => _moments.Epsilon;

    /// <summary>The L2 penalty added to the gradient as weightDecay·p.</summary>
    public float WeightDecay { get; }

    /// <summary>The number of steps taken (t in the bias corrections).</summary>
    public int StepCount => _moments.StepCount;

    /// <inheritdoc/>
    public override void Step(IReadOnlyList<ParameterGradient> parameters) =>
        _moments.Step(parameters, LearningRate, l2WeightDecay: WeightDecay, decoupledWeightDecay: 0f);
}

/// <summary>
/// AdamW (Loshchilov and Hutter), following <c>torch.optim.AdamW</c>: Adam whose weight decay is
/// decoupled from the gradient. At step t, p −= lr·weightDecay·p first, then the Adam update with
/// the plain gradient: m = β₁·m + (1 − β₁)·g, v = β₂·v + (1 − β₂)·g², p −= lr / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε).
/// The decay shrinks every parameter by the same factor, however large its gradients are, which
/// L2 decay through Adam's normalised step does not.
/// </summary>
public sealed class AdamW : Optimizer
{
    private readonly AdamMoments _moments;

    /// <summary>Creates the optimiser with PyTorch's defaults (weight decay 0.01); arguments are checked as PyTorch checks them.</summary>
    public AdamW(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.01f)
    {
        _moments = new AdamMoments(nameof(AdamW), learningRate, beta1, beta2, epsilon, weightDecay);
        LearningRate = learningRate;
        WeightDecay = weightDecay;
    }

    /// <summary>The step size; may be changed between steps (for a learning-rate schedule).</summary>
    public float LearningRate { get; set; }

    /// <summary>Decay rate of the first-moment (mean) estimate.</summary>
    public float Beta1 => _moments.Beta1;

    /// <summary>Decay rate of the second-moment (uncentred variance) estimate.</summary>
    public float Beta2 => _moments.Beta2;

    /// <summary>Added to the denominator for numerical stability.</summary>
    public float Epsilon => _moments.Epsilon;

    /// <summary>The decoupled decay: each step multiplies every parameter by 1 − lr·weightDecay.</summary>
    public float WeightDecay { get; }

    /// <summary>The number of steps taken (t in the bias corrections).</summary>
    public int StepCount => _moments.StepCount;

    /// <inheritdoc/>
    public override void Step(IReadOnlyList<ParameterGradient> parameters) =>
        _moments.Step(parameters, LearningRate, l2WeightDecay: 0f, decoupledWeightDecay: WeightDecay);
}

/// <summary>The moments and update shared by <see cref="Adam"/> (L2 decay in the gradient) and <see cref="AdamW"/> (decoupled decay).</summary>
internal sealed class AdamMoments
{
    private const int FirstMoment = 0;
    private const int SecondMoment = 1;

    private readonly ParameterStates _state;

    public AdamMoments(string optimizer, float learningRate, float beta1, float beta2, float epsilon, float weightDecay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(learningRate);
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        if (!(beta1 >= 0f && beta1 < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, optimizer + ": beta1 must lie in [0, 1).");
        }
        if (!(beta2 >= 0f && beta2 < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, optimizer + ": beta2 must lie in [0, 1).");
        }
        _state = new ParameterStates(optimizer, 2);
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    public float Beta1 { get; }

    public float Beta2 { get; }

    public float Epsilon { get; }

    public int StepCount { get; private set; }

    public void Step(IReadOnlyList<ParameterGradient> parameters, float learningRate, float l2WeightDecay, float decoupledWeightDecay)
    {
        _state.Bind(parameters);
        StepCount++;
        // The bias corrections are computed in double, as PyTorch computes them in Python floats.
        double biasCorrection1 = 1.0 - Math.Pow(Beta1, StepCount);
        double biasCorrection2 = 1.0 - Math.Pow(Beta2, StepCount);
        float stepSize = (float)(learningRate / biasCorrection1);
        float biasCorrection2Sqrt = (float)Math.Sqrt(biasCorrection2);
        float shrink = 1f - learningRate * decoupledWeightDecay;

        for (int i = 0; i < parameters.Count; i++)
        {
            ParameterGradient entry = parameters[i];
            if (entry.IsScalar)
            {
                StepScalar(entry, i, learningRate, l2WeightDecay, decoupledWeightDecay, biasCorrection1, biasCorrection2);
                continue;
            }
            Span<float> p = entry.Parameter.Span;
            ReadOnlySpan<float> grad = entry.Gradient.Span;
            Span<float> m = _state.Buffer(i, FirstMoment);
            Span<float> v = _state.Buffer(i, SecondMoment);
            if (decoupledWeightDecay != 0f)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(p, shrink, p);
            }
            ElementwiseLoop.Map(new AdamFirstMomentKernel(l2WeightDecay, 1f - Beta1), grad, p, m, m);
            ElementwiseLoop.Map(new AdamSecondMomentKernel(l2WeightDecay, Beta2), grad, p, v, v);
            ElementwiseLoop.Map(new AdamStepKernel(stepSize, biasCorrection2Sqrt, Epsilon), m, v, p, p);
        }
    }

    /// <summary>The same update for a scalar parameter, in double (a float one is rounded once, when stored).</summary>
    private void StepScalar(ParameterGradient parameter, int position, float learningRate, float l2WeightDecay, float decoupledWeightDecay,
        double biasCorrection1, double biasCorrection2)
    {
        double p = parameter.ScalarValue * (1.0 - (double)learningRate * decoupledWeightDecay);
        double g = parameter.ScalarGradient + (double)l2WeightDecay * p;
        ref double m = ref _state.Scalar(position, FirstMoment);
        ref double v = ref _state.Scalar(position, SecondMoment);
        m += (1.0 - Beta1) * (g - m);
        v = Beta2 * v + (1.0 - Beta2) * g * g;
        parameter.ScalarValue = p - learningRate / biasCorrection1 * (m / (Math.Sqrt(v) / Math.Sqrt(biasCorrection2) + Epsilon));
    }
}
