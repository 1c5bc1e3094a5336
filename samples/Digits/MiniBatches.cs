using System;
using Autodiff;

namespace Digits;

/// <summary>One mini-batch: images [n, 64] and their labels. Valid until the next batch is taken.</summary>
public readonly record struct Batch(Tensor Pixels, int[] Labels);

/// <summary>
/// Cuts the training images into mini-batches in a new random order every epoch (a seeded one, so
/// runs repeat). The last batch of an epoch holds the remainder.
/// </summary>
/// <remarks>
/// Batches are gathered into a workspace of their own and the label arrays are reused, so taking a
/// batch allocates nothing once the shapes have been seen (the smaller last batch costs a fresh
/// buffer when the size changes).
/// </remarks>
public sealed class MiniBatches
{
    private readonly LabelledImages _images;
    private readonly int _batchSize;
    private readonly int[] _order;
    private readonly Random _random;
    private readonly TensorWorkspace _workspace = new();
    private readonly int[] _fullLabels;
    private readonly int[] _lastLabels;

    public MiniBatches(LabelledImages images, int batchSize, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _images = images;
        _batchSize = batchSize;
        _order = new int[images.Count];
        for (int i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }
        _random = new Random(seed);
        _fullLabels = new int[batchSize];
        _lastLabels = new int[images.Count % batchSize];
    }

    public int Count => (_images.Count + _batchSize - 1) / _batchSize;

    /// <summary>Draws a new order for the next epoch.</summary>
    public void Shuffle() => _random.Shuffle(_order);

    /// <summary>Batch <paramref name="index"/> of the current order; it stays valid until the next call.</summary>
    public Batch Take(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        int start = index * _batchSize;
        ReadOnlySpan<int> rows = _order.AsSpan(start, Math.Min(_batchSize, _images.Count - start));
        int[] labels = rows.Length == _batchSize ? _fullLabels : _lastLabels;
        for (int i = 0; i < rows.Length; i++)
        {
            labels[i] = _images.Labels[rows[i]];
        }
        using (_workspace.Enter())
        {
            return new Batch(Tensor.Gather(_images.Pixels, rows), labels);
        }
    }
}
