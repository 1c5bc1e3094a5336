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
    public void Small_storage_stays_with_the_thread_cleared_of_references_and_large_storage_goes_back_to_the_pool()
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
        System.WeakReference saved = SaveAndRelease(referencing);
        Assert.True(referencing.KeepsStorage); // kept too (the pool would drop it on a collection)...
        System.GC.Collect();
        System.GC.WaitForPendingFinalizers();
        Assert.False(saved.IsAlive); // ...but cleared: what was saved is not kept alive between calls
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static System.WeakReference SaveAndRelease(SaveStackCapacity capacity)
    {
        var stack = new SaveStack<object>(capacity);
        var value = new object();
        stack.Push(value);
        stack.Pop();
        stack.Dispose();
        return new System.WeakReference(value);
    }

    [Fact]
    public void A_later_call_starts_with_the_storage_the_largest_call_needed()
    {
        var capacity = new SaveStackCapacity();
        Assert.Equal(0, capacity.Capacity);
        Fill(capacity, 5000);
        Assert.Equal(5000, capacity.Capacity); // the values saved, not the storage they grew into (8,192)
        Fill(capacity, 10);
        Assert.Equal(5000, capacity.Capacity); // a smaller call never shrinks it
        Fill(capacity, 20000);
        Assert.Equal(20000, capacity.Capacity);
    }

    [Fact]
    public void Large_storage_has_exactly_the_size_the_last_call_needed_and_is_reused_without_allocating()
    {
        const int count = 300_001; // above LargeSaveStorage.ExactLength: the pool would round it up to 524,288
        var capacity = new SaveStackCapacity();
        Fill(capacity, count); // grows by doubling, the first time
        Assert.Equal(count, capacity.Capacity);

        var second = new SaveStack<double>(capacity);
        Assert.Equal(count, second.Capacity); // exactly what the first call saved
        PushAndPop(ref second, count);
        second.Dispose();

        long before = System.GC.GetAllocatedBytesForCurrentThread();
        var third = new SaveStack<double>(capacity);
        int storage = third.Capacity;
        double last = PushAndPop(ref third, count);
        third.Dispose();
        long allocated = System.GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(count, storage);
        Assert.Equal(0, last);
        Assert.Equal(0, allocated); // the second call's storage, kept for the third

        // Another entry point that needs half as much does not take the kept storage (it would hold
        // twice what it saves): it gets exactly its own.
        var smaller = new SaveStackCapacity();
        Fill(smaller, count / 2);
        var half = new SaveStack<double>(smaller);
        Assert.Equal(count / 2, half.Capacity);
        half.Dispose();
    }

    [Fact]
    public void A_fixed_stack_gives_values_back_in_reverse_order_and_refuses_more_than_it_was_sized_for()
    {
        var stack = new FixedSaveStack<double>(stackalloc double[3]);
        stack.Push(1);
        stack.Push(2);
        stack.Push(3);
        Assert.Equal(3, stack.Count);
        Assert.Equal(3, stack.Pop());
        Assert.Equal(2, stack.Pop());
        Assert.Equal(1, stack.Pop());
        Assert.Equal(0, stack.Count);
        bool refused = false;
        try
        {
            stack.Push(1);
            stack.Push(2);
            stack.Push(3);
            stack.Push(4);
        }
        catch (System.IndexOutOfRangeException)
        {
            refused = true;
        }
        Assert.True(refused);
    }

    [Fact]
    public void Concurrent_calls_keep_the_largest_capacity()
    {
        var capacity = new SaveStackCapacity();
        Parallel.For(0, 64, i => Fill(capacity, 100 * (i + 1)));
        Assert.Equal(6400, capacity.Capacity);
    }

    [Fact]
    public void Popping_more_than_was_pushed_is_an_error_not_garbage()
    {
        var stack = new SaveStack<int>(new SaveStackCapacity());
        stack.Push(1);
        stack.Pop();
        Assert.Throws<System.InvalidOperationException>(() => stack.Pop());
    }

    private static double PushAndPop(ref SaveStack<double> stack, int count)
    {
        for (int i = 0; i < count; i++)
        {
            stack.Push(i);
        }
        double last = -1;
        for (int i = 0; i < count; i++)
        {
            last = stack.Pop();
        }
        return last;
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
