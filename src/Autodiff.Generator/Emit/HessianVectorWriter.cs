using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;
using Autodiff.Generator.Transforms;

namespace Autodiff.Generator.Emit;

/// <summary>
/// <c>FHessianVector</c>: the Hessian-vector product H·u of a scalar method along a direction u
/// (<c>torch.autograd.functional.hvp</c>, <c>jax.jvp(jax.grad(f), ...)</c>), by reverse mode over
/// forward mode. The method's <see cref="TangentProgram"/> (its value's directional derivative
/// ∇f·u, as a method of its own over the inputs and the direction) goes through the same middle end
/// and reverse sweep as any method: its gradient with respect to the inputs is ∂(∇f·u)/∂x = H·u.
/// <c>FHessianVector</c> wraps that gradient member; its pullback serves callers' tangent programs.
/// </summary>
internal sealed class HessianVectorWriter
{
    public const string Suffix = MemberSuffixes.HessianVector;
    private const string ProgramSuffix = MemberSuffixes.TangentProgram;
    private const string PullbackSuffix = MemberSuffixes.Pullback;

    private readonly MethodSpec _spec;
    private readonly EntryNames _names;
    private readonly List<ParameterSpec> _inputs;

    public HessianVectorWriter(MethodSpec spec, EntryNames names)
    {
        _spec = spec;
        _names = names;
        _inputs = spec.Parameters.Where(p => p.IsDifferentiable).ToList();
    }

    /// <summary>A method's tangent program, from its generated pullback's printed name (<c>global::C.GPullback</c> → <c>global::C.GTangentProgram</c>).</summary>
    public static string ProgramOf(string pullback) =>
        pullback.Substring(0, pullback.Length - PullbackSuffix.Length) + ProgramSuffix;

    /// <summary>The methods whose tangent programs this one's calls (after <see cref="Write"/>).</summary>
    public List<PullbackCall> Calls { get; } = new();

    /// <summary>
    /// Methods over double and float scalars, arrays and tensors with a scalar or tensor result (a
    /// tensor's as its gradient takes it, through the sum of its elements) that write no array of their
    /// caller's; models' too, with respect to their parameters (their sub-models' included).
    /// </summary>
    public static bool Applies(MethodSpec spec, int writtenParameters) =>
        (spec.ReturnType.IsScalar || spec.ReturnType.IsTensor) && writtenParameters == 0
        && (spec.Parameters.Any(p => p.IsDifferentiable) || spec.HasModelGradients());

    /// <summary>A model's parameters, whose directions and products travel in Gradients objects.</summary>
    private List<ParameterSpec> Fields => _spec.HasModelGradients() ? _spec.Fields.Where(f => f.IsDifferentiable).ToList() : new List<ParameterSpec>();

