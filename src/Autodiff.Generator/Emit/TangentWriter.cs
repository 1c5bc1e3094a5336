using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Emit;

/// <summary>
/// Prints <c>FTangent</c>, forward mode: the value of F and its directional derivative along the
/// tangents given for the differentiable inputs (a Jacobian-vector product, <c>torch.func.jvp</c>,
/// <c>jax.jvp</c>). One call costs about one evaluation of F plus the tangent arithmetic, whatever the
/// number of inputs, so a derivative with respect to one input needs no gradient at all.
/// </summary>
internal sealed class TangentWriter
{
    public const string Suffix = MemberSuffixes.Tangent;
    private const string Runtime = "global::Autodiff.Runtime";

    private readonly MethodContext _context;
    private readonly EntryNames _names;
    private readonly MethodSpec _spec;

    public TangentWriter(MethodContext context, EntryNames names)
    {
        _context = context;
        _names = names;
        _spec = context.Spec;
    }

    /// <summary>
    /// Whether forward mode covers this kind of method: static or instance methods over double and
    /// float scalars, arrays and tensors that return a double, a float, an array or a tensor, and
    /// methods of models, sub-models included (their parameters' direction is a <c>Gradients</c>
    /// object of the same shape).
    /// </summary>
    public static bool Applies(MethodSpec spec) =>
        spec.ReturnType.IsScalar || spec.ReturnType.IsArray || spec.ReturnType.IsTensor;

    /// <summary>The parameter that carries a model's parameters' direction, for a method of a model; null otherwise.</summary>
    private static string? ModelDirection(MethodSpec spec) =>
        spec.HasModelGradients() ? new Transforms.NameAllocator(spec.Parameters.Select(p => p.Name)).Claim("direction") : null;

    /// <summary>
    /// The start of a member that takes a direction (a tangent per differentiable input): array
    /// inputs must not be null, a direction array must be as long as its input, and a null one is zero.
    /// </summary>
    public static void WriteDirectionChecks(SourceWriter writer, MethodSpec spec, EntryNames names, string member)
    {
        foreach (ParameterSpec parameter in spec.Parameters.Where(p => p.Type.IsArray || (p.Type.IsTensor && !p.Type.Name.EndsWith("?", System.StringComparison.Ordinal))))
        {
            writer.Line("global::System.ArgumentNullException.ThrowIfNull(" + ExpressionPrinter.Identifier(parameter.Name) + ");");
        }
        foreach (ParameterSpec parameter in spec.Parameters.Where(p => p.IsDifferentiable && (p.Type.IsArray || p.Type.IsTensor)))
        {
            string tangent = names.Accumulator(parameter.Name);
            string name = ExpressionPrinter.Identifier(parameter.Name);
            if (parameter.Type.IsTensor)
            {
                // A null tangent tensor stays null: the rules take it as a zero direction and skip its work.
                writer.Line(Runtime + ".GradientArrays.CheckTangentShape(\"" + member + "\", " + tangent + ", \"" + tangent + "\", " + name + ", \"" + parameter.Name + "\");");
                continue;
            }
            writer.Line(Runtime + ".GradientArrays.CheckTangentLength(\"" + member + "\", " + tangent + ", \"" + tangent + "\", " + name + ", \"" + parameter.Name + "\");");
            writer.Line(tangent + " ??= new " + parameter.Type.Element.Name + "[" + name + ".Length];");
        }
    }

