using System;
using System.ComponentModel;

namespace Autodiff.Runtime;

/// <summary>The errors of generated <c>Gradients</c> classes about their model's parameters.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ModelParameters
{
    /// <summary>A tensor parameter is null when its gradients are created.</summary>
    public static ArgumentException Null(string model, string parameter) => new(
        $"{model}.{parameter} is null: give every tensor parameter a value before creating the model's Gradients.", nameof(model));

    /// <summary>A tensor parameter was replaced after its gradients were created.</summary>
    public static InvalidOperationException Replaced(string model, string parameter) => new(
        $"{model}.{parameter} was replaced by another tensor after its Gradients were created, so the gradients and the optimiser would "
        + $"keep updating the old tensor and training would silently stop. Copy new values into the parameter instead "
        + $"({parameter}.CopyFrom(newValues)), or create new Gradients (and a new optimiser) after replacing it.");
}
