using Autodiff.Runtime;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>The per-site buffers generated entry points keep their arrays in between calls, one per thread.</summary>
public class ArrayBufferTests
{
    [Fact]
    public void A_kept_array_of_the_right_length_comes_back_zeroed_and_is_not_handed_out_twice()
    {
        var buffer = new ArrayBuffer<double>();
        double[] first = buffer.Take(4);
        first[2] = 5;
        buffer.Give(first);
        double[] second = buffer.Take(4);
        Assert.Same(first, second);
        Assert.All(second, v => Assert.Equal(0, v));
        Assert.NotSame(second, buffer.Take(4)); // a nested call meanwhile allocates its own
    }

    [Fact]
    public void Another_length_gets_a_new_array_and_a_null_array_is_not_kept()
    {
        var buffer = new ArrayBuffer<float>();
        float[] three = new float[3];
        buffer.Give(three);
        Assert.Equal(5, buffer.Take(5).Length);
        buffer.Give(null);
        Assert.Same(three, buffer.Take(3)); // still kept
        Assert.Throws<System.OverflowException>(() => buffer.Take(-1));
    }

    [Fact]
    public void Each_thread_has_its_own_array()
    {
        var buffer = new ArrayBuffer<int>();
        int[] mine = new int[2];
        buffer.Give(mine);
        int[]? theirs = null;
        var other = new System.Threading.Thread(() => theirs = buffer.Take(2));
        other.Start();
        other.Join();
        Assert.NotSame(mine, theirs);
        Assert.Same(mine, buffer.Take(2));
    }
}
