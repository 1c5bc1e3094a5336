namespace Autodiff;

/// <summary>Gradient control inside differentiable methods.</summary>
public static class Grad
{
    /// <summary>
    /// Returns <paramref name="value"/> unchanged but cuts it from the gradient, like PyTorch's
    /// <c>detach()</c>: whatever the result feeds receives no gradient through this path.
    /// </summary>
    public static double Stop(double value) => value;

    /// <inheritdoc cref="Stop(double)"/>
    public static float Stop(float value) => value;

    /// <summary>
    /// Returns <paramref name="value"/> itself (no copy, as <c>detach()</c> shares storage) but cuts
    /// it from the gradient: whatever the result feeds receives no gradient through this path.
    /// </summary>
    public static Tensor Stop(Tensor value)
    {
        System.ArgumentNullException.ThrowIfNull(value);
        return value;
    }
}
