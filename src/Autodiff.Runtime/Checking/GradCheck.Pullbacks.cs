using System;

namespace Autodiff;

public static partial class GradCheck
{
    /// <summary>
    /// Checks the pullback (vector-Jacobian product) of a vector function in double precision:
    /// every Jacobian entry, from differences column by column and from the pullback row by row
    /// with unit seeds; or, in fast mode, vᵀJu for random unit u and v.
    /// </summary>
    /// <param name="function">y = f(x); the output length must not depend on x's values.</param>
    /// <param name="pullback">(x, seed) ↦ seedᵀ·∂f/∂x, one element per element of x.</param>
    /// <param name="point">Where to check; not modified.</param>
    /// <param name="options">Step, tolerances and mode; <see cref="GradCheckOptions.ForDouble"/> when null.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The pullback's length differs from the point's, or the function's output length changes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static GradCheckResult Pullback(Func<double[], double[]> function, Func<double[], double[], double[]> pullback, double[] point, GradCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(pullback);
        ArgumentNullException.ThrowIfNull(point);
        options = Resolve(options, GradCheckOptions.ForDouble);
        var values = new DoubleArrayValues(point);
        double[] at = values.Copy();
        return VectorCheck.Run(
            values,
            () => function(values.Copy()),
            seed => Returned.RequireInputs(pullback((double[])at.Clone(), seed), point.Length, nameof(pullback)),
            options,
            GradCheckPrecision.Double);
    }

    /// <summary>
    /// Checks the pullback of a float32 vector function; as
    /// <see cref="Pullback(Func{double[], double[]}, Func{double[], double[], double[]}, double[], GradCheckOptions?)"/>,
    /// with the points rounded to float, each difference divided by the step actually taken, and
    /// float tolerances (<see cref="GradCheckOptions.ForFloat"/>).
    /// </summary>
    /// <param name="function">y = f(x), computed in float.</param>
    /// <param name="pullback">(x, seed) ↦ seedᵀ·∂f/∂x, one element per element of x.</param>
    /// <param name="point">Where to check; not modified.</param>
    /// <param name="options">Step, tolerances and mode; <see cref="GradCheckOptions.ForFloat"/> when null.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The pullback's length differs from the point's, or the function's output length changes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static GradCheckResult Pullback(Func<float[], float[]> function, Func<float[], float[], float[]> pullback, float[] point, GradCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(pullback);
        ArgumentNullException.ThrowIfNull(point);
        options = Resolve(options, GradCheckOptions.ForFloat);
        var values = new FloatArrayValues(point);
        float[] at = values.Copy();
        return VectorCheck.Run(
            values,
            () => FloatArrays.ToDouble(function(values.Copy())),
            seed => Returned.RequireInputs(FloatArrays.ToDouble(pullback((float[])at.Clone(), FloatArrays.ToFloat(seed))), point.Length, nameof(pullback)),
            options,
            GradCheckPrecision.Float);
    }

    /// <summary>
    /// Checks the pullback of a tensor function of one tensor, in the form the generator writes it:
    /// <c>GradCheck.Pullback(x => F(x), (x, seed, dx) => FPullback(x, seed, dx), point)</c>. The
    /// pullback receives the point, a seed of the result's shape and a zeroed accumulator of the
    /// point's shape, and adds seedᵀ·∂F/∂x into the accumulator. Float tolerances
    /// (<see cref="GradCheckOptions.ForFloat"/>) as for every float32 check; elements are named by
    /// their multi-index.
    /// </summary>
    /// <param name="function">y = F(x); its shape must not depend on x's values.</param>
    /// <param name="pullback">(x, seed, dx) ↦ dx += seedᵀ·∂F/∂x.</param>
    /// <param name="point">Where to check; not modified (the function receives copies).</param>
    /// <param name="options">Step, tolerances and mode; <see cref="GradCheckOptions.ForFloat"/> when null.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The function returns null or results of different lengths.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static GradCheckResult Pullback(Func<Tensor, Tensor> function, Action<Tensor, Tensor, Tensor> pullback, Tensor point, GradCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(pullback);
        ArgumentNullException.ThrowIfNull(point);
        options = Resolve(options, GradCheckOptions.ForFloat);
        int[] shape = point.Shape.ToArray();
        var values = new FloatArrayValues(point.ToArray(), shape);
        float[] at = values.Copy();
        // The seed takes the result's shape, learnt from the first evaluation (at the point itself),
        // which the check always makes before it calls the pullback.
        int[]? outputShape = null;
        return VectorCheck.Run(
            values,
            () =>
            {
                Tensor? result = function(Tensor.FromArray(values.Copy(), shape));
                outputShape ??= result?.Shape.ToArray();
                return FloatArrays.ToDouble(result?.ToArray());
            },
            seed =>
            {
                Tensor accumulator = Tensor.Zeros(shape);
                pullback(Tensor.FromArray((float[])at.Clone(), shape), Tensor.FromArray(FloatArrays.ToFloat(seed), outputShape!), accumulator);
                return FloatArrays.ToDouble(accumulator.ToArray())!;
            },
            options,
            GradCheckPrecision.Float);
    }
}
