using System;
using System.Reflection;

namespace Autodiff.Benchmarks.ADBench;

/// <summary>
/// Exactly how many values a generated entry point's save stacks held at its largest call so far:
/// the generated code keeps, per stack, a static <c>Autodiff.Runtime.SaveStackCapacity</c> field
/// (<c>autodiff{Member}{Type}SavesCapacity</c>) that counts the values saved, which sizes the next
/// call's storage. Stacks whose size the generator knew (a <c>FixedSaveStack</c> on the method's
/// own stack frame) and the callees' split-mode residuals have no such field.
/// </summary>
internal static class SavedValues
{
    /// <summary>The counts by element type, read after at least one call of <paramref name="member"/>.</summary>
    public static SaveStackCapacity Of(Type generated, string member)
    {
        var saved = new SaveStackCapacity();
        string prefix = "autodiff" + member;
        foreach (FieldInfo field in generated.GetFields(BindingFlags.Static | BindingFlags.NonPublic))
        {
            if (field.FieldType != typeof(Autodiff.Runtime.SaveStackCapacity) || !field.Name.StartsWith(prefix, StringComparison.Ordinal)
                || !field.Name.EndsWith("SavesCapacity", StringComparison.Ordinal))
            {
                continue;
            }
            string stack = field.Name.Substring(prefix.Length, field.Name.Length - prefix.Length - "SavesCapacity".Length);
            (string type, int size) = stack switch
            {
                "Double" => ("double", sizeof(double)),
                "Float" => ("float", sizeof(float)),
                "Int" => ("int", sizeof(int)),
                "Long" => ("long", sizeof(long)),
                "Bool" => ("bool", sizeof(bool)),
                _ => (stack, 0),
            };
            saved.Add(type, ((Autodiff.Runtime.SaveStackCapacity)field.GetValue(null)!).Capacity, size);
        }
        return saved;
    }
}
