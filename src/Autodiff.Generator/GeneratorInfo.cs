namespace Autodiff.Generator;

internal static class GeneratorInfo
{
    /// <summary>Stamped into [GeneratedCode] attributes.</summary>
    public const string Version = "0.1.0";
}
