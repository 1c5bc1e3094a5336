using System.Linq;
using Autodiff;

namespace Digits;

/// <summary>Images as the rows of a [N, 64] tensor, with the digit each one shows.</summary>
public sealed record LabelledImages(Tensor Pixels, int[] Labels)
{
    public int Count => Labels.Length;

    /// <summary>The images at <paramref name="rows"/>, copied, in that order.</summary>
    public LabelledImages Select(int[] rows) => new(Tensor.Gather(Pixels, rows), rows.Select(row => Labels[row]).ToArray());
}
