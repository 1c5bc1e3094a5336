using System;
using System.Collections.Generic;

namespace Autodiff.Optimizers;

/// <summary>
/// Adam (Kingma and Ba), following <c>torch.optim.Adam</c> with bias correction and L2 weight
/// decay added to the gradient (not AdamW's decoupled decay): at step t,
/// g = grad + weightDecay·p, m = β₁·m + (1 − β₁)·g, v = β₂·v + (1 − β₂)·g²,
/// p −= lr / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε).
/// </summary>
public sealed class Adam : AdaptiveMomentOptimizer
{
    /// <summary>Creates the optimiser; arguments are checked as PyTorch checks them.</summary>
    public Adam(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
        : base(nameof(Adam), learningRate, beta1, beta2, epsilon, weightDecay, decoupled: false)
    {
    }
}

/// <summary>
/// AdamW (Loshchilov and Hutter), following <c>torch.optim.AdamW</c>: Adam whose weight decay is
/// decoupled from the gradient. At step t, p −= lr·weightDecay·p first, then the Adam update with
/// the plain gradient: m = β₁·m + (1 − β₁)·g, v = β₂·v + (1 − β₂)·g², p −= lr / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε).
/// The decay shrinks every parameter by the same factor, however large its gradients are, which
/// L2 decay through Adam's normalised step does not.
/// </summary>
public sealed class AdamW : AdaptiveMomentOptimizer
{
    /// <summary>Creates the optimiser with PyTorch's defaults (weight decay 0.01); arguments are checked as PyTorch checks them.</summary>
    public AdamW(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.01f)
        : base(nameof(AdamW), learningRate, beta1, beta2, epsilon, weightDecay, decoupled: true)
    {
    }
}

/// <summary>
/// What <see cref="Adam"/> and <see cref="AdamW"/> share: the moment estimates, their bias
/// corrections and the update. They differ only in where the weight decay goes: into the gradient
/// (Adam's L2 decay) or straight onto the parameter (AdamW's decoupled decay).
/// </summary>
public abstract class AdaptiveMomentOptimizer : Optimizer
{
    private const int FirstMoment = 0;
    private const int SecondMoment = 1;

    private readonly ParameterStates _state;
    private readonly bool _decoupled;

    private protected AdaptiveMomentOptimizer(string optimizer, float learningRate, float beta1, float beta2, float epsilon, float weightDecay, bool decoupled)
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
        _decoupled = decoupled;
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>The step size; may be changed between steps (for a learning-rate schedule).</summary>
    public float LearningRate { get; set; }

    /// <summary>Decay rate of the first-moment (mean) estimate.</summary>
    public float Beta1 { get; }

    /// <summary>Decay rate of the second-moment (uncentred variance) estimate.</summary>
    public float Beta2 { get; }

    /// <summary>Added to the denominator for numerical stability.</summary>
    public float Epsilon { get; }

    /// <summary>The weight decay: added to the gradient as weightDecay·p (Adam), or multiplying every parameter by 1 − lr·weightDecay each step (AdamW).</summary>
    public float WeightDecay { get; }

    /// <summary>The number of steps taken (t in the bias corrections).</summary>
    public int StepCount { get; private set; }

    /// <inheritdoc/>
    public override void Step(IReadOnlyList<ParameterGradient> parameters) =>
        Step(parameters, LearningRate, l2WeightDecay: _decoupled ? 0f : WeightDecay, decoupledWeightDecay: _decoupled ? WeightDecay : 0f);

    private void Step(IReadOnlyList<ParameterGradient> parameters, float learningRate, float l2WeightDecay, float decoupledWeightDecay)
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
            AdamUpdate.Apply(p, grad, m, v, shrink, decoupled: decoupledWeightDecay != 0f, l2WeightDecay, 1f - Beta1, Beta2,
                stepSize, biasCorrection2Sqrt, Epsilon);
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
