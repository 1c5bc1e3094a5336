using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Autodiff.Derivatives;
using Autodiff.Optimizers;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>
/// Every public method of the tensor API given <see langword="null"/> where it takes a tensor or
/// an array throws <see cref="ArgumentNullException"/> naming that parameter, never a
/// <see cref="NullReferenceException"/> from inside. Parameters declared nullable (the rules'
/// accumulators) accept null and are not swept.
/// </summary>
public sealed class NullArgumentTests
{
    private static readonly NullabilityInfoContext Nullability = new();

    public static IEnumerable<object[]> Cases()
    {
        foreach (Type type in Types)
        {
            foreach (MethodBase method in Members(type))
            {
                ParameterInfo[] parameters = method.GetParameters();
                if (method.IsGenericMethodDefinition || parameters.Any(p => p.ParameterType.IsByRefLike || p.ParameterType.GetElementType()?.IsByRefLike == true))
                {
                    continue; // span forms: covered by Span_forms_check_their_tensor below
                }
                foreach (ParameterInfo parameter in parameters)
                {
                    if (!parameter.ParameterType.IsValueType && !parameter.ParameterType.IsByRef
                        && Nullability.Create(parameter).WriteState == NullabilityState.NotNull)
                    {
                        yield return [type.Name, Describe(method), parameter.Position];
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Null_throws_ArgumentNullException_naming_the_parameter(string typeName, string signature, int position)
    {
        Type type = Types.Single(t => t.Name == typeName);
        MethodBase method = Members(type).Single(m => Describe(m) == signature);
        ParameterInfo[] parameters = method.GetParameters();
        object?[] arguments = parameters.Select(p => p.Position == position ? null : Valid(p.ParameterType)).ToArray();
        object? target = method.IsStatic || method.IsConstructor ? null
            : type == typeof(Tensor) ? Tensor.Ones(2, 2) : type == typeof(Sgd) ? new Sgd(0.1f) : new Adam(); // Adam's Step is AdaptiveMomentOptimizer's

        var error = Assert.Throws<TargetInvocationException>(() => method is ConstructorInfo constructor ? constructor.Invoke(arguments) : method.Invoke(target, arguments));
        var nullError = Assert.IsType<ArgumentNullException>(error.InnerException);
        Assert.Equal(parameters[position].Name, nullError.ParamName);
    }

    private static readonly Type[] Types =
        [typeof(Tensor), typeof(TensorDerivatives), typeof(Sgd), typeof(Adam), typeof(AdaptiveMomentOptimizer), typeof(ParameterGradient), typeof(Grad)];

    private static IEnumerable<MethodBase> Members(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Cast<MethodBase>()
            .Concat(type.GetConstructors())
            .OrderBy(Describe, StringComparer.Ordinal);

    private static string Describe(MethodBase method) => method.DeclaringType!.Name + "." + method;

    private sealed class NoScalars : IScalarParameters
    {
        public double GetValue(int index) => 0;
        public void SetValue(int index, double value) { }
        public double GetGradient(int index) => 0;
    }

    [Fact]
    public void Span_forms_check_their_tensor()
    {
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => Tensor.Gather(null!, [0])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => Tensor.ArgMax(null!, new int[2])).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentNullException>(() => Tensor.FromArray(null!, 2)).ParamName);
    }

    [Fact]
    public void The_sweep_finds_the_api()
    {
        // Guards the sweep itself: if reflection stopped finding methods, the theory would pass vacuously.
        Assert.True(Cases().Count() > 150, $"{Cases().Count()} cases");
    }

    private static object? Valid(Type type) => type switch
    {
        _ when type == typeof(Tensor) => Tensor.Ones(2, 2),
        _ when type == typeof(float[]) => new float[4],
        _ when type == typeof(int[]) => new[] { 0, 0 },
        _ when type == typeof(int) => 0,
        _ when type == typeof(float) => 1f,
        _ when type == typeof(bool) => false,
        _ when type == typeof(string) => "name",
        _ when type == typeof(float).MakeByRefType() => 0f,
        _ when type == typeof(IReadOnlyList<ParameterGradient>) => Array.Empty<ParameterGradient>(),
        _ when type == typeof(IScalarParameters) => new NoScalars(),
        _ when type == typeof(double[]) => new double[4],
        _ when type == typeof(double) => 1.0,
        _ => throw new NotSupportedException($"no valid argument of type {type}"),
    };
}
