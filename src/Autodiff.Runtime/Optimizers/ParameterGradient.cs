using System;

namespace Autodiff.Optimizers;

/// <summary>
/// A trainable parameter, the gradient computed for it, and a name for messages: either a tensor
/// (updated in place) or a <c>float</c>/<c>double</c> scalar that lives in a field of a model and
/// is read and written through <see cref="IScalarParameters"/>.
/// </summary>
public readonly record struct ParameterGradient
{
    private readonly Tensor? _parameter;
    private readonly Tensor? _gradient;
    private readonly IScalarParameters? _scalars;
    private readonly int _scalarIndex;

    /// <summary>A tensor parameter.</summary>
    /// <param name="name">A name for error messages, such as <c>"layer1.weight"</c>.</param>
    /// <param name="parameter">The tensor the optimiser updates in place.</param>
    /// <param name="gradient">The gradient of the loss with respect to <paramref name="parameter"/>, same shape.</param>
    public ParameterGradient(string name, Tensor parameter, Tensor gradient)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(gradient);
        Name = name;
        _parameter = parameter;
        _gradient = gradient;
    }

    /// <summary>
    /// A scalar parameter: number <paramref name="index"/> of the scalars that
    /// <paramref name="scalars"/> reads and writes (a generated <c>Gradients</c> for a model's
    /// <c>float</c> and <c>double</c> fields).
    /// </summary>
    public ParameterGradient(string name, IScalarParameters scalars, int index)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(scalars);
        Name = name;
        _scalars = scalars;
        _scalarIndex = index;
    }

    /// <summary>A name for error messages; a sub-model's parameters are named by their path (<c>blocks[2].attn.Wq</c>).</summary>
    public string Name { get; }

    /// <summary>The same parameter, named as its holder sees it: <c>prefix</c> followed by this name.</summary>
    internal ParameterGradient Prefixed(string prefix) =>
        _scalars is null ? new ParameterGradient(prefix + Name, _parameter!, _gradient!) : new ParameterGradient(prefix + Name, _scalars, _scalarIndex);

    /// <summary>Whether this is a scalar parameter (<see cref="ScalarValue"/>, <see cref="ScalarGradient"/>) rather than a tensor.</summary>
    public bool IsScalar => _scalars is not null;

    /// <summary>The tensor the optimiser updates in place.</summary>
    /// <exception cref="InvalidOperationException">This is a scalar parameter.</exception>
    public Tensor Parameter => _scalars is null ? _parameter! : throw NotATensor();

    /// <summary>The gradient of the loss with respect to <see cref="Parameter"/>, same shape.</summary>
    /// <exception cref="InvalidOperationException">This is a scalar parameter.</exception>
    public Tensor Gradient => _scalars is null ? _gradient! : throw NotATensor();

    /// <summary>The value of a scalar parameter, read from and written to its model.</summary>
    /// <exception cref="InvalidOperationException">This is a tensor parameter.</exception>
    public double ScalarValue
    {
        get => Scalars.GetValue(_scalarIndex);
        set => Scalars.SetValue(_scalarIndex, value);
    }

    /// <summary>The gradient of the loss with respect to a scalar parameter.</summary>
    /// <exception cref="InvalidOperationException">This is a tensor parameter.</exception>
    public double ScalarGradient => Scalars.GetGradient(_scalarIndex);

    /// <summary>Multiplies a scalar parameter's gradient by <paramref name="factor"/>.</summary>
    internal void ScaleScalarGradient(double factor) => Scalars.SetGradient(_scalarIndex, Scalars.GetGradient(_scalarIndex) * factor);

    private IScalarParameters Scalars => _scalars ?? throw new InvalidOperationException(
        $"ParameterGradient: '{Name}' is a tensor parameter; read Parameter and Gradient instead.");

    private InvalidOperationException NotATensor() => new(
        $"ParameterGradient: '{Name}' is a scalar parameter; read ScalarValue and ScalarGradient instead (IsScalar tells the two apart).");
}

/// <summary>
/// Scalar parameters (a model's <c>float</c> and <c>double</c> fields) and their gradients, by
/// number, so that an optimiser can update fields it cannot hold a reference to. Generated
/// <c>Gradients</c> classes implement it for their model.
/// </summary>
public interface IScalarParameters
{
    /// <summary>The current value of scalar parameter <paramref name="index"/>.</summary>
    double GetValue(int index);

    /// <summary>Sets scalar parameter <paramref name="index"/> (a <c>float</c> one is rounded to float).</summary>
    void SetValue(int index, double value);

    /// <summary>The gradient of scalar parameter <paramref name="index"/>.</summary>
    double GetGradient(int index);

    /// <summary>
    /// Sets the gradient of scalar parameter <paramref name="index"/> (gradient clipping scales it).
    /// Generated <c>Gradients</c> classes implement it; other implementations need to for clipping.
    /// </summary>
    void SetGradient(int index, double value) =>
        throw new NotSupportedException($"{GetType().Name} does not implement IScalarParameters.SetGradient, so its scalar gradients cannot be scaled (by GradientClipping).");
}