    /// <summary>Writes the member; throws <see cref="TangentUnsupportedException"/> for a construct forward mode does not handle yet.</summary>
    public void Write(SourceWriter writer, List<PullbackCall> tangentCalls)
    {
        var parameterTangents = _spec.Parameters.Where(p => p.IsDifferentiable).ToDictionary(p => p.Name, p => _names.Accumulator(p.Name));
        string? direction = ModelDirection(_spec);
        var fieldTangents = new List<(ParameterSpec Field, string Tangent)>();
        if (direction is not null)
        {
            // Each parameter's tangent is read from the direction once; a null direction holds them all still.
            foreach (ParameterSpec field in _spec.Fields.Where(f => f.IsDifferentiable))
            {
                string tangent = _context.Names.Claim("d" + ReverseSweep.Capitalize(field.Name));
                parameterTangents[ParameterSpec.FieldPrefix + field.Name] = tangent;
                fieldTangents.Add((field, tangent));
            }
        }
        var sweep = new TangentSweep(_context, parameterTangents, direction);
        List<Code> body = sweep.Build();
        tangentCalls.AddRange(sweep.TangentCalls);
        string result = ExpressionPrinter.Identifier(_context.Result.Name);
        // An array result that does not depend on the inputs has a zero tangent of its length, a
        // tensor result one of its shape (also where the tangent is null: every direction it depends on was).
        string? tangentOfResult = sweep.TangentOf(_context.Result.Name);
        string resultTangent = _spec.ReturnType.IsTensor
            ? (tangentOfResult is null ? string.Empty : tangentOfResult + " ?? ") + TypeRef.TensorName + ".ZerosLike(" + result + ")"
            : tangentOfResult ?? (_spec.ReturnType.IsArray ? "new " + _spec.ReturnType.Element.Name + "[" + result + ".Length]" : _spec.ReturnType.Zero);

        string type = _spec.ReturnType.Name;
        string member = _spec.Name + Suffix;
        var tangentParameters = _spec.Parameters.Where(p => p.IsDifferentiable)
            .Select(p => p.Type.Name.TrimEnd('?') + (p.Type.IsArray || p.Type.IsTensor ? "? " : " ") + _names.Accumulator(p.Name));
        var parameters = _spec.Parameters.Select(p => p.Type.Name + " " + ExpressionPrinter.Identifier(p.Name)).Concat(tangentParameters);
        if (direction is not null)
        {
            parameters = parameters.Append(Parsing.MethodParser.GradientsTypeName + "? " + direction);
        }
        string arguments = string.Join(", ", _spec.Parameters.Select(p => p.Name));
        string tangents = string.Join(", ", _spec.Parameters.Where(p => p.IsDifferentiable).Select(p => _names.Accumulator(p.Name)));
        writer.Line("/// <summary>");
        string along = tangents.Length == 0 ? "the direction of its parameters" : "the tangents " + tangents + (direction is null ? string.Empty : " and the direction of its parameters");
        writer.Line("/// Forward mode: computes <c>" + _spec.Name + "(" + arguments + ")</c> and its directional derivative along " + along + ",");
        writer.Line("/// that is Σ ∂" + _spec.Name + "/∂p · dp over the differentiable inputs p (a Jacobian-vector product, as torch.func.jvp).");
        if (_spec.Parameters.Any(p => p.IsDifferentiable && p.Type.IsArray))
        {
            writer.Line("/// A null tangent array is a zero direction; an array the method writes into gets its tangent written into the one passed.");
        }
        if (_spec.Parameters.Any(p => p.IsDifferentiable && p.Type.IsTensor))
        {
            writer.Line("/// A null tangent tensor is a zero direction.");
        }
        if (direction is not null)
        {
            writer.Line("/// The model's parameters move along " + direction + ", a parameter-shaped " + Parsing.MethodParser.GradientsTypeName + " object (each parameter's tangent under its name, as torch.func.jvp takes a dict of tangents");
            writer.Line("/// for functional_call); a null " + direction + " holds them still.");
        }
        writer.Line("/// </summary>");
        writer.Line(GeneratorInfo.GeneratedCodeAttribute);
        writer.Open(_spec.Accessibility + (_spec.IsInstance ? " " : " static ") + "(" + type + " Value, " + type + " Tangent) " + member + "(" + string.Join(", ", parameters) + ")");
        WriteDirectionChecks(writer, _spec, _names, member);
        foreach ((ParameterSpec field, string tangent) in fieldTangents)
        {
            if (field.Type.IsTensor)
            {
                writer.Line(field.Type.AdjointType.Name + " " + tangent + " = " + direction + "?." + ExpressionPrinter.Identifier(field.Name) + ";");
                writer.Line(Runtime + ".GradientArrays.CheckTangentShape(\"" + member + "\", " + tangent + ", \"" + direction + "." + field.Name + "\", this." + ExpressionPrinter.Identifier(field.Name) + ", \"" + field.Name + "\");");
            }
            else
            {
                writer.Line(field.Type.Name + " " + tangent + " = " + direction + "?." + ExpressionPrinter.Identifier(field.Name) + " ?? " + field.Type.Zero + ";");
            }
        }
        foreach (string hoisted in _context.Variables.Where(_context.IsHoisted))
        {
            TypeRef hoistedType = _context.TypeOf(hoisted);
            writer.Line(hoistedType.Name + " " + ExpressionPrinter.Identifier(hoisted) + " = " + ReverseSweep.DefaultOf(hoistedType) + ";");
        }
        foreach ((TypeRef localType, string name, string initializer) in sweep.DeclaredAtTop)
        {
            writer.Line(localType.Name + " " + name + " = " + initializer + ";");
        }
        writer.Write(body);
        writer.Line("return (" + result + ", " + resultTangent + ");");
        writer.Close();
    }
}
