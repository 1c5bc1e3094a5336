using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;
using Autodiff.Generator.Transforms;

namespace Autodiff.Generator.Emit;

/// <summary>
/// Prints <c>FJacobian</c> for a method that returns a tensor, as <see cref="JacobianWriter"/> does
/// for arrays: the value and one Jacobian tensor per differentiable input, a matrix [result
/// elements, input elements] over the row-major elements (<c>torch.autograd.functional.jacobian</c>'s
/// layout flattened: the two ranks together may pass rank 4), a vector over the result's elements
/// for a number. One <c>FTangent</c> per input element when the
/// inputs have fewer elements than the result, otherwise one <c>FPullback</c> per result element.
/// </summary>
internal sealed class TensorJacobianWriter
{
    private const string Tensor = TypeRef.TensorName;
    private const string Jacobians = "global::Autodiff.Runtime.TensorJacobians";

    private readonly MethodSpec _spec;
    private readonly List<ParameterSpec> _inputs;
    private readonly NameAllocator _names;
    private readonly Dictionary<string, string> _jacobians = new();

    public TensorJacobianWriter(MethodSpec spec)
    {
        _spec = spec;
        _inputs = spec.Parameters.Where(p => p.IsDifferentiable).ToList();
        _names = new NameAllocator(spec.Parameters.Select(p => p.Name));
        foreach (ParameterSpec input in _inputs)
        {
            _jacobians[input.Name] = _names.Claim("j" + ReverseSweep.Capitalize(input.Name));
        }
    }

    /// <summary>A tensor result, inputs that are tensors or numbers, none written (each row or column must see the same inputs); a model's, with respect to its inputs.</summary>
    public static bool Applies(MethodSpec spec, int writtenParameters) =>
        spec.ReturnType.IsTensor && writtenParameters == 0 && JacobianWriter.WithRespectToInputs(spec)
        && spec.Parameters.Where(p => p.IsDifferentiable).All(p => p.Type.IsTensor || p.Type.IsScalar);

    /// <param name="forwardMode">Whether the method has its <c>FTangent</c>: otherwise the Jacobian is always built row by row.</param>
    public void Write(SourceWriter writer, bool forwardMode)
    {
        string value = _names.Claim("value");
        string outputs = _names.Claim("outputs");
        string arguments = string.Join(", ", _spec.Parameters.Select(p => ExpressionPrinter.Identifier(p.Name)));
        WriteDocumentation(writer, forwardMode);
        writer.Line(GeneratorInfo.GeneratedCodeAttribute);
        var parameters = _spec.Parameters.Select(p => p.Type.Name + " " + ExpressionPrinter.Identifier(p.Name))
            .Concat(_inputs.Select(p => "out " + Tensor + " " + _jacobians[p.Name]));
        writer.Open(_spec.Accessibility + (_spec.IsInstance ? " " : " static ") + Tensor + " " + _spec.Name + JacobianWriter.Suffix + "(" + string.Join(", ", parameters) + ")");
        writer.Line(Tensor + " " + value + " = " + _spec.Name + "(" + arguments + ");");
        writer.Line("int " + outputs + " = " + value + ".Length;");
        foreach (ParameterSpec input in _inputs)
        {
            writer.Line(_jacobians[input.Name] + " = " + Jacobians + ".Zeros(" + value + ", " + (input.Type.IsTensor ? ExpressionPrinter.Identifier(input.Name) : "null") + ");");
        }
        JacobianWriter.WriteByShape(writer, _inputs, outputs, forwardMode, () => WriteColumns(writer), () => WriteRows(writer, value, outputs));
        writer.Line("return " + value + ";");
        writer.Close();
    }

    private void WriteDocumentation(SourceWriter writer, bool forwardMode)
    {
        string call = _spec.Name + "(" + string.Join(", ", _spec.Parameters.Select(p => p.Name)) + ")";
        writer.Line("/// <summary>");
        writer.Line("/// Computes <c>" + call + "</c> and its Jacobian with respect to each differentiable input, as torch.autograd.functional.jacobian:");
        foreach (ParameterSpec input in _inputs)
        {
            writer.Line(input.Type.IsTensor
                ? "/// element [i, j] of " + _jacobians[input.Name] + " is ∂" + _spec.Name + "[i]/∂" + input.Name + "[j], over the elements in row-major order;"
                : "/// element [i] of " + _jacobians[input.Name] + " is ∂" + _spec.Name + "[i]/∂" + input.Name + ";");
        }
        writer.Line(JacobianWriter.ModeSentence(_spec, forwardMode));
        writer.Line("/// </summary>");
    }

