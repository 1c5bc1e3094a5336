using System.Collections.Generic;
using System.Linq;
using System.Text;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Emit;

/// <summary>
/// Draws a straight-line method's computation graph as backpropagation is taught: a node for each
/// differentiable input, each intermediate value and the result, and an edge from each value to
/// each value computed from it, labelled with the local derivative (∂b/∂a = w1 on the edge a → b of
/// b = w1·a). An input that reaches the result along several paths shows them all: its gradient is
/// the sum over those paths of the products of the labels. Printed as Mermaid and as DOT, into two
/// string constants (<c>FGraphMermaid</c>, <c>FGraphDot</c>).
/// </summary>
internal sealed class GraphWriter
{
    public const string MermaidSuffix = MemberSuffixes.GraphMermaid;
    public const string DotSuffix = MemberSuffixes.GraphDot;
    private const string Marker = "\u0001";

    private readonly MethodContext _context;
    private readonly Dictionary<string, string> _current = new();
    private readonly Dictionary<string, int> _versions = new();
    private readonly List<(string Id, string Label, NodeKind Kind)> _nodes = new();
    private readonly List<(string From, string To, string Label)> _edges = new();

    private enum NodeKind { Input, Intermediate, Result }

    public GraphWriter(MethodContext context) => _context = context;

    /// <summary>Why the method cannot be drawn (it is not straight-line code), or null.</summary>
    public static string? Unsupported(Block body) =>
        Transforms.Walk.Statements(body).FirstOrDefault(s => s is Loop or ForEach or If or Throw) is { } statement
            ? (statement is If ? "a branch" : statement is Throw ? "a throw" : "a loop")
            : null;

    public void Write(SourceWriter writer)
    {
        foreach (ParameterSpec parameter in _context.Spec.Inputs().Where(p => p.IsDifferentiable && _context.Activity.IsActive(p.Name)))
        {
            Define(parameter.Name, NodeKind.Input);
        }
        foreach (Stmt statement in _context.Body.Statements)
        {
            switch (statement)
            {
                case Declare { Initializer: { } value } s:
                    Assignment(s.Variable.Name, AssignKind.Set, value);
                    break;
                case Assign { Target: Local target } s:
                    Assignment(target.Name, s.Kind, s.Value);
                    break;
                case Assign s when _context.Activity.IsVaried(s.Value):
                    throw new TangentUnsupportedException("an array element");
            }
        }
        if (_current.TryGetValue(_context.Result.Name, out string? result))
        {
            int index = _nodes.FindIndex(n => n.Id == result);
            // The value the method returns, named after the method (jump lowering calls it "result").
            bool generated = _nodes[index].Id == ExpressionPrinter.Identifier(_context.Result.Name) && !_context.Spec.LocalNames.Contains(_context.Result.Name);
            string label = generated ? _context.Spec.Name : _nodes[index].Label;
            _nodes[index] = (_nodes[index].Id, label, NodeKind.Result);
        }
        string name = _context.Spec.Name;
        writer.Line("/// <summary>The computation graph of <c>" + name + "</c> as Mermaid text (a flowchart; paste it into any Mermaid renderer): each edge is labelled with its local derivative.</summary>");
        writer.Line(_context.Spec.Accessibility + " const string " + name + MermaidSuffix + " = " + Literal(Mermaid()) + ";");
        writer.Line();
        writer.Line("/// <summary>The computation graph of <c>" + name + "</c> as Graphviz DOT text (<c>dot -Tsvg</c>): each edge is labelled with its local derivative.</summary>");
        writer.Line(_context.Spec.Accessibility + " const string " + name + DotSuffix + " = " + Literal(Dot()) + ";");
    }

    private void Assignment(string target, AssignKind kind, Expr value)
    {
        if (!_context.Activity.IsActive(target))
        {
            return;
        }
        if (target == _context.Result.Name && kind == AssignKind.Set && value is Local returned && _current.TryGetValue(returned.Name, out string? same))
        {
            // "return L;": the result is L's node, not a copy of it.
            _current[target] = same;
            return;
        }
        var edges = new List<(string From, string Label)>();
        if (kind != AssignKind.Set && _current.TryGetValue(target, out string? previous))
        {
            edges.Add((previous, "1"));
        }
        foreach (string read in Transforms.Activity.DifferentiableReads(value).Distinct())
        {
            if (_current.TryGetValue(read, out string? from))
            {
                string label = LocalDerivative(value, read);
                edges.Add((from, kind == AssignKind.Subtract ? Negated(label) : label));
            }
        }
        string node = Define(target, NodeKind.Intermediate);
        foreach ((string from, string label) in edges)
        {
            _edges.Add((from, node, label));
        }
    }

    private string Define(string variable, NodeKind kind)
    {
        int version = _versions.TryGetValue(variable, out int seen) ? seen + 1 : 0;
        _versions[variable] = version;
        string shown = variable.Replace(ParameterSpec.FieldPrefix, string.Empty);
        string id = (shown + (version == 0 ? string.Empty : "_" + version)).Replace('.', '_');
        _nodes.Add((id, shown + new string('′', version), kind));
        _current[variable] = id;
        return id;
    }

