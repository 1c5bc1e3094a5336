using System.Collections.Generic;
using System;
using System.Linq;

namespace Autodiff.Runtime.Tests.Reference;

/// <summary>
/// Straightforward double-precision definitions of the tensor operations, written from the
/// mathematical definitions with explicit index arithmetic (no vectorisation, no fast paths), so
/// that they share no code and no shortcuts with the implementation under test.
/// </summary>
internal static class Ref
{
    /// <summary>NumPy broadcasting by explicit multi-indices.</summary>
    public static DTensor Broadcast(DTensor a, DTensor b, Func<double, double, double> f)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        var shape = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = DimFromEnd(a, rank - i);
            int db = DimFromEnd(b, rank - i);
            if (da != db && da != 1 && db != 1) throw new ArgumentException("reference: shapes do not broadcast");
            shape[i] = Math.Max(da, db);
        }
        var result = DTensor.Zeros(shape);
        for (int offset = 0; offset < result.Length; offset++)
        {
            int[] index = DTensor.Unravel(offset, shape);
            result.Data[offset] = f(a.Data[SourceOffset(a, index)], b.Data[SourceOffset(b, index)]);
        }
        return result;
    }

    private static int DimFromEnd(DTensor t, int fromEnd) => fromEnd <= t.Rank ? t.Shape[t.Rank - fromEnd] : 1;

    /// <summary>The offset in <paramref name="t"/> of the element broadcast to <paramref name="index"/> of the result.</summary>
    private static int SourceOffset(DTensor t, int[] index)
    {
        int[] strides = t.Strides();
        int skip = index.Length - t.Rank;
        int offset = 0;
        for (int axis = 0; axis < t.Rank; axis++)
        {
            int i = t.Shape[axis] == 1 ? 0 : index[axis + skip];
            offset += i * strides[axis];
        }
        return offset;
    }

    public static DTensor Add(DTensor a, DTensor b) => Broadcast(a, b, (x, y) => x + y);
    public static DTensor Subtract(DTensor a, DTensor b) => Broadcast(a, b, (x, y) => x - y);
    public static DTensor Multiply(DTensor a, DTensor b) => Broadcast(a, b, (x, y) => x * y);
    public static DTensor Divide(DTensor a, DTensor b) => Broadcast(a, b, (x, y) => x / y);

    public static DTensor Exp(DTensor x) => x.Map(Math.Exp);
    public static DTensor Log(DTensor x) => x.Map(Math.Log);
    public static DTensor Sqrt(DTensor x) => x.Map(Math.Sqrt);
    public static DTensor Square(DTensor x) => x.Map(v => v * v);
    public static DTensor Tanh(DTensor x) => x.Map(Math.Tanh);
    public static DTensor Sigmoid(DTensor x) => x.Map(v => 1.0 / (1.0 + Math.Exp(-v)));
    public static DTensor Relu(DTensor x) => x.Map(v => v > 0 ? v : 0.0);
    public static DTensor LeakyRelu(DTensor x, double slope) => x.Map(v => v > 0 ? v : slope * v);

    public static DTensor Abs(DTensor x) => x.Map(Math.Abs);
    public static DTensor Pow(DTensor x, double p) => x.Map(v => Math.Pow(v, p));
    public static DTensor Clamp(DTensor x, double min, double max) => x.Map(v => Math.Min(Math.Max(v, min), max));
    public static DTensor Softplus(DTensor x) => x.Map(v => Math.Log(1 + Math.Exp(v)));

    /// <summary>x·Φ(x), with Φ(x) = 1/2 + ∫₀ˣ φ by Simpson's rule: independent of the runtime's erf.</summary>
    public static DTensor Gelu(DTensor x) => x.Map(v => v * NormalCdf(v));

    private static double NormalCdf(double x)
    {
        const int intervals = 4000;
        double h = x / intervals, sum = 0;
        for (int i = 0; i <= intervals; i++)
        {
            double weight = i == 0 || i == intervals ? 1 : i % 2 == 1 ? 4 : 2;
            double t = i * h;
            sum += weight * Math.Exp(-0.5 * t * t);
        }
        return 0.5 + sum * h / 3 / Math.Sqrt(2 * Math.PI);
    }

    public static DTensor Sum(DTensor x) => DTensor.Scalar(x.Data.Sum());
    public static DTensor Mean(DTensor x) => DTensor.Scalar(x.Data.Sum() / x.Length);

    public static DTensor Sum(DTensor x, int axis) => Reduce(x, axis, 0.0, (sum, v) => sum + v);

    /// <summary>Folds every element into the entry of the result that drops its index along the axis.</summary>
    private static DTensor Reduce(DTensor x, int axis, double start, Func<double, double, double> combine)
    {
        if (axis < 0) axis += x.Rank;
        int[] shape = x.Shape.Where((_, i) => i != axis).ToArray();
        var result = new DTensor(shape, Enumerable.Repeat(start, shape.Aggregate(1, (p, d) => p * d)).ToArray());
        int[] resultStrides = result.Strides();
        for (int offset = 0; offset < x.Length; offset++)
        {
            int[] index = DTensor.Unravel(offset, x.Shape);
            int target = 0;
            for (int i = 0, j = 0; i < x.Rank; i++)
            {
                if (i == axis) continue;
                target += index[i] * resultStrides[j++];
            }
            result.Data[target] = combine(result.Data[target], x.Data[offset]);
        }
        return result;
    }

    /// <summary>The reduction with the axis kept, of length 1: the same values in a shape with a 1 in it.</summary>
    public static DTensor KeepDim(DTensor reduced, DTensor x, int axis)
    {
        if (axis < 0) axis += x.Rank;
        int[] shape = (int[])x.Shape.Clone();
        shape[axis] = 1;
        return new DTensor(shape, reduced.Data);
    }

    /// <summary>The largest element along the axis, element by element.</summary>
    public static DTensor Max(DTensor x, int axis) => Reduce(x, axis, double.NegativeInfinity, Math.Max);

    public static DTensor Mean(DTensor x, int axis)
    {
        int length = x.Shape[axis < 0 ? axis + x.Rank : axis];
        return Sum(x, axis).Map(v => v / length);
    }

    /// <summary>Applies a function to each row along the last axis.</summary>
    private static DTensor Rows(DTensor x, Func<double[], double[]> f)
    {
        int n = x.Shape[^1];
        var data = new double[x.Length];
        for (int start = 0; start < x.Length; start += n)
        {
            f(x.Data.Skip(start).Take(n).ToArray()).CopyTo(data, start);
        }
        return x.WithData(data);
    }

    /// <summary>log Σ exp, with the maximum factored out so that large logits stay finite in double too.</summary>
    public static double LogSumExp(double[] row)
    {
        double max = row.Max();
        return max + Math.Log(row.Sum(v => Math.Exp(v - max)));
    }

    public static DTensor Softmax(DTensor x) => Rows(x, row =>
    {
        double lse = LogSumExp(row);
        return row.Select(v => Math.Exp(v - lse)).ToArray();
    });

    public static DTensor LogSoftmax(DTensor x) => Rows(x, row =>
    {
        double lse = LogSumExp(row);
        return row.Select(v => v - lse).ToArray();
    });

    public static DTensor CrossEntropy(DTensor logits, int[] labels)
    {
        int n = logits.Shape[0];
        int c = logits.Shape[1];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double[] row = logits.Data.Skip(i * c).Take(c).ToArray();
            total += LogSumExp(row) - row[labels[i]];
        }
        return DTensor.Scalar(total / n);
    }

    public static DTensor MseLoss(DTensor prediction, DTensor target) =>
        DTensor.Scalar(prediction.Data.Zip(target.Data, (p, t) => (p - t) * (p - t)).Sum() / prediction.Length);

    public static DTensor MatMul(DTensor a, DTensor b)
    {
        int m = a.Shape[0], k = a.Shape[1], n = b.Shape[1];
        var result = DTensor.Zeros(m, n);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++) sum += a.Data[i * k + p] * b.Data[p * n + j];
                result.Data[i * n + j] = sum;
            }
        return result;
    }

    /// <summary>torch.matmul for ranks 2 to 4, from its definition: every result element is a sum over the inner axis of elements found by broadcast indexing.</summary>
    public static DTensor BatchedMatMul(DTensor a, DTensor b)
    {
        int batchRank = Math.Max(a.Rank, b.Rank) - 2;
        int[] shape = new int[batchRank + 2];
        for (int axis = 0; axis < batchRank; axis++)
        {
            int dimA = axis - (batchRank - (a.Rank - 2)) is var ia && ia >= 0 ? a.Shape[ia] : 1;
            int dimB = axis - (batchRank - (b.Rank - 2)) is var ib && ib >= 0 ? b.Shape[ib] : 1;
            shape[axis] = Math.Max(dimA, dimB);
        }
        int m = a.Shape[^2], k = a.Shape[^1], n = b.Shape[^1];
        shape[^2] = m;
        shape[^1] = n;
        var result = DTensor.Zeros(shape);
        for (int offset = 0; offset < result.Length; offset++)
        {
            int[] index = DTensor.Unravel(offset, shape);
            double sum = 0;
            for (int p = 0; p < k; p++)
            {
                sum += At(a, index, index[^2], p) * At(b, index, p, index[^1]);
            }
            result.Data[offset] = sum;
        }
        return result;
    }

    /// <summary>t[batch..., row, column] for a result index whose batch axes t broadcasts to.</summary>
    private static double At(DTensor t, int[] resultIndex, int row, int column)
    {
        int[] index = new int[t.Rank];
        int skip = resultIndex.Length - t.Rank;
        for (int axis = 0; axis < t.Rank - 2; axis++)
        {
            index[axis] = t.Shape[axis] == 1 ? 0 : resultIndex[axis + skip];
        }
        index[^2] = row;
        index[^1] = column;
        int[] strides = t.Strides();
        return t.Data[index.Select((v, i) => v * strides[i]).Sum()];
    }

    /// <summary>The last two axes swapped, element by element.</summary>
    public static DTensor BatchedTranspose(DTensor x)
    {
        int[] shape = (int[])x.Shape.Clone();
        (shape[^2], shape[^1]) = (shape[^1], shape[^2]);
        var result = DTensor.Zeros(shape);
        int[] strides = result.Strides();
        for (int offset = 0; offset < x.Length; offset++)
        {
            int[] index = DTensor.Unravel(offset, x.Shape);
            (index[^2], index[^1]) = (index[^1], index[^2]);
            result.Data[index.Select((v, i) => v * strides[i]).Sum()] = x.Data[offset];
        }
        return result;
    }

    /// <summary>a where the condition is nonzero, b elsewhere; the condition repeats over leading axes.</summary>
    public static DTensor Where(DTensor condition, DTensor a, DTensor b)
    {
        var result = DTensor.Zeros(a.Shape);
        for (int i = 0; i < result.Length; i++)
        {
            result.Data[i] = condition.Data[i % condition.Length] != 0 ? a.Data[i] : b.Data[i];
        }
        return result;
    }

    /// <summary>A tensor of the shape, every element the value.</summary>
    public static DTensor Full(int[] shape, double value)
    {
        var result = DTensor.Zeros(shape);
        System.Array.Fill(result.Data, value);
        return result;
    }

    /// <summary>Axis i of the result is axis axes[i] of x, element by element.</summary>
    public static DTensor Permute(DTensor x, int[] axes)
    {
        int[] shape = axes.Select(a => x.Shape[a]).ToArray();
        var result = DTensor.Zeros(shape);
        int[] strides = x.Strides();
        for (int offset = 0; offset < result.Length; offset++)
        {
            int[] index = DTensor.Unravel(offset, shape);
            result.Data[offset] = x.Data[index.Select((v, i) => v * strides[axes[i]]).Sum()];
        }
        return result;
    }

    /// <summary>(x − mean)/√(biased variance + ε)·γ + β over the last axis.</summary>
    public static DTensor LayerNorm(DTensor x, DTensor gamma, DTensor beta, double epsilon)
    {
        int width = x.Shape[^1];
        var result = new double[x.Length];
        for (int start = 0; start < x.Length; start += width)
        {
            double[] row = x.Data.Skip(start).Take(width).ToArray();
            double mean = row.Average(), variance = row.Select(v => (v - mean) * (v - mean)).Average();
            for (int j = 0; j < width; j++)
            {
                result[start + j] = (row[j] - mean) / Math.Sqrt(variance + epsilon) * gamma.Data[j] + beta.Data[j];
            }
        }
        return x.WithData(result);
    }

    /// <summary>Per channel (axis 1): by the batch's mean and biased variance in training, by the running statistics otherwise.</summary>
    public static DTensor BatchNorm(DTensor x, DTensor gamma, DTensor beta, DTensor runningMean, DTensor runningVariance, bool training, double epsilon)
    {
        int batch = x.Shape[0], channels = x.Shape[1], spatial = x.Length / (batch * channels);
        var result = new double[x.Length];
        for (int c = 0; c < channels; c++)
        {
            var values = new List<double>();
            for (int n = 0; n < batch; n++)
            {
                values.AddRange(x.Data.Skip((n * channels + c) * spatial).Take(spatial));
            }
            double mean = training ? values.Average() : runningMean.Data[c];
            double variance = training ? values.Select(v => (v - mean) * (v - mean)).Average() : runningVariance.Data[c];
            for (int n = 0; n < batch; n++)
            {
                for (int i = 0; i < spatial; i++)
                {
                    int at = (n * channels + c) * spatial + i;
                    result[at] = (x.Data[at] - mean) / Math.Sqrt(variance + epsilon) * gamma.Data[c] + beta.Data[c];
                }
            }
        }
        return x.WithData(result);
    }

    /// <summary>Softmax over the last axis of the scores with every key after its query left out.</summary>
    public static DTensor CausalSoftmax(DTensor x)
    {
        int rows = x.Shape[^2], columns = x.Shape[^1];
        var result = new double[x.Length];
        for (int start = 0; start < x.Length; start += columns)
        {
            int i = (start / columns) % rows;
            double[] kept = x.Data.Skip(start).Take(Math.Min(i + 1, columns)).ToArray();
            double max = kept.Max(), total = kept.Sum(v => Math.Exp(v - max));
            for (int j = 0; j < kept.Length; j++)
            {
                result[start + j] = Math.Exp(kept[j] - max) / total;
            }
        }
        return x.WithData(result);
    }

    public static DTensor Transpose(DTensor x)
    {
        int m = x.Shape[0], n = x.Shape[1];
        var result = DTensor.Zeros(n, m);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                result.Data[j * m + i] = x.Data[i * n + j];
        return result;
    }

    public static DTensor Dot(DTensor a, DTensor b) => DTensor.Scalar(a.Data.Zip(b.Data, (x, y) => x * y).Sum());

    public static DTensor Concat(DTensor a, DTensor b)
    {
        int[] shape = (int[])a.Shape.Clone();
        shape[0] += b.Shape[0];
        return new DTensor(shape, a.Data.Concat(b.Data).ToArray());
    }

    public static DTensor Slice(DTensor x, int start, int length)
    {
        int stride = x.Length / x.Shape[0];
        int[] shape = (int[])x.Shape.Clone();
        shape[0] = length;
        return new DTensor(shape, x.Data.Skip(start * stride).Take(length * stride).ToArray());
    }

    /// <summary>Concatenation along an axis, element by element: result[..., j, ...] is a's for j below a's length there, else b's.</summary>
    public static DTensor Concat(DTensor a, DTensor b, int axis)
    {
        if (axis < 0) axis += a.Rank;
        int[] shape = (int[])a.Shape.Clone();
        shape[axis] += b.Shape[axis];
        var result = DTensor.Zeros(shape);
        int[] aStrides = a.Strides(), bStrides = b.Strides();
        for (int offset = 0; offset < result.Length; offset++)
        {
            int[] index = DTensor.Unravel(offset, shape);
            bool fromA = index[axis] < a.Shape[axis];
            if (!fromA) index[axis] -= a.Shape[axis];
            int[] strides = fromA ? aStrides : bStrides;
            result.Data[offset] = (fromA ? a : b).Data[index.Select((v, i) => v * strides[i]).Sum()];
        }
        return result;
    }

    /// <summary>Entries start to start + length − 1 along an axis, element by element.</summary>
    public static DTensor Slice(DTensor x, int axis, int start, int length)
    {
        if (axis < 0) axis += x.Rank;
        int[] shape = (int[])x.Shape.Clone();
        shape[axis] = length;
        var result = DTensor.Zeros(shape);
        int[] strides = x.Strides();
        for (int offset = 0; offset < result.Length; offset++)
        {
            int[] index = DTensor.Unravel(offset, shape);
            index[axis] += start;
            result.Data[offset] = x.Data[index.Select((v, i) => v * strides[i]).Sum()];
        }
        return result;
    }

    /// <summary>conv2d by its definition: out[n, o, i, j] = b[o] + Σ x[n, c, i·s + u − p, j·s + v − p]·w[o, c, u, v], zero outside.</summary>
    public static DTensor Conv2d(DTensor x, DTensor w, DTensor? b, int stride, int padding)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3];
        int o = w.Shape[0], kh = w.Shape[2], kw = w.Shape[3];
        int oh = (h + 2 * padding - kh) / stride + 1, ow = (wd + 2 * padding - kw) / stride + 1;
        var result = DTensor.Zeros(n, o, oh, ow);
        for (int bi = 0; bi < n; bi++)
            for (int oc = 0; oc < o; oc++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        double sum = b?.Data[oc] ?? 0;
                        for (int ic = 0; ic < c; ic++)
                            for (int u = 0; u < kh; u++)
                                for (int v = 0; v < kw; v++)
                                {
                                    int y = i * stride + u - padding, xx = j * stride + v - padding;
                                    if (y < 0 || y >= h || xx < 0 || xx >= wd) continue;
                                    sum += x.Data[((bi * c + ic) * h + y) * wd + xx] * w.Data[((oc * c + ic) * kh + u) * kw + v];
                                }
                        result.Data[((bi * o + oc) * oh + i) * ow + j] = sum;
                    }
        return result;
    }

    /// <summary>Max or average over k×k windows moved by the stride, by definition.</summary>
    public static DTensor Pool2d(DTensor x, int kernel, int stride, bool average)
    {
        int planes = x.Shape[0] * x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        int oh = (h - kernel) / stride + 1, ow = (w - kernel) / stride + 1;
        var result = DTensor.Zeros(x.Shape[0], x.Shape[1], oh, ow);
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    var window = new List<double>();
                    for (int u = 0; u < kernel; u++)
                        for (int v = 0; v < kernel; v++)
                            window.Add(x.Data[(p * h + i * stride + u) * w + j * stride + v]);
                    result.Data[(p * oh + i) * ow + j] = average ? window.Average() : window.Max();
                }
        return result;
    }

    /// <summary>Inverted dropout with the documented mask: element i is kept when SplitMix64 of (seed, i) gives a uniform number of at least p.</summary>
    public static DTensor Dropout(DTensor x, double p, int seed) =>
        x.WithData(x.Data.Select((v, i) => Uniform(seed, i) >= p ? v / (1 - p) : 0.0).ToArray());

    private static double Uniform(int seed, int index)
    {
        ulong z = ((ulong)(uint)seed << 32 | (uint)index) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) / (double)(1UL << 53);
    }

    public static DTensor Gather(DTensor x, int[] rows)
    {
        int stride = x.Length / x.Shape[0];
        int[] shape = (int[])x.Shape.Clone();
        shape[0] = rows.Length;
        return new DTensor(shape, rows.SelectMany(r => x.Data.Skip(r * stride).Take(stride)).ToArray());
    }

    public static DTensor Reshape(DTensor x, params int[] shape) => new(shape, (double[])x.Data.Clone());
}
