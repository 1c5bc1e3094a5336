using System;
using System.Globalization;
using Autodiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Autodiff.Generator.Parsing;

/// <summary>Spells constants as C# literals of exactly their type (a double 2 is <c>2.0</c>, not the int <c>2</c>).</summary>
internal static class Literals
{
    public static string Format(object? value, ITypeSymbol? type)
    {
        switch (value)
        {
            case null:
                return type is null || type.IsReferenceType ? "null" : "default(" + type.ToDisplayString(TypeClassifier.Format) + ")";
            case double d:
                return FormatDouble(d);
            case float f:
                return FormatFloat(f);
            case bool b:
                return b ? "true" : "false";
            case string s:
                return SymbolDisplay.FormatLiteral(s, quote: true);
            case char c:
                return SymbolDisplay.FormatLiteral(c, quote: true);
        }
        string text = Convert.ToString(value, CultureInfo.InvariantCulture)!;
        if (type is { TypeKind: TypeKind.Enum })
        {
            return "((" + type.ToDisplayString(TypeClassifier.Format) + ")(" + text + "))";
        }
        return value switch
        {
            long => text + "L",
            ulong => text + "UL",
            uint => text + "U",
            decimal => text + "m",
            int i when i < 0 => "(" + text + ")",
            _ => text,
        };
    }

    public static string FormatDouble(double value)
    {
        if (double.IsNaN(value)) return "double.NaN";
        if (double.IsPositiveInfinity(value)) return "double.PositiveInfinity";
        if (double.IsNegativeInfinity(value)) return "double.NegativeInfinity";
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOfAny(new[] { '.', 'E' }) < 0)
        {
            text += ".0";
        }
        return value < 0 || (value == 0 && 1.0 / value < 0) ? "(" + text + ")" : text;
    }

    public static string FormatFloat(float value)
    {
        if (float.IsNaN(value)) return "float.NaN";
        if (float.IsPositiveInfinity(value)) return "float.PositiveInfinity";
        if (float.IsNegativeInfinity(value)) return "float.NegativeInfinity";
        string text = value.ToString("R", CultureInfo.InvariantCulture) + "f";
        return value < 0 || (value == 0 && 1f / value < 0) ? "(" + text + ")" : text;
    }

    /// <summary>The value of a floating-point literal as the generator prints it, or null for one it cannot read.</summary>
    public static double? ValueOf(Literal literal)
    {
        string text = literal.Text.Trim('(', ')');
        if (literal.Type.Kind == ValueKind.Float)
        {
            text = text.TrimEnd('f', 'F');
        }
        else if (text.EndsWith("d", StringComparison.OrdinalIgnoreCase))
        {
            text = text.Substring(0, text.Length - 1);
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : null;
    }

    public static Literal Of(TypeRef type, double value) =>
        new(type, type.Kind == ValueKind.Float ? FormatFloat((float)value) : FormatDouble(value));
}
