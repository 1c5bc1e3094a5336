using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Emit;

/// <summary>Prints one entry point (<c>FGradient</c> or <c>FPullback</c>): signature, forward pass, backward pass.</summary>
internal sealed class EntryPointWriter
{
    private const string Runtime = "global::Autodiff.Runtime";

    private readonly MethodContext _context;
    private readonly EntryNames _names;
    private readonly EntryPoint _entry;
    private readonly MethodSpec _spec;

    public EntryPointWriter(MethodContext context, EntryNames names, EntryPoint entry)
    {
        _context = context;
        _names = names;
        _entry = entry;
        _spec = context.Spec;
    }

    private string MemberName => _spec.Name + (_entry == EntryPoint.Gradient ? "Gradient" : "Pullback");

    public void Write(SourceWriter writer)
    {
        BindParameterAdjoints();

        // The reverse sweep is built twice: the first build finds what it reads, which decides what
        // the forward sweep saves and the second build restores.
        var discovery = new ReverseSweep(_context);
        discovery.Build();
        _context.ToBeRecorded = new HashSet<string>(discovery.Reads);
        List<Code> backward = new ReverseSweep(_context).Build();
        List<Code> forward = new ForwardSweep(_context).Build();

        WriteDocumentation(writer);
        writer.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"Autodiff.Generator\", \"" + GeneratorInfo.Version + "\")]");
        writer.Open(_spec.Accessibility + " static " + _spec.ReturnType.Name + " " + MemberName + "(" + string.Join(", ", Parameters()) + ")");
        WritePrologue(writer);

        writer.Line("// Forward pass");
        foreach (string hoisted in _context.Variables.Where(_context.IsHoisted))
        {
            TypeRef type = _context.TypeOf(hoisted);
            writer.Line(type.Name + " " + ExpressionPrinter.Identifier(hoisted) + " = " + ReverseSweep.DefaultOf(type) + ";");
        }
        foreach ((TypeRef type, string name, string initializer) in _context.GeneratedLocals)
        {
            writer.Line(type.Name + " " + name + " = " + initializer + ";");
        }
        foreach (KeyValuePair<string, string> stack in _context.Stacks)
        {
            writer.Line(Runtime + ".SaveStack<" + stack.Key + "> " + stack.Value + " = default;");
        }
        writer.Write(forward);
        // The backward pass restores overwritten values, the result's among them: keep it first.
        string result = ExpressionPrinter.Identifier(_context.Result.Name);
        if (_context.ToBeRecorded!.Contains(_context.Result.Name))
        {
            string value = _context.Names.Claim("value");
            writer.Line(_spec.ReturnType.Name + " " + value + " = " + result + ";");
            result = value;
        }
        writer.Line();

