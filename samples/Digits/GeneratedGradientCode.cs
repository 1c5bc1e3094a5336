using System;
using System.IO;
using System.Linq;

namespace Digits;

/// <summary>
/// Prints the body of the generated <c>LossGradient</c>: the forward pass, which names every
/// intermediate, then the backward pass, the chain rule applied line by line from the loss back to
/// each weight. The build copies the generated file next to the
/// program (see the CopyGeneratedGradients target in Digits.csproj).
/// </summary>
public static class GeneratedGradientCode
{
    private const string FileName = "Digits.DigitClassifier.Autodiff.g.cs";

    public static void Print()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "generated");
        string? file = Directory.Exists(folder) ? Directory.GetFiles(folder, FileName, SearchOption.AllDirectories).FirstOrDefault() : null;
        if (file is null)
        {
            Console.WriteLine($"  ({FileName} not found next to the program; build with EmitCompilerGeneratedFiles=true to see it)");
            return;
        }
        string[] lines = File.ReadAllLines(file);
        int method = Array.FindIndex(lines, line => line.Contains(" LossGradient(", StringComparison.Ordinal));
        int forward = Array.FindIndex(lines, method, line => line.Contains("// Forward pass", StringComparison.Ordinal));
        int end = Array.FindIndex(lines, forward, line => line.TrimStart().StartsWith("return", StringComparison.Ordinal));
        string indent = new(lines[forward].TakeWhile(char.IsWhiteSpace).ToArray());
        foreach (string line in lines[forward..(end + 1)])
        {
            // The generated code names every type in full; the namespaces add nothing to the maths.
            string shortened = line.Replace("global::Autodiff.Derivatives.", "").Replace("global::Autodiff.", "").Replace("global::", "");
            string body = shortened.StartsWith(indent, StringComparison.Ordinal) ? shortened[indent.Length..] : shortened.TrimStart();
            Console.WriteLine(body.Length == 0 ? "" : "  " + body);
        }
    }
}
