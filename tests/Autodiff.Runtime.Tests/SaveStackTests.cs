using System.Threading.Tasks;
using Autodiff.Runtime;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>The save stack of generated loops: last in, first out, and sized from the previous call.</summary>
public class SaveStackTests
{
    [Fact]
    public void Values_come_back_in_reverse_order_across_growth()
    {
        var capacity = new SaveStackCapacity();
        var stack = new SaveStack<double>(capacity);
        for (int i = 0; i < 1000; i++)
        {
            stack.Push(i);
        }
        for (int i = 999; i >= 0; i--)
        {
            Assert.Equal(i, stack.Pop());
        }
        Assert.Equal(0, stack.Count);
        stack.Dispose();
    }

    [Fact]
    public void Small_storage_stays_with_the_thread_and_large_or_referencing_storage_goes_back_to_the_pool()
    {
        var capacity = new SaveStackCapacity();
        var stack = new SaveStack<double>(capacity);
        stack.Push(1);
        stack.Pop();
        stack.Dispose();
        Assert.True(capacity.KeepsStorage);
        var again = new SaveStack<double>(capacity);
        Assert.False(capacity.KeepsStorage); // in use: a nested call rents its own
        for (int i = 0; i < 100_000; i++)
        {
            again.Push(i);
        }
        again.Dispose();
        Assert.False(capacity.KeepsStorage); // 100,000 values: back to the pool, not kept by the thread

        var referencing = new SaveStackCapacity();
        var strings = new SaveStack<string>(referencing);
        strings.Push("kept alive?");
        strings.Pop();
        strings.Dispose();
        Assert.False(referencing.KeepsStorage); // references are never kept between calls
    }

    [Fact]
    public void A_later_call_starts_with_the_storage_the_largest_call_needed()
    {
        var capacity = new SaveStackCapacity();
        Assert.Equal(0, capacity.Capacity);
        Fill(capacity, 5000);
        int grown = capacity.Capacity;
        Assert.True(grown >= 5000, $"capacity {grown}");
        Fill(capacity, 10);
        Assert.Equal(grown, capacity.Capacity); // a smaller call never shrinks it
        Fill(capacity, 20000);
        Assert.True(capacity.Capacity >= 20000);
    }

    [Fact]
    public void Concurrent_calls_keep_the_largest_capacity()
    {
        var capacity = new SaveStackCapacity();
        Parallel.For(0, 64, i => Fill(capacity, 100 * (i + 1)));
        Assert.True(capacity.Capacity >= 6400, $"capacity {capacity.Capacity}");
    }

    [Fact]
    public void Popping_more_than_was_pushed_is_an_error_not_garbage()
    {
        var stack = new SaveStack<int>(new SaveStackCapacity());
        stack.Push(1);
        stack.Pop();
        Assert.Throws<System.InvalidOperationException>(() => stack.Pop());
    }

    private static void Fill(SaveStackCapacity capacity, int count)
    {
        var stack = new SaveStack<double>(capacity);
        for (int i = 0; i < count; i++)
        {
            stack.Push(i);
        }
        for (int i = count - 1; i >= 0; i--)
        {
            Assert.Equal(i, stack.Pop());
        }
        stack.Dispose();
    }
}
