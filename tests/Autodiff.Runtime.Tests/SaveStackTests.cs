using System.Linq;
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

    [Fact]
    public void Reserved_pushes_and_marked_pops_give_the_values_back_in_reverse_order_and_the_peak_sizes_the_next_call()
    {
        var capacity = new SaveStackCapacity();
        var stack = new SaveStack<double>(capacity);
        stack.Push(-1); // a checked push before the reservation keeps its place
        int width = System.Numerics.Vector<double>.Count;
        stack.Reserve(3 + 2L * width);
        stack.PushReserved(0);
        stack.PushLanesReserved(new System.Numerics.Vector<double>(System.Linq.Enumerable.Range(1, width).Select(i => (double)i).ToArray()));
        stack.PushReserved(width + 1);
        stack.PushLanesReserved(new System.Numerics.Vector<double>(System.Linq.Enumerable.Range(width + 2, width).Select(i => (double)i).ToArray()));
        stack.PushReserved(2 * width + 2);
        stack.MarkPeak();
        Assert.Equal(2 * width + 4, stack.Count);
        Assert.Equal(2 * width + 2, stack.PopMarked());
        System.Numerics.Vector<double> lanes = stack.PopLanesMarked();
        for (int i = 0; i < width; i++)
        {
            Assert.Equal(width + 2 + i, lanes[i]); // lane 0 was saved first
        }
        Assert.Equal(width + 1, stack.PopMarked());
        lanes = stack.PopLanesMarked();
        Assert.Equal(1, lanes[0]);
        Assert.Equal(0, stack.PopMarked());
        Assert.Equal(-1, stack.PopMarked());
        Assert.Throws<System.InvalidOperationException>(() => stack.PopMarked()); // an error, not garbage
        stack.Dispose();
        Assert.Equal(2 * width + 4, capacity.Capacity); // the marked peak, though no pop tracked it
    }

    [Fact]
    public void A_reservation_grows_the_storage_once_to_at_least_its_size_keeping_what_was_saved()
    {
        // Longs: the large storage kept per element type is then not the one another test of doubles expects.
        var stack = new SaveStack<long>(new SaveStackCapacity());
        for (int i = 0; i < 10; i++)
        {
            stack.Push(i);
        }
        stack.Reserve(300_000); // above the pool's exact length: allocated at exactly what is needed
        Assert.Equal(300_010, stack.Capacity);
        for (int i = 10; i < 300_010; i++)
        {
            stack.PushReserved(i);
        }
        stack.Reserve(0); // room already there: nothing changes
        Assert.Equal(300_010, stack.Capacity);
        stack.MarkPeak();
        for (int i = 300_009; i >= 0; i--)
        {
            Assert.Equal(i, stack.PopMarked());
        }
        stack.Dispose();

        var small = new SaveStack<int>(new SaveStackCapacity());
        small.Reserve(5);
        Assert.True(small.Capacity >= 64); // small reservations come from the pool, at least as large as a first growth
        small.Dispose();
    }

    [Fact]
    public void A_reservation_larger_than_an_array_is_a_clear_error()
    {
        var stack = new SaveStack<double>(new SaveStackCapacity());
        var error = Assert.Throws<System.InvalidOperationException>(() => stack.Reserve(3_000_000_000L));
        Assert.Contains("3000000000 values", error.Message);
        Assert.Contains("[LoopCheckpoints]", error.Message);
        Assert.Throws<System.InvalidOperationException>(() => stack.Reserve(-1));
    }

#if DEBUG
    [Fact]
    public void Debug_builds_check_that_a_reservation_is_used_exactly()
    {
        var tooSmall = new SaveStack<double>(new SaveStackCapacity());
        tooSmall.Reserve(1);
        tooSmall.PushReserved(1);
        var past = Assert.Throws<System.InvalidOperationException>(() => tooSmall.PushReserved(2));
        Assert.Contains("past its reservation", past.Message);

        var tooLarge = new SaveStack<double>(new SaveStackCapacity());
        tooLarge.Reserve(2);
        tooLarge.PushReserved(1);
        var unused = Assert.Throws<System.InvalidOperationException>(() => tooLarge.MarkPeak());
        Assert.Contains("not used up", unused.Message);

        var exact = new SaveStack<double>(new SaveStackCapacity());
        exact.Reserve(1);
        exact.PushReserved(1);
        exact.Push(2); // checked pushes may follow the reserved ones
        exact.MarkPeak();
        Assert.Equal(2, exact.PopMarked());
    }
#endif

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
