using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace Autodiff.Generator.Tests;

/// <summary>
/// The generator's stages depend one way: the parser and the middle end (Parsing, Transforms) and
/// the IR (Model) never reach into the emitters, so that a new mode's emitter changes the emitters
/// and the rule registry only. Read from the sources, since the compiler allows any arrow inside one
/// assembly.
/// </summary>
public class LayeringTests
{
    [Theory]
    [InlineData("Parsing")]
    [InlineData("Transforms")]
    [InlineData("Model")]
    public void Earlier_stages_do_not_use_the_emitters(string folder)
    {
        string generator = Path.Combine(RepositoryRoot(), "src", "Autodiff.Generator");
        var emitterTypes = Directory.GetFiles(Path.Combine(generator, "Emit"), "*.cs")
            .SelectMany(file => Regex.Matches(File.ReadAllText(file), @"internal (?:sealed |static |abstract )*(?:class|record|enum|struct) (\w+)").Select(m => m.Groups[1].Value))
            .ToHashSet();
        Assert.Contains("ReverseSweep", emitterTypes); // the pattern still finds the emitters' types

        foreach (string file in Directory.GetFiles(Path.Combine(generator, folder), "*.cs"))
        {
            // Comments, string literals and the names of declared constants (MemberSuffixes.TangentProgram) are not uses.
            string code = string.Join("\n", File.ReadAllLines(file).Where(line => !line.TrimStart().StartsWith("//", System.StringComparison.Ordinal)));
            code = Regex.Replace(Regex.Replace(code, "\"[^\"\n]*\"", "\"\""), @"const string \w+", "const string");
            Assert.DoesNotContain("Autodiff.Generator.Emit", code);
            Assert.DoesNotMatch(@"(?<![\w.])Emit\.", code);
            foreach (string type in emitterTypes)
            {
                Assert.False(Regex.IsMatch(code, @"(?<![\w.])" + type + @"\b"), $"{Path.GetFileName(file)} uses the emitter type {type}");
            }
        }
    }

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
}
