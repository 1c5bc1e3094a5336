using System.Linq;
using Autodiff.Generator.Model;
using Autodiff.Generator.Parsing;

namespace Autodiff.Generator.Emit;

/// <summary>
/// Writes a model's nested <c>Gradients</c> class: one gradient per parameter (differentiable field
/// or property), shaped like it, a way to zero them, and the (parameter, gradient) pairs the
/// optimisers consume — the generated counterpart of a module's parameters and their .grad.
/// </summary>
internal static class GradientsTypeWriter
{
    private const string Tensor = TypeRef.TensorName;
    private const string Pair = "global::Autodiff.Optimizers.ParameterGradient";

    public static void Write(SourceWriter writer, MethodSpec model)
    {
        var parameters = model.Fields.Where(f => f.IsDifferentiable).ToList();
        string modelType = model.Types[model.Types.Count - 1].Name;
        var tensors = parameters.Where(p => p.Type.IsTensor).ToList();

        writer.Line("/// <summary>");
        writer.Line("/// The gradients of " + Escape(modelType) + "'s parameters (" + string.Join(", ", parameters.Select(p => p.Name))
            + "), one per parameter and shaped like it. Generated methods add into them; <see cref=\"Zero\"/> clears them.");
        writer.Line("/// </summary>");
        writer.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"Autodiff.Generator\", \"" + GeneratorInfo.Version + "\")]");
        writer.Open("public sealed partial class " + MethodParser.GradientsTypeName);
        writer.Line("/// <summary>Zero gradients shaped like the model's current parameters.</summary>");
        writer.Open("public " + MethodParser.GradientsTypeName + "(" + modelType + " model)");
        writer.Line("global::System.ArgumentNullException.ThrowIfNull(model);");
        foreach (ParameterSpec tensor in tensors)
        {
            writer.Line(tensor.Name + " = " + Tensor + ".ZerosLike(model." + tensor.Name + ");");
        }
        writer.Line("Parameters = new " + Pair + "[]");
        writer.Line("{");
        foreach (ParameterSpec tensor in tensors)
        {
            writer.Line("    new " + Pair + "(\"" + tensor.Name + "\", model." + tensor.Name + ", " + tensor.Name + "),");
        }
        writer.Line("};");
        writer.Close();
        foreach (ParameterSpec parameter in parameters)
        {
            writer.Line();
            writer.Line("/// <summary>The gradient of the result with respect to <c>" + parameter.Name + "</c>.</summary>");
            writer.Line(parameter.Type.IsTensor
                ? "public " + Tensor + " " + parameter.Name + " { get; }"
                : "public " + parameter.Type.Name + " " + parameter.Name + ";");
        }
        writer.Line();
        writer.Line("/// <summary>The tensor parameters with their gradients, in declaration order, for an optimiser's Step.</summary>");
        writer.Line("public global::System.Collections.Generic.IReadOnlyList<" + Pair + "> Parameters { get; }");
        writer.Line();
        writer.Line("/// <summary>Sets every gradient to zero (optimizer.zero_grad()).</summary>");
        writer.Open("public void Zero()");
        foreach (ParameterSpec parameter in parameters)
        {
            writer.Line(parameter.Type.IsTensor ? parameter.Name + ".Fill(0f);" : parameter.Name + " = " + parameter.Type.Zero + ";");
        }
        writer.Close();
        writer.Close();
    }

    private static string Escape(string text) => text.Replace("<", "&lt;").Replace(">", "&gt;");
}
