using Autodiff.Runtime;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>The per-thread slots generated entry points keep their arrays in between calls.</summary>
public class ArrayBuffersTests
{
    [Fact]
    public void A_kept_array_of_the_right_length_comes_back_zeroed_and_leaves_the_slot_empty()
    {
        double[]? slot = null;
        double[] first = ArrayBuffers.Take(ref slot, 4);
        first[2] = 5;
        ArrayBuffers.Give(ref slot, first);
        double[] second = ArrayBuffers.Take(ref slot, 4);
        Assert.Same(first, second);
        Assert.All(second, v => Assert.Equal(0, v));
        Assert.Null(slot); // a nested call meanwhile allocates its own
        Assert.NotSame(second, ArrayBuffers.Take(ref slot, 4));
    }

    [Fact]
    public void Another_length_gets_a_new_array_and_a_null_array_is_not_kept()
    {
        float[]? slot = null;
        ArrayBuffers.Give(ref slot, new float[3]);
        float[] other = ArrayBuffers.Take(ref slot, 5);
        Assert.Equal(5, other.Length);
        ArrayBuffers.Give(ref slot, null);
        Assert.NotNull(slot); // the length-3 array is still there
        Assert.Throws<System.OverflowException>(() => ArrayBuffers.Take(ref slot, -1));
    }
}