    /// <summary>The members, or null when the tangent program or its gradient cannot be generated (<paramref name="gap"/> says what it does not handle yet).</summary>
    public string? Write(MethodContext context, RuleSet rules, out string? gap)
    {
        gap = null;
        var directions = _inputs.ToDictionary(p => p.Name, p => _names.Accumulator(p.Name));
        // A model's program takes the direction of its parameters as the Gradients object the caller
        // holds (null for zero), and reads each parameter's direction out of it; sub-models get their share.
        string? modelDirection = _spec.HasModelGradients() ? context.Names.Claim("direction") : null;
        List<ParameterSpec> fields = Fields;
        var fieldDirections = fields.ToDictionary(f => f.Name, f => context.Names.Claim("d" + ReverseSweep.Capitalize(f.Name)));
        var programTangents = new Dictionary<string, string>(directions);
        foreach (KeyValuePair<string, string> field in fieldDirections)
        {
            programTangents[ParameterSpec.FieldPrefix + field.Key] = field.Value;
        }
        Block program;
        try
        {
            var tangentProgram = new TangentProgram(context, programTangents, modelDirection);
            program = tangentProgram.Build();
            Calls.AddRange(tangentProgram.Calls);
        }
        catch (TangentUnsupportedException unsupported)
        {
            gap = unsupported.Message;
            return null;
        }
        program = new Block(fields.Select(f => FieldDirection(f, fieldDirections[f.Name], modelDirection!)).Concat(program.Statements).ToEquatableArray());
        var parameters = _spec.Parameters.Concat(_inputs.Select(p => new ParameterSpec(directions[p.Name], p.Type, IsDifferentiable: true))).ToList();
        if (modelDirection is not null)
        {
            parameters.Add(new ParameterSpec(modelDirection, DirectionType(null), IsDifferentiable: false));
        }
        MethodSpec tangentMethod = _spec with
        {
            Name = _spec.Name + ProgramSuffix,
            Key = TangentProgram.ProgramKey(_spec.Key),
            // Callers' tangent programs, in other types too, call its pullback.
            Parameters = parameters.ToEquatableArray(),
            LocalNames = context.Names.Taken.Concat(parameters.Select(p => p.Name)).Distinct().OrderBy(n => n, System.StringComparer.Ordinal).ToEquatableArray(),
            Body = program,
            Checkpoint = false,
            Graph = false,
            Hessian = false,
            AllHessians = false,
        };
        var diagnostics = new List<DiagnosticInfo>();
        // A method that others call has its program called by their programs: in split mode, as the
        // method itself is, so that a caller's backward pass does not run the program's forward pass again.
        // The primal calls the program keeps (value = G(x)) are split as in the method's own gradient.
        var splitCallees = new HashSet<string>(context.SplitCallees.Concat(context.SplitCallees.Select(TangentProgram.ProgramKey)));
        string? gradient = new MethodEmitter(tangentMethod, rules, new HashSet<string>(), splitCallees).EmitEntryPointsOnly(diagnostics);
        if (gradient is null || diagnostics.Count > 0)
        {
            gap = "the reverse mode of its tangent (" + string.Join("; ", diagnostics.Select(d => d.Id)) + ")";
            return null;
        }
        var writer = new SourceWriter();
        foreach (string line in gradient.TrimEnd('\n').Split('\n'))
        {
            writer.Line(line);
        }
        writer.Line();
        WriteProgramValue(writer, directions, modelDirection);
        writer.Line();
        WriteWrapper(writer);
        if (_inputs.Count == 1 && modelDirection is null)
        {
            writer.Line();
            if (_inputs[0].Type.IsTensor)
            {
                WriteTensorHessian(writer);
            }
            else
            {
                WriteHessian(writer);
            }
        }
        return writer.ToString();
    }

    /// <summary>The type of a model's direction: its Gradients class (<paramref name="modelType"/>'s, or the current model's when null), nullable.</summary>
    public static TypeRef DirectionType(string? modelType) =>
        new(ValueKind.Other, (modelType is null ? string.Empty : modelType + ".") + Parsing.MethodParser.GradientsTypeName + "?");

    /// <summary>
    /// <c>dW = direction?.W ?? zeros</c>: a parameter's direction, constant to the program (no gradient
    /// flows into a direction). Zeros rather than null when the direction is null: a local assigned
    /// from the parameter may reach another method's tangent program, whose directions are tensors.
    /// </summary>
    private static Declare FieldDirection(ParameterSpec field, string name, string direction)
    {
        string read = direction + "?." + ExpressionPrinter.Identifier(field.Name);
        string zero = field.Type.IsTensor ? TypeRef.TensorName + ".ZerosLike(this." + ExpressionPrinter.Identifier(field.Name) + ")" : field.Type.Zero;
        string text = "(" + read + " ?? " + zero + ")";
        var value = new Opaque(field.Type, new[] { text }.ToEquatableArray(), EquatableArray<Expr>.Empty, "the direction of " + field.Name, Printable: true, SourceSpan.None);
        return new Declare(SourceSpan.None, "the direction of " + field.Name, new Local(field.Type, name), value);
    }

