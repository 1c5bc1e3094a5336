using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;
using Autodiff.Generator.Transforms;

namespace Autodiff.Generator.Emit;

/// <summary>
/// Prints <c>FJacobian</c> for a method that returns an array: the value and one Jacobian per
/// differentiable parameter, shaped as <c>torch.autograd.functional.jacobian</c> shapes them (a
/// scalar input's is a vector over the result, an array input's a matrix [result, input]). It is
/// built from the method's other members, choosing the mode by shape at run time as
/// <c>jacfwd</c>/<c>jacrev</c> users do by hand: one <c>FTangent</c> per input element when the
/// inputs have fewer elements than the result, otherwise one <c>FPullback</c> per result element.
/// </summary>
internal sealed class JacobianWriter
{
    public const string Suffix = MemberSuffixes.Jacobian;

    private readonly MethodSpec _spec;
    private readonly List<ParameterSpec> _inputs;
    private readonly NameAllocator _names;
    private readonly Dictionary<string, string> _jacobians = new();
    private readonly TypeRef _element;

    public JacobianWriter(MethodSpec spec)
    {
        _spec = spec;
        _inputs = spec.Parameters.Where(p => p.IsDifferentiable).ToList();
        _names = new NameAllocator(spec.Parameters.Select(p => p.Name));
        foreach (ParameterSpec input in _inputs)
        {
            _jacobians[input.Name] = _names.Claim("j" + ReverseSweep.Capitalize(input.Name));
        }
        _element = spec.ReturnType.Element;
    }

    /// <summary>
    /// Whether the method gets a Jacobian: an array result, and no array parameter written (running
    /// the method once per row or column must see the same inputs each time).
    /// </summary>
    public static bool Applies(MethodSpec spec, int writtenParameters) =>
        spec.ReturnType.IsArray && writtenParameters == 0 && !spec.UsesTensors() && WithRespectToInputs(spec);

    /// <summary>
    /// A model's Jacobian is with respect to its method's inputs, its parameters held still
    /// (<c>torch.autograd.functional.jacobian(model, x)</c>), so a model needs one differentiable input.
    /// </summary>
    public static bool WithRespectToInputs(MethodSpec spec) => !spec.HasModelGradients() || spec.Parameters.Any(p => p.IsDifferentiable);

    /// <summary>The arguments after a model's tangent member's input tangents: a null direction holds its parameters still.</summary>
    public static IEnumerable<string> HeldParameters(MethodSpec spec) => spec.HasModelGradients() ? new[] { "null" } : Enumerable.Empty<string>();

    /// <summary>
    /// The arguments after the seed of a model's pullback: it adds its parameters' gradients into a
    /// Gradients object, a scratch one declared here, whose contents the Jacobian does not read. None
    /// for other methods.
    /// </summary>
    public static string[] WriteScratchGradients(SourceWriter writer, MethodSpec spec, NameAllocator names)
    {
        if (!spec.HasModelGradients())
        {
            return System.Array.Empty<string>();
        }
        string gradients = names.Claim("parameterGradients");
        writer.Line(Parsing.MethodParser.GradientsTypeName + " " + gradients + " = new " + Parsing.MethodParser.GradientsTypeName + "(this); // the parameters' part of each row, not read");
        return new[] { gradients };
    }

    /// <param name="forwardMode">Whether the method has its <c>FTangent</c>: otherwise the Jacobian is always built row by row.</param>
    public void Write(SourceWriter writer, bool forwardMode)
    {
        string value = _names.Claim("value");
        string outputs = _names.Claim("outputs");
        string arguments = string.Join(", ", _spec.Parameters.Select(p => ExpressionPrinter.Identifier(p.Name)));
        WriteDocumentation(writer, forwardMode);
        writer.Line(GeneratorInfo.GeneratedCodeAttribute);
        var parameters = _spec.Parameters.Select(p => p.Type.Name + " " + ExpressionPrinter.Identifier(p.Name))
            .Concat(_inputs.Select(p => "out " + JacobianType(p) + " " + _jacobians[p.Name]));
        writer.Open(_spec.Accessibility + (_spec.IsInstance ? " " : " static ") + _spec.ReturnType.Name + " " + _spec.Name + Suffix + "(" + string.Join(", ", parameters) + ")");
        writer.Line(_spec.ReturnType.Name + " " + value + " = " + _spec.Name + "(" + arguments + ");");
        writer.Line("int " + outputs + " = " + value + ".Length;");
        foreach (ParameterSpec input in _inputs)
        {
            string shape = input.Type.IsArray ? outputs + ", " + ExpressionPrinter.Identifier(input.Name) + ".Length" : outputs;
            writer.Line(_jacobians[input.Name] + " = new " + _element.Name + "[" + shape + "];");
        }
        WriteByShape(writer, _inputs, outputs, forwardMode, () => WriteColumns(writer, outputs), () => WriteRows(writer, outputs));
        writer.Line("return " + value + ";");
        writer.Close();
    }

