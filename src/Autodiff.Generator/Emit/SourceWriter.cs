using System.Collections.Generic;
using System.Text;

namespace Autodiff.Generator.Emit;

/// <summary>Writes lines with four-space indentation and Unix line endings.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _depth;

    public void Line(string text = "")
    {
        if (text.Length > 0)
        {
            _text.Append(' ', _depth * 4).Append(text);
        }
        _text.Append('\n');
    }

    public void Open(string header)
    {
        Line(header);
        Line("{");
        _depth++;
    }

    public void Close(string closer = "}")
    {
        _depth--;
        Line(closer);
    }

    public void Write(IEnumerable<Code> code)
    {
        foreach (Code item in code)
        {
            switch (item)
            {
                case Line line:
                    Line(line.Text);
                    break;
                case Deferred deferred:
                    Write(deferred.Build());
                    break;
                case Nested nested:
                    Line(nested.Header);
                    Line("{");
                    _depth++;
                    Write(nested.Body);
                    _depth--;
                    if (nested.Footer is not null)
                    {
                        Line("} " + nested.Footer);
                    }
                    else if (nested.Else is { Count: > 0 })
                    {
                        Line("}");
                        Line("else");
                        Line("{");
                        _depth++;
                        Write(nested.Else);
                        _depth--;
                        Line("}");
                    }
                    else
                    {
                        Line("}");
                    }
                    break;
            }
        }
    }

    public override string ToString() => _text.ToString();
}
