using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Autodiff.Optimizers;
using Xunit;

namespace Autodiff.Runtime.Tests.Checking;

/// <summary>Bad input is refused with a message that says what is wrong.</summary>
public sealed class ArgumentTests
{
    private static readonly Func<double[], double> F = x => x[0];
    private static readonly Func<double[], double[]> G = _ => [1.0];

    [Fact]
    public void Null_arguments_are_named()
    {
        Assert.Equal("function", Assert.Throws<ArgumentNullException>(() => GradCheck.Gradient(null!, G, [1.0])).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentNullException>(() => GradCheck.Gradient(F, null!, [1.0])).ParamName);
        Assert.Equal("point", Assert.Throws<ArgumentNullException>(() => GradCheck.Gradient(F, G, null!)).ParamName);
        Assert.Equal("doubleTwin", Assert.Throws<ArgumentNullException>(() => GradCheck.GradientAgainstTwin(null!, _ => [1f], [1f])).ParamName);
        Assert.Equal("pullback", Assert.Throws<ArgumentNullException>(() => GradCheck.Pullback(x => x, (Func<double[], double[], double[]>)null!, [1.0])).ParamName);
        Assert.Equal("point", Assert.Throws<ArgumentNullException>(() => GradCheck.Pullback(x => x, (x, s, dx) => { }, (Tensor)null!)).ParamName);
        Assert.Equal("parameters", Assert.Throws<ArgumentNullException>(() => GradCheck.Model(null!, () => 1.0, () => { })).ParamName);
        Assert.Equal("loss", Assert.Throws<ArgumentNullException>(() => GradCheck.Model([], (Func<double>)null!, () => { })).ParamName);
        Assert.Equal("computeGradients", Assert.Throws<ArgumentNullException>(() => GradCheck.Model([], () => 1.0, null!)).ParamName);
    }

    [Fact]
    public void A_gradient_of_the_wrong_length_names_both_lengths()
    {
        var error = Assert.Throws<ArgumentException>(() => GradCheck.Gradient(x => x[0] + x[1] + x[2], _ => [1.0, 1.0], [1.0, 2.0, 3.0]));

        Assert.Equal("gradient", error.ParamName);
        Assert.Contains("returned 2 elements but the point has 3", error.Message);
    }

