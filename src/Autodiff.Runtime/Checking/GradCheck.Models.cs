using System;
using System.Collections.Generic;
using Autodiff.Optimizers;

namespace Autodiff;

public static partial class GradCheck
{
    /// <summary>
    /// Checks a model's gradients: each parameter element (or, in fast mode, random directions
    /// through all of them) is perturbed in place, the loss evaluated, and the difference compared
    /// with the gradient that <paramref name="computeGradients"/> produced. With a generated model:
    /// <c>GradCheck.Model(gradients.Parameters, () => model.Loss(x, y).Item(), () => model.LossGradient(x, y, gradients))</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The gradient taken is what <paramref name="computeGradients"/> adds to the parameters'
    /// gradients (generated methods accumulate, as <c>.grad</c> does), so zeroing them first is not
    /// required; it is called once, at the unperturbed parameters. Every parameter is restored to
    /// its exact value afterwards, also when the loss throws (the exception then propagates).
    /// </para>
    /// <para>
    /// Tensors are float32, so when any parameter is a tensor the loss is a float computation and
    /// the float defaults apply (<see cref="GradCheckOptions.ForFloat"/>: eps 1e-3, atol 1e-2,
    /// rtol 1e-2); each perturbed element is rounded to float and its difference divided by the
    /// step actually taken. A model of double scalars only gets gradcheck's double defaults.
    /// Any list of <see cref="ParameterGradient"/>s works, so the inputs of a static tensor
    /// function can be checked too, with a list built by hand.
    /// </para>
    /// </remarks>
    /// <param name="parameters">The parameters and their gradients, such as a generated <c>Gradients.Parameters</c>.</param>
    /// <param name="loss">The loss at the model's current parameters, without gradients (the model's own method).</param>
    /// <param name="computeGradients">Adds the loss's gradient into the parameters' gradients (the generated <c>LossGradient</c>).</param>
    /// <param name="options">Step, tolerances and mode; chosen by precision when null.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">There are no parameters, or a gradient's shape differs from its parameter's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static GradCheckResult Model(IReadOnlyList<ParameterGradient> parameters, Func<double> loss, Action computeGradients, GradCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return CheckModel(parameters, loss, computeGradients, options, floatLoss: false);
    }

    /// <summary>
    /// Checks a model's gradients with a float loss (such as <c>model.Loss(x, y).Item()</c>); as
    /// <see cref="Model(IReadOnlyList{ParameterGradient}, Func{double}, Action, GradCheckOptions?)"/>,
    /// with the float defaults whatever the parameters.
    /// </summary>
    /// <param name="parameters">The parameters and their gradients, such as a generated <c>Gradients.Parameters</c>.</param>
    /// <param name="loss">The loss at the model's current parameters, without gradients (the model's own method).</param>
    /// <param name="computeGradients">Adds the loss's gradient into the parameters' gradients (the generated <c>LossGradient</c>).</param>
    /// <param name="options">Step, tolerances and mode; <see cref="GradCheckOptions.ForFloat"/> when null.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">There are no parameters, or a gradient's shape differs from its parameter's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static GradCheckResult Model(IReadOnlyList<ParameterGradient> parameters, Func<float> loss, Action computeGradients, GradCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return CheckModel(parameters, () => loss(), computeGradients, options, floatLoss: true);
    }

    private static GradCheckResult CheckModel(IReadOnlyList<ParameterGradient> parameters, Func<double> loss, Action computeGradients, GradCheckOptions? options, bool floatLoss)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(computeGradients);
        if (parameters.Count == 0)
        {
            throw new ArgumentException("GradCheck: there are no parameters to check.", nameof(parameters));
        }
        var values = new ModelValues(parameters);
        GradCheckPrecision precision = floatLoss || values.HasTensors ? GradCheckPrecision.Float : GradCheckPrecision.Double;
        options = Resolve(options, precision == GradCheckPrecision.Float ? GradCheckOptions.ForFloat : GradCheckOptions.ForDouble);

        double[] before = values.ReadGradients();
        computeGradients();
        double[] analytic = values.ReadGradients();
        for (int i = 0; i < analytic.Length; i++)
        {
            analytic[i] -= before[i];
        }
        return ScalarCheck.Run(values, loss, analytic, options, precision);
    }
}
