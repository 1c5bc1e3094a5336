using System;

namespace Autodiff;

// Dropout without hidden random state: which elements are dropped is a function of a seed the
// caller passes (say, the training step) and of each element's position, so the backward rule
// finds the same mask again instead of keeping it, and a run repeats exactly.
public sealed partial class Tensor
{
    /// <summary>
    /// Inverted dropout, as <c>nn.Dropout(p)</c>: in training, each element is zeroed with probability
    /// <paramref name="p"/> and the others are scaled by 1/(1 − p), so the expected value is unchanged;
    /// otherwise (evaluation) a copy of <paramref name="x"/>. The dropped elements are decided by
    /// <paramref name="randomSeed"/> and their positions alone: pass a new seed at every step.
    /// </summary>
    public static Tensor Dropout(Tensor x, float p, int randomSeed, bool training = true)
    {
        ArgumentNullException.ThrowIfNull(x);
        RequireDropoutProbability(nameof(Dropout), p);
        Tensor result = AllocateLike(x);
        ReadOnlySpan<float> input = x.Data;
        Span<float> output = result.Data;
        if (!training || p == 0f)
        {
            input.CopyTo(output);
            return result;
        }
        float scale = 1f / (1f - p);
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = DropoutKeeps(randomSeed, i, p) ? input[i] * scale : 0f;
        }
        return result;
    }

    internal static void RequireDropoutProbability(string operation, float p)
    {
        if (!(p >= 0f && p < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, $"{operation}: the probability of dropping an element must lie in [0, 1).");
        }
    }

    /// <summary>
    /// Whether element <paramref name="index"/> is kept: a uniform number in [0, 1) from SplitMix64 of
    /// (seed, index), compared with <paramref name="p"/>. The same on every machine and run.
    /// </summary>
    internal static bool DropoutKeeps(int seed, int index, float p)
    {
        ulong z = ((ulong)(uint)seed << 32 | (uint)index) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        double uniform = (z >> 11) * (1.0 / (1UL << 53));
        return uniform >= p;
    }
}
