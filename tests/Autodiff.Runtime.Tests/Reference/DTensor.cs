using System;
using System.Linq;

namespace Autodiff.Runtime.Tests.Reference;

/// <summary>
/// A double-precision tensor for the reference implementation: the tests compute every expected
/// value with it, independently of the float32 code under test.
/// </summary>
internal sealed class DTensor
{
    public DTensor(int[] shape, double[] data)
    {
        if (shape.Aggregate(1, (product, dim) => product * dim) != data.Length)
        {
            throw new ArgumentException("DTensor: data does not fill the shape.");
        }
        Shape = shape;
        Data = data;
    }

    public int[] Shape { get; }

    public double[] Data { get; }

    public int Rank => Shape.Length;

    public int Length => Data.Length;

    public static DTensor Zeros(params int[] shape) => new(shape, new double[shape.Aggregate(1, (p, d) => p * d)]);

    public static DTensor Scalar(double value) => new([], [value]);

    /// <summary>The exact double value of each float element.</summary>
    public static DTensor From(Tensor tensor) =>
        new(tensor.Shape.ToArray(), tensor.AsReadOnlySpan().ToArray().Select(v => (double)v).ToArray());

    public DTensor WithData(double[] data) => new((int[])Shape.Clone(), data);

    public DTensor Map(Func<double, double> f) => WithData(Data.Select(f).ToArray());

    /// <summary>Row-major strides.</summary>
    public int[] Strides()
    {
        var strides = new int[Rank];
        int step = 1;
        for (int axis = Rank - 1; axis >= 0; axis--)
        {
            strides[axis] = step;
            step *= Shape[axis];
        }
        return strides;
    }

    /// <summary>The multi-index of a row-major offset.</summary>
    public static int[] Unravel(int offset, int[] shape)
    {
        var index = new int[shape.Length];
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            index[axis] = offset % shape[axis];
            offset /= shape[axis];
        }
        return index;
    }
}