        writer.Line("// Backward pass: d<v> holds the gradient of the result with respect to v");
        WriteAdjointDeclarations(writer);
        writer.Write(backward);
        WriteEpilogue(writer);
        writer.Line("return " + result + ";");
        writer.Close();
    }

    /// <summary>Array parameters accumulate straight into the caller's array unless the method writes into them.</summary>
    private void BindParameterAdjoints()
    {
        foreach (ParameterSpec parameter in _spec.Parameters.Where(p => p.IsDifferentiable && p.Type.IsArray))
        {
            if (_entry == EntryPoint.Gradient || !WritesElements(parameter.Name))
            {
                _context.SetAdjoint(parameter.Name, _names.Accumulator(parameter.Name));
            }
        }
    }

    private bool WritesElements(string array) =>
        Transforms.Walk.Statements(_context.Body).Any(s => s is Assign { Target: Element e } && e.Array.Name == array);

    private IEnumerable<string> Parameters()
    {
        foreach (ParameterSpec parameter in _spec.Parameters)
        {
            yield return parameter.Type.Name + " " + ExpressionPrinter.Identifier(parameter.Name);
        }
        if (_entry == EntryPoint.Pullback)
        {
            yield return _spec.ReturnType.Name + " " + _names.Seed;
        }
        foreach (ParameterSpec parameter in _spec.Parameters.Where(p => p.IsDifferentiable))
        {
            string accumulator = _names.Accumulator(parameter.Name);
            if (_entry == EntryPoint.Gradient)
            {
                yield return "out " + parameter.Type.Name + " " + accumulator;
            }
            else
            {
                yield return (parameter.Type.IsScalar ? "ref " + parameter.Type.Name : parameter.Type.Name + "?") + " " + accumulator;
            }
        }
    }

    private void WriteDocumentation(SourceWriter writer)
    {
        string call = _spec.Name + "(" + string.Join(", ", _spec.Parameters.Select(p => p.Name)) + ")";
        var withRespectTo = _spec.Parameters.Where(p => p.IsDifferentiable).Select(p => p.Name).ToList();
        string wrt = withRespectTo.Count == 0 ? "(no differentiable parameters)" : string.Join(", ", withRespectTo);
        writer.Line("/// <summary>");
        if (_entry == EntryPoint.Gradient)
        {
            writer.Line("/// Computes <c>" + Escape(call) + "</c> and its gradient with respect to " + Escape(wrt) + ".");
            writer.Line("/// Generated by Autodiff from the [Differentiable] method; <c>" + Escape(_spec.Signature) + "</c> itself computes the value without gradient.");
        }
        else
        {
            writer.Line("/// Computes <c>" + Escape(call) + "</c> and adds <c>" + _names.Seed + " * ∂" + _spec.Name + "/∂p</c> into the accumulator of each");
            writer.Line("/// differentiable parameter p (" + Escape(wrt) + "): the vector-Jacobian product of reverse mode.");
        }
        writer.Line("/// </summary>");
    }

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private void WritePrologue(SourceWriter writer)
    {
        foreach (ParameterSpec parameter in _spec.Parameters.Where(p => p.IsDifferentiable && p.Type.IsArray))
        {
            string accumulator = _names.Accumulator(parameter.Name);
            string name = ExpressionPrinter.Identifier(parameter.Name);
            if (_entry == EntryPoint.Gradient)
            {
                writer.Line(accumulator + " = new " + parameter.Type.Element.Name + "[" + name + ".Length];");
            }
            else
            {
                writer.Line(Runtime + ".GradientArrays.CheckLength(\"" + MemberName + "\", " + accumulator + ", \"" + accumulator + "\", " + name + ", \"" + parameter.Name + "\");");
            }
        }
    }

    private void WriteAdjointDeclarations(SourceWriter writer)
    {
        foreach (string variable in _context.Variables)
        {
            if (!_context.Activity.IsActive(variable))
            {
                continue;
            }
            TypeRef type = _context.TypeOf(variable);
            string adjoint = _context.Adjoint(variable);
            string name = ExpressionPrinter.Identifier(variable);
            if (type.IsScalar)
            {
                string initial = variable == _context.Result.Name
                    ? (_entry == EntryPoint.Pullback ? _names.Seed : (type.Kind == ValueKind.Float ? "1f" : "1.0"))
                    : type.Zero;
                writer.Line(type.Name + " " + adjoint + " = " + initial + ";");
            }
            else if (type.IsArray)
            {
                bool isParameter = _context.ParameterNames.Contains(variable);
                if (!isParameter || adjoint != _names.Accumulator(variable))
                {
                    writer.Line(type.Name + " " + adjoint + " = new " + type.Element.Name + "[" + name + ".Length];");
                }
                else if (_entry == EntryPoint.Pullback)
                {
                    writer.Line(adjoint + " ??= new " + type.Element.Name + "[" + name + ".Length];");
                }
            }
        }
        foreach (KeyValuePair<string, string> sink in _context.Sinks)
        {
            writer.Line(sink.Key + " " + sink.Value + " = default;");
        }
    }

    private void WriteEpilogue(SourceWriter writer)
    {
        foreach (ParameterSpec parameter in _spec.Parameters.Where(p => p.IsDifferentiable))
        {
            string accumulator = _names.Accumulator(parameter.Name);
            bool active = _context.Activity.IsActive(parameter.Name);
            if (parameter.Type.IsScalar)
            {
                string adjoint = active ? _context.Adjoint(parameter.Name) : parameter.Type.Zero;
                if (_entry == EntryPoint.Gradient)
                {
                    writer.Line(accumulator + " = " + adjoint + ";");
                }
                else if (active)
                {
                    writer.Line(accumulator + " += " + adjoint + ";");
                }
            }
            else if (parameter.Type.IsArray && active && _context.Adjoint(parameter.Name) != accumulator)
            {
                writer.Line(Runtime + ".GradientArrays.AddInto(" + accumulator + ", " + _context.Adjoint(parameter.Name) + ");");
            }
        }
        foreach (KeyValuePair<string, string> stack in _context.Stacks)
        {
            writer.Line(stack.Value + ".Dispose();");
        }
    }
}
