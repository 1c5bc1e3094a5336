using System;
using System.Collections.Generic;

namespace Autodiff.Optimizers;

/// <summary>
/// An optimiser's per-parameter buffers (PyTorch's <c>optimizer.state</c>), created as zeros on
/// the first step and matched to the parameters by position afterwards: tensors for tensor
/// parameters, doubles for scalar ones.
/// </summary>
internal sealed class ParameterStates(string optimizer, int buffersPerParameter)
{
    private Tensor?[] _buffers = [];
    private double[] _scalars = [];
    private bool[] _isScalar = [];
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
            if (entry.IsScalar)
            {
                continue;
            }
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
            _buffers = new Tensor?[count * buffersPerParameter];
            _scalars = new double[count * buffersPerParameter];
            _isScalar = new bool[count];
            for (int i = 0; i < count; i++)
            {
                _isScalar[i] = parameters[i].IsScalar;
            }
            for (int i = 0; i < _buffers.Length; i++)
            {
                ParameterGradient entry = parameters[i / buffersPerParameter];
                _buffers[i] = entry.IsScalar ? null : Tensor.CreateUnpooled(entry.Parameter.Shape);
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
            if (entry.IsScalar != _isScalar[i])
            {
                throw new ArgumentException(
                    $"{optimizer}.Step: parameter {i} ('{entry.Name}') is a {(entry.IsScalar ? "scalar" : "tensor")} but was a {(_isScalar[i] ? "scalar" : "tensor")} at the first step; pass the same parameters in the same order at every step.");
            }
            if (buffersPerParameter > 0 && !entry.IsScalar && !_buffers[i * buffersPerParameter]!.HasShape(entry.Parameter.Shape))
            {
                throw new ShapeMismatchException(
                    $"{optimizer}.Step: parameter {i} ('{entry.Name}') has shape {TensorShape.Format(entry.Parameter.Shape)} but its state was created for shape {TensorShape.Format(_buffers[i * buffersPerParameter]!.Shape)}; pass the same parameters in the same order at every step.");
            }
        }
        return false;
    }

    /// <summary>Buffer <paramref name="which"/> of the tensor parameter at <paramref name="position"/>.</summary>
    public Span<float> Buffer(int position, int which) => _buffers[position * buffersPerParameter + which]!.Span;

    /// <summary>State <paramref name="which"/> of the scalar parameter at <paramref name="position"/>.</summary>
    public ref double Scalar(int position, int which) => ref _scalars[position * buffersPerParameter + which];
}