    /// <summary>
    /// <c>FHessian</c> for a method of one differentiable input (a scalar, or an array of n): the
    /// second derivative, or the n × n matrix, one Hessian-vector product per unit direction, as
    /// torch.autograd.functional.hessian. For small inputs: it costs n products.
    /// </summary>
    private void WriteHessian(SourceWriter writer)
    {
        ParameterSpec input = _inputs[0];
        var names = new NameAllocator(_spec.Parameters.Select(p => p.Name));
        string hessian = names.Claim("hessian"), value = names.Claim("value"), direction = names.Claim("direction");
        string column = names.Claim("column"), row = names.Claim("i"), index = names.Claim("j");
        TypeRef elementType = input.Type.IsArray ? input.Type.Element : input.Type;
        string element = elementType.Name;
        string one = Parsing.Literals.Of(elementType, 1).Text;
        string arguments = string.Join(", ", _spec.Parameters.Select(p => ExpressionPrinter.Identifier(p.Name)));
        string name = ExpressionPrinter.Identifier(input.Name);
        writer.Line("/// <summary>");
        writer.Line(input.Type.IsArray
            ? "/// Computes <c>" + _spec.Name + "</c> and its Hessian with respect to " + input.Name + ": element [i, j] is ∂²" + _spec.Name + "/∂" + input.Name + "[i]∂" + input.Name + "[j] (torch.autograd.functional.hessian),"
            : "/// Computes <c>" + _spec.Name + "</c> and its second derivative with respect to " + input.Name + " (torch.autograd.functional.hessian),");
        writer.Line("/// one " + _spec.Name + Suffix + " per " + (input.Type.IsArray ? "element of " + input.Name + ": meant for small inputs." : "call."));
        writer.Line("/// </summary>");
        writer.Line(GeneratorInfo.GeneratedCodeAttribute);
        var parameters = _spec.Parameters.Select(p => p.Type.Name + " " + ExpressionPrinter.Identifier(p.Name))
            .Append("out " + element + (input.Type.IsArray ? "[,] " : " ") + hessian);
        writer.Open(_spec.Accessibility + (_spec.IsInstance ? " " : " static ") + _spec.ReturnType.Name + " " + _spec.Name + MemberSuffixes.Hessian + "(" + string.Join(", ", parameters) + ")");
        if (!input.Type.IsArray)
        {
            writer.Line("return " + _spec.Name + Suffix + "(" + arguments + ", " + one + ", out " + hessian + ");");
            writer.Close();
            return;
        }
        writer.Line("global::System.ArgumentNullException.ThrowIfNull(" + name + ");");
        writer.Line(hessian + " = new " + element + "[" + name + ".Length, " + name + ".Length];");
        writer.Line(_spec.ReturnType.Name + " " + value + " = " + _spec.Name + "(" + arguments + ");");
        writer.Line(input.Type.Name + " " + direction + " = new " + element + "[" + name + ".Length];");
        writer.Open("for (int " + index + " = 0; " + index + " < " + name + ".Length; " + index + "++)");
        writer.Line(direction + "[" + index + "] = " + one + ";");
        writer.Line(_spec.Name + Suffix + "(" + arguments + ", " + direction + ", out " + input.Type.Name + " " + column + ");");
        writer.Line(direction + "[" + index + "] = " + elementType.Zero + ";");
        writer.Open("for (int " + row + " = 0; " + row + " < " + name + ".Length; " + row + "++)");
        writer.Line(hessian + "[" + row + ", " + index + "] = " + column + "[" + row + "];");
        writer.Close();
        writer.Close();
        writer.Line("return " + value + ";");
        writer.Close();
    }

