using System;
using System.Collections.Generic;

namespace Autodiff.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay,
/// following <c>torch.optim.SGD</c> (dampening 0): g = grad + weightDecay·p; with momentum,
/// buf = g on the first step and momentum·buf + g afterwards, and g becomes buf (or
/// g + momentum·buf with Nesterov); then p −= learningRate·g.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly ParameterStates _state;

    /// <summary>Creates the optimiser; arguments are checked as PyTorch checks them.</summary>
    public Sgd(float learningRate, float momentum = 0f, float weightDecay = 0f, bool nesterov = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(learningRate);
        ArgumentOutOfRangeException.ThrowIfNegative(momentum);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        if (nesterov && momentum <= 0f)
        {
            throw new ArgumentException("Sgd: Nesterov momentum requires a positive momentum.", nameof(nesterov));
        }
        LearningRate = learningRate;
        Momentum = momentum;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        _state = new ParameterStates(nameof(Sgd), momentum != 0f ? 1 : 0);
    }

    /// <summary>The step size; may be changed between steps (for a learning-rate schedule).</summary>
    public float LearningRate { get; set; }

    /// <summary>The momentum factor (0: none).</summary>
    public float Momentum { get; }

    /// <summary>The L2 penalty added to the gradient as weightDecay·p.</summary>
    public float WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    public override void Step(IReadOnlyList<ParameterGradient> parameters)
    {
        bool firstStep = _state.Bind(parameters);
        for (int i = 0; i < parameters.Count; i++)
        {
            ParameterGradient entry = parameters[i];
            if (entry.IsScalar)
            {
                StepScalar(entry, i, firstStep);
                continue;
            }
            Span<float> p = entry.Parameter.Span;
            ReadOnlySpan<float> grad = entry.Gradient.Span;
            if (Momentum == 0f)
            {
                ElementwiseLoop.Map(new SgdPlainKernel(LearningRate, WeightDecay), grad, p, p);
                continue;
            }
            Span<float> buffer = _state.Buffer(i, 0);
            ElementwiseLoop.Map(new SgdMomentumKernel(WeightDecay, Momentum, firstStep), grad, p, buffer, buffer);
            if (Nesterov)
            {
                ElementwiseLoop.Map(new SgdNesterovStepKernel(LearningRate, WeightDecay, Momentum), grad, buffer, p, p);
            }
            else
            {
                ElementwiseLoop.Map(new SgdMomentumStepKernel(LearningRate), buffer, p, p);
            }
        }
    }

    /// <summary>The same update for a scalar parameter, in double (a float one is rounded once, when stored).</summary>
    private void StepScalar(ParameterGradient parameter, int position, bool firstStep)
    {
        double p = parameter.ScalarValue;
        double g = parameter.ScalarGradient + (double)WeightDecay * p;
        if (Momentum != 0f)
        {
            ref double buffer = ref _state.Scalar(position, 0);
            buffer = firstStep ? g : Momentum * buffer + g;
            g = Nesterov ? g + Momentum * buffer : buffer;
        }
        parameter.ScalarValue = p - (double)LearningRate * g;
    }
}