    [Fact]
    public void A_null_gradient_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => GradCheck.Gradient(F, _ => null!, [1.0]));

        Assert.Equal("gradient", error.ParamName);
        Assert.Contains("returned null", error.Message);
    }

    [Fact]
    public void A_pullback_of_the_wrong_length_names_both_lengths()
    {
        var error = Assert.Throws<ArgumentException>(() => GradCheck.Pullback(x => [x[0], x[1]], (x, seed) => [seed[0]], [1.0, 2.0]));

        Assert.Equal("pullback", error.ParamName);
        Assert.Contains("returned 1 elements but the point has 2", error.Message);
    }

    [Fact]
    public void A_function_whose_output_length_changes_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            GradCheck.Pullback(x => x[0] > 1 ? [x[0]] : [x[0], x[0]], (x, seed) => [seed[0]], [1.0]));

        Assert.Equal("function", error.ParamName);
        Assert.Contains("returned 2 values at the point but 1 at a perturbed point", error.Message);
    }

    [Fact]
    public void A_model_without_parameters_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => GradCheck.Model([], () => 1.0, () => { }));

        Assert.Equal("parameters", error.ParamName);
    }

    [Fact]
    public void A_gradient_tensor_of_another_shape_names_both_shapes()
    {
        ParameterGradient[] parameters = [new("W", Tensor.Zeros(2, 3), Tensor.Zeros(3, 2))];
        var error = Assert.Throws<ArgumentException>(() => GradCheck.Model(parameters, () => 1.0, () => { }));

        Assert.Contains("'W'", error.Message);
        Assert.Contains("[2x3]", error.Message);
        Assert.Contains("[3x2]", error.Message);
    }

    [Theory]
    [InlineData(nameof(GradCheckOptions.Eps))]
    [InlineData(nameof(GradCheckOptions.AbsoluteTolerance))]
    [InlineData(nameof(GradCheckOptions.RelativeTolerance))]
    [InlineData(nameof(GradCheckOptions.Directions))]
    public void Options_out_of_range_are_named(string option)
    {
        GradCheckOptions options = option switch
        {
            nameof(GradCheckOptions.Eps) => GradCheckOptions.ForDouble with { Eps = 0 },
            nameof(GradCheckOptions.AbsoluteTolerance) => GradCheckOptions.ForDouble with { AbsoluteTolerance = -1 },
            nameof(GradCheckOptions.RelativeTolerance) => GradCheckOptions.ForDouble with { RelativeTolerance = double.NaN },
            _ => GradCheckOptions.ForDouble with { FastMode = true, Directions = 0 },
        };

        Assert.Equal(option, Assert.Throws<ArgumentOutOfRangeException>(() => GradCheck.Gradient(F, G, [1.0], options)).ParamName);
    }

    private static readonly NullabilityInfoContext Nullability = new();

    public static IEnumerable<object[]> NonNullableParameters() =>
        from method in typeof(GradCheck).GetMethods(BindingFlags.Public | BindingFlags.Static)
        from parameter in method.GetParameters()
        where !parameter.ParameterType.IsValueType && Nullability.Create(parameter).WriteState == NullabilityState.NotNull
        select new object[] { method.ToString()!, parameter.Position };

    /// <summary>Every public form, every argument that may not be null: an ArgumentNullException naming it.</summary>
    [Theory]
    [MemberData(nameof(NonNullableParameters))]
    public void Every_form_names_a_null_argument(string signature, int position)
    {
        MethodInfo method = typeof(GradCheck).GetMethods(BindingFlags.Public | BindingFlags.Static).Single(m => m.ToString() == signature);
        ParameterInfo[] parameters = method.GetParameters();
        object?[] arguments = parameters.Select(p => p.Position == position ? null : Valid(p.ParameterType)).ToArray();

        var error = Assert.Throws<TargetInvocationException>(() => method.Invoke(null, arguments));

        Assert.Equal(parameters[position].Name, Assert.IsType<ArgumentNullException>(error.InnerException).ParamName);
    }

    [Fact]
    public void The_sweep_finds_every_form()
    {
        Assert.Equal(8, typeof(GradCheck).GetMethods(BindingFlags.Public | BindingFlags.Static).Length);
        Assert.Equal(24, NonNullableParameters().Count());
    }

    private static object? Valid(Type type) => type switch
    {
        _ when type == typeof(double[]) => new[] { 1.0 },
        _ when type == typeof(float[]) => new[] { 1f },
        _ when type == typeof(Tensor) => Tensor.Ones(1),
        _ when type == typeof(Func<double[], double>) => (Func<double[], double>)(x => x[0]),
        _ when type == typeof(Func<float[], float>) => (Func<float[], float>)(x => x[0]),
        _ when type == typeof(Func<double[], double[]>) => (Func<double[], double[]>)(x => x),
        _ when type == typeof(Func<float[], float[]>) => (Func<float[], float[]>)(x => x),
        _ when type == typeof(Func<double[], double[], double[]>) => (Func<double[], double[], double[]>)((x, seed) => seed),
        _ when type == typeof(Func<float[], float[], float[]>) => (Func<float[], float[], float[]>)((x, seed) => seed),
        _ when type == typeof(Func<Tensor, Tensor>) => (Func<Tensor, Tensor>)(x => x),
        _ when type == typeof(Action<Tensor, Tensor, Tensor>) => (Action<Tensor, Tensor, Tensor>)((x, seed, dx) => Tensor.AddInPlace(dx, seed)),
        _ when type == typeof(IReadOnlyList<ParameterGradient>) => new ParameterGradient[] { new("w", Tensor.Ones(1), Tensor.Zeros(1)) },
        _ when type == typeof(Func<double>) => (Func<double>)(() => 1.0),
        _ when type == typeof(Func<float>) => (Func<float>)(() => 1f),
        _ when type == typeof(Action) => (Action)(() => { }),
        _ => null, // the options, which may be null
    };
}
