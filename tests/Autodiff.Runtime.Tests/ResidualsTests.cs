using System;
using Autodiff.Runtime;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>The residuals that split-mode callees leave for their backward passes.</summary>
public class ResidualsTests
{
    [Fact]
    public void Values_of_every_type_come_back_last_in_first_out()
    {
        Residuals residuals = Residuals.Rent();
        var array = new double[] { 1, 2 };
        residuals.Doubles.Push(1.5);
        residuals.Ints.Push(7);
        residuals.Of<double[]>().Push(array);
        residuals.Bools.Push(true);
        residuals.Floats.Push(2.5f);
        residuals.Longs.Push(1L << 40);
        Assert.Equal(1L << 40, residuals.Longs.Pop());
        Assert.Equal(2.5f, residuals.Floats.Pop());
        Assert.True(residuals.Bools.Pop());
        Assert.Same(array, residuals.Of<double[]>().Pop());
        Assert.Equal(7, residuals.Ints.Pop());
        Assert.Equal(1.5, residuals.Doubles.Pop());
        residuals.Return();
    }

    [Fact]
    public void A_thread_reuses_its_returned_object_and_a_nested_rent_gets_another()
    {
        Residuals first = Residuals.Rent();
        Residuals nested = Residuals.Rent(); // a gradient taken inside a gradient
        Assert.NotSame(first, nested);
        nested.Return();
        first.Return();
        Residuals again = Residuals.Rent();
        Assert.Same(first, again);
        again.Return();
    }

    [Fact]
    public void Storage_is_kept_between_calls_so_the_steady_state_allocates_nothing()
    {
        static void Call()
        {
            Residuals residuals = Residuals.Rent();
            for (int i = 0; i < 10_000; i++)
            {
                residuals.Doubles.Push(i);
            }
            for (int i = 0; i < 10_000; i++)
            {
                residuals.Doubles.Pop();
            }
            residuals.Return();
        }
        Call();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Call();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Large_storage_goes_back_to_the_pool_and_the_next_call_starts_at_the_size_it_needed()
    {
        Residuals residuals = Residuals.Rent();
        for (int i = 0; i < 3_000_000; i++)
        {
            residuals.Doubles.Push(i);
        }
        for (int i = 0; i < 3_000_000; i++)
        {
            residuals.Doubles.Pop();
        }
        residuals.Return();
        Assert.Equal(0, residuals.Doubles.Capacity); // not pinned by the thread between calls
        Residuals next = Residuals.Rent();
        Assert.Same(residuals, next);
        Assert.True(next.Doubles.Capacity >= 3_000_000, $"capacity {next.Doubles.Capacity}"); // no doubling again
        next.Return();
    }

    [Fact]
    public void A_value_left_over_is_reported_instead_of_returning_a_wrong_gradient()
    {
        Residuals residuals = Residuals.Rent();
        residuals.Doubles.Push(1);
        residuals.Of<int[]>().Push(new int[1]);
        var error = Assert.Throws<InvalidOperationException>(residuals.Return);
        Assert.Contains("2 value(s)", error.Message);
        Residuals next = Residuals.Rent(); // the faulty object is not reused
        Assert.NotSame(residuals, next);
        Assert.Equal(0, next.Doubles.Count);
        next.Return();
    }

    [Fact]
    public void Reading_more_than_was_left_throws()
    {
        Residuals residuals = Residuals.Rent();
        Assert.Throws<InvalidOperationException>(() => residuals.Doubles.Pop());
        residuals.Return();
    }
}
