using System;
using System.Numerics;
using Autodiff.Runtime;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>
/// What vectorised generated loops rely on: lane accesses touch exactly the elements the scalar
/// iterations would and fail as they would, and saving lanes is saving the values one at a time.
/// </summary>
public class LanesTests
{
    private static readonly int Width = Vector<double>.Count;

    [Fact]
    public void Loads_and_stores_cover_the_elements_from_the_index_on()
    {
        double[] array = Sequence(Width + 3);
        Vector<double> lanes = Lanes.Load(array, 2);
        for (int k = 0; k < Width; k++)
        {
            Assert.Equal(array[2 + k], lanes[k]);
        }
        Lanes.Add(array, 1, new Vector<double>(10));
        Lanes.Subtract(array, 3, new Vector<double>(1));
        Lanes.Store(array, 0, Lanes.Load(array, 0) * 2);
        double[] expected = Sequence(Width + 3);
        for (int k = 1; k < 1 + Width; k++)
        {
            expected[k] += 10;
        }
        for (int k = 3; k < 3 + Width; k++)
        {
            expected[k] -= 1;
        }
        for (int k = 0; k < Width; k++)
        {
            expected[k] *= 2;
        }
        Assert.Equal(expected, array);
    }

    [Fact]
    public void Whole_vectors_round_a_count_down_and_the_variant_before_the_last_leaves_an_iteration()
    {
        for (int count = 0; count <= 4 * Width + 1; count++)
        {
            Assert.Equal(count / Width * Width, Lanes.WholeVectors<double>(count));
            int beforeLast = Lanes.WholeVectorsBeforeLast<double>(count);
            Assert.Equal(count == 0 ? 0 : (count - 1) / Width * Width, beforeLast);
            Assert.True(count == 0 || beforeLast < count);
            Assert.Equal(0, beforeLast % Width);
        }
        Assert.Equal(int.MaxValue / Vector<float>.Count * Vector<float>.Count, Lanes.WholeVectors<float>(int.MaxValue));
    }

    [Fact]
    public void An_access_reaching_past_either_end_throws_index_out_of_range_and_writes_nothing()
    {
        double[] array = Sequence(Width + 1);
        Assert.Throws<IndexOutOfRangeException>(() => Lanes.Load(array, 2));
        Assert.Throws<IndexOutOfRangeException>(() => Lanes.Load(array, -1));
        Assert.Throws<IndexOutOfRangeException>(() => Lanes.Load(array, int.MaxValue));
        Assert.Throws<IndexOutOfRangeException>(() => Lanes.Store(array, 2, Vector<double>.One));
        Assert.Throws<IndexOutOfRangeException>(() => Lanes.Add(array, -1, Vector<double>.One));
        Assert.Throws<IndexOutOfRangeException>(() => Lanes.Subtract(new double[Width - 1], 0, Vector<double>.One));
        Assert.Equal(Sequence(Width + 1), array);
        Assert.Throws<NullReferenceException>(() => Lanes.Load((double[])null!, 0));
        Assert.Equal(array[1], Lanes.Load(array, 1)[0]); // the last position that fits
    }

    [Fact]
    public void Lanes_pushed_come_back_one_at_a_time_in_reverse_and_values_pushed_one_at_a_time_come_back_as_lanes()
    {
        var stack = new SaveStack<double>(new SaveStackCapacity()); // starts with no storage: the first push grows it
        double[] values = Sequence(3 * Width);
        for (int start = 0; start < values.Length; start += Width)
        {
            stack.PushLanes(Lanes.Load(values, start));
        }
        for (int i = values.Length - 1; i >= Width; i--)
        {
            Assert.Equal(values[i], stack.Pop());
        }
        Assert.Equal(Lanes.Load(values, 0), stack.PopLanes());
        Assert.Equal(0, stack.Count);

        for (int i = 0; i < 200; i++)
        {
            stack.Push(i); // across growth
        }
        for (int top = 200 - Width; top >= 200 - 40 * Width; top -= Width)
        {
            Vector<double> lanes = stack.PopLanes();
            for (int k = 0; k < Width; k++)
            {
                Assert.Equal(top + k, lanes[k]);
            }
        }
        stack.Dispose();
    }

    [Fact]
    public void Popping_more_lanes_than_were_saved_is_an_error_not_garbage()
    {
        var stack = new SaveStack<double>();
        stack.Push(1); // one value: fewer than a vector's width (at least 2)
        Assert.Throws<InvalidOperationException>(() => stack.PopLanes());
        stack.Dispose();
    }

    [Fact]
    public void A_fixed_stack_saves_and_restores_lanes_as_the_pooled_one_does()
    {
        Span<double> storage = stackalloc double[2 * Width + 1];
        var stack = new FixedSaveStack<double>(storage);
        double[] values = Sequence(2 * Width);
        stack.Push(-1);
        stack.PushLanes(Lanes.Load(values, 0));
        stack.PushLanes(Lanes.Load(values, Width));
        Assert.Equal(2 * Width + 1, stack.Count);
        Assert.Equal(values[^1], stack.Pop());
        stack.Push(values[^1]);
        Assert.Equal(Lanes.Load(values, Width), stack.PopLanes());
        Assert.Equal(Lanes.Load(values, 0), stack.PopLanes());
        Assert.Equal(-1, stack.Pop());
    }

    private static double[] Sequence(int length)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = 0.5 + i;
        }
        return values;
    }
}