    /// <summary>
    /// <c>FHessian</c> for a method of one tensor input of n elements: the n × n matrix over its
    /// row-major elements, one Hessian-vector product per unit direction. For small inputs.
    /// </summary>
    private void WriteTensorHessian(SourceWriter writer)
    {
        ParameterSpec input = _inputs[0];
        var names = new NameAllocator(_spec.Parameters.Select(p => p.Name));
        string hessian = names.Claim("hessian"), direction = names.Claim("direction"), column = names.Claim("column");
        string index = names.Claim("j"), value = names.Claim("value");
        string tensor = TypeRef.TensorName;
        string arguments = string.Join(", ", _spec.Parameters.Select(p => ExpressionPrinter.Identifier(p.Name)));
        string name = ExpressionPrinter.Identifier(input.Name);
        writer.Line("/// <summary>");
        writer.Line("/// Computes <c>" + _spec.Name + "</c> and its Hessian with respect to " + input.Name + ", a matrix over its elements in row-major order: element [i, j] is ∂²"
            + _spec.Name + "/∂" + input.Name + "[i]∂" + input.Name + "[j] (torch.autograd.functional.hessian, flattened),");
        writer.Line("/// one " + _spec.Name + Suffix + " per element of " + input.Name + ": meant for small inputs.");
        writer.Line("/// </summary>");
        writer.Line(GeneratorInfo.GeneratedCodeAttribute);
        var parameters = _spec.Parameters.Select(p => p.Type.Name + " " + ExpressionPrinter.Identifier(p.Name)).Append("out " + tensor + " " + hessian);
        writer.Open(_spec.Accessibility + (_spec.IsInstance ? " " : " static ") + _spec.ReturnType.Name + " " + _spec.Name + MemberSuffixes.Hessian + "(" + string.Join(", ", parameters) + ")");
        writer.Line("global::System.ArgumentNullException.ThrowIfNull(" + name + ");");
        writer.Line(hessian + " = " + tensor + ".Zeros(" + name + ".Length, " + name + ".Length);");
        writer.Line(_spec.ReturnType.Name + " " + value + " = " + _spec.Name + "(" + arguments + ");");
        writer.Line(tensor + " " + direction + " = " + tensor + ".ZerosLike(" + name + ");");
        writer.Open("for (int " + index + " = 0; " + index + " < " + name + ".Length; " + index + "++)");
        writer.Line(direction + ".Span[" + index + "] = 1f;");
        writer.Line(_spec.Name + Suffix + "(" + arguments + ", " + direction + ", out " + tensor + " " + column + ");");
        writer.Line(direction + ".Span[" + index + "] = 0f;");
        writer.Line("global::Autodiff.Runtime.TensorJacobians.SetColumn(" + hessian + ", " + index + ", " + name + ".Length, " + column + ");");
        writer.Close();
        writer.Line("return " + value + ";");
        writer.Close();
    }

    /// <summary>The tangent program's value, ∇F·u, for callers' tangent programs: the tangent member's.</summary>
    private void WriteProgramValue(SourceWriter writer, Dictionary<string, string> directions, string? modelDirection)
    {
        var parameters = _spec.Parameters.Select(p => p.Type.Name + " " + ExpressionPrinter.Identifier(p.Name))
            .Concat(_inputs.Select(p => p.Type.Name + " " + directions[p.Name]));
        var arguments = _spec.Parameters.Select(p => ExpressionPrinter.Identifier(p.Name)).Concat(_inputs.Select(p => directions[p.Name]));
        if (modelDirection is not null)
        {
            parameters = parameters.Append(DirectionType(null).Name + " " + modelDirection);
            arguments = arguments.Append(modelDirection);
        }
        writer.Line("/// <summary>The directional derivative of <c>" + _spec.Name + "</c> as a method of the inputs and the direction, for callers' Hessian-vector products.</summary>");
        writer.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        writer.Line(GeneratorInfo.GeneratedCodeAttribute);
        writer.Line(_spec.Accessibility + (_spec.IsInstance ? " " : " static ") + _spec.ReturnType.Name + " " + _spec.Name + ProgramSuffix + "(" + string.Join(", ", parameters) + ") =>");
        writer.Line("    " + _spec.Name + TangentWriter.Suffix + "(" + string.Join(", ", arguments) + ").Tangent;");
    }

