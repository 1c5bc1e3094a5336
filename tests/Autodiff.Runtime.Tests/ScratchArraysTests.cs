using System;
using System.Threading;
using Autodiff.Runtime;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>The per-thread arrays generated gradients take and give back.</summary>
public class ScratchArraysTests
{
    [Fact]
    public void An_array_given_back_is_taken_again_at_its_length_and_zeroed()
    {
        double[] first = ScratchArrays<double>.Take(37);
        Assert.Equal(37, first.Length);
        first.AsSpan().Fill(5.0);
        ScratchArrays<double>.GiveBack(first);

        double[] again = ScratchArrays<double>.Take(37);
        Assert.Same(first, again);
        Assert.All(again, v => Assert.Equal(0.0, v));
        ScratchArrays<double>.GiveBack(again);
    }

    [Fact]
    public void An_array_of_another_length_is_never_handed_out()
    {
        ScratchArrays<float>.GiveBack(new float[10]);
        Assert.Equal(11, ScratchArrays<float>.Take(11).Length);
        Assert.Equal(9, ScratchArrays<float>.Take(9).Length);
    }

    [Fact]
    public void A_taken_array_is_not_handed_out_again_until_given_back()
    {
        double[] a = ScratchArrays<double>.Take(41);
        double[] b = ScratchArrays<double>.Take(41);
        Assert.NotSame(a, b);
        ScratchArrays<double>.GiveBack(a);
        ScratchArrays<double>.GiveBack(b);
        double[] c = ScratchArrays<double>.Take(41);
        double[] d = ScratchArrays<double>.Take(41);
        Assert.NotSame(c, d);
    }

    [Fact]
    public void An_array_given_back_twice_is_kept_once()
    {
        double[] a = ScratchArrays<double>.Take(43);
        ScratchArrays<double>.GiveBack(a);
        ScratchArrays<double>.GiveBack(a);
        double[] first = ScratchArrays<double>.Take(43);
        double[] second = ScratchArrays<double>.Take(43);
        Assert.NotSame(first, second);
    }

    [Fact]
    public void Arrays_over_the_limit_are_not_kept()
    {
        int length = ScratchArrays<double>.MaxLength + 1;
        double[] big = ScratchArrays<double>.Take(length);
        ScratchArrays<double>.GiveBack(big);
        Assert.NotSame(big, ScratchArrays<double>.Take(length));
    }

    [Fact]
    public void Lengths_behave_as_new_does()
    {
        Assert.Empty(ScratchArrays<double>.Take(0));
        Assert.Throws<OverflowException>(() => ScratchArrays<double>.Take(-1));
    }

    [Fact]
    public void Each_thread_keeps_its_own()
    {
        double[] mine = ScratchArrays<double>.Take(47);
        ScratchArrays<double>.GiveBack(mine);
        double[]? theirs = null;
        var thread = new Thread(() => theirs = ScratchArrays<double>.Take(47));
        thread.Start();
        thread.Join();
        Assert.NotSame(mine, theirs);
        Assert.Same(mine, ScratchArrays<double>.Take(47));
    }

    [Fact]
    public void Taking_a_kept_array_allocates_nothing()
    {
        ScratchArrays<double>.GiveBack(ScratchArrays<double>.Take(53));
        long before = GC.GetAllocatedBytesForCurrentThread();
        double[] taken = ScratchArrays<double>.Take(53);
        ScratchArrays<double>.GiveBack(taken);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
