using System.Linq;
using Autodiff.Generator.Model;
using Autodiff.Generator.Parsing;

namespace Autodiff.Generator.Emit;

/// <summary>
/// Writes a model's nested <c>Gradients</c> class: one gradient per parameter (differentiable field
/// or property), shaped like it, a way to zero them, and the (parameter, gradient) pairs the
/// optimisers consume — the generated counterpart of a module's parameters and their .grad.
/// </summary>
/// <remarks>
/// Scalar (float, double) parameters live in the model's fields, which an optimiser cannot hold a
/// reference to, so the class implements <c>IScalarParameters</c> to read and assign them by
/// number. Tensor parameters are held by reference, so replacing one on the model
/// (<c>model.W = other</c>) would leave the optimiser updating the old tensor: <c>Parameters</c>
/// and every generated method given these gradients check that each field still holds the tensor
/// they were created for (a reference compare each), and throw otherwise.
/// </remarks>
internal static class GradientsTypeWriter
{
    private const string Tensor = TypeRef.TensorName;
    private const string Pair = "global::Autodiff.Optimizers.ParameterGradient";
    private const string Scalars = "global::Autodiff.Optimizers.IScalarParameters";
    private const string Errors = "global::Autodiff.Runtime.ModelParameters";

    /// <summary>The check generated entry points call on the gradients they are given.</summary>
    public const string ReplacementCheck = "ThrowIfParametersReplaced";

    private const string ModelField = "autodiffModel";
    private const string PairsField = "autodiffParameters";

