using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using Xunit;

namespace Autodiff.Generator.Tests.Harness;

/// <summary>
/// Loads the output of a generator run (user code plus generated code) and calls its methods, so
/// that a test can check the values generated code computes, not only its text.
/// </summary>
public sealed class Execution
{
    private readonly Assembly _assembly;

    private Execution(Assembly assembly) => _assembly = assembly;

    /// <summary>Compiles the run's output (it must be free of errors and warnings) and loads it in a collectible context.</summary>
    public static Execution Load(GeneratorRun run)
    {
        Assert.Empty(run.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Empty(run.OutputProblems());
        using var stream = new MemoryStream();
        EmitResult result = run.Output.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        stream.Position = 0;
        var context = new AssemblyLoadContext("generated-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        return new Execution(context.LoadFromStream(stream));
    }

    public object? Call(string type, string method, params object?[] arguments)
    {
        Type owner = _assembly.GetType(type) ?? throw new ArgumentException("no type " + type);
        MethodInfo info = owner.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance)
            .Single(m => m.Name == method && m.GetParameters().Length == arguments.Length);
        try
        {
            return info.Invoke(null, arguments);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw exception.InnerException;
        }
    }

    public object Create(string type, params object?[] arguments) =>
        Activator.CreateInstance(_assembly.GetType(type) ?? throw new ArgumentException("no type " + type), arguments)!;

    public object? Invoke(object instance, string method, object?[] arguments)
    {
        MethodInfo info = instance.GetType().GetMethods().Single(m => m.Name == method && m.GetParameters().Length == arguments.Length);
        try
        {
            return info.Invoke(instance, arguments);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw exception.InnerException;
        }
    }

    /// <summary>A static field or constant of a generated type.</summary>
    public object? Constant(string type, string name) =>
        (_assembly.GetType(type) ?? throw new ArgumentException("no type " + type))
            .GetField(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null);

    public object? Field(object instance, string name) => instance.GetType().GetField(name)!.GetValue(instance);

    /// <summary>∂F/∂x by central differences of F(x) with the other arguments fixed.</summary>
    public double CentralDifference(string type, string method, object?[] arguments, int index, double eps = 1e-6)
    {
        object?[] plus = Copy(arguments);
        object?[] minus = Copy(arguments);
        plus[index] = (double)arguments[index]! + eps;
        minus[index] = (double)arguments[index]! - eps;
        return ((double)Call(type, method, plus)! - (double)Call(type, method, minus)!) / (2 * eps);
    }

    /// <summary>The arguments with fresh copies of the arrays: a method may write into the arrays it is given.</summary>
    private static object?[] Copy(object?[] arguments) => arguments.Select(a => a is Array array ? array.Clone() : a).ToArray();

    /// <summary>∂F/∂a[element] by central differences, on copies of the array.</summary>
    public double CentralDifference(string type, string method, object?[] arguments, int index, int element, double eps = 1e-6)
    {
        double Evaluate(double offset)
        {
            object?[] copy = Copy(arguments);
            ((double[])copy[index]!)[element] += offset;
            return (double)Call(type, method, copy)!;
        }
        return (Evaluate(eps) - Evaluate(-eps)) / (2 * eps);
    }

    /// <summary>PyTorch gradcheck's tolerance: |a - b| ≤ atol + rtol·|b|.</summary>
    public static void AssertClose(double expected, double actual, double atol = 1e-5, double rtol = 1e-3) =>
        Assert.True(Math.Abs(actual - expected) <= atol + rtol * Math.Abs(expected), $"expected {expected}, got {actual}");
}
