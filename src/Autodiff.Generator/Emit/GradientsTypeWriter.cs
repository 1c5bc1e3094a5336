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

    /// <summary>The check generated entry points call on the gradients they are given (public: a sub-model may live in another assembly).</summary>
    public const string ReplacementCheck = "ThrowIfParametersReplaced";

    private const string ModelField = "autodiffModel";
    private const string PairsField = "autodiffParameters";

    public static void Write(SourceWriter writer, MethodSpec model)
    {
        var parameters = model.Fields.Where(f => f.IsDifferentiable).ToList();
        var subModels = model.SubModels.ToList();
        string modelType = model.Types[model.Types.Count - 1].Name;
        bool isStruct = model.Types[model.Types.Count - 1].Keyword.Contains("struct");
        var tensors = parameters.Where(p => p.Type.IsTensor).ToList();
        // A struct model is a copy here: its scalar fields cannot be assigned through it.
        var scalars = parameters.Where(p => p.Type.IsScalar && p.IsAssignable && !isStruct).ToList();
        string displayName = Escape(modelType);

        writer.Line("/// <summary>");
        writer.Line("/// The gradients of " + displayName + "'s parameters (" + string.Join(", ", parameters.Select(p => p.Name).Concat(subModels.Select(m => m.Name)))
            + "), one per parameter and shaped like it" + (subModels.Count > 0 ? ", and its sub-models' gradients under the same names" : "")
            + ". Generated methods add into them; <see cref=\"Zero\"/> clears them.");
        writer.Line("/// </summary>");
        writer.Line(GeneratorInfo.GeneratedCodeAttribute);
        writer.Open("public sealed partial class " + MethodParser.GradientsTypeName + (scalars.Count > 0 ? " : " + Scalars : ""));
        writer.Line("private readonly " + modelType + " " + ModelField + ";");
        writer.Line("private readonly " + Pair + "[] " + PairsField + ";");
        foreach (SubModelSpec subModel in subModels)
        {
            // The sub-models as they were: replacing one would leave these gradients updating the old one.
            writer.Line("private readonly " + subModel.TypeName + (subModel.Shape == SubModelShape.One ? " " : "[] ") + Held(subModel) + ";");
        }
        writer.Line();
        writer.Line("/// <summary>Zero gradients shaped like the model's current parameters.</summary>");
        writer.Open("public " + MethodParser.GradientsTypeName + "(" + modelType + " model)");
        writer.Line("global::System.ArgumentNullException.ThrowIfNull(model);");
        writer.Line(ModelField + " = model;");
        foreach (ParameterSpec tensor in tensors)
        {
            writer.Line(tensor.Name + " = " + Tensor + ".ZerosLike(model." + tensor.Name + " ?? throw " + Errors + ".Null(\"" + modelType + "\", \"" + tensor.Name + "\"));");
        }
        foreach (SubModelSpec subModel in subModels)
        {
            WriteSubModelGradients(writer, subModel, modelType);
        }
        var ownPairs = new System.Collections.Generic.List<string>();
        int scalarIndex = 0;
        foreach (ParameterSpec parameter in parameters)
        {
            if (parameter.Type.IsTensor)
            {
                ownPairs.Add("new " + Pair + "(\"" + parameter.Name + "\", model." + parameter.Name + "!, " + parameter.Name + ")");
            }
            else if (scalars.Contains(parameter))
            {
                ownPairs.Add("new " + Pair + "(\"" + parameter.Name + "\", this, " + scalarIndex++ + ")");
            }
        }
        if (subModels.Count == 0)
        {
            writer.Line(PairsField + " = new " + Pair + "[]");
            writer.Line("{");
            foreach (string pair in ownPairs)
            {
                writer.Line("    " + pair + ",");
            }
            writer.Line("};");
        }
        else
        {
            // Named as named_parameters() names them: the model's own first, then each sub-model's under its path.
            writer.Line("var parameters = new global::System.Collections.Generic.List<" + Pair + ">();");
            foreach (string pair in ownPairs)
            {
                writer.Line("parameters.Add(" + pair + ");");
            }
            foreach (SubModelSpec subModel in subModels)
            {
                if (subModel.Shape == SubModelShape.One)
                {
                    writer.Line(Errors + ".AddNested(parameters, \"" + subModel.Name + ".\", " + subModel.Name + ".Parameters);");
                    continue;
                }
                writer.Open("for (int i = 0; i < " + subModel.Name + ".Count; i++)");
                writer.Line(Errors + ".AddNested(parameters, \"" + subModel.Name + "[\" + i + \"].\", " + subModel.Name + "[i].Parameters);");
                writer.Close();
            }
            writer.Line(PairsField + " = parameters.ToArray();");
        }
        writer.Close();
        foreach (ParameterSpec parameter in parameters)
        {
            writer.Line();
            writer.Line("/// <summary>The gradient of the result with respect to <c>" + parameter.Name + "</c>.</summary>");
            writer.Line(parameter.Type.IsTensor
                ? "public " + Tensor + " " + parameter.Name + " { get; }"
                : "public " + parameter.Type.Name + " " + parameter.Name + ";");
        }
        foreach (SubModelSpec subModel in subModels)
        {
            writer.Line();
            writer.Line("/// <summary>The gradients of <c>" + subModel.Name + "</c>'s parameters" + (subModel.Shape == SubModelShape.One ? "" : ", one per sub-model in it") + ".</summary>");
            writer.Line("public " + GradientsOf(subModel) + " " + subModel.Name + " { get; }");
        }
        writer.Line();
        writer.Line("/// <summary>");
        writer.Line("/// The parameters with their gradients, in declaration order" + (subModels.Count > 0 ? " (the model's own, then its sub-models' named by their path, as named_parameters() lists them)" : "")
            + ", for an optimiser's Step: the tensors, and the float and");
        writer.Line("/// double fields an optimiser can assign (through <see cref=\"" + Scalars + "\"/>).");
        writer.Line("/// </summary>");
        writer.Line("/// <exception cref=\"global::System.InvalidOperationException\">A tensor parameter " + (subModels.Count > 0 ? "or a sub-model " : "") + "of the model was replaced after these gradients were created.</exception>");
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
        foreach (SubModelSpec subModel in subModels)
        {
            if (subModel.Shape == SubModelShape.One)
            {
                writer.Line(subModel.Name + ".Zero();");
                continue;
            }
            writer.Open("for (int i = 0; i < " + subModel.Name + ".Count; i++)");
            writer.Line(subModel.Name + "[i].Zero();");
            writer.Close();
        }
        writer.Close();
        writer.Line();
        writer.Line("/// <summary>Throws if a tensor field " + (subModels.Count > 0 ? "or a sub-model " : "") + "of the model no longer holds what these gradients were created for.</summary>");
        writer.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        writer.Open("public void " + ReplacementCheck + "()");
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
        foreach (SubModelSpec subModel in subModels)
        {
            WriteSubModelCheck(writer, subModel, modelType);
        }
        writer.Close();
        if (scalars.Count > 0)
        {
            WriteScalarAccess(writer, scalars);
        }
        writer.Close();
    }

    /// <summary>The private field holding the sub-model (or a copy of the array or list of them) the gradients were made for.</summary>
    private static string Held(SubModelSpec subModel) => "autodiff" + subModel.Name;

    private static string GradientsOf(SubModelSpec subModel) => subModel.Shape == SubModelShape.One
        ? subModel.TypeName + "." + MethodParser.GradientsTypeName
        : "global::System.Collections.Generic.IReadOnlyList<" + subModel.TypeName + "." + MethodParser.GradientsTypeName + ">";

    private static void WriteSubModelGradients(SourceWriter writer, SubModelSpec subModel, string modelType)
    {
        string gradients = subModel.TypeName + "." + MethodParser.GradientsTypeName;
        string nullError = Errors + ".NullSubModel(\"" + modelType + "\", \"" + subModel.Name + "\")";
        if (subModel.Shape == SubModelShape.One)
        {
            writer.Line(Held(subModel) + " = model." + subModel.Name + " ?? throw " + nullError + ";");
            writer.Line(subModel.Name + " = new " + gradients + "(" + Held(subModel) + ");");
            return;
        }
        writer.Line(Held(subModel) + " = global::System.Linq.Enumerable.ToArray(model." + subModel.Name + " ?? throw " + nullError + ");");
        string local = "autodiff" + subModel.Name + "Gradients";
        writer.Line("var " + local + " = new " + gradients + "[" + Held(subModel) + ".Length];");
        writer.Open("for (int i = 0; i < " + local + ".Length; i++)");
        writer.Line(local + "[i] = new " + gradients + "(" + Held(subModel) + "[i] ?? throw " + Errors + ".NullSubModel(\"" + modelType + "\", \"" + subModel.Name + "[\" + i + \"]\"));");
        writer.Close();
        writer.Line(subModel.Name + " = " + local + ";");
    }

    /// <summary>The sub-model is the one the gradients were made for (each element, and the length, for an array or list); then its own check.</summary>
    private static void WriteSubModelCheck(SourceWriter writer, SubModelSpec subModel, string modelType)
    {
        string error = "throw " + Errors + ".SubModelReplaced(\"" + modelType + "\", \"" + subModel.Name + "\");";
        if (subModel.Shape == SubModelShape.One)
        {
            writer.Line("if (!global::System.Object.ReferenceEquals(" + ModelField + "." + subModel.Name + ", " + Held(subModel) + "))");
            writer.Line("{");
            writer.Line("    " + error);
            writer.Line("}");
            writer.Line(subModel.Name + "." + ReplacementCheck + "();");
            return;
        }
        string current = "current" + subModel.Name;
        string count = subModel.Shape == SubModelShape.Array ? ".Length" : ".Count";
        writer.Line("var " + current + " = " + ModelField + "." + subModel.Name + ";");
        writer.Line("if (" + current + " is null || " + current + count + " != " + Held(subModel) + ".Length)");
        writer.Line("{");
        writer.Line("    " + error);
        writer.Line("}");
        writer.Open("for (int i = 0; i < " + Held(subModel) + ".Length; i++)");
        writer.Line("if (!global::System.Object.ReferenceEquals(" + current + "[i], " + Held(subModel) + "[i]))");
        writer.Line("{");
        writer.Line("    " + error);
        writer.Line("}");
        writer.Line(subModel.Name + "[i]." + ReplacementCheck + "();");
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
