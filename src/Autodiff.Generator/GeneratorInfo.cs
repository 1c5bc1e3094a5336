namespace Autodiff.Generator;

internal static class GeneratorInfo
{
    /// <summary>Stamped into [GeneratedCode] attributes.</summary>
    public const string Version = "0.1.0";

    /// <summary>The attribute on every generated member.</summary>
    public const string GeneratedCodeAttribute = "[global::System.CodeDom.Compiler.GeneratedCode(\"Autodiff.Generator\", \"" + Version + "\")]";
}
