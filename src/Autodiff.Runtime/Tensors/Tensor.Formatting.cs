using System;
using System.Globalization;
using System.Text;

namespace Autodiff;

// A readable rendering for debugging and test messages, in the style of NumPy's repr.
public sealed partial class Tensor
{
    /// <summary>Dimensions longer than this show their first and last <see cref="EdgeItems"/> entries around "...".</summary>
    private const int SummariseAbove = 6;
    private const int EdgeItems = 3;

    /// <summary>
    /// The shape and the values, e.g. <c>Tensor [2x3] [[1, 2, 3], [4, 5, 6]]</c>, with the values
    /// in invariant culture (six significant digits) and long dimensions summarised with "...".
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder("Tensor ").Append(TensorShape.Format(_shape)).Append(' ');
        AppendValues(text, axis: 0, offset: 0);
        return text.ToString();
    }

    private void AppendValues(StringBuilder text, int axis, int offset)
    {
        if (axis == _shape.Length)
        {
            text.Append(Data[offset].ToString("G6", CultureInfo.InvariantCulture));
            return;
        }
        int size = _shape[axis];
        int stride = TensorShape.ElementCountUnchecked(_shape.AsSpan(axis + 1));
        bool summarise = size > SummariseAbove;
        text.Append('[');
        for (int i = 0; i < size; i++)
        {
            if (summarise && i == EdgeItems)
            {
                text.Append("..., ");
                i = size - EdgeItems;
            }
            AppendValues(text, axis + 1, offset + i * stride);
            if (i < size - 1)
            {
                text.Append(", ");
            }
        }
        text.Append(']');
    }
}