    /// <summary>
    /// <c>FHessianVector</c>: the program's gradient with respect to the inputs (H·u), its gradient with
    /// respect to the direction (∇F) discarded. For a model, the parameters' direction and their product
    /// travel in Gradients objects (the product added into <c>product</c>, as FGradient adds into its
    /// gradients), the explicit inputs' as for any method.
    /// </summary>
    private void WriteWrapper(SourceWriter writer)
    {
        var taken = new HashSet<string>(_spec.Parameters.Select(p => p.Name).Concat(_inputs.Select(p => _names.Accumulator(p.Name))));
        var names = new NameAllocator(taken);
        var products = _inputs.ToDictionary(p => p.Name, p => names.Claim("h" + ReverseSweep.Capitalize(p.Name)));
        string? direction = _spec.HasModelGradients() ? names.Claim("direction") : null;
        string? product = _spec.HasModelGradients() ? names.Claim("product") : null;
        string gradients = Parsing.MethodParser.GradientsTypeName;
        string member = _spec.Name + Suffix;
        string call = _spec.Name + "(" + string.Join(", ", _spec.Parameters.Select(p => p.Name)) + ")";
        writer.Line("/// <summary>");
        if (direction is null)
        {
            writer.Line("/// Computes <c>" + call + "</c> and the Hessian-vector product H·u along the direction u = ("
                + string.Join(", ", _inputs.Select(p => _names.Accumulator(p.Name))) + "): " + string.Join(", ", _inputs.Select(p => products[p.Name]))
                + " receive Σⱼ ∂²" + _spec.Name + "/∂p∂qⱼ · uⱼ for each input p,");
            writer.Line("/// as torch.autograd.functional.hvp; by reverse mode over the forward-mode tangent. A null direction array or tensor is zero.");
        }
        else
        {
            writer.Line("/// Computes <c>" + call + "</c> and the Hessian-vector product H·u along the direction u of the model's parameters (" + direction + ", a parameter-shaped " + gradients + " object; null is zero)"
                + (_inputs.Count > 0 ? " and of the inputs (" + string.Join(", ", _inputs.Select(p => _names.Accumulator(p.Name))) + ")" : string.Empty) + ":");
            writer.Line("/// the parameters' part is added into " + product + ", as FGradient adds into its gradients" + (_inputs.Count > 0 ? ", the inputs' part is " + string.Join(", ", products.Values) : string.Empty)
                + " (torch.autograd.functional.hvp over functional_call); by reverse mode over the forward-mode tangent.");
        }
        writer.Line("/// </summary>");
        writer.Line(GeneratorInfo.GeneratedCodeAttribute);
        var parameters = _spec.Parameters.Select(p => p.Type.Name + " " + ExpressionPrinter.Identifier(p.Name))
            .Concat(_inputs.Select(p => p.Type.Name.TrimEnd('?') + (p.Type.IsArray || p.Type.IsTensor ? "? " : " ") + _names.Accumulator(p.Name)));
        if (direction is not null)
        {
            parameters = parameters.Append(gradients + "? " + direction).Append(gradients + " " + product);
        }
        parameters = parameters.Concat(_inputs.Select(p => "out " + p.Type.Name + " " + products[p.Name]));
        writer.Open(_spec.Accessibility + (_spec.IsInstance ? " " : " static ") + _spec.ReturnType.Name + " " + member + "(" + string.Join(", ", parameters) + ")");
        TangentWriter.WriteDirectionChecks(writer, _spec, _names, member);
        if (product is not null)
        {
            writer.Line("global::System.ArgumentNullException.ThrowIfNull(" + product + ");");
        }
        foreach (ParameterSpec tensor in _inputs.Where(p => p.Type.IsTensor))
        {
            // The program's gradient takes every direction as an input of its own: a null one is zeros.
            writer.Line(_names.Accumulator(tensor.Name) + " ??= " + TypeRef.TensorName + ".ZerosLike(" + ExpressionPrinter.Identifier(tensor.Name) + ");");
        }
        // The program's gradient: first with respect to the inputs (H·u), then to the direction (the gradient, unused here).
        var arguments = _spec.Parameters.Select(p => ExpressionPrinter.Identifier(p.Name))
            .Concat(_inputs.Select(p => _names.Accumulator(p.Name)))
            .Concat(direction is null ? Enumerable.Empty<string>() : new[] { direction, product! })
            .Concat(_inputs.Select(p => "out " + products[p.Name]))
            .Concat(_inputs.Select(_ => "out _"));
        writer.Line(_spec.Name + ProgramSuffix + "Gradient(" + string.Join(", ", arguments) + ");");
        writer.Line("return " + _spec.Name + "(" + string.Join(", ", _spec.Parameters.Select(p => ExpressionPrinter.Identifier(p.Name))) + ");");
        writer.Close();
    }
}
