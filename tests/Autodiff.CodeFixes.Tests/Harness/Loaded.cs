using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using Xunit;

namespace Autodiff.CodeFixes.Tests.Harness;

/// <summary>The fixed code, generated gradients included, compiled and loaded, to check the values it computes.</summary>
public sealed class Loaded
{
    private readonly Assembly _assembly;

    private Loaded(Assembly assembly) => _assembly = assembly;

    public static Loaded From(CodeFix fix)
    {
        Assert.Empty(fix.Errors());
        using var stream = new MemoryStream();
        EmitResult result = fix.Rerun.Output.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        stream.Position = 0;
        var context = new AssemblyLoadContext("fixed-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        return new Loaded(context.LoadFromStream(stream));
    }

    /// <summary>Calls a static method; arguments are updated in place for its out and ref parameters.</summary>
    public object? Call(string type, string method, object?[] arguments)
    {
        Type owner = _assembly.GetType(type) ?? throw new ArgumentException("no type " + type);
        MethodInfo info = owner.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
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
}