    /// <summary>Forward mode: each input element's unit tangent gives one column of its Jacobian.</summary>
    private void WriteColumns(SourceWriter writer)
    {
        writer.Line("// Forward mode: the tangent along each input element is a column");
        foreach (ParameterSpec input in _inputs)
        {
            string jacobian = _jacobians[input.Name];
            if (input.Type.IsScalar)
            {
                writer.Line(Jacobians + ".SetColumn(" + jacobian + ", 0, 1, " + TangentCall(input, null) + ".Tangent);");
                continue;
            }
            string direction = _names.Claim("direction" + ReverseSweep.Capitalize(input.Name));
            string column = _names.Claim("j");
            string name = ExpressionPrinter.Identifier(input.Name);
            writer.Line(Tensor + " " + direction + " = " + Tensor + ".ZerosLike(" + name + ");");
            writer.Open("for (int " + column + " = 0; " + column + " < " + name + ".Length; " + column + "++)");
            writer.Line(direction + ".Span[" + column + "] = 1f;");
            writer.Line(Jacobians + ".SetColumn(" + jacobian + ", " + column + ", " + name + ".Length, " + TangentCall(input, direction) + ".Tangent);");
            writer.Line(direction + ".Span[" + column + "] = 0f;");
            writer.Close();
        }
    }

    /// <summary>The tangent member with a unit direction along one input and a zero one (null, 0) along the others.</summary>
    private string TangentCall(ParameterSpec along, string? direction)
    {
        var arguments = _spec.Parameters.Select(p => ExpressionPrinter.Identifier(p.Name)).ToList();
        foreach (ParameterSpec input in _inputs)
        {
            arguments.Add(input.Name != along.Name
                ? input.Type.IsTensor ? "null" : input.Type.Zero
                : direction ?? Parsing.Literals.Of(input.Type, 1).Text);
        }
        return _spec.Name + TangentWriter.Suffix + "(" + string.Join(", ", arguments.Concat(JacobianWriter.HeldParameters(_spec))) + ")";
    }

    /// <summary>Reverse mode: each result element's unit seed gives one row of every Jacobian.</summary>
    private void WriteRows(SourceWriter writer, string value, string outputs)
    {
        string seed = _names.Claim("seed");
        string row = _names.Claim("i");
        writer.Line("// Reverse mode: the pullback of each result element is a row");
        writer.Line(Tensor + " " + seed + " = " + Tensor + ".ZerosLike(" + value + ");");
        var accumulators = new Dictionary<string, string>();
        foreach (ParameterSpec input in _inputs)
        {
            accumulators[input.Name] = _names.Claim("d" + ReverseSweep.Capitalize(input.Name));
            if (input.Type.IsTensor)
            {
                writer.Line(Tensor + " " + accumulators[input.Name] + " = " + Tensor + ".ZerosLike(" + ExpressionPrinter.Identifier(input.Name) + ");");
            }
        }
        string[] gradients = JacobianWriter.WriteScratchGradients(writer, _spec, _names);
        writer.Open("for (int " + row + " = 0; " + row + " < " + outputs + "; " + row + "++)");
        var arguments = _spec.Parameters.Select(p => ExpressionPrinter.Identifier(p.Name)).Append(seed).Concat(gradients).ToList();
        foreach (ParameterSpec input in _inputs)
        {
            string accumulator = accumulators[input.Name];
            if (input.Type.IsTensor)
            {
                writer.Line(accumulator + ".Fill(0f);");
                arguments.Add(accumulator);
            }
            else
            {
                writer.Line(input.Type.Name + " " + accumulator + " = " + input.Type.Zero + ";");
                arguments.Add("ref " + accumulator);
            }
        }
        writer.Line(seed + ".Span[" + row + "] = 1f;");
        writer.Line(_spec.Name + "Pullback(" + string.Join(", ", arguments) + ");");
        writer.Line(seed + ".Span[" + row + "] = 0f;");
        foreach (ParameterSpec input in _inputs)
        {
            string accumulator = accumulators[input.Name];
            string jacobian = _jacobians[input.Name];
            writer.Line(input.Type.IsTensor
                ? Jacobians + ".SetRow(" + jacobian + ", " + row + ", " + accumulator + ");"
                : jacobian + ".Span[" + row + "] = " + (input.Type.Kind == ValueKind.Float ? string.Empty : "(float)") + accumulator + ";");
        }
        writer.Close();
    }
}