    public static void Write(SourceWriter writer, MethodSpec model)
    {
        var parameters = model.Fields.Where(f => f.IsDifferentiable).ToList();
        string modelType = model.Types[model.Types.Count - 1].Name;
        bool isStruct = model.Types[model.Types.Count - 1].Keyword.Contains("struct");
        var tensors = parameters.Where(p => p.Type.IsTensor).ToList();
        // A struct model is a copy here: its scalar fields cannot be assigned through it.
        var scalars = parameters.Where(p => p.Type.IsScalar && p.IsAssignable && !isStruct).ToList();
        string displayName = Escape(modelType);

        writer.Line("/// <summary>");
        writer.Line("/// The gradients of " + displayName + "'s parameters (" + string.Join(", ", parameters.Select(p => p.Name))
            + "), one per parameter and shaped like it. Generated methods add into them; <see cref=\"Zero\"/> clears them.");
        writer.Line("/// </summary>");
        writer.Line(GeneratorInfo.GeneratedCodeAttribute);
        writer.Open("public sealed partial class " + MethodParser.GradientsTypeName + (scalars.Count > 0 ? " : " + Scalars : ""));
        writer.Line("private readonly " + modelType + " " + ModelField + ";");
        writer.Line("private readonly " + Pair + "[] " + PairsField + ";");
        writer.Line();
        writer.Line("/// <summary>Zero gradients shaped like the model's current parameters.</summary>");
        writer.Open("public " + MethodParser.GradientsTypeName + "(" + modelType + " model)");
        writer.Line("global::System.ArgumentNullException.ThrowIfNull(model);");
        writer.Line(ModelField + " = model;");
        foreach (ParameterSpec tensor in tensors)
        {
            writer.Line(tensor.Name + " = " + Tensor + ".ZerosLike(model." + tensor.Name + " ?? throw " + Errors + ".Null(\"" + modelType + "\", \"" + tensor.Name + "\"));");
        }
        writer.Line(PairsField + " = new " + Pair + "[]");
        writer.Line("{");
        int scalarIndex = 0;
        foreach (ParameterSpec parameter in parameters)
        {
            if (parameter.Type.IsTensor)
            {
                writer.Line("    new " + Pair + "(\"" + parameter.Name + "\", model." + parameter.Name + "!, " + parameter.Name + "),");
            }
            else if (scalars.Contains(parameter))
            {
                writer.Line("    new " + Pair + "(\"" + parameter.Name + "\", this, " + scalarIndex++ + "),");
            }
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
        writer.Line("/// <summary>");
        writer.Line("/// The parameters with their gradients, in declaration order, for an optimiser's Step: the tensors, and the float and");
        writer.Line("/// double fields an optimiser can assign (through <see cref=\"" + Scalars + "\"/>).");
        writer.Line("/// </summary>");
        writer.Line("/// <exception cref=\"global::System.InvalidOperationException\">A tensor parameter of the model was replaced after these gradients were created.</exception>");
        writer.Open("public global::System.Collections.Generic.IReadOnlyList<" + Pair + "> Parameters");
        writer.Open("get");
        writer.Line(ReplacementCheck + "();");
        writer.Line("return " + PairsField + ";");
        writer.Close();
        writer.Close();
        writer.Line();
        writer.Line("/// <summary>Sets every gradient to zero (optimizer.zero_grad()).</summary>");
        writer.Open("public void Zero()");
        foreach (ParameterSpec parameter in parameters)
        {
            writer.Line(parameter.Type.IsTensor ? parameter.Name + ".Fill(0f);" : parameter.Name + " = " + parameter.Type.Zero + ";");
        }
        writer.Close();
        writer.Line();
        writer.Line("/// <summary>Throws if a tensor field of the model no longer holds the tensor these gradients were created for.</summary>");
        writer.Open("internal void " + ReplacementCheck + "()");
        int position = 0;
        foreach (ParameterSpec parameter in parameters)
        {
            if (parameter.Type.IsTensor)
            {
                writer.Line("if (!global::System.Object.ReferenceEquals(" + ModelField + "." + parameter.Name + ", " + PairsField + "[" + position + "].Parameter))");
                writer.Line("{");
                writer.Line("    throw " + Errors + ".Replaced(\"" + modelType + "\", \"" + parameter.Name + "\");");
                writer.Line("}");
            }
            if (parameter.Type.IsTensor || scalars.Contains(parameter))
            {
                position++;
            }
        }
        writer.Close();
        if (scalars.Count > 0)
        {
            WriteScalarAccess(writer, scalars);
        }
        writer.Close();
    }

    private static void WriteScalarAccess(SourceWriter writer, System.Collections.Generic.List<ParameterSpec> scalars)
    {
        const string OutOfRange = "throw new global::System.ArgumentOutOfRangeException(nameof(index))";
        writer.Line();
        writer.Open("double " + Scalars + ".GetValue(int index) => index switch");
        for (int i = 0; i < scalars.Count; i++)
        {
            writer.Line(i + " => " + ModelField + "." + scalars[i].Name + ",");
        }
        writer.Line("_ => " + OutOfRange + ",");
        writer.Close("};");
        writer.Line();
        writer.Open("void " + Scalars + ".SetValue(int index, double value)");
        writer.Open("switch (index)");
        for (int i = 0; i < scalars.Count; i++)
        {
            writer.Line("case " + i + ": " + ModelField + "." + scalars[i].Name + " = " + (scalars[i].Type.Kind == ValueKind.Float ? "(float)value" : "value") + "; break;");
        }
        writer.Line("default: " + OutOfRange + ";");
        writer.Close();
        writer.Close();
        writer.Line();
        writer.Open("double " + Scalars + ".GetGradient(int index) => index switch");
        for (int i = 0; i < scalars.Count; i++)
        {
            writer.Line(i + " => " + scalars[i].Name + ",");
        }
        writer.Line("_ => " + OutOfRange + ",");
        writer.Close("};");
        writer.Line();
        writer.Open("void " + Scalars + ".SetGradient(int index, double value)");
        writer.Open("switch (index)");
        for (int i = 0; i < scalars.Count; i++)
        {
            writer.Line("case " + i + ": " + scalars[i].Name + " = " + (scalars[i].Type.Kind == ValueKind.Float ? "(float)value" : "value") + "; break;");
        }
        writer.Line("default: " + OutOfRange + ";");
        writer.Close();
        writer.Close();
    }

    private static string Escape(string text) => text.Replace("<", "&lt;").Replace(">", "&gt;");
}