    /// <summary>∂value/∂read, printed: the tangent of the value when read has tangent 1 and everything else 0.</summary>
    private string LocalDerivative(Expr value, string read)
    {
        if (value is Invocation call)
        {
            return CallDerivative(call, read);
        }
        var expressions = new TangentExpressions(_context.Activity.IsVaried, v => v == read ? Marker : null);
        List<(Expr Place, Expr Coefficient)> row = expressions.Combination(value);
        // One term: the marker's, or a conversion or choice with the marker inside it.
        return row.Count == 0 ? "0" : Short(ExpressionPrinter.Print(Simplify(new Binary(value.Type, BinaryOp.Multiply, row[0].Coefficient, row[0].Place))));
    }

    /// <summary>The derivative of the common Math functions by name; the rule's name for the others.</summary>
    private string CallDerivative(Invocation call, string read)
    {
        string name = call.Callee.Printed.Replace("global::System.MathF.", "Math.").Replace("global::System.Math.", "Math.");
        Expr? argument = call.Arguments.Count == 1 ? call.Arguments[0].Value : null;
        string x = argument is null ? string.Empty : Short(ExpressionPrinter.Print(argument));
        string? known = argument is null ? null : name switch
        {
            "Math.Sin" => "cos(" + x + ")",
            "Math.Cos" => "−sin(" + x + ")",
            "Math.Exp" => "exp(" + x + ")",
            "Math.Log" => "1 / " + x,
            "Math.Sqrt" => "1 / (2 √" + x + ")",
            "Math.Tanh" => "1 − tanh²(" + x + ")",
            "Math.Abs" => "sign(" + x + ")",
            _ => null,
        };
        string callee = call.Callee.Display.Substring(call.Callee.Display.LastIndexOf('.') + 1);
        return known ?? "∂" + callee + "/∂" + read.Replace(ParameterSpec.FieldPrefix, string.Empty);
    }

    private static Expr Simplify(Expr expression) => expression switch
    {
        Binary { Op: BinaryOp.Multiply } e when IsOne(e.Left) => Simplify(e.Right),
        Binary { Op: BinaryOp.Multiply } e when IsOne(e.Right) => Simplify(e.Left),
        Binary e => e with { Left = Simplify(e.Left), Right = Simplify(e.Right) },
        Unary { Op: UnaryOp.Negate } e when IsOne(e.Operand) => new Literal(e.Type, "-1"),
        Unary e => e with { Operand = Simplify(e.Operand) },
        Cast e => Simplify(e.Operand),
        Conditional e => e with { WhenTrue = Simplify(e.WhenTrue), WhenFalse = Simplify(e.WhenFalse) },
        Local { Name: Marker } e => new Literal(e.Type, "1"),
        _ => expression,
    };

    private static bool IsOne(Expr expression) => expression is Local { Name: Marker } or Literal { Text: "1" or "1.0" or "1f" };

    private static string Negated(string label) => label.StartsWith("-", System.StringComparison.Ordinal) ? label.Substring(1) : "-" + (label.Contains(" ") ? "(" + label + ")" : label);

    private static string Short(string printed) => printed
        .Replace("global::System.MathF.", "MathF.").Replace("global::System.Math.", "Math.").Replace("global::", string.Empty)
        .Replace("this.", string.Empty).Replace(".0 ", " ").Replace(".0)", ")").TrimEnd().Replace(Marker, "1");

    private string Mermaid()
    {
        var text = new StringBuilder("flowchart LR\n");
        foreach ((string id, string label, NodeKind kind) in _nodes)
        {
            string quoted = "\"" + label + "\"";
            text.Append("    ").Append(id).Append(kind switch { NodeKind.Input => "([" + quoted + "])", NodeKind.Result => "((" + quoted + "))", _ => "[" + quoted + "]" }).Append('\n');
        }
        foreach ((string from, string to, string label) in _edges)
        {
            text.Append("    ").Append(from).Append(" -- \"").Append(label.Replace("\"", "'")).Append("\" --> ").Append(to).Append('\n');
        }
        return text.ToString();
    }

    private string Dot()
    {
        var text = new StringBuilder("digraph " + _context.Spec.Name + " {\n    rankdir=LR;\n");
        foreach ((string id, string label, NodeKind kind) in _nodes)
        {
            string shape = kind switch { NodeKind.Input => "ellipse", NodeKind.Result => "doublecircle", _ => "box" };
            text.Append("    ").Append(id).Append(" [label=\"").Append(label).Append("\", shape=").Append(shape).Append("];\n");
        }
        foreach ((string from, string to, string label) in _edges)
        {
            text.Append("    ").Append(from).Append(" -> ").Append(to).Append(" [label=\"").Append(label.Replace("\"", "\\\"")).Append("\"];\n");
        }
        return text.Append("}\n").ToString();
    }

    /// <summary>A C# string literal.</summary>
    private static string Literal(string text) =>
        "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";
}
