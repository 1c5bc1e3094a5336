using System;

namespace Autodiff;

/// <summary>
/// xoshiro128** (Blackman and Vigna), seeded through SplitMix64, so that a seed gives the same
/// values on every platform and .NET version (unlike <see cref="Random"/>, whose sequence is
/// not specified).
/// </summary>
internal struct SeededRandom
{
    private uint _s0, _s1, _s2, _s3;

    public SeededRandom(int seed)
    {
        ulong state = unchecked((ulong)(long)seed);
        ulong first = SplitMix64(ref state);
        ulong second = SplitMix64(ref state);
        _s0 = (uint)first;
        _s1 = (uint)(first >> 32);
        _s2 = (uint)second;
        _s3 = (uint)(second >> 32);
    }

    private static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public uint NextUInt32()
    {
        uint result = uint.RotateLeft(_s1 * 5, 7) * 9;
        uint t = _s1 << 9;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = uint.RotateLeft(_s3, 11);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 24 random bits, every value exactly representable as a float.</summary>
    public double NextUnit() => (NextUInt32() >> 8) * (1.0 / (1 << 24));

    /// <summary>Fills <paramref name="destination"/> with uniform values in [low, high).</summary>
    public void FillUniform(Span<float> destination, float low, float high)
    {
        double width = (double)high - low;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)(low + width * NextUnit());
        }
    }

    /// <summary>Fills <paramref name="destination"/> with normal values by the Box–Muller transform, two per pair of uniforms.</summary>
    public void FillNormal(Span<float> destination, float mean, float std)
    {
        for (int i = 0; i < destination.Length; i += 2)
        {
            // 1 − u lies in (0, 1], so the logarithm is finite.
            double radius = Math.Sqrt(-2.0 * Math.Log(1.0 - NextUnit()));
            double angle = 2.0 * Math.PI * NextUnit();
            destination[i] = (float)(mean + std * radius * Math.Cos(angle));
            if (i + 1 < destination.Length)
            {
                destination[i + 1] = (float)(mean + std * radius * Math.Sin(angle));
            }
        }
    }
}
