using System;
using System.Collections.Generic;
using Autodiff.Optimizers;

namespace Autodiff;

/// <summary>
/// A model's parameters as one flat vector, in place: each tensor's elements in row-major order,
/// then each scalar parameter, in the order of the list (the order <c>Gradients.Parameters</c>
/// gives). Setting an element writes into the model itself; the checks restore every element.
/// </summary>
internal sealed class ModelValues : CheckedValues
{
    private readonly IReadOnlyList<ParameterGradient> _parameters;
    private readonly int[] _parameterOf;
    private readonly int[] _offsetOf;

    public ModelValues(IReadOnlyList<ParameterGradient> parameters)
    {
        _parameters = parameters;
        var parameterOf = new List<int>();
        var offsetOf = new List<int>();
        for (int p = 0; p < parameters.Count; p++)
        {
            ParameterGradient parameter = parameters[p];
            int length = parameter.IsScalar ? 1 : parameter.Parameter.Length;
            if (!parameter.IsScalar && !parameter.Gradient.HasShape(parameter.Parameter.Shape))
            {
                throw new ArgumentException(
                    $"GradCheck: parameter '{parameter.Name}' has shape {TensorShape.Format(parameter.Parameter.Shape)} "
                    + $"but its gradient has shape {TensorShape.Format(parameter.Gradient.Shape)}.", nameof(parameters));
            }
            HasTensors |= !parameter.IsScalar;
            for (int i = 0; i < length; i++)
            {
                parameterOf.Add(p);
                offsetOf.Add(i);
            }
        }
        _parameterOf = parameterOf.ToArray();
        _offsetOf = offsetOf.ToArray();
    }

    /// <summary>Whether any parameter is a (float32) tensor.</summary>
    public bool HasTensors { get; }

    public override int Count => _parameterOf.Length;

    public override double Get(int index)
    {
        ParameterGradient parameter = _parameters[_parameterOf[index]];
        return parameter.IsScalar ? parameter.ScalarValue : parameter.Parameter.Span[_offsetOf[index]];
    }

    public override double Perturb(int index, double original, double delta)
    {
        ParameterGradient parameter = _parameters[_parameterOf[index]];
        if (!parameter.IsScalar)
        {
            return parameter.Parameter.Span[_offsetOf[index]] = Steps.Float((float)original, delta);
        }
        // The model rounds a float field itself; should that swallow the step, double it until the field changes.
        parameter.ScalarValue = original + delta;
        for (int attempt = 0; attempt < 64 && delta != 0 && parameter.ScalarValue == original; attempt++)
        {
            delta *= 2;
            parameter.ScalarValue = original + delta;
        }
        return parameter.ScalarValue;
    }

    public override void Restore(int index, double original)
    {
        ParameterGradient parameter = _parameters[_parameterOf[index]];
        if (parameter.IsScalar)
        {
            parameter.ScalarValue = original;
        }
        else
        {
            parameter.Parameter.Span[_offsetOf[index]] = (float)original;
        }
    }

    /// <summary>Every parameter's gradient, flattened in the same order as the values.</summary>
    public double[] ReadGradients()
    {
        var gradients = new double[Count];
        int next = 0;
        foreach (ParameterGradient parameter in _parameters)
        {
            if (parameter.IsScalar)
            {
                gradients[next++] = parameter.ScalarGradient;
                continue;
            }
            foreach (float value in parameter.Gradient.AsReadOnlySpan())
            {
                gradients[next++] = value;
            }
        }
        return gradients;
    }

    public override ElementName Name(int index)
    {
        ParameterGradient parameter = _parameters[_parameterOf[index]];
        int offset = _offsetOf[index];
        if (parameter.IsScalar)
        {
            return new(parameter.Name, 0, [], parameter.Name);
        }
        int[] multiIndex = RowMajor.MultiIndex(parameter.Parameter.Shape, offset);
        string text = multiIndex.Length == 0
            ? parameter.Name
            : $"{parameter.Name}[{string.Join(", ", multiIndex)}] (element {offset} of {parameter.Parameter.Length})";
        return new(parameter.Name, offset, multiIndex, text);
    }
}
