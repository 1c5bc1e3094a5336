using System;
using System.Collections.Generic;
using System.ComponentModel;
using Autodiff.Optimizers;

namespace Autodiff.Runtime;

/// <summary>The errors of generated <c>Gradients</c> classes about their model's parameters.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ModelParameters
{
    /// <summary>A tensor parameter is null when its gradients are created.</summary>
    public static ArgumentException Null(string model, string parameter) => new(
        $"{model}.{parameter} is null: give every tensor parameter a value before creating the model's Gradients.", nameof(model));

    /// <summary>A sub-model is null when its gradients are created.</summary>
    public static ArgumentException NullSubModel(string model, string subModel) => new(
        $"{model}.{subModel} is null: create every sub-model before creating the model's Gradients.", nameof(model));

    /// <summary>A sub-model (or an element of an array or list of them) was replaced, or the list changed length, after its gradients were created.</summary>
    public static InvalidOperationException SubModelReplaced(string model, string subModel) => new(
        $"{model}.{subModel} was replaced by another object after the model's Gradients were created, so its gradients and the optimiser "
        + $"would keep updating the old one and training would silently stop. Copy new weights into the existing sub-model instead, "
        + $"or create new Gradients (and a new optimiser) after replacing it.");

    /// <summary>Adds a sub-model's parameters to its holder's, each named by its path (<c>blocks[2].</c> then the sub-model's own name).</summary>
    public static void AddNested(List<ParameterGradient> into, string prefix, IReadOnlyList<ParameterGradient> nested)
    {
        foreach (ParameterGradient parameter in nested)
        {
            into.Add(parameter.Prefixed(prefix));
        }
    }

    /// <summary>A tensor parameter was replaced after its gradients were created.</summary>
    public static InvalidOperationException Replaced(string model, string parameter) => new(
        $"{model}.{parameter} was replaced by another tensor after its Gradients were created, so the gradients and the optimiser would "
        + $"keep updating the old tensor and training would silently stop. Copy new values into the parameter instead "
        + $"({parameter}.CopyFrom(newValues)), or create new Gradients (and a new optimiser) after replacing it.");
}
