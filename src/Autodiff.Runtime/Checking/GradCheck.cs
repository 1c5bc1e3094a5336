using System;

namespace Autodiff;

/// <summary>
/// Checks gradients against central differences, like <c>torch.autograd.gradcheck</c>: give it a
/// function, its gradient (a generated <c>FGradient</c> or <c>FPullback</c> adapted in a lambda,
/// or a hand-written one) and a point; read the <see cref="GradCheckResult"/> or call
/// <see cref="GradCheckResult.ThrowIfFailed"/>.
/// </summary>
/// <remarks>
/// <para>
/// Differences are taken and compared in double. An element passes when
/// |analytic − numeric| ≤ atol + rtol·|numeric|; the defaults are gradcheck's for double
/// (<see cref="GradCheckOptions.ForDouble"/>: eps 1e-6, atol 1e-5, rtol 1e-3) and wider ones
/// for float32 functions and tensor models (<see cref="GradCheckOptions.ForFloat"/>: eps 1e-3,
/// atol 1e-2, rtol 1e-2), chosen by the form called unless options are given.
/// </para>
/// <para>
/// A check of every element costs two evaluations per element (plus, for pullbacks, one pullback
/// per output); <see cref="GradCheckOptions.FastMode"/> costs two evaluations and one gradient
/// per random direction instead. The caller's arrays are never modified: every call of the
/// function, gradient or pullback receives a fresh copy of the (perturbed) point, since a function
/// may write into its argument. A non-finite gradient or difference fails the check and is
/// counted in <see cref="GradCheckResult.NonFinite"/>.
/// </para>
/// </remarks>
public static partial class GradCheck
{
    /// <summary>
    /// Checks the gradient of a scalar function of a vector, in double precision:
    /// <c>GradCheck.Gradient(x => F(x[0], x[1]), x => { FGradient(x[0], x[1], out double da, out double db); return [da, db]; }, [0.5, 2])</c>.
    /// </summary>
    /// <param name="function">f(x).</param>
    /// <param name="gradient">∇f(x), one element per element of x.</param>
    /// <param name="point">Where to check; not modified.</param>
    /// <param name="options">Step, tolerances and mode; <see cref="GradCheckOptions.ForDouble"/> when null.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The gradient's length differs from the point's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static GradCheckResult Gradient(Func<double[], double> function, Func<double[], double[]> gradient, double[] point, GradCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(point);
        options = Resolve(options, GradCheckOptions.ForDouble);
        var values = new DoubleArrayValues(point);
        double[] analytic = Returned.RequireInputs(gradient(values.Copy()), point.Length, nameof(gradient));
        return ScalarCheck.Run(values, () => function(values.Copy()), analytic, options, GradCheckPrecision.Double);
    }

    /// <summary>
    /// Checks the gradient of a float32 scalar function of a vector. The function is evaluated at
    /// points rounded to float, each difference is divided by the step actually taken, and the
    /// comparison uses float tolerances (<see cref="GradCheckOptions.ForFloat"/>), since float
    /// rounding of the function's value limits what differences can resolve. For a tighter check,
    /// pass a double version of the function to <see cref="GradientAgainstTwin"/>.
    /// </summary>
    /// <param name="function">f(x), computed in float.</param>
    /// <param name="gradient">∇f(x), one element per element of x.</param>
    /// <param name="point">Where to check; not modified.</param>
    /// <param name="options">Step, tolerances and mode; <see cref="GradCheckOptions.ForFloat"/> when null.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The gradient's length differs from the point's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static GradCheckResult Gradient(Func<float[], float> function, Func<float[], float[]> gradient, float[] point, GradCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(point);
        options = Resolve(options, GradCheckOptions.ForFloat);
        var values = new FloatArrayValues(point);
        double[] analytic = Returned.RequireInputs(FloatArrays.ToDouble(gradient(values.Copy())), point.Length, nameof(gradient));
        return ScalarCheck.Run(values, () => function(values.Copy()), analytic, options, GradCheckPrecision.Float);
    }

    /// <summary>
    /// Checks a float32 gradient against central differences of a double twin of its function (the
    /// same formula written in double): the differences are then as accurate as for a double
    /// function, and only the float gradient's own rounding (about 1e-7 relative) stands between
    /// the two, well inside gradcheck's tolerances (<see cref="GradCheckOptions.ForDouble"/>).
    /// </summary>
    /// <param name="doubleTwin">f(x) computed in double.</param>
    /// <param name="gradient">The float gradient under test, one element per element of x.</param>
    /// <param name="point">Where to check (the twin sees it widened to double); not modified.</param>
    /// <param name="options">Step, tolerances and mode; <see cref="GradCheckOptions.ForDouble"/> when null.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The gradient's length differs from the point's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static GradCheckResult GradientAgainstTwin(Func<double[], double> doubleTwin, Func<float[], float[]> gradient, float[] point, GradCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(doubleTwin);
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(point);
        options = Resolve(options, GradCheckOptions.ForDouble);
        var values = new DoubleArrayValues(FloatArrays.ToDouble(point)!);
        double[] analytic = Returned.RequireInputs(FloatArrays.ToDouble(gradient((float[])point.Clone())), point.Length, nameof(gradient));
        return ScalarCheck.Run(values, () => doubleTwin(values.Copy()), analytic, options, GradCheckPrecision.FloatGradientDoubleTwin);
    }

    /// <summary>The options to use, checked: the caller's, or the form's defaults.</summary>
    private static GradCheckOptions Resolve(GradCheckOptions? options, GradCheckOptions defaults)
    {
        options ??= defaults;
        options.Validate();
        return options;
    }
}