    /// <summary>
    /// The body of a Jacobian member, shared with <see cref="TensorJacobianWriter"/>: columns by forward
    /// mode when the inputs (arrays and tensors by their lengths, numbers one each) have fewer elements
    /// than the result, rows by pullbacks otherwise, and always rows where there is no forward mode.
    /// </summary>
    public static void WriteByShape(SourceWriter writer, IReadOnlyList<ParameterSpec> inputs, string outputs, bool forwardMode, System.Action columns, System.Action rows)
    {
        if (!forwardMode || inputs.Count == 0)
        {
            rows();
            return;
        }
        var lengths = inputs.Where(p => !p.Type.IsScalar).Select(p => ExpressionPrinter.Identifier(p.Name) + ".Length").ToList();
        int scalars = inputs.Count(p => p.Type.IsScalar);
        if (scalars > 0 || lengths.Count == 0)
        {
            lengths.Add(scalars.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        writer.Open("if (" + string.Join(" + ", lengths) + " < " + outputs + ")");
        columns();
        writer.Close();
        writer.Open("else");
        rows();
        writer.Close();
    }

    /// <summary>The documentation's last line: which members build the Jacobian.</summary>
    public static string ModeSentence(MethodSpec spec, bool forwardMode) => (forwardMode
        ? "/// one forward-mode " + spec.Name + TangentWriter.Suffix + " per input element when the inputs have fewer elements than the result, else one " + spec.Name + "Pullback per result element"
        : "/// one " + spec.Name + "Pullback per result element") + (spec.HasModelGradients() ? "; the model's parameters are held still." : ".");

    private string JacobianType(ParameterSpec input) => _element.Name + (input.Type.IsArray ? "[,]" : "[]");

    private void WriteDocumentation(SourceWriter writer, bool forwardMode)
    {
        string call = _spec.Name + "(" + string.Join(", ", _spec.Parameters.Select(p => p.Name)) + ")";
        writer.Line("/// <summary>");
        writer.Line("/// Computes <c>" + call + "</c> and its Jacobian with respect to each differentiable input, as torch.autograd.functional.jacobian:");
        foreach (ParameterSpec input in _inputs)
        {
            writer.Line(input.Type.IsArray
                ? "/// element [i, j] of " + _jacobians[input.Name] + " is ∂" + _spec.Name + "[i]/∂" + input.Name + "[j];"
                : "/// element [i] of " + _jacobians[input.Name] + " is ∂" + _spec.Name + "[i]/∂" + input.Name + ";");
        }
        writer.Line(ModeSentence(_spec, forwardMode));
        writer.Line("/// </summary>");
    }

    /// <summary>Forward mode: each input element's unit tangent gives one column of the Jacobians.</summary>
    private void WriteColumns(SourceWriter writer, string outputs)
    {
        string column = _names.Claim("column");
        string row = _names.Claim("i");
        writer.Line("// Forward mode: the tangent along each input element is a column");
        writer.Line(_spec.ReturnType.Name + " " + column + ";");
        foreach (ParameterSpec input in _inputs)
        {
            string jacobian = _jacobians[input.Name];
            if (input.Type.IsScalar)
            {
                writer.Line(column + " = " + TangentCall(input, null) + ".Tangent;");
                writer.Line("global::System.Array.Copy(" + column + ", " + jacobian + ", " + outputs + ");");
                continue;
            }
            string direction = _names.Claim("direction" + ReverseSweep.Capitalize(input.Name));
            string inputIndex = _names.Claim("j");
            string name = ExpressionPrinter.Identifier(input.Name);
            writer.Line(input.Type.Name + " " + direction + " = new " + input.Type.Element.Name + "[" + name + ".Length];");
            writer.Open("for (int " + inputIndex + " = 0; " + inputIndex + " < " + name + ".Length; " + inputIndex + "++)");
            writer.Line(direction + "[" + inputIndex + "] = " + One(input.Type.Element) + ";");
            writer.Line(column + " = " + TangentCall(input, direction) + ".Tangent;");
            writer.Line(direction + "[" + inputIndex + "] = " + input.Type.Element.Zero + ";");
            writer.Open("for (int " + row + " = 0; " + row + " < " + outputs + "; " + row + "++)");
            writer.Line(jacobian + "[" + row + ", " + inputIndex + "] = " + column + "[" + row + "];");
            writer.Close();
            writer.Close();
        }
    }

    /// <summary>The tangent member called with a unit direction along one input (a scalar's 1, or an array's direction) and zero along the others.</summary>
    private string TangentCall(ParameterSpec along, string? direction)
    {
        var arguments = _spec.Parameters.Select(p => ExpressionPrinter.Identifier(p.Name)).ToList();
        foreach (ParameterSpec input in _inputs)
        {
            arguments.Add(input.Name != along.Name
                ? (input.Type.IsArray ? "null" : input.Type.Zero)
                : direction ?? One(input.Type));
        }
        return _spec.Name + TangentWriter.Suffix + "(" + string.Join(", ", arguments.Concat(HeldParameters(_spec))) + ")";
    }

    /// <summary>Reverse mode: each result element's unit seed gives one row of the Jacobians.</summary>
    private void WriteRows(SourceWriter writer, string outputs)
    {
        string seed = _names.Claim("seed");
        string row = _names.Claim("i");
        writer.Line("// Reverse mode: the pullback of each result element is a row");
        writer.Line(_spec.ReturnType.Name + " " + seed + " = new " + _element.Name + "[" + outputs + "];");
        var accumulators = new Dictionary<string, string>();
        foreach (ParameterSpec input in _inputs)
        {
            accumulators[input.Name] = _names.Claim("d" + ReverseSweep.Capitalize(input.Name));
            if (input.Type.IsArray)
            {
                writer.Line(input.Type.Name + " " + accumulators[input.Name] + " = new " + input.Type.Element.Name + "[" + ExpressionPrinter.Identifier(input.Name) + ".Length];");
            }
        }
        string[] gradients = WriteScratchGradients(writer, _spec, _names);
        writer.Open("for (int " + row + " = 0; " + row + " < " + outputs + "; " + row + "++)");
        var arguments = _spec.Parameters.Select(p => ExpressionPrinter.Identifier(p.Name)).Append(seed).Concat(gradients).ToList();
        foreach (ParameterSpec input in _inputs)
        {
            string accumulator = accumulators[input.Name];
            if (input.Type.IsArray)
            {
                writer.Line("global::System.Array.Clear(" + accumulator + ");");
                arguments.Add(accumulator);
            }
            else
            {
                writer.Line(input.Type.Name + " " + accumulator + " = " + input.Type.Zero + ";");
                arguments.Add("ref " + accumulator);
            }
        }
        writer.Line(seed + "[" + row + "] = " + One(_element) + ";");
        writer.Line(_spec.Name + "Pullback(" + string.Join(", ", arguments) + ");");
        writer.Line(seed + "[" + row + "] = " + _element.Zero + ";");
        foreach (ParameterSpec input in _inputs)
        {
            string accumulator = accumulators[input.Name];
            string jacobian = _jacobians[input.Name];
            string cast = input.Type.Element == _element || _element == TypeRef.Double ? string.Empty : "(" + _element.Name + ")";
            if (input.Type.IsScalar)
            {
                writer.Line(jacobian + "[" + row + "] = " + cast + accumulator + ";");
                continue;
            }
            string inputIndex = _names.Claim("j");
            writer.Open("for (int " + inputIndex + " = 0; " + inputIndex + " < " + accumulator + ".Length; " + inputIndex + "++)");
            writer.Line(jacobian + "[" + row + ", " + inputIndex + "] = " + cast + accumulator + "[" + inputIndex + "];");
            writer.Close();
        }
        writer.Close();
    }

    private static string One(TypeRef type) => Parsing.Literals.Of(type, 1).Text;
}
