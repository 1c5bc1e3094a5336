using System;
using System.Collections.Generic;

namespace Autodiff.Optimizers;

/// <summary>
/// An optimiser's per-parameter buffers (PyTorch's <c>optimizer.state</c>), created as zeros on
/// the first step and matched to the parameters by position afterwards.
/// </summary>
internal sealed class ParameterStates(string optimizer, int buffersPerParameter)
{
    private Tensor[] _buffers = [];
    private int _parameterCount = -1;

    /// <summary>
    /// Checks every gradient against its parameter and, after the first step, the parameters
    /// against the state; on the first step creates the state. Returns whether this was the
    /// first step.
    /// </summary>
    public bool Bind(IReadOnlyList<ParameterGradient> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        int count = parameters.Count;
        for (int i = 0; i < count; i++)
        {
            ParameterGradient entry = parameters[i];
            ArgumentNullException.ThrowIfNull(entry.Parameter, nameof(ParameterGradient.Parameter));
            ArgumentNullException.ThrowIfNull(entry.Gradient, nameof(ParameterGradient.Gradient));
            if (!entry.Parameter.Shape.SequenceEqual(entry.Gradient.Shape))
            {
                throw new ShapeMismatchException(
                    $"{optimizer}.Step: parameter '{entry.Name}' has shape {TensorShape.Format(entry.Parameter.Shape)} but its gradient has shape {TensorShape.Format(entry.Gradient.Shape)}.");
            }
        }

        if (_parameterCount < 0)
        {
            _buffers = new Tensor[count * buffersPerParameter];
            for (int i = 0; i < _buffers.Length; i++)
            {
                _buffers[i] = Tensor.CreateUnpooled(parameters[i / buffersPerParameter].Parameter.Shape);
            }
            _parameterCount = count;
            return true;
        }

        if (count != _parameterCount)
        {
            throw new ArgumentException(
                $"{optimizer}.Step: received {count} parameters but the first step had {_parameterCount}; pass the same parameters in the same order at every step.");
        }
        for (int i = 0; i < count; i++)
        {
            ParameterGradient entry = parameters[i];
            if (buffersPerParameter > 0 && !_buffers[i * buffersPerParameter].HasShape(entry.Parameter.Shape))
            {
                throw new ShapeMismatchException(
                    $"{optimizer}.Step: parameter {i} ('{entry.Name}') has shape {TensorShape.Format(entry.Parameter.Shape)} but its state was created for shape {TensorShape.Format(_buffers[i * buffersPerParameter].Shape)}; pass the same parameters in the same order at every step.");
            }
        }
        return false;
    }

    /// <summary>Buffer <paramref name="which"/> of the parameter at <paramref name="position"/>.</summary>
    public Span<float> Buffer(int position, int which) => _buffers[position * buffersPerParameter + which].Span;
}
