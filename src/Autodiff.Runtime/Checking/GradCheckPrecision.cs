namespace Autodiff;

/// <summary>The arithmetic a <see cref="GradCheck"/> checked, which decides its default tolerances.</summary>
public enum GradCheckPrecision
{
    /// <summary>A double function and gradient: differences at the exact perturbed points.</summary>
    Double,

    /// <summary>
    /// A float32 function (or a model with float32 tensors): the perturbed points are rounded to
    /// float, the difference is divided by the step actually taken, and the function's own float
    /// rounding limits the accuracy (<see cref="GradCheckOptions.ForFloat"/>).
    /// </summary>
    Float,

    /// <summary>A float32 gradient against differences of a double twin of its function.</summary>
    FloatGradientDoubleTwin,
}
